package search

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/broadsheet/broadsheet/app/store"
)

// pageBytes is a store that counts the bytes of the index pages read
// from it, and the calls that read them (a hosted archive's round trips).
type pageBytes struct {
	store.Store
	n, trips atomic.Int64
}

func (s *pageBytes) Get(ctx context.Context, table, key string) ([]byte, error) {
	v, err := s.Store.Get(ctx, table, key)
	if table == tablePages {
		s.n.Add(int64(len(v)))
		s.trips.Add(1)
	}
	return v, err
}

func (s *pageBytes) GetMany(ctx context.Context, table string, keys []string) ([][]byte, error) {
	vs, err := s.Store.GetMany(ctx, table, keys)
	if table == tablePages {
		for _, v := range vs {
			s.n.Add(int64(len(v)))
		}
		s.trips.Add(1)
	}
	return vs, err
}

// BenchmarkShippedQuery builds a shipped index (a hosted archive's) of
// each synthetic library, one segment, and runs the frozen queries over
// it: cold, the index opened afresh for each query (a visitor's first
// search: it reports the KB of pages read per query, the mean and the
// most, and the reads of pages, round trips to a visitor) and warm, the same index again (latency percentiles). Texts come
// from memory (a hosted archive reads them from its articles).
//
//	go test -run '^$' -bench ShippedQuery -benchtime 1000x ./app/search
func BenchmarkShippedQuery(b *testing.B) {
	for _, s := range sizes {
		b.Run(s.name, func(b *testing.B) {
			ctx := context.Background()
			docs := synthetic(b, s.n)
			texts := textsOf(docs)
			ix, mem := newShipped(b, docs, 5000)
			if err := ix.Compact(ctx); err != nil {
				b.Fatal(err)
			}
			st := ix.Stats()
			b.Logf("%s: index/text %.4f (pages, uncompressed)", s.name, float64(st.IndexBytes)/float64(st.TextBytes))
			qs := benchQueries(b)
			var cold []time.Duration
			var bytes, trips, most int64
			for _, q := range qs {
				// a store of its own: an index opened on the store of
				// another takes its caches (cache.go)
				counted := &pageBytes{Store: mem}
				t0 := time.Now()
				cix, err := Open(ctx, counted)
				if err != nil {
					b.Fatal(err)
				}
				cix.UseTexts(texts)
				if _, err := cix.Search(ctx, q, Options{Limit: 20}); err != nil {
					b.Fatalf("%s: %v", q, err)
				}
				cold = append(cold, time.Since(t0))
				bytes, trips = bytes+counted.n.Load(), trips+counted.trips.Load()
				most = max(most, counted.n.Load())
			}
			ix.UseTexts(texts)
			for _, q := range qs { // warm the caches
				if _, err := ix.Search(ctx, q, Options{Limit: 20}); err != nil {
					b.Fatal(err)
				}
			}
			var lat []time.Duration
			i := 0
			b.ResetTimer()
			for b.Loop() {
				q := qs[i%len(qs)]
				i++
				t0 := time.Now()
				if _, err := ix.Search(ctx, q, Options{Limit: 20}); err != nil {
					b.Fatal(err)
				}
				lat = append(lat, time.Since(t0))
			}
			b.StopTimer()
			reportPercentiles(b, lat)
			b.ReportMetric(float64(bytes)/float64(len(qs))/1e3, "cold-KB/query")
			b.ReportMetric(float64(most)/1e3, "cold-max-KB")
			b.ReportMetric(float64(trips)/float64(len(qs)), "cold-trips/query")
			b.ReportMetric(meanMs(cold), "cold-mean-ms")
		})
	}
}

// meanMs is the mean of ds in milliseconds.
func meanMs(ds []time.Duration) float64 {
	var sum time.Duration
	for _, d := range ds {
		sum += d
	}
	return float64(sum.Microseconds()) / 1000 / float64(max(len(ds), 1))
}
