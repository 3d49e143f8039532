//go:build !(js && wasm)

package main

import (
	"context"
	"errors"
)

// startBrowser does nothing natively: the interface stays in English.
func startBrowser() {}

// resetLongTasks has no tasks to measure natively.
func resetLongTasks() {}

// confirmDialog has no one to ask natively.
func confirmDialog(msg string) bool { return false }

// errNoBrowser is returned by browser-only operations natively.
var errNoBrowser = errors.New("not in a browser")

// fetchBytes needs the browser.
func fetchBytes(ctx context.Context, url string) ([]byte, error) { return nil, errNoBrowser }
