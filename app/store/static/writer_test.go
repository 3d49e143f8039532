//go:build !(js && wasm)

package static

import (
	"compress/flate"
	"crypto/sha256"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
)

// TestWriteNewFlate: packs compressed by WriteOptions.NewFlate's writers
// read back as any others.
func TestWriteNewFlate(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	tables := map[string][]record{"many": randomTable(r, 2000, 1000), "one": {{"k", []byte("v")}}}
	mem := memoryOf(t, tables)
	var made atomic.Int32
	opts := WriteOptions{DefaultTarget: 2000, NewFlate: func(w io.Writer, level int) (FlateWriter, error) {
		made.Add(1)
		return flate.NewWriter(w, flate.BestCompression) // not Level: the writer chooses
	}}
	s := openWritten(t, tables, opts)
	if made.Load() == 0 {
		t.Errorf("WriteOptions.NewFlate was never called")
	}
	for _, name := range sortedKeys(tables) {
		compareTable(t, r, mem, s, name, tables[name])
	}
}

// TestWriteTablesConcurrently: tables written by goroutines of their own,
// at once, make the very archive they make one after another (run with
// -race: the writer's shared state).
func TestWriteTablesConcurrently(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	tables := map[string][]record{}
	for _, name := range []string{"a", "b", "c", "d"} {
		tables[name] = randomTable(r, 1500, 3000)
	}
	opts := WriteOptions{DefaultTarget: 2000}
	want, _ := writeDir(t, tables, opts)
	dir := t.TempDir()
	w := NewWriter(dir, opts)
	var wg sync.WaitGroup
	for _, name := range sortedKeys(tables) {
		recs := slices.Clone(tables[name])
		slices.SortFunc(recs, func(a, b record) int { return cmpString(a.key, b.key) })
		wg.Go(func() {
			for _, rec := range recs {
				if err := w.Add(name, rec.key, rec.value); err != nil {
					t.Errorf("Add(%q, %q) = %v", name, rec.key, err)
					return
				}
			}
		})
	}
	wg.Wait()
	if _, _, err := w.Close(); err != nil {
		t.Fatalf("Close = %v", err)
	}
	for _, name := range []string{ManifestName, "p"} {
		got, wnt := listing(t, filepath.Join(dir, name)), listing(t, filepath.Join(want, name))
		if !slices.Equal(got, wnt) {
			t.Errorf("%s: written concurrently %q, one table after another %q", name, got, wnt)
		}
	}
}

// listing names the files at p (a folder's, or p itself) with their
// sizes and hashes.
func listing(t *testing.T, p string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(p, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		out = append(out, fmt.Sprintf("%s %d %x", d.Name(), len(data), sha256.Sum256(data)))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
