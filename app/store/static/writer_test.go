//go:build !(js && wasm)

package static

import (
	"compress/flate"
	"io"
	"math/rand/v2"
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
