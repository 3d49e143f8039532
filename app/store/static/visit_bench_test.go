//go:build !(js && wasm)

package static_test

import (
	"context"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/broadsheet/broadsheet/app/archive"
	"github.com/broadsheet/broadsheet/app/archive/archivegen"
	"github.com/broadsheet/broadsheet/app/library"
	"github.com/broadsheet/broadsheet/app/search"
	"github.com/broadsheet/broadsheet/app/store/static"
	"github.com/broadsheet/broadsheet/internal/sharedtest"
)

// BenchmarkVisit builds archives of 10,000 and 100,000 articles generated
// from ../shared/corpus/dev (as app/archive's BenchmarkBuild does) and
// visits each cold through a fetcher that adds 20 ms to every file: the
// library's first page and facets, as the app draws them, a first
// search, and an article of the first page opened. It reports the manifest's and index files' bytes, and per step
// the bytes, files and round trips fetched.
func BenchmarkVisit(b *testing.B) {
	corpus := sharedtest.Need(b, "corpus", "dev")
	paras, err := archivegen.Paragraphs(corpus)
	if err != nil {
		b.Fatal(err)
	}
	for _, n := range []int{10_000, 100_000} {
		b.Run(fmt.Sprintf("%dk", n/1000), func(b *testing.B) { benchVisit(b, n, paras) })
	}
}

func benchVisit(b *testing.B, n int, paras []string) {
	src, out := b.TempDir(), b.TempDir()
	if _, err := archivegen.Write(src, n, paras, archivegen.Options{Seed: 1, Min: 5, Max: 20}); err != nil {
		b.Fatal(err)
	}
	r, err := archive.Build(context.Background(), archive.Options{Dir: src, Out: out, Generator: "bench", TempDir: b.TempDir()})
	if err != nil {
		b.Fatal(err)
	}
	dir := filepath.Join(out, archive.Dir)
	var list, preload, query, open visit
	b.ResetTimer()
	for range b.N {
		list, preload, query, open = visitOnce(b, dir)
	}
	b.StopTimer()
	manifest, indexes := archiveSizes(b, dir)
	logTables(b, dir)
	b.ReportMetric(float64(manifest), "manifest-B")
	b.ReportMetric(float64(indexes), "index-files-B")
	b.ReportMetric(r.IndexRatio, "index/text")
	b.ReportMetric(float64(r.Output.Files), "files")
	b.ReportMetric(float64(r.Output.Bytes)/1e6, "archive-MB")
	tableOf := packTables(b, dir)
	for _, v := range []struct {
		name string
		v    visit
	}{{"list", list}, {"preload", preload}, {"search", query}, {"open", open}} {
		b.ReportMetric(float64(v.v.bytes), v.name+"-B")
		b.ReportMetric(float64(v.v.rounds), v.name+"-rounds")
		names := v.v.files
		if len(names) > 8 {
			names = names[:8]
		}
		b.Logf("%s: %d files in %d round trips, %d bytes: %q", v.name, len(v.v.files), v.v.rounds, v.v.bytes, names)
		b.Logf("%s by table: %s", v.name, byTable(b, dir, v.v.files, tableOf))
	}
}

