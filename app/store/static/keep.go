package static

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"

	"github.com/broadsheet/broadsheet/app/store"
)

// KeepTable is the table of Options.Keep that holds an archive for
// offline reading:
//
//	"manifest.json"    the last manifest fetched
//	"p/<hash>.pack"    a pack's bytes
//	"p/<hash>.idx"     an index file's bytes
//	"k/<hash>.pack"    an empty marker beside each kept pack (and
//	"k/<hash>.idx"     each kept index file)
//
// The markers let Kept and Download list what is kept without reading the
// files' bytes. A file and its marker are written in one batch.
const KeepTable = "static_packs"

// markerKey returns the key of the marker of a kept pack file.
func markerKey(file string) string { return "k/" + strings.TrimPrefix(file, "p/") }

// keepPack stores a pack's bytes and its marker in Keep.
func (s *Store) keepPack(ctx context.Context, file string, data []byte) error {
	var b store.Batch
	b.Put(KeepTable, file, data)
	b.Put(KeepTable, markerKey(file), []byte{})
	b.Relaxed = true
	return s.opts.Keep.Write(ctx, &b)
}

// unkeep deletes a pack from Keep, best effort.
func (s *Store) unkeep(ctx context.Context, file string) {
	var b store.Batch
	b.Delete(KeepTable, file)
	b.Delete(KeepTable, markerKey(file))
	s.opts.Keep.Write(ctx, &b)
}

// keptFiles returns the pack files Keep holds.
func (s *Store) keptFiles(ctx context.Context) (map[string]bool, error) {
	files := map[string]bool{}
	err := s.opts.Keep.Scan(ctx, KeepTable, "k/", "k0", 0, func(key string, _ []byte) bool {
		files["p/"+strings.TrimPrefix(key, "k/")] = true
		return true
	})
	return files, err
}

// keepManifest stores a fetched manifest in Keep when it differs from the
// kept one. The kept files it does not refer to are then deleted in the
// background (see cleanKept).
func (s *Store) keepManifest(ctx context.Context, data []byte) error {
	old, err := s.opts.Keep.Get(ctx, KeepTable, ManifestName)
	if err == nil && bytes.Equal(old, data) {
		return nil
	}
	kept, err := s.keptFiles(ctx)
	if err != nil {
		return fmt.Errorf("static: kept packs: %w", err)
	}
	var b store.Batch
	b.Put(KeepTable, ManifestName, data)
	if err := s.opts.Keep.Write(ctx, &b); err != nil {
		return fmt.Errorf("static: keep the manifest: %w", err)
	}
	if len(s.unreferenced(kept)) > 0 {
		s.inBackground(func() { s.cleanKept(context.WithoutCancel(ctx), kept, old) })
	}
	return nil
}

// cleanKept deletes the kept files the archive no longer refers to, best
// effort. Which table a kept file belonged to is known from the old
// manifest and its kept index files; only those tables' new index files
// are read (kept or fetched). Files of no known table are left to
// Download, which reads every index.
func (s *Store) cleanKept(ctx context.Context, kept map[string]bool, oldManifest []byte) {
	owner := s.oldOwners(ctx, oldManifest)
	need := map[string]bool{}
	for _, file := range s.unreferenced(kept) {
		if t := s.tables[owner[file]]; t != nil && t.known() == nil {
			need[t.name] = true
		}
	}
	var wg sync.WaitGroup
	for name := range need {
		wg.Go(func() { s.index(ctx, s.tables[name]) })
	}
	wg.Wait()
	var gone []string
	for _, file := range s.unreferenced(kept) {
		name, ok := owner[file]
		if t := s.tables[name]; ok && (t == nil || t.known() != nil) {
			gone = append(gone, file)
		}
	}
	s.deleteKept(ctx, gone)
}

