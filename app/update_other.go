//go:build !(js && wasm)

package main

import "context"

// markVersion has no page to mark natively.
func markVersion(v string) {}

// registerWorker has no service worker to register natively.
func registerWorker() {}

// watchUpdates has no service worker to watch natively.
func watchUpdates(check func()) {}

// workerVersion has no service worker to ask natively.
func workerVersion(ctx context.Context) (string, error) { return "", errNoBrowser }
