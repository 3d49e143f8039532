package static

import (
	"compress/flate"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"

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
	// Inline names tables whose packs the manifest lists however many
	// there are, so that reading any of their keys needs no index file
	// (tables of at most InlinePacks packs are listed anyway).
	Inline []string
	// NewFlate, when set, makes the compressors of the packs instead of
	// compress/flate's NewWriter: any writer of a raw DEFLATE stream
	// (such as a faster implementation, for a builder), since readers
	// inflate them with compress/flate.
	NewFlate func(w io.Writer, level int) (FlateWriter, error)
}

// FlateWriter is a resettable DEFLATE compressor, as compress/flate's
// Writer is.
type FlateWriter interface {
	io.WriteCloser
	Reset(w io.Writer)
}

// WriteStats say what a write produced.
type WriteStats struct {
	// Files and Bytes count the archive's files: distinct packs, index
	// files and the manifest.
	Files int
	Bytes int64
	// Reused counts the packs and index files that were already in the
	// directory (same name, same bytes) and were not written again.
	Reused int
	// Written is the bytes of the files written: new packs, new index
	// files and the manifest.
	Written int64
	// Deleted counts the old packs and index files removed because no
	// table refers to them.
	Deleted int
	// TableBytes is each table's pack bytes (without its index file).
	TableBytes map[string]int64
	// IndexBytes is the bytes of the tables' index files.
	IndexBytes int64
}

// Writer writes an archive into a directory, holding at most about two
// target sizes of records per table, and per pack being compressed, in
// memory. Records arrive in ascending key order per table; tables may come
// one after another or interleaved, and different tables may be written
// by different goroutines at once (one goroutine a table at a time).
// Full packs are compressed and written
// in the background, one per processor at a time. Packs already present
// in the directory are kept, not written again, and a pack whose records
// are those of a pack of the archive the directory held (same table and
// lower bound, same records) is not even compressed again: that file is
// kept as it is (whatever Level wrote it). Close writes the manifest last,
// so the directory is a complete archive at every moment.
type Writer struct {
	dir    string
	opts   WriteOptions
	level  int
	tables map[string]*tableWriter // guarded by mu: tables are added from several goroutines
	closed bool
	sem    chan struct{} // one token per pack being encoded
	wg     sync.WaitGroup
	encs   sync.Pool // *packEncoder
	raws   sync.Pool // *[]byte: buffers of packs' records

	listOnce sync.Once
	listed   map[string]int64 // existing: the files in dir/p before this write
	prev     previous         // the packs of the archive in dir before this write

	mu      sync.Mutex     // guards what the encoding goroutines change:
	packs   map[string]int // distinct pack files of this write -> bytes
	stats   WriteStats
	err     error // the first error: every later call returns it
	madeDir bool
}

// tableWriter is the state of one table being written.
type tableWriter struct {
	chunk chunker
	raw   []byte // the records of the pack being filled, encoded (appendRecord)
	count int    // and their number
	first string // the first key of that pack
	last  string
	any   bool
	cut   string     // the last key of the last pack flushed
	packs []*PackRef // in key order; each filled in when its pack is written
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
		level:  level,
		tables: map[string]*tableWriter{},
		prev:   readPrevious(dir),
		sem:    make(chan struct{}, runtime.GOMAXPROCS(0)),
		packs:  map[string]int{},
		stats:  WriteStats{TableBytes: map[string]int64{}},
	}
}

// AddTable makes table part of the archive even if no record is added to it.
func (w *Writer) AddTable(table string) error {
	if err := w.failed(); err != nil {
		return err
	}
	if w.closed {
		return w.fail(errors.New("static: Writer used after Close"))
	}
	w.table(table)
	return nil
}

func (w *Writer) table(name string) *tableWriter {
	w.mu.Lock()
	defer w.mu.Unlock()
	t := w.tables[name]
	if t == nil {
		target := w.opts.Target[name]
		if target <= 0 {
			target = w.opts.DefaultTarget
		}
		if target <= 0 {
			target = DefaultTarget
		}
		t = &tableWriter{chunk: chunker{target: min(target, maxTarget)}}
		w.tables[name] = t
	}
	return t
}

