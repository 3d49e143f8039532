package archive

import (
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestWalkOrder checks that walkSorted finds the files in the order of
// their paths as strings (a folder's files after a file whose name its
// name begins), as a sort of everything filepath.WalkDir finds puts them,
// and that it stops when told to.
func TestWalkOrder(t *testing.T) {
	dir := t.TempDir()
	for _, p := range []string{
		"a.txt", "a/b.md", "a/c/d.md", "a-b.md", "ab", "a b/x.md", "a/c.md",
		"b.d/x.md", "b/y.md", "z", ".hidden", ".git/x", "a/.h/x", "中文/新闻.md", "Z.md",
	} {
		p = filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var want []string
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if d.IsDir() && strings.HasPrefix(d.Name(), ".") {
			return filepath.SkipDir
		}
		if !d.IsDir() && !strings.HasPrefix(d.Name(), ".") {
			rel, _ := filepath.Rel(dir, p)
			want = append(want, filepath.ToSlash(rel))
		}
		return nil
	})
	slices.Sort(want)
	srcs, err := walk(dir, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if got := paths(srcs); !slices.Equal(got, want) {
		t.Errorf("walk = %q, want %q", got, want)
	}
	var some []string
	err = walkSorted(dir, t.TempDir(), func(s source) bool {
		some = append(some, s.path)
		return len(some) < 3
	})
	if err != nil || !slices.Equal(some, want[:3]) {
		t.Errorf("walkSorted stopped after 3: %q, %v; want %q", some, err, want[:3])
	}
}
