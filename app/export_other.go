//go:build !(js && wasm)

package main

// download is a file being written for the user to save; natively there
// is no one to save it: it is discarded.
type download struct{}

// newDownload starts a download.
func newDownload(mime string) *download { return &download{} }

// Write implements io.Writer.
func (d *download) Write(p []byte) (int, error) { return len(p), nil }

// save has no browser to save files natively.
func (d *download) save(name string) error { return errNoBrowser }
