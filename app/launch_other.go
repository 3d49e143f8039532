//go:build !(js && wasm)

package main

// watchLaunches has no launch queue natively.
func watchLaunches(open func(importSource)) {}