// failed returns the first error, if any.
func (w *Writer) failed() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.err
}

// fail records err unless an error came first, and returns the first.
func (w *Writer) fail(err error) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.err == nil {
		w.err = err
	}
	return w.err
}

// Add adds a record to table. Keys must ascend strictly within a table and
// be at most MaxKey bytes; value is copied.
func (w *Writer) Add(table, key string, value []byte) error {
	if err := w.failed(); err != nil {
		return err
	}
	if w.closed {
		return w.fail(errors.New("static: Writer used after Close"))
	}
	t := w.table(table)
	if len(key) > MaxKey {
		return w.fail(fmt.Errorf("static: table %q: key of %d bytes, at most %d", table, len(key), MaxKey))
	}
	if t.any && key <= t.last {
		return w.fail(fmt.Errorf("static: table %q: key %q after %q: keys must ascend", table, key, t.last))
	}
	size := recordSize(key, value)
	if t.chunk.big(size) && t.count > 0 {
		w.flush(table, t)
	}
	prev := t.last
	if t.count == 0 {
		prev, t.first = "", key
		t.raw = w.rawBuf()
	}
	t.raw = appendRecord(t.raw, prev, key, value)
	t.count++
	t.any, t.last = true, key
	if t.chunk.add(key, size) || t.chunk.big(size) {
		w.flush(table, t)
	}
	return nil
}

// rawBuf returns an empty buffer for a pack's records, reused from a pack
// already written when there is one.
func (w *Writer) rawBuf() []byte {
	if b, ok := w.raws.Get().(*[]byte); ok {
		return (*b)[:0]
	}
	return nil
}

// flush hands the table's pending records to a goroutine that writes them
// as one pack; it waits while every processor is encoding one.
func (w *Writer) flush(table string, t *tableWriter) {
	raw, count := t.raw, t.count
	t.raw, t.count = nil, 0
	t.chunk.reset()
	ref := &PackRef{Count: count}
	if len(t.packs) > 0 {
		ref.Lo = separator(t.cut, t.first)
		t.packs[len(t.packs)-1].Hi = ref.Lo
	}
	t.cut = t.last
	t.packs = append(t.packs, ref)
	w.sem <- struct{}{}
	w.wg.Go(func() {
		defer func() { <-w.sem }()
		if err := w.encodePack(table, raw, count, ref); err != nil {
			w.fail(err)
		}
		w.raws.Put(&raw)
	})
}

// encodePack compresses count records, encoded in raw, as a pack, writes
// it and fills in ref.
func (w *Writer) encodePack(table string, raw []byte, count int, ref *PackRef) error {
	enc, _ := w.encs.Get().(*packEncoder)
	if enc == nil {
		enc = newPackEncoder(w.level)
		enc.newFlate = w.opts.NewFlate
	}
	defer w.encs.Put(enc)
	if old, ok := w.prev[table][ref.Lo]; ok && old.Count == count && w.same(old, raw) {
		ref.File, ref.Bytes = old.File, old.Bytes
		w.mu.Lock()
		defer w.mu.Unlock()
		if _, seen := w.packs[ref.File]; !seen {
			w.stats.Reused++
		}
		w.packs[ref.File] = ref.Bytes
		w.stats.TableBytes[table] += int64(ref.Bytes)
		return nil
	}
	data, err := enc.compress(raw, count)
	if err != nil {
		return err
	}
	ref.File, ref.Bytes = PackName(data), len(data)
	if err := w.writePack(ref.File, data); err != nil {
		return err
	}
	w.mu.Lock()
	w.stats.TableBytes[table] += int64(ref.Bytes)
	w.mu.Unlock()
	return nil
}

// writePack writes a pack or index file unless this write or an earlier one did.
func (w *Writer) writePack(name string, data []byte) error {
	w.mu.Lock()
	_, seen := w.packs[name]
	w.packs[name] = len(data)
	w.mu.Unlock()
	if seen {
		return nil
	}
	path := filepath.Join(w.dir, filepath.FromSlash(name))
	if n, ok := w.existing()[name]; ok && n == int64(len(data)) {
		w.mu.Lock()
		w.stats.Reused++
		w.mu.Unlock()
		return nil
	}
	if err := w.makeDir(filepath.Dir(path)); err != nil {
		return err
	}
	if err := writeNamed(path, data); err != nil {
		return err
	}
	w.mu.Lock()
	w.stats.Written += int64(len(data))
	w.mu.Unlock()
	return nil
}

