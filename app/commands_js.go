//go:build js && wasm

package main

import "io"

// runCommand is never reached in the browser: app.RunWhenOnBrowser blocks.
func runCommand(args []string, stdout, stderr io.Writer) int { return 0 }