// oldOwners maps the files of an earlier manifest, as far as it and the
// index files kept tell, to their tables.
func (s *Store) oldOwners(ctx context.Context, data []byte) map[string]string {
	owner := map[string]string{}
	m, err := parseManifest(data)
	if err != nil {
		return owner
	}
	for name, t := range m.Tables {
		packs := t.Inline
		if t.Index != "" {
			owner[t.Index] = name
			if data, err := s.opts.Keep.Get(ctx, KeepTable, t.Index); err == nil {
				if all, err := decodeIndex(t, data); err == nil {
					packs = all
				}
			}
		}
		for _, p := range packs {
			owner[p.File] = name
		}
	}
	return owner
}

// deleteKept deletes files and their markers from Keep, best effort.
func (s *Store) deleteKept(ctx context.Context, files []string) {
	if len(files) == 0 {
		return
	}
	var b store.Batch
	for _, file := range files {
		b.Delete(KeepTable, file)
		b.Delete(KeepTable, markerKey(file))
	}
	s.opts.Keep.Write(ctx, &b)
}

// unreferenced returns the files of kept the archive does not refer to, as
// far as the indexes read so far tell.
func (s *Store) unreferenced(kept map[string]bool) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for file := range kept {
		if _, ok := s.sizes[file]; !ok {
			out = append(out, file)
		}
	}
	return out
}