// logTables logs each table's packs and index file bytes.
func logTables(b *testing.B, dir string) {
	s, err := static.Open(context.Background(), static.DirFetcher(dir), static.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	var line []string
	for _, name := range slices.Sorted(maps.Keys(s.Manifest().Tables)) {
		t := s.Manifest().Tables[name]
		line = append(line, fmt.Sprintf("%s %d packs, index %d B", name, t.Packs, t.IndexBytes))
	}
	b.Logf("tables: %s", strings.Join(line, "; "))
}

// packTables maps each pack file of the archive to its table.
func packTables(b *testing.B, dir string) map[string]string {
	ctx := context.Background()
	s, err := static.Open(ctx, static.DirFetcher(dir), static.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	out := map[string]string{}
	for name := range s.Manifest().Tables {
		refs, err := s.Packs(ctx, name)
		if err != nil {
			b.Fatal(err)
		}
		for _, r := range refs {
			out[r.File] = name
		}
	}
	return out
}

// byTable sums the bytes and files fetched per table ("idx" for index
// files).
func byTable(b *testing.B, dir string, files []string, tableOf map[string]string) string {
	type sum struct{ files, bytes int64 }
	sums := map[string]*sum{}
	for _, f := range files {
		t, ok := tableOf[f]
		if !ok {
			t = filepath.Ext(f)
		}
		if sums[t] == nil {
			sums[t] = &sum{}
		}
		sums[t].files++
		if fi, err := os.Stat(filepath.Join(dir, f)); err == nil {
			sums[t].bytes += fi.Size()
		}
	}
	var parts []string
	for _, t := range slices.Sorted(maps.Keys(sums)) {
		parts = append(parts, fmt.Sprintf("%s %d files %d B", t, sums[t].files, sums[t].bytes))
	}
	return strings.Join(parts, "; ")
}

// archiveSizes returns the bytes of the manifest and of the index files.
func archiveSizes(b *testing.B, dir string) (manifest, indexes int64) {
	fi, err := os.Stat(filepath.Join(dir, static.ManifestName))
	if err != nil {
		b.Fatal(err)
	}
	idx, _ := filepath.Glob(filepath.Join(dir, "p", "*.idx"))
	for _, p := range idx {
		if fi, err := os.Stat(p); err == nil {
			indexes += fi.Size()
		}
	}
	return fi.Size(), indexes
}

// visitOnce opens the archive cold: the first page of the library and its
// facets (the list's packs read at once, as the app does), then a search
// in the worker's store and index, opened at the same time, and an
// article of the list's first page opened.
func visitOnce(b *testing.B, dir string) (list, preload, query, open visit) {
	ctx := context.Background()
	f := &slowFetcher{Fetcher: static.DirFetcher(dir), delay: 20 * time.Millisecond}
	s, err := static.Open(ctx, f, static.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	// The search worker's store, opened beside the page's from the
	// manifest the page fetched, reads the search tables' index files at
	// once.
	wf := &slowFetcher{Fetcher: pageManifest{static.DirFetcher(dir)}, delay: f.delay}
	ws, err := static.Open(ctx, wf, static.Options{Preload: library.HostedIndexTables()})
	if err != nil {
		b.Fatal(err)
	}
	defer ws.Close()
	// and opens the index (its manifest record) with it, as the worker
	// does when the archive is opened
	ix, err := library.HostedIndex(ctx, ws)
	if err != nil {
		b.Fatal(err)
	}
	for _, t := range library.FirstPageTables() {
		go s.Scan(ctx, t, "", "", 1, func(string, []byte) bool { return false })
	}
	l, err := library.Open(ctx, s)
	if err != nil {
		b.Fatal(err)
	}
	items, _, err := l.List(ctx, library.Query{})
	if err != nil || len(items) == 0 {
		b.Fatalf("List = %d items, %v", len(items), err)
	}
	if _, err := l.Facets(ctx); err != nil {
		b.Fatal(err)
	}
	list = f.take()
	time.Sleep(5 * f.delay) // the preloads end while the list is drawn
	preload = wf.take()
	if r, err := ix.Search(ctx, "政府", search.Options{}); err != nil || len(r.Hits) == 0 {
		b.Fatalf("Search = %v, %v", r, err)
	}
	query = wf.take()
	if _, err := l.Get(ctx, items[len(items)/2].ID); err != nil {
		b.Fatal(err)
	}
	return list, preload, query, f.take()
}

// pageManifest reads the manifest without delay or record: the worker
// reads the one the page kept.
type pageManifest struct{ static.Fetcher }

// visit is what a step of a visit fetched.
type visit struct {
	files  []string
	bytes  int64
	rounds int
}

// slowFetcher delays every fetch and records what it fetched when.
type slowFetcher struct {
	static.Fetcher
	delay time.Duration
	mu    sync.Mutex
	got   visit
	spans [][2]time.Time
}

func (f *slowFetcher) Fetch(ctx context.Context, name string) ([]byte, error) {
	start := time.Now()
	if _, ok := f.Fetcher.(pageManifest); !ok || name != static.ManifestName {
		time.Sleep(f.delay)
	}
	data, err := f.Fetcher.Fetch(ctx, name)
	if name == static.ManifestName {
		if _, ok := f.Fetcher.(pageManifest); ok {
			return data, err
		}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.got.files = append(f.got.files, name)
	f.got.bytes += int64(len(data))
	f.spans = append(f.spans, [2]time.Time{start, time.Now()})
	return data, err
}

// take returns what was fetched since the last call, with its round
// trips: fetches that start after the first of the round ended begin a
// new one.
func (f *slowFetcher) take() visit {
	f.mu.Lock()
	defer f.mu.Unlock()
	v := f.got
	slices.SortFunc(f.spans, func(a, b [2]time.Time) int { return a[0].Compare(b[0]) })
	var firstEnd time.Time
	for _, s := range f.spans {
		if v.rounds == 0 || s[0].After(firstEnd) {
			v.rounds++
			firstEnd = s[1]
		} else if s[1].Before(firstEnd) {
			firstEnd = s[1]
		}
	}
	f.got, f.spans = visit{}, nil
	return v
}
