//go:build !(js && wasm)

package main

// archiveURL is "" natively: the native program has no hosted archive.
func archiveURL() string { return "" }