// existing returns the sizes of the files the pack directory held before
// this write, listed once (a file's name says what it holds: its size
// tells a whole one).
func (w *Writer) existing() map[string]int64 {
	w.listOnce.Do(func() {
		w.listed = map[string]int64{}
		entries, _ := os.ReadDir(filepath.Join(w.dir, "p")) // none: nothing to keep
		for _, e := range entries {
			if fi, err := e.Info(); err == nil && fi.Mode().IsRegular() {
				w.listed["p/"+e.Name()] = fi.Size()
			}
		}
	})
	return w.listed
}

// makeDir creates the pack directory once.
func (w *Writer) makeDir(dir string) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.madeDir {
		return nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	w.madeDir = true
	return nil
}

// writeNamed writes a file named by the hash of its bytes in place, with
// no temporary file and rename: a file cut short by a crash has another
// size than its name's bytes, so it is neither reused (existing compares
// sizes) nor referred to by the manifest (written last, atomically), and
// the next write truncates and writes it again.
func writeNamed(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
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
	if err := w.failed(); err != nil {
		return nil, w.abort(), err
	}
	if w.closed {
		return nil, w.stats, w.fail(errors.New("static: Writer closed twice"))
	}
	w.closed = true
	for name, t := range w.tables {
		if t.count > 0 {
			w.flush(name, t)
		}
	}
	w.wg.Wait()
	if w.err != nil {
		return nil, w.stats, w.err
	}
	m, err := w.manifest()
	if err != nil {
		return nil, w.stats, w.fail(err)
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

// abort waits for the packs being written and returns the stats so far;
// the directory keeps its old manifest.
func (w *Writer) abort() WriteStats {
	w.closed = true
	w.wg.Wait()
	return w.stats
}

// manifest describes the packs written, writing the index files of the
// tables whose packs it does not list.
func (w *Writer) manifest() (*Manifest, error) {
	m := &Manifest{Version: FormatVersion, Tables: map[string]TableInfo{}}
	for name, t := range w.tables {
		info, err := w.tableInfo(name, t)
		if err != nil {
			return nil, err
		}
		m.Tables[name] = info
	}
	if w.opts.Meta != nil {
		meta, err := json.Marshal(w.opts.Meta)
		if err != nil {
			return nil, fmt.Errorf("static: WriteOptions.Meta: %w", err)
		}
		m.Meta = meta
	}
	return m, nil
}

// tableInfo describes a table written: all its packs, or an index file
// written now and the first and last packs.
func (w *Writer) tableInfo(name string, t *tableWriter) (TableInfo, error) {
	packs := make([]PackRef, 0, len(t.packs))
	info := TableInfo{Packs: len(t.packs)}
	for _, p := range t.packs {
		packs = append(packs, *p)
		info.Count += p.Count
		info.Bytes += int64(p.Bytes)
	}
	if len(packs) <= InlinePacks || slices.Contains(w.opts.Inline, name) {
		info.Inline = packs
		return info, nil
	}
	data, err := encodeIndex(packs, w.level)
	if err != nil {
		return TableInfo{}, err
	}
	info.Index, info.IndexBytes = IndexName(data), len(data)
	info.Inline = []PackRef{packs[0], packs[len(packs)-1]}
	w.stats.IndexBytes += int64(len(data))
	return info, w.writePack(info.Index, data)
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
		archived := validPackName(name) || validIndexName(name)
		if used || !(archived || strings.HasPrefix(e.Name(), ".tmp-")) {
			continue
		}
		if err := os.Remove(filepath.Join(w.dir, "p", e.Name())); err != nil {
			return err
		}
		if archived {
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
			return nil, w.abort(), err
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
			return nil, w.abort(), fmt.Errorf("static: write table %q: %w", table, err)
		}
	}
	return w.Close()
}
