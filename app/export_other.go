//go:build !(js && wasm)

package main

import "context"

// exportArchive needs a browser: its worker writes the archive and the
// user saves it.
func exportArchive(ctx context.Context, name string) (int, error) { return 0, errNoBrowser }