// allIndexes reads the index file of every table, in parallel, with read.
func (s *Store) allIndexes(ctx context.Context, read func(context.Context, string, func([]byte) error) ([]byte, error)) error {
	var wg sync.WaitGroup
	errs := make([]error, 0, len(s.tables))
	var mu sync.Mutex
	for _, t := range s.tables {
		wg.Go(func() {
			if _, err := s.indexFrom(ctx, t, read); err != nil {
				mu.Lock()
				errs = append(errs, err)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}

// readKept reads an archive file from Keep only.
func (s *Store) readKept(ctx context.Context, file string, check func([]byte) error) ([]byte, error) {
	data, err := s.opts.Keep.Get(ctx, KeepTable, file)
	if err != nil {
		return nil, err
	}
	return data, check(data)
}

// Kept returns the bytes of the archive's files (packs and index files)
// kept in Options.Keep and the bytes of all of them.
func (s *Store) Kept(ctx context.Context) (done, total int64, err error) {
	if s.opts.Keep == nil {
		return 0, s.total(), nil
	}
	s.waitKept()
	s.allIndexes(ctx, s.readKept) // the packs of a table are kept only after its index
	kept, err := s.keptFiles(ctx)
	if err != nil {
		return 0, 0, err
	}
	return s.keptBytes(kept), s.total(), nil
}

// keptBytes returns the bytes of the archive's files among kept.
func (s *Store) keptBytes(kept map[string]bool) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	var n int64
	for file, size := range s.sizes {
		if kept[file] {
			n += int64(size)
		}
	}
	return n
}

// total returns the bytes of the archive's files: exactly once every
// index is read, else adding up the tables (a pack two tables share
// counted twice).
func (s *Store) total() int64 {
	var n, known int64
	all := true
	for _, t := range s.tables {
		n += t.info.Bytes + int64(t.info.IndexBytes)
		all = all && t.known() != nil
	}
	if !all {
		return n
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, b := range s.sizes {
		known += int64(b)
	}
	return known
}

// inBackground runs fn on a goroutine that Close, Kept and Download wait
// for.
func (s *Store) inBackground(fn func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return
	}
	s.keeping++
	go func() {
		fn()
		s.mu.Lock()
		defer s.mu.Unlock()
		if s.keeping--; s.keeping == 0 {
			s.kept.Broadcast()
		}
	}()
}

// downloaders is how many packs Download fetches at once.
const downloaders = 4

// Download fetches every pack not yet kept into Options.Keep, smallest
// tables first, calling progress (when not nil) with the bytes kept so far
// and in all, after each pack; the values never decrease. Cancel it with ctx and call it
// again to resume: packs kept stay kept. A pack whose fetch completes is
// kept even when ctx ends meanwhile.
func (s *Store) Download(ctx context.Context, progress func(done, total int64)) error {
	if s.opts.Keep == nil {
		return fmt.Errorf("static: Download needs Options.Keep")
	}
	s.waitKept()
	if err := s.allIndexes(ctx, s.readFile); err != nil {
		return err
	}
	kept, err := s.keptFiles(ctx)
	if err != nil {
		return err
	}
	s.deleteKept(ctx, s.unreferenced(kept)) // every index read: what is left is of no table
	if err := s.keepIndexes(ctx, kept); err != nil {
		return err
	}
	done, total := s.keptBytes(kept), s.total()
	if progress == nil {
		progress = func(int64, int64) {}
	}
	progress(done, total)
	var todo []string
	for _, file := range s.downloadOrder() {
		if !kept[file] {
			todo = append(todo, file)
		}
	}
	d := &download{s: s, todo: todo, done: done, total: total, progress: progress}
	return d.run(ctx)
}

// keepIndexes keeps the index files read but not kept, and adds them to
// kept.
func (s *Store) keepIndexes(ctx context.Context, kept map[string]bool) error {
	for _, t := range s.tables {
		t.mu.Lock()
		raw := t.raw
		t.mu.Unlock()
		if raw != nil && !kept[t.info.Index] {
			if err := s.keepPack(ctx, t.info.Index, raw); err != nil {
				return fmt.Errorf("static: keep %s: %w", t.info.Index, err)
			}
			kept[t.info.Index] = true
		}
	}
	return nil
}

// downloadOrder lists every pack once: the smallest tables first (the
// library's metadata and the search index before the articles), each in
// key order, so that a download stopped half-way keeps whole tables.
func (s *Store) downloadOrder() []string {
	names := slices.Collect(maps.Keys(s.tables))
	slices.SortFunc(names, func(a, b string) int {
		return cmp.Or(cmp.Compare(s.tables[a].info.Bytes, s.tables[b].info.Bytes), cmp.Compare(a, b))
	})
	var files []string
	seen := map[string]bool{}
	for _, name := range names {
		for _, p := range s.tables[name].known() {
			if !seen[p.File] {
				seen[p.File] = true
				files = append(files, p.File)
			}
		}
	}
	return files
}

// download is one run of Download.
type download struct {
	s        *Store
	todo     []string
	mu       sync.Mutex
	next     int
	done     int64
	total    int64
	progress func(done, total int64)
	err      error
}

func (d *download) run(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	for range downloaders {
		wg.Go(func() {
			for file, ok := d.take(ctx); ok; file, ok = d.take(ctx) {
				if err := d.one(ctx, file); err != nil {
					d.fail(err)
					cancel()
					return
				}
			}
		})
	}
	wg.Wait()
	if d.err != nil {
		return d.err
	}
	return ctx.Err()
}

// take returns the next pack to fetch, unless ctx ended or none is left.
func (d *download) take(ctx context.Context) (string, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if ctx.Err() != nil || d.next == len(d.todo) {
		return "", false
	}
	d.next++
	return d.todo[d.next-1], true
}

// one fetches, checks and keeps one pack.
func (d *download) one(ctx context.Context, file string) error {
	data, err := d.s.f.Fetch(ctx, file)
	if err != nil {
		if ctx.Err() != nil {
			return nil // cancelled: run returns ctx's error
		}
		return fmt.Errorf("static: download %s: %w", file, err)
	}
	d.s.mu.Lock()
	size := d.s.sizes[file]
	d.s.mu.Unlock()
	if err := checkFileBytes(file, size, data); err != nil {
		return err
	}
	if err := d.s.keepPack(context.WithoutCancel(ctx), file, data); err != nil {
		return fmt.Errorf("static: keep %s: %w", file, err)
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	d.done += int64(size)
	d.progress(d.done, d.total)
	return nil
}

func (d *download) fail(err error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.err == nil {
		d.err = err
	}
}
