//go:build !(js && wasm)

package main

import (
	"fmt"
	"os"
)

func main() {
	fmt.Fprintln(os.Stderr, "searchworker runs only in a browser's Web Worker (GOOS=js GOARCH=wasm)")
	os.Exit(2)
}
