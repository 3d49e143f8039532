package archive

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"sync"

	"github.com/broadsheet/broadsheet/app/search"
	"github.com/broadsheet/broadsheet/app/store"
	"github.com/broadsheet/broadsheet/app/store/static"
	kflate "github.com/klauspost/compress/flate"
)

// finish records the files, writes the archive and fills in the report.
// The index is built (a new archive's), merged and stored meanwhile
// (finishIndex), from the start: while the files are recorded on one
// core, and then while the library's tables are compressed. A new
// index's pages go straight into the archive's writer (search.Bulk's
// PagesTo), from the indexer's goroutine, not through the scratch store.
func (b *builder) finish(ctx context.Context, srcs []source) error {
	ctx, cancel := context.WithCancel(ctx)
	meta := new(Meta) // filled in below, before the writer's Close marshals it
	w := static.NewWriter(filepath.Join(b.o.Out, Dir), static.WriteOptions{Target: targets, Meta: meta, Level: b.o.Level, NewFlate: newFlate})
	if b.bulk != nil {
		b.bulk.PagesTo(func(table, key string, page []byte) error {
			b.pagesTable = table
			return w.Add(table, key, page)
		})
	}
	indexed := make(chan error, 1)
	go func() { indexed <- b.finishIndex(ctx) }()
	var once sync.Once
	var ierr error
	waitIndex := func() error {
		once.Do(func() { ierr = <-indexed })
		return ierr
	}
	defer func() {
		cancel() // after a failure: the index is not needed
		waitIndex()
	}()
	if err := b.writeFiles(ctx, srcs); err != nil {
		return err
	}
	b.stage("files recorded")
	now := winners(paths(srcs), b.recs)
	n, err := b.lib.Count(ctx)
	if err != nil {
		return fmt.Errorf("archive: %w", err)
	}
	r := b.report
	r.Reused, r.Files, r.Articles = b.reused, len(srcs), n
	r.Built = b.o.Built
	for _, s := range srcs {
		rec := b.recs[s.path]
		r.InputBytes += rec.Size
		switch {
		case rec.Skip != "":
			r.Skipped = append(r.Skipped, Skipped{Path: s.path, Reason: rec.Skip, Error: rec.Err})
			if rec.Err != "" {
				r.ParserErrors++
			}
		case now[rec.ID] != s.path:
			r.Skipped = append(r.Skipped, Skipped{Path: s.path, Reason: fmt.Sprintf("the same article as %s (the newer copy is kept)", now[rec.ID])})
		default:
			r.TextBytes += int64(rec.Text)
			if b.o.Built.IsZero() && rec.Saved.After(r.Built) {
				r.Built = rec.Saved
			}
		}
	}
	*meta = Meta{Name: b.o.Name, Articles: n, Built: r.Built, Generator: b.o.Generator, Format: Format}
	st, err := b.write(ctx, w, waitIndex)
	if err != nil {
		return fmt.Errorf("archive: writing %s: %w", filepath.Join(b.o.Out, Dir), err)
	}
	r.Output = Output{Files: st.Files, Bytes: st.Bytes, Reused: st.Reused, Written: st.Written, Deleted: st.Deleted, Tables: st.TableBytes}
	for _, t := range search.Tables() {
		r.IndexBytes += st.TableBytes[t]
	}
	if r.TextBytes > 0 {
		r.IndexRatio = float64(r.IndexBytes) / float64(r.TextBytes)
	}
	return nil
}

