package search

import (
	"context"
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/broadsheet/broadsheet/app/store"
)

// Benchmarks over synthetic libraries built at run time from the corpus:
// each document takes a corpus title and as many paragraphs, drawn at
// random from the whole corpus, as some corpus article has (so sizes are
// real). Nothing of the corpus is written anywhere.
//
//	go test -run '^$' -bench . -benchtime 1x ./app/search      (build)
//	go test -run '^$' -bench 'Query|Scan|Reopen' ./app/search  (latency)

func synthetic(tb testing.TB, n int) []Doc {
	src := loadCorpus(tb)
	rng := rand.New(rand.NewPCG(uint64(n), 5))
	var paras []string
	for _, d := range src {
		paras = append(paras, strings.Split(d.Text, "\n")...)
	}
	base := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	out := make([]Doc, n)
	for i := range out {
		like := src[rng.IntN(len(src))]
		k := max(1, strings.Count(like.Text, "\n")+1)
		ps := make([]string, k)
		for j := range ps {
			ps[j] = paras[rng.IntN(len(paras))]
		}
		out[i] = Doc{
			ID: fmt.Sprintf("syn/%06d", i), Title: like.Title, Text: strings.Join(ps, "\n"),
			Source: like.Source, Authors: like.Authors,
			Date: base.Add(time.Duration(rng.IntN(5*365*24)) * time.Hour),
		}
	}
	return out
}

func textBytes(docs []Doc) int {
	n := 0
	for _, d := range docs {
		n += len(d.Title) + len(d.Text)
	}
	return n
}

type built struct {
	docs []Doc
	st   *store.Memory
	ix   *Index
}

var (
	builtMu sync.Mutex
	builtBy = map[int]*built{}
)

// library returns a synthetic library of n documents, indexed once per
// test binary in batches of 1,000 (as an import would).
func library(b *testing.B, n int) *built {
	builtMu.Lock()
	defer builtMu.Unlock()
	if l, ok := builtBy[n]; ok {
		return l
	}
	docs := synthetic(b, n)
	st := store.NewMemory(Tables()...)
	var before runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	t0 := time.Now()
	ix := buildIndex(b, st, docs)
	el := time.Since(t0)
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	s := ix.Stats()
	b.Logf("library %d: built in %v, %.2f MB/s, index/text %.3f, %d segments, %.0f MB allocated",
		n, el.Round(time.Millisecond), float64(textBytes(docs))/1e6/el.Seconds(),
		float64(s.IndexBytes)/float64(s.TextBytes), s.Segments, float64(after.TotalAlloc-before.TotalAlloc)/(1<<20))
	l := &built{docs, st, ix}
	builtBy[n] = l
	return l
}

func buildIndex(b *testing.B, st store.Store, docs []Doc) *Index {
	ctx := context.Background()
	ix, err := Open(ctx, st)
	if err != nil {
		b.Fatal(err)
	}
	for i := 0; i < len(docs); i += 1000 {
		if err := ix.Add(ctx, docs[i:min(i+1000, len(docs))]...); err != nil {
			b.Fatal(err)
		}
	}
	return ix
}

func benchQueries(b *testing.B) []string {
	var qs []string
	for _, q := range readQueries(&testing.T{}) {
		qs = append(qs, q.text)
	}
	if len(qs) == 0 {
		b.Fatal("no queries")
	}
	return qs
}

var sizes = []struct {
	name string
	n    int
}{{"10k", 10_000}, {"100k", 100_000}}

// BenchmarkBuild indexes a synthetic library from scratch into a memory
// store: MB/s of title and text, index bytes per text byte, peak heap.
func BenchmarkBuild(b *testing.B) {
	for _, s := range sizes {
		b.Run(s.name, func(b *testing.B) {
			docs := synthetic(b, s.n)
			b.SetBytes(int64(textBytes(docs)))
			var st Stats
			var trips int64
			for b.Loop() {
				ss := &slowStore{Store: store.NewMemory(Tables()...)}
				ix := buildIndex(b, ss, docs)
				st, trips = ix.Stats(), ss.trips.Load()
			}
			b.ReportMetric(float64(st.IndexBytes)/float64(st.TextBytes), "index/text")
			b.ReportMetric(float64(trips)/float64(s.n/1000), "reads/1k-docs")
			b.ReportMetric(float64(st.Segments), "segments")
		})
	}
}

// BenchmarkFoldBaseline is the same-run floor for BenchmarkBuild: one
// pass of Normalize over the same texts (MB/s).
func BenchmarkFoldBaseline(b *testing.B) {
	docs := synthetic(b, 10_000)
	b.SetBytes(int64(textBytes(docs)))
	for b.Loop() {
		for _, d := range docs {
			_ = Normalize(d.Title)
			_ = Normalize(d.Text)
		}
	}
}

// BenchmarkQuery runs the frozen queries round robin against a built
// library (first page of 20 hits with snippets) and reports latency
// percentiles.
func BenchmarkQuery(b *testing.B) {
	for _, s := range sizes {
		b.Run(s.name, func(b *testing.B) {
			l := library(b, s.n)
			qs := benchQueries(b)
			ctx := context.Background()
			var lat []time.Duration
			i := 0
			for b.Loop() {
				t0 := time.Now()
				if _, err := l.ix.Search(ctx, qs[i%len(qs)], Options{}); err != nil {
					b.Fatal(err)
				}
				lat = append(lat, time.Since(t0))
				i++
			}
			reportPercentiles(b, lat)
			var ms runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&ms)
			b.ReportMetric(float64(ms.HeapInuse)/(1<<20), "heapMB")
			b.ReportMetric(float64(l.ix.cache.size)/(1<<20), "cacheMB")
			bc := l.ix.blocks
			b.ReportMetric(float64(bc.size)/(1<<20), "blocksMB")
			b.ReportMetric(100*float64(bc.hits)/float64(max(bc.hits+bc.misses, 1)), "block-hit%")
		})
	}
}

