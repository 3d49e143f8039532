package archive

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/broadsheet/broadsheet/app/library"
	"github.com/broadsheet/broadsheet/app/search"
	"github.com/broadsheet/broadsheet/app/store"
	"github.com/broadsheet/broadsheet/app/store/scratch"
	"github.com/broadsheet/broadsheet/app/store/static"
)

// Names of what Build writes into Options.Out.
const (
	// Dir is the archive's folder, served beside the app: a static
	// archive (manifest.json and p/*.pack).
	Dir = "archive"
	// ReportName is the build report, beside the archive folder (not in
	// it: the app never fetches it).
	ReportName = "archive-report.json"
)

// Format is the version of this builder's output; a build of another
// format (or another Generator) is not reused but written again. Format
// 2: the search index is a shipped one (search.OpenShipped).
const Format = 2

// Options say what Build reads and writes.
type Options struct {
	// Dir is the folder of article files. Hidden files and folders (.git)
	// are skipped, and so is Out when it lies inside Dir.
	Dir string
	// Out is the site's folder: the archive goes to Out/archive/, the
	// report to Out/archive-report.json.
	Out string
	// Name is the archive's name for the app; default: Dir's base name.
	Name string
	// Generator is the version of Broadsheet building (the commit or tag).
	// A previous build is reused only when it was made by the same one.
	Generator string
	// Built is the archive's date for the app. Default: $SOURCE_DATE_EPOCH
	// (seconds), else the newest saved time of its articles: never the
	// clock, so that the same files give the same bytes.
	Built time.Time
	// Workers is how many files are parsed at once; default GOMAXPROCS.
	Workers int
	// TempDir holds the build's scratch file; default os.TempDir().
	TempDir string
	// Level is the DEFLATE level of the packs, compressed by
	// github.com/klauspost/compress/flate (default 2: as fast as its level
	// 1, 1.6 times compress/flate's level 1, and about 1% smaller than
	// the latter).
	Level int
	// MemoryLimit is the soft limit of the Go runtime's memory while Build
	// runs (debug.SetMemoryLimit; default 768 MiB, or a lower limit
	// already set).
	MemoryLimit int64
	// GCPercent is the garbage collector's target percentage while Build
	// runs (debug.SetGCPercent; default 400, or a higher one already set,
	// or none when the collector is off): fewer collections, with
	// MemoryLimit the bound of the memory they let grow (the files are
	// imported on a small heap, the index built after them: at 200, 61
	// collections of a 100k build, 32 at 400).
	GCPercent int
}

// Meta is the archive's description, in the manifest's Meta.
type Meta struct {
	Name      string    `json:"name"`
	Articles  int       `json:"articles"`
	Built     time.Time `json:"built,omitzero"`
	Generator string    `json:"generator"`
	Format    int       `json:"format"`
}

// Tables returns the tables of an archive: the library's (its "original"
// table is empty: an archive keeps no original files), the search
// index's, and FilesTable.
func Tables() []string {
	return append(append(library.Tables(), search.Tables()...), FilesTable)
}

// targets are the pack sizes per table (uncompressed): search pages (16
// KB) two a pack (one a pack is 11,000 files at 100k articles; four, 2.5
// times the bytes of a cold query); the texts
// that snippets are cut from in packs of 96 KB (a page of 20 hits reads up
// to 20 of them: at 256 KB a cold search at 10k articles cost 2-4 MB, at
// 32 KB 1.1-1.5 MB but 3,300 files, ten times that at 100k); articles in
// 84 KB packs of compact records (library.CompactArticle), about 35 KB
// compressed, the articles that 128 KB of full JSON held: one is fetched
// to open an article, and one per hit shown for its snippet (the archive
// ships no second copy of the text). At 100k articles, against 256 KB
// packs of full JSON: a first search (政府) 352 KB instead of 608, 13,090
// files instead of 9,851, and the article pack index a visitor preloads
// 122 KB instead of 63; list and facet records in small packs (the first
// list page is one pack).
var targets = map[string]int{
	"article":      84 << 10,
	"search_text":  96 << 10,
	"search_pages": 32 << 10,
	"order":        32 << 10,
	"index":        32 << 10,
	"count":        32 << 10,
}

