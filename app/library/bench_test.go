package library

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/broadsheet/broadsheet/app/store"
	"github.com/broadsheet/broadsheet/internal/sharedtest"
	"github.com/broadsheet/broadsheet/parser"
)

// readCorpus returns up to n files of the real corpus.
func readCorpus(b *testing.B, n int) []File {
	b.Helper()
	corpusDir := sharedtest.Need(b, "corpus", "dev")
	paths, _ := filepath.Glob(filepath.Join(corpusDir, "*"))
	if len(paths) == 0 {
		b.Fatalf("no files in %s", corpusDir)
	}
	slices.Sort(paths)
	var files []File
	for _, p := range paths[:min(n, len(paths))] {
		data, err := os.ReadFile(p)
		if err != nil {
			b.Fatal(err)
		}
		files = append(files, File{Name: filepath.Base(p), Data: data, Modified: time.Unix(1600000000, 0)})
	}
	return files
}

// BenchmarkImport imports 1,000 real articles into an empty in-memory
// library, 50 files per call as the app does: MB/s and articles/s.
func BenchmarkImport(b *testing.B) {
	files := readCorpus(b, 1000)
	size := 0
	for _, f := range files {
		size += len(f.Data)
	}
	b.SetBytes(int64(size))
	added := 0
	for b.Loop() {
		l := openLibrary(b, store.NewMemory(Tables()...), parser.Parse)
		added = 0
		for chunk := range slices.Chunk(files, 50) {
			for _, r := range importOK(b, l, chunk...) {
				if r.Status == Added {
					added++
				}
			}
		}
	}
	b.ReportMetric(float64(len(files))*float64(b.N)/b.Elapsed().Seconds(), "files/s")
	b.ReportMetric(float64(added), "added")
}

var big struct {
	once sync.Once
	l    *Library
	arts []art
}

// bigLibrary returns a library of 100,000 articles (parsed from JSON).
func bigLibrary(b *testing.B) *Library {
	big.once.Do(func() {
		big.arts = corpus(100_000)
		big.l, _ = newJSONLibrary(b)
		importArts(b, big.l, big.arts)
	})
	return big.l
}

// BenchmarkList lists pages of a library of 100,000 articles.
func BenchmarkList(b *testing.B) {
	l := bigLibrary(b)
	for _, q := range []Query{
		{},
		{Offset: 1000},
		{Offset: 50_000},
		{Year: 2021},
		{Source: "Wire"},
		{Source: "Wire", Year: 2020, Offset: 100},
		{Author: "Bo", Source: "晨报"},
		{After: afterID(b, l, Query{Offset: 50_000, Limit: 1})},
		{Source: "Wire", After: afterID(b, l, Query{Source: "Wire", Offset: 10_000, Limit: 1})},
	} {
		b.Run(fmt.Sprintf("%+v", q), func(b *testing.B) {
			for b.Loop() {
				items, _, err := l.List(ctx, q)
				if err != nil || len(items) != DefaultLimit {
					b.Fatalf("List(%+v) = %d items, %v", q, len(items), err)
				}
			}
		})
	}
}

// afterID returns the id of the first article of q.
func afterID(b *testing.B, l *Library, q Query) string {
	items, _, err := l.List(ctx, q)
	if err != nil || len(items) == 0 {
		b.Fatalf("List(%+v) = %v", q, err)
	}
	return items[0].ID
}

func BenchmarkFacets(b *testing.B) {
	l := bigLibrary(b)
	for b.Loop() {
		if _, err := l.Facets(ctx); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkNeighbors(b *testing.B) {
	l := bigLibrary(b)
	id := big.arts[len(big.arts)/2].id
	for b.Loop() {
		if _, _, err := l.Neighbors(ctx, id); err != nil {
			b.Fatal(err)
		}
	}
}