// BenchmarkEngine is BenchmarkQuery without the page of hits: finding,
// scoring and counting every match (what SEARCH.md calls the engine).
func BenchmarkEngine(b *testing.B) {
	for _, s := range sizes {
		b.Run(s.name, func(b *testing.B) {
			l := library(b, s.n)
			qs := benchQueries(b)
			ctx := context.Background()
			var lat []time.Duration
			i := 0
			for b.Loop() {
				q := ParseQuery(qs[i%len(qs)])
				t0 := time.Now()
				l.ix.mu.Lock()
				_, err := l.ix.rank(ctx, &q, ByRelevance, 20)
				l.ix.mu.Unlock()
				if err != nil {
					b.Fatal(err)
				}
				lat = append(lat, time.Since(t0))
				i++
			}
			reportPercentiles(b, lat)
		})
	}
}

// BenchmarkScanBaseline is the same-run baseline: a plain substring scan
// of the folded texts for each query's parts (no index, no ranking).
func BenchmarkScanBaseline(b *testing.B) {
	for _, s := range sizes {
		b.Run(s.name, func(b *testing.B) {
			l := library(b, s.n)
			folded := make([]string, len(l.docs))
			for i, d := range l.docs {
				folded[i] = Normalize(d.Title + "\n" + d.Text)
			}
			qs := benchQueries(b)
			var lat []time.Duration
			i := 0
			for b.Loop() {
				parts := strings.Fields(Normalize(qs[i%len(qs)]))
				t0 := time.Now()
				n := 0
				for _, f := range folded {
					ok := true
					for _, p := range parts {
						ok = ok && strings.Contains(f, p)
					}
					if ok {
						n++
					}
				}
				lat = append(lat, time.Since(t0))
				i++
			}
			reportPercentiles(b, lat)
		})
	}
}

// BenchmarkReopen opens the stored index afresh and runs one query: the
// cost of the first query after a reload, and the store reads it takes.
func BenchmarkReopen(b *testing.B) {
	for _, s := range sizes {
		b.Run(s.name, func(b *testing.B) {
			l := library(b, s.n)
			ctx := context.Background()
			qs := benchQueries(b)
			reads, i := 0, 0
			for b.Loop() {
				// a store of its own: an index reopened on the same store
				// would take the caches of the last
				ix, err := Open(ctx, &reopened{l.st})
				if err != nil {
					b.Fatal(err)
				}
				if _, err := ix.Search(ctx, qs[i%len(qs)], Options{}); err != nil {
					b.Fatal(err)
				}
				reads += ix.Stats().Reads
				i++
			}
			b.ReportMetric(float64(reads)/float64(i), "reads/op")
		})
	}
}

// reopened is a store seen as another, for a cold reopen.
type reopened struct{ store.Store }

func reportPercentiles(b *testing.B, lat []time.Duration) {
	slices.Sort(lat)
	at := func(p float64) float64 {
		return float64(lat[min(len(lat)-1, int(p*float64(len(lat))))].Microseconds()) / 1000
	}
	b.ReportMetric(at(0.50), "p50-ms")
	b.ReportMetric(at(0.95), "p95-ms")
	b.ReportMetric(at(0.99), "p99-ms")
}

// BenchmarkCorpus indexes the real corpus (about 1,900 articles) and runs
// the frozen queries through the engine: small enough to run as wasm
// under Node for a wasm/native ratio.
func BenchmarkCorpus(b *testing.B) {
	docs := loadCorpus(b)
	qs := benchQueries(b)
	ctx := context.Background()
	var ix *Index
	b.Run("build", func(b *testing.B) {
		b.SetBytes(int64(textBytes(docs)))
		for b.Loop() {
			ix = buildIndex(b, store.NewMemory(Tables()...), docs)
		}
	})
	built := func(b *testing.B) *Index { // when -bench leaves "build" out
		if ix == nil {
			ix = buildIndex(b, store.NewMemory(Tables()...), docs)
			b.ResetTimer()
		}
		return ix
	}
	b.Run("engine", func(b *testing.B) {
		ix := built(b)
		var lat []time.Duration
		for b.Loop() { // one pass over every query
			for _, s := range qs {
				q := ParseQuery(s)
				t0 := time.Now()
				if _, err := ix.rank(ctx, &q, ByRelevance, 20); err != nil {
					b.Fatal(err)
				}
				lat = append(lat, time.Since(t0))
			}
		}
		reportPercentiles(b, lat)
	})
	b.Run("query", func(b *testing.B) {
		ix := built(b)
		var lat []time.Duration
		for b.Loop() { // one pass over every query, first page with snippets
			for _, s := range qs {
				t0 := time.Now()
				if _, err := ix.Search(ctx, s, Options{}); err != nil {
					b.Fatal(err)
				}
				lat = append(lat, time.Since(t0))
			}
		}
		reportPercentiles(b, lat)
	})
}
