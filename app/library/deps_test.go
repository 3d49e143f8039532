package library

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestDeps checks the import rules of the storage packages: the library,
// the store contract and its suite, and every package of the module they
// depend on, import no go-app and no syscall/js (the standard library may),
// natively or for the browser.
func TestDeps(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	pkgs := []string{".", "../store", "../store/storetest"}
	for _, env := range [][]string{nil, {"GOOS=js", "GOARCH=wasm"}} {
		args := []string{"list", "-deps", "-f", `{{if not .Standard}}{{.ImportPath}} {{join .Imports " "}}{{end}}`}
		cmd := exec.Command("go", append(args, pkgs...)...)
		cmd.Env = append(os.Environ(), env...)
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("go list -deps (%v): %v", env, err)
		}
		for line := range strings.Lines(string(out)) {
			f := strings.Fields(line)
			if len(f) == 0 {
				continue
			}
			for _, imp := range f[1:] {
				if imp == "syscall/js" || strings.HasPrefix(imp, "github.com/maxence-charriere/go-app") {
					t.Errorf("%v: %s imports %s", env, f[0], imp)
				}
			}
		}
	}
}