// write writes the archive with w: the library's tables while the index
// is built and merged, then, once waitIndex says it is, the index's (its
// text table empty, its pages written already when the indexer put them
// in w).
func (b *builder) write(ctx context.Context, w *static.Writer, waitIndex func() error) (static.WriteStats, error) {
	idx := search.Tables()
	var err error
	for _, t := range heavyFirst(Tables()) {
		if !slices.Contains(idx, t) && err == nil {
			err = copyTable(ctx, w, b.scan(), t)
		}
	}
	b.stage("library tables")
	if ierr := waitIndex(); err == nil {
		err = ierr
	}
	if err != nil {
		return static.WriteStats{}, err
	}
	for _, t := range idx {
		if t == b.pagesTable {
			continue // in w already
		}
		if t == search.TextTable {
			// empty: the app reads the hits' texts from the articles
			// (library.HostedIndex), so the text is shipped once
			if err := w.AddTable(t); err != nil {
				return static.WriteStats{}, err
			}
			continue
		}
		if err := copyTable(ctx, w, b.scan(), t); err != nil {
			return static.WriteStats{}, err
		}
	}
	b.stage("index tables")
	_, st, err := w.Close()
	b.stage("closed")
	return st, err
}

// heavyFirst puts the articles' table first: its packs are most of the
// compression, which keeps every core busy while the indexer ends its
// last batches, where a table of small records (ids, order) is paced by
// the one goroutine that scans it. The order of the tables changes no
// byte of the archive.
func heavyFirst(tables []string) []string {
	const articles = "article" // library's table of articles, as in targets
	out := []string{articles}
	for _, t := range tables {
		if t != articles {
			out = append(out, t)
		}
	}
	return out
}

// finishIndex waits for the indexer of a rebuild, or builds a new
// archive's index (indexOrdered).
func (b *builder) finishIndex(ctx context.Context) error {
	if b.bulk != nil {
		// one segment: a visitor's query reads one term table and one
		// list per term (a rebuild adds segments, keeping the files of
		// the ones that did not change)
		err := b.indexOrdered(ctx)
		if serr := b.stopIndexer(); err == nil {
			err = serr
		}
		if err == nil {
			b.stage("compacted")
		}
		return err
	}
	if err := b.stopIndexer(); err != nil {
		return err
	}
	b.stage("indexed")
	return nil
}

// newFlate makes the packs' compressors: klauspost/compress's DEFLATE,
// which compresses them in about 60% of the time compress/flate takes.
func newFlate(w io.Writer, level int) (static.FlateWriter, error) {
	return kflate.NewWriter(w, level)
}

// scanFunc is a store's Scan.
type scanFunc func(ctx context.Context, table, start, end string, limit int, fn func(key string, value []byte) bool) error

// scan returns how copyTable reads the records: a new build's are all in
// the scratch store, which reads them into one buffer (ScanNoCopy: the
// writer copies them); a rebuild's through the overlay.
func (b *builder) scan() scanFunc {
	if b.reused {
		return b.st.Scan
	}
	return b.top.ScanNoCopy
}

// copyTable adds every record of table, read by scan, to w.
func copyTable(ctx context.Context, w *static.Writer, scan scanFunc, table string) error {
	if err := w.AddTable(table); err != nil {
		return err
	}
	var addErr error
	err := scan(ctx, table, "", "", 0, func(k string, v []byte) bool {
		addErr = w.Add(table, k, v)
		return addErr == nil
	})
	if err == nil {
		err = addErr
	}
	return err
}

// writeFiles stores the changed records of FilesTable.
func (b *builder) writeFiles(ctx context.Context, srcs []source) error {
	var batch store.Batch
	flush := func(force bool) error {
		if len(batch.Ops) == 0 || (!force && len(batch.Ops) < 4096) {
			return nil
		}
		err := b.st.Write(ctx, &batch)
		batch = store.Batch{}
		return err
	}
	seen := make(map[string]bool, len(srcs))
	for _, s := range srcs {
		seen[s.path] = true
		v := b.recs[s.path].marshal()
		if old, ok := b.prev[s.path]; !ok || !bytes.Equal(old.marshal(), v) {
			batch.Put(FilesTable, s.path, v)
		}
		if err := flush(false); err != nil {
			return err
		}
	}
	for _, p := range sortedKeys(b.prev) {
		if !seen[p] {
			batch.Delete(FilesTable, p)
		}
	}
	if err := flush(true); err != nil {
		return fmt.Errorf("archive: %w", err)
	}
	return nil
}
