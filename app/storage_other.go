//go:build !(js && wasm)

package main

import "context"

// storageEstimate has no browser storage to measure natively.
func storageEstimate(ctx context.Context) (storageInfo, error) { return storageInfo{}, errNoBrowser }

// requestPersist has no browser to ask natively.
func requestPersist(ctx context.Context) (bool, error) { return false, errNoBrowser }
