//go:build !(js && wasm)

package main

// download has no browser to save files natively.
func download(name, mime string, data []byte) error { return errNoBrowser }
