package static

import (
	"bytes"
	"cmp"
	"context"
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
//	"k/<hash>.pack"    an empty marker beside each kept pack
//
// The markers let Kept and Download list what is kept without reading the
// packs' bytes. A pack and its marker are written in one batch.
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
// kept one, and deletes the kept packs it does not refer to.
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
	for file := range kept {
		if _, ok := s.sizes[file]; !ok {
			b.Delete(KeepTable, file)
			b.Delete(KeepTable, markerKey(file))
		}
	}
	if err := s.opts.Keep.Write(ctx, &b); err != nil {
		return fmt.Errorf("static: keep the manifest: %w", err)
	}
	return nil
}

// Kept returns the bytes of the archive's packs kept in Options.Keep and
// the bytes of all its packs.
func (s *Store) Kept(ctx context.Context) (done, total int64, err error) {
	if s.opts.Keep == nil {
		return 0, s.total(), nil
	}
	s.waitKept()
	kept, err := s.keptFiles(ctx)
	if err != nil {
		return 0, 0, err
	}
	return s.keptBytes(kept), s.total(), nil
}

// keptBytes returns the bytes of the archive's packs among kept.
func (s *Store) keptBytes(kept map[string]bool) int64 {
	var n int64
	for file, size := range s.sizes {
		if kept[file] {
			n += int64(size)
		}
	}
	return n
}

func (s *Store) total() int64 {
	var n int64
	for _, b := range s.sizes {
		n += int64(b)
	}
	return n
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
	kept, err := s.keptFiles(ctx)
	if err != nil {
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

// downloadOrder lists every pack once: the smallest tables first (the
// library's metadata and the search index before the articles), each in
// key order, so that a download stopped half-way keeps whole tables.
func (s *Store) downloadOrder() []string {
	names := slices.Collect(maps.Keys(s.m.Tables))
	slices.SortFunc(names, func(a, b string) int {
		return cmp.Or(cmp.Compare(s.m.Tables[a].Bytes, s.m.Tables[b].Bytes), cmp.Compare(a, b))
	})
	var files []string
	seen := map[string]bool{}
	for _, name := range names {
		for _, p := range s.m.Tables[name].Packs {
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
	size := d.s.sizes[file]
	if err := checkPackBytes(file, size, data); err != nil {
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
