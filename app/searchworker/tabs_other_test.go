//go:build !(js && wasm)

package main

import "testing"

// told: a process's workers are told of a change at once (tabs_other.go).
func told(*testing.T, *worker) {}
