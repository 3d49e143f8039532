// Package sharedtest finds, for tests and benchmarks, the third-party text
// kept in ../shared beside the checkout (real articles; never copied into
// the project), and holds the rule for when it is missing: under CI
// (CI=true) the test fails, elsewhere it is skipped.
package sharedtest

import (
	"os"
	"path/filepath"
	"testing"
)

// Dir returns ../shared beside the module's root, found by walking up
// from the working directory (a test's package folder) to go.mod.
func Dir(tb testing.TB) string {
	tb.Helper()
	dir, err := os.Getwd()
	if err != nil {
		tb.Fatalf("sharedtest: %v", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(filepath.Dir(dir), "shared")
		}
		up := filepath.Dir(dir)
		if up == dir {
			tb.Fatalf("sharedtest: no go.mod above the working directory")
		}
		dir = up
	}
}

// Need returns the path elem... under Dir when it exists; otherwise it
// fails the test under CI and skips it elsewhere.
func Need(tb testing.TB, elem ...string) string {
	tb.Helper()
	p := filepath.Join(append([]string{Dir(tb)}, elem...)...)
	if _, err := os.Stat(p); err != nil {
		if os.Getenv("CI") == "true" {
			tb.Fatalf("%s is missing (CI=true): %v", p, err)
		}
		tb.Skipf("%s is missing: %v", p, err)
	}
	return p
}
