//go:build !js && !wasip1

// go list cannot run inside wasm: the native run checks both targets.

package parser

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestDeps enforces the import rules with `go list -deps`, natively and
// for js/wasm: the parser imports nothing of the app, no go-app, and no
// syscall/js except through the standard library; third-party code is
// limited to x/net and x/text. (tailscale's deps_test.go is the model.)
func TestDeps(t *testing.T) {
	goBin, err := exec.LookPath("go")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("go command not found")
		}
		t.Skip("go command not found")
	}
	for _, env := range [][]string{nil, {"GOOS=js", "GOARCH=wasm"}} {
		deps := listDeps(t, goBin, env)
		checkDeps(t, env, deps)
	}
}

// listDeps lists the non-test dependencies of this package.
func listDeps(t *testing.T, goBin string, env []string) []string {
	t.Helper()
	cmd := exec.Command(goBin, "list", "-deps", "-f", "{{if not .Standard}}{{.ImportPath}}{{end}}|{{.ImportPath}}|{{join .Imports \" \"}}", ".")
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list -deps (%v): %v", env, err)
	}
	return strings.Split(strings.TrimSpace(string(out)), "\n")
}

// allowedDeps are the module path prefixes the parser may depend on.
var allowedDeps = []string{
	"github.com/broadsheet/broadsheet/parser",
	"golang.org/x/net/",
	"golang.org/x/text/",
}

func checkDeps(t *testing.T, env []string, lines []string) {
	t.Helper()
	if len(lines) < 10 {
		t.Fatalf("go list -deps (%v) listed %d packages, want the standard library and more", env, len(lines))
	}
	for _, line := range lines {
		f := strings.SplitN(line, "|", 3)
		if len(f) != 3 {
			t.Fatalf("go list -deps (%v) printed %q", env, line)
		}
		nonStd, path, imports := f[0], f[1], f[2]
		if nonStd != "" && !hasAnyPrefix(path, allowedDeps) {
			t.Errorf("parser depends on %s (%v); allowed: %v", path, env, allowedDeps)
		}
		if strings.HasPrefix(path, "github.com/broadsheet/broadsheet/") && path != "github.com/broadsheet/broadsheet/parser" {
			t.Errorf("parser imports the app package %s (%v)", path, env)
		}
		if nonStd != "" && strings.Contains(" "+imports+" ", " syscall/js ") {
			t.Errorf("non-standard package %s imports syscall/js (%v)", path, env)
		}
	}
}

func hasAnyPrefix(s string, prefixes []string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}
