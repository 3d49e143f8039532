package sharedtest

import (
	"os"
	"path/filepath"
	"testing"
)

func TestDir(t *testing.T) {
	// The package sits two levels below the module root.
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := Dir(t), filepath.Join(filepath.Dir(root), "shared"); got != want {
		t.Errorf("Dir = %q, want %q", got, want)
	}
}

func TestNeedMissing(t *testing.T) {
	t.Setenv("CI", "")
	var skipped bool
	t.Run("missing", func(t *testing.T) {
		defer func() { skipped = t.Skipped() }()
		Need(t, "no such folder of Broadsheet's tests")
	})
	if !skipped {
		t.Error("Need of a missing path outside CI did not skip")
	}
	if _, err := os.Stat(Dir(t)); err == nil {
		if p := Need(t); p != Dir(t) {
			t.Errorf("Need() = %q, want %q", p, Dir(t))
		}
	}
}
