//go:build !(js && wasm)

package main

// scrollToFirstMatch has no window natively.
func scrollToFirstMatch() {}

// setRootData has no document natively.
func setRootData(name string, v any) {}
