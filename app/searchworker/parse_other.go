//go:build !(js && wasm)

package main

// parsePool has no workers natively: an import parses in this thread.
type parsePool struct{}
