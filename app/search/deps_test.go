//go:build !js

// go list cannot run inside wasm: the native run checks both targets.

package search

import (
	"os/exec"
	"strings"
	"testing"
)

// TestDeps enforces the import rule: search is pure Go, without go-app
// and without syscall/js, natively and for js/wasm.
func TestDeps(t *testing.T) {
	for _, env := range [][]string{nil, {"GOOS=js", "GOARCH=wasm"}} {
		// every non-standard package search depends on, with its imports
		// (the standard library itself uses syscall/js under js/wasm)
		cmd := exec.Command("go", "list", "-deps", "-f", "{{if not .Standard}}{{.ImportPath}} {{join .Imports \" \"}}{{end}}", ".")
		cmd.Env = append(cmd.Environ(), env...)
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("go list: %v", err)
		}
		for _, dep := range strings.Fields(string(out)) {
			if dep == "syscall/js" || strings.Contains(dep, "go-app") {
				t.Errorf("search imports %s (env %v)", dep, env)
			}
		}
	}
}