// Build parses the files of o.Dir and writes the archive into o.Out, and
// its report beside it. Files that are not articles are listed in the
// report; the error is for real failures only (a folder or file that
// cannot be read, a full disk). When o.Out already holds an archive built
// by the same Generator, only the files whose bytes changed are parsed,
// and the records and index segments of the others are kept, so that most
// pack files keep their names.
func Build(ctx context.Context, o Options) (*Report, error) {
	start := time.Now()
	o = o.withDefaults()
	if lim := debug.SetMemoryLimit(-1); lim > o.MemoryLimit {
		debug.SetMemoryLimit(o.MemoryLimit)
		defer debug.SetMemoryLimit(lim)
	}
	if pct := debug.SetGCPercent(o.GCPercent); pct < 0 || pct > o.GCPercent {
		debug.SetGCPercent(pct) // off, or higher already: left as it is
	} else {
		defer debug.SetGCPercent(pct)
	}
	b, err := open(ctx, o)
	if err != nil {
		return nil, err
	}
	b.start = start
	b.stage("opened")
	defer b.close()
	defer b.stopIndexer() // after an error: before the store is closed
	var srcs []source
	if b.reused {
		if srcs, err = walk(o.Dir, o.Out); err != nil {
			return nil, fmt.Errorf("archive: reading %s: %w", o.Dir, err)
		}
		err = b.update(ctx, srcs)
	} else {
		srcs, err = b.importAll(ctx)
	}
	if err != nil {
		return nil, err
	}
	b.stage("imported")
	if err := b.finish(ctx, srcs); err != nil {
		return nil, err
	}
	r := b.report
	r.Elapsed = time.Since(start)
	if err := r.write(filepath.Join(o.Out, ReportName)); err != nil {
		return nil, err
	}
	return r, nil
}

func (o Options) withDefaults() Options {
	if o.Name == "" {
		if abs, err := filepath.Abs(o.Dir); err == nil {
			o.Name = filepath.Base(abs)
		}
	}
	if o.Level == 0 {
		o.Level = 2
	}
	if o.MemoryLimit <= 0 {
		o.MemoryLimit = 768 << 20
	}
	if o.GCPercent <= 0 {
		o.GCPercent = 400
	}
	if o.Workers <= 0 {
		o.Workers = runtime.GOMAXPROCS(0)
	}
	if o.Built.IsZero() {
		if s, err := strconv.ParseInt(os.Getenv("SOURCE_DATE_EPOCH"), 10, 64); err == nil {
			o.Built = time.Unix(s, 0).UTC()
		}
	}
	return o
}

// builder is one build: the store (the previous archive under a scratch
// store), the library and index over it, and what it learnt of the files.
type builder struct {
	o    Options
	st   *overlay
	top  *scratch.Store // st's top: all of a new build's records
	lib  *library.Library
	ix   *search.Index
	bulk *search.Bulk // a new index's loader; nil in a rebuild
	// the table bulk put its pages in, straight into the archive's
	// writer (finish); set by the indexer's goroutine before it ends
	pagesTable string
	reused     bool
	start      time.Time
	stages     sync.Mutex         // guards report.Stages: stage is called by two goroutines
	prev       map[string]fileRec // the previous build's files
	recs       map[string]fileRec // this build's
	report     *Report
	// queue takes what importChunk sends the indexer goroutine, which
	// says in indexed how it ended, and sets indexFailed when it fails.
	queue       *spool
	indexed     chan error
	indexFailed atomic.Bool
}

// open opens the previous archive (when there is one to reuse), the
// scratch store over it, the library and the index.
func open(ctx context.Context, o Options) (*builder, error) {
	b := &builder{o: o, prev: map[string]fileRec{}, recs: map[string]fileRec{}, report: &Report{Name: o.Name, Generator: o.Generator}}
	var base store.Store = store.NewMemory(Tables()...)
	prev, err := openPrevious(ctx, filepath.Join(o.Out, Dir), o.Generator)
	if err != nil {
		return nil, err
	}
	if prev != nil {
		base, b.reused = prev, true
	}
	top, err := scratch.Open(o.TempDir, Tables()...)
	if err != nil {
		base.Close()
		return nil, fmt.Errorf("archive: %w", err)
	}
	b.st, b.top = newOverlay(base, top), top
	if b.reused {
		if err := b.readPrevious(ctx); err != nil {
			b.close()
			return nil, err
		}
	}
	zero := func() time.Time { return time.Time{} }
	if b.lib, err = library.OpenWith(ctx, b.st, library.Options{Now: zero, NoOriginals: true, Parse: safeParse}); err != nil {
		b.close()
		return nil, fmt.Errorf("archive: opening the library: %w", err)
	}
	if b.ix, err = search.OpenShipped(ctx, b.st); err != nil {
		b.close()
		return nil, fmt.Errorf("archive: opening the index: %w", err)
	}
	if !b.reused {
		// a new index: its batches tokenized on every core and merged
		// once, at the end, into one segment (finish.go)
		if b.bulk, err = b.ix.NewBulk(o.TempDir); err != nil {
			b.close()
			return nil, fmt.Errorf("archive: opening the index: %w", err)
		}
	}
	return b, nil
}

// openPrevious opens the archive in dir if it exists and was built by
// this generator in this format; else it returns nil.
func openPrevious(ctx context.Context, dir, generator string) (*static.Store, error) {
	if _, err := os.Stat(filepath.Join(dir, static.ManifestName)); errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	s, err := static.Open(ctx, static.DirFetcher(dir), static.Options{CacheBytes: 64 << 20})
	if err != nil {
		return nil, nil // unreadable: built again
	}
	var m Meta
	_, hasFiles := s.Manifest().Tables[FilesTable]
	if json.Unmarshal(s.Manifest().Meta, &m) != nil || m.Format != Format || m.Generator != generator || !hasFiles {
		s.Close()
		return nil, nil
	}
	return s, nil
}

