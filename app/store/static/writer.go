package static

import (
	"compress/flate"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/broadsheet/broadsheet/app/store"
)

// WriteOptions choose how a Writer cuts and compresses packs.
type WriteOptions struct {
	// Target is the target uncompressed bytes of a pack, per table.
	Target map[string]int
	// DefaultTarget is the target of the tables Target does not name;
	// 0 means DefaultTarget (64 KiB). Targets are capped at 16 MiB.
	DefaultTarget int
	// Meta is marshalled as JSON into Manifest.Meta.
	Meta any
	// Level is the compress/flate level; 0 means flate.DefaultCompression.
	Level int
}

// WriteStats say what a write produced.
type WriteStats struct {
	// Files and Bytes count the archive's files: distinct packs and the
	// manifest.
	Files int
	Bytes int64
	// Reused counts the packs that were already in the directory (same
	// name, same bytes) and were not written again.
	Reused int
	// Written is the bytes of the files written: new packs and the manifest.
	Written int64
	// Deleted counts the old packs removed because no table refers to them.
	Deleted int
	// TableBytes is each table's pack bytes.
	TableBytes map[string]int64
}

// Writer writes an archive into a directory, holding at most about two
// target sizes of records per table in memory. Records arrive in
// ascending key order per table; tables may come one after another or
// interleaved. Packs already present in the directory are kept, not
// written again; Close writes the manifest last, so the directory is a
// complete archive at every moment.
type Writer struct {
	dir     string
	opts    WriteOptions
	enc     *packEncoder
	tables  map[string]*tableWriter
	packs   map[string]int // distinct pack files of this write -> bytes
	stats   WriteStats
	err     error // the first error: every later call returns it
	closed  bool
	madeDir bool
}

// tableWriter is the state of one table being written.
type tableWriter struct {
	chunk chunker
	recs  []record
	last  string
	any   bool
	info  TableInfo
}

// NewWriter returns a Writer into dir (created when missing). Nothing is
// written before the first pack is full.
func NewWriter(dir string, opts WriteOptions) *Writer {
	level := opts.Level
	if level == 0 {
		level = flate.DefaultCompression
	}
	return &Writer{
		dir:    dir,
		opts:   opts,
		enc:    newPackEncoder(level),
		tables: map[string]*tableWriter{},
		packs:  map[string]int{},
		stats:  WriteStats{TableBytes: map[string]int64{}},
	}
}

// AddTable makes table part of the archive even if no record is added to it.
func (w *Writer) AddTable(table string) error {
	if w.err != nil {
		return w.err
	}
	if w.closed {
		return w.fail(errors.New("static: Writer used after Close"))
	}
	w.table(table)
	return nil
}

func (w *Writer) table(name string) *tableWriter {
	t := w.tables[name]
	if t == nil {
		target := w.opts.Target[name]
		if target <= 0 {
			target = w.opts.DefaultTarget
		}
		if target <= 0 {
			target = DefaultTarget
		}
		t = &tableWriter{chunk: chunker{target: min(target, maxTarget)}, info: TableInfo{Packs: []PackRef{}}}
		w.tables[name] = t
	}
	return t
}

func (w *Writer) fail(err error) error {
	if w.err == nil {
		w.err = err
	}
	return w.err
}

// Add adds a record to table. Keys must ascend strictly within a table and
// be at most MaxKey bytes; value is copied.
func (w *Writer) Add(table, key string, value []byte) error {
	if err := w.AddTable(table); err != nil {
		return err
	}
	t := w.tables[table]
	if len(key) > MaxKey {
		return w.fail(fmt.Errorf("static: table %q: key of %d bytes, at most %d", table, len(key), MaxKey))
	}
	if t.any && key <= t.last {
		return w.fail(fmt.Errorf("static: table %q: key %q after %q: keys must ascend", table, key, t.last))
	}
	t.any, t.last = true, key
	size := recordSize(key, value)
	if t.chunk.big(size) && len(t.recs) > 0 {
		if err := w.flush(table, t); err != nil {
			return err
		}
	}
	t.recs = append(t.recs, record{key: key, value: slices.Clone(value)})
	if t.chunk.add(key, size) || t.chunk.big(size) {
		return w.flush(table, t)
	}
	return nil
}

// flush writes the table's pending records as one pack.
func (w *Writer) flush(table string, t *tableWriter) error {
	data, err := w.enc.encode(t.recs)
	if err != nil {
		return w.fail(err)
	}
	name := PackName(data)
	if err := w.writePack(name, data); err != nil {
		return w.fail(err)
	}
	ref := PackRef{File: name, First: t.recs[0].key, Last: t.recs[len(t.recs)-1].key, Count: len(t.recs), Bytes: len(data)}
	t.info.Packs = append(t.info.Packs, ref)
	t.info.Count += ref.Count
	t.info.Bytes += int64(ref.Bytes)
	w.stats.TableBytes[table] += int64(ref.Bytes)
	clear(t.recs)
	t.recs = t.recs[:0]
	t.chunk.reset()
	return nil
}

// writePack writes a pack file unless this write or an earlier one did.
func (w *Writer) writePack(name string, data []byte) error {
	if _, ok := w.packs[name]; ok {
		return nil
	}
	w.packs[name] = len(data)
	path := filepath.Join(w.dir, filepath.FromSlash(name))
	if fi, err := os.Stat(path); err == nil && fi.Size() == int64(len(data)) {
		w.stats.Reused++
		return nil
	}
	if !w.madeDir {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		w.madeDir = true
	}
	w.stats.Written += int64(len(data))
	return writeAtomic(path, data)
}

// writeAtomic writes data to a temporary file beside path and renames it.
func writeAtomic(path string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), ".tmp-*")
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		os.Remove(f.Name())
	}
	return err
}

// Close writes the last packs and the manifest (atomically), then deletes
// the pack files of the directory that the manifest no longer refers to.
func (w *Writer) Close() (*Manifest, WriteStats, error) {
	if w.err != nil {
		return nil, w.stats, w.err
	}
	if w.closed {
		return nil, w.stats, w.fail(errors.New("static: Writer closed twice"))
	}
	w.closed = true
	m := &Manifest{Version: FormatVersion, Tables: map[string]TableInfo{}}
	for name, t := range w.tables {
		if len(t.recs) > 0 {
			if err := w.flush(name, t); err != nil {
				return nil, w.stats, err
			}
		}
		m.Tables[name] = t.info
	}
	if w.opts.Meta != nil {
		meta, err := json.Marshal(w.opts.Meta)
		if err != nil {
			return nil, w.stats, w.fail(fmt.Errorf("static: WriteOptions.Meta: %w", err))
		}
		m.Meta = meta
	}
	data, err := json.Marshal(m)
	if err != nil {
		return nil, w.stats, w.fail(err)
	}
	if err := os.MkdirAll(w.dir, 0o755); err != nil {
		return nil, w.stats, w.fail(err)
	}
	if err := writeAtomic(filepath.Join(w.dir, ManifestName), data); err != nil {
		return nil, w.stats, w.fail(err)
	}
	w.stats.Written += int64(len(data))
	w.stats.Files = len(w.packs) + 1
	w.stats.Bytes = int64(len(data))
	for _, n := range w.packs {
		w.stats.Bytes += int64(n)
	}
	if err := w.deleteUnused(); err != nil {
		return m, w.stats, w.fail(err)
	}
	return m, w.stats, nil
}

// deleteUnused removes the packs of the directory that this write does not
// refer to, and temporary files left by an interrupted write.
func (w *Writer) deleteUnused() error {
	entries, err := os.ReadDir(filepath.Join(w.dir, "p"))
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	for _, e := range entries {
		name := "p/" + e.Name()
		_, used := w.packs[name]
		if used || !(validPackName(name) || strings.HasPrefix(e.Name(), ".tmp-")) {
			continue
		}
		if err := os.Remove(filepath.Join(w.dir, "p", e.Name())); err != nil {
			return err
		}
		if validPackName(name) {
			w.stats.Deleted++
		}
	}
	return nil
}

// Write writes the given tables of src into an archive in dir, by a Writer.
func Write(ctx context.Context, src store.Store, tables []string, dir string, opts WriteOptions) (*Manifest, WriteStats, error) {
	w := NewWriter(dir, opts)
	for _, table := range tables {
		if err := w.AddTable(table); err != nil {
			return nil, w.stats, err
		}
		var addErr error
		err := src.Scan(ctx, table, "", "", 0, func(key string, value []byte) bool {
			addErr = w.Add(table, key, value)
			return addErr == nil
		})
		if err == nil {
			err = addErr
		}
		if err == nil {
			err = ctx.Err()
		}
		if err != nil {
			return nil, w.stats, fmt.Errorf("static: write table %q: %w", table, err)
		}
	}
	return w.Close()
}