// readPrevious reads the previous build's table of files.
func (b *builder) readPrevious(ctx context.Context) error {
	var bad error
	err := b.st.Scan(ctx, FilesTable, "", "", 0, func(k string, v []byte) bool {
		r, err := unmarshalRec(v)
		if err != nil {
			bad = fmt.Errorf("archive: previous build, file %q: %w", k, err)
			return false
		}
		b.prev[k] = r
		return true
	})
	if err == nil {
		err = bad
	}
	return err
}

// stage records the end of a stage of the build in the report.
func (b *builder) stage(name string) {
	b.stages.Lock()
	defer b.stages.Unlock()
	b.report.Stages = append(b.report.Stages, Stage{Name: name, Ended: time.Since(b.start)})
}

func (b *builder) close() {
	if b.bulk != nil {
		b.bulk.Close()
	}
	if b.st != nil {
		b.st.Close()
	}
}

// importAll imports every file, in path order, as the walk finds them: a
// first build. It returns the files found.
func (b *builder) importAll(ctx context.Context) ([]source, error) {
	ids := map[string]bool{}
	var srcs []source
	var walkErr error
	found := func(yield func(source) bool) {
		walkErr = walkSorted(b.o.Dir, b.o.Out, func(s source) bool {
			srcs = append(srcs, s)
			return yield(s)
		})
	}
	err := b.importFiles(ctx, found, func(id string) { ids[id] = true })
	b.report.Added = len(ids)
	if walkErr != nil { // the walk stopped: its error first
		return nil, fmt.Errorf("archive: reading %s: %w", b.o.Dir, walkErr)
	}
	return srcs, err
}

// update is a rebuild: it reads every file but parses only those whose
// bytes changed, deletes the articles that are gone or whose file
// changed, and imports the files that now hold an article.
func (b *builder) update(ctx context.Context, srcs []source) error {
	err := ordered(ctx, slices.Values(srcs), b.o.Workers, 8*b.o.Workers, b.check, func(s source, r checked) error {
		if r.err != nil {
			return fmt.Errorf("archive: %s: %w", s.path, r.err)
		}
		b.recs[s.path] = r.rec
		return nil
	})
	if err != nil {
		return err
	}
	before, now := winners(sortedKeys(b.prev), b.prev), winners(paths(srcs), b.recs)
	var gone []string
	var todo []source
	for _, s := range srcs {
		r := b.recs[s.path]
		if now[r.ID] != s.path {
			continue
		}
		if p, ok := before[r.ID]; ok && p == s.path && b.prev[p].Hash == r.Hash {
			continue // unchanged
		}
		todo = append(todo, s)
		if _, ok := before[r.ID]; ok {
			gone = append(gone, r.ID)
			b.report.Updated++
		} else {
			b.report.Added++
		}
	}
	for id := range before {
		if _, ok := now[id]; !ok {
			gone = append(gone, id)
			b.report.Removed++
		}
	}
	slices.Sort(gone)
	if err := b.remove(ctx, gone); err != nil {
		return err
	}
	return b.importFiles(ctx, slices.Values(todo), func(string) {})
}

// checked is a file read for a rebuild: its record, parsed again only
// when its bytes changed.
type checked struct {
	rec fileRec
	err error
}

func (b *builder) check(s source) checked {
	if s.skip != "" {
		return checked{rec: fileRec{Skip: s.skip, Size: s.size}}
	}
	buf := fileBufs.Get().(*[]byte)
	defer fileBufs.Put(buf)
	data, size, skip, err := readSource(s, *buf)
	*buf = data[:0]
	switch {
	case err != nil:
		return checked{err: err}
	case skip != "":
		return checked{rec: fileRec{Skip: skip, Size: size}}
	}
	h := fileHash(data)
	if p, ok := b.prev[s.path]; ok && p.Hash == h {
		p.Size = size
		return checked{rec: p}
	}
	a, err := safeParse(data)
	rec := recOf(h, a, err)
	rec.Size = size
	return checked{rec: rec}
}

// remove deletes articles from the library and the index.
func (b *builder) remove(ctx context.Context, ids []string) error {
	for c := range slices.Chunk(ids, 500) {
		if err := b.lib.Delete(ctx, c...); err != nil {
			return fmt.Errorf("archive: deleting articles: %w", err)
		}
	}
	if len(ids) > 0 {
		if err := b.ix.Delete(ctx, ids...); err != nil {
			return fmt.Errorf("archive: deleting from the index: %w", err)
		}
	}
	return nil
}

func paths(srcs []source) []string {
	out := make([]string, len(srcs))
	for i, s := range srcs {
		out[i] = s.path
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
