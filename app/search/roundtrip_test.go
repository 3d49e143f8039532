package search

import (
	"context"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/broadsheet/broadsheet/app/store"
)

// slowStore is a store whose reads are round trips: every Get or GetMany
// call is counted and waits delay, as an IndexedDB transaction or an
// HTTP request of a hosted archive would.
type slowStore struct {
	store.Store
	delay time.Duration
	trips atomic.Int64
}

func (s *slowStore) trip() {
	s.trips.Add(1)
	if s.delay > 0 {
		time.Sleep(s.delay)
	}
}

func (s *slowStore) Get(ctx context.Context, table, key string) ([]byte, error) {
	s.trip()
	return s.Store.Get(ctx, table, key)
}

func (s *slowStore) GetMany(ctx context.Context, table string, keys []string) ([][]byte, error) {
	s.trip()
	return s.Store.GetMany(ctx, table, keys)
}

// BenchmarkRoundTrips runs the frozen queries over a store that adds 1 ms
// to every read call: cold (the index opened afresh for each query, empty
// caches: what a reload or a hosted archive pays) and warm (the same query
// again). It reports store round trips per query, and latency.
//
//	go test -run '^$' -bench RoundTrips -benchtime 200x ./app/search
func BenchmarkRoundTrips(b *testing.B) {
	for _, s := range sizes {
		b.Run(s.name, func(b *testing.B) {
			l := library(b, s.n)
			qs := benchQueries(b)
			ctx := context.Background()
			st := &slowStore{Store: l.st, delay: time.Millisecond}
			var cold, warm []time.Duration
			var openTrips, coldTrips, warmTrips int64
			i := 0
			for b.Loop() {
				q := qs[i%len(qs)]
				i++
				t0 := time.Now()
				n0 := st.trips.Load()
				ix, err := Open(ctx, st)
				if err != nil {
					b.Fatal(err)
				}
				n1 := st.trips.Load()
				if _, err := ix.Search(ctx, q, Options{}); err != nil {
					b.Fatal(err)
				}
				n2 := st.trips.Load()
				cold = append(cold, time.Since(t0))
				t1 := time.Now()
				if _, err := ix.Search(ctx, q, Options{}); err != nil {
					b.Fatal(err)
				}
				warm = append(warm, time.Since(t1))
				openTrips += n1 - n0
				coldTrips += n2 - n1
				warmTrips += st.trips.Load() - n2
			}
			n := float64(i)
			b.ReportMetric(float64(openTrips)/n, "open-trips")
			b.ReportMetric(float64(coldTrips)/n, "cold-trips")
			b.ReportMetric(float64(warmTrips)/n, "warm-trips")
			b.ReportMetric(ms(pct(cold, 0.5)), "cold-p50-ms")
			b.ReportMetric(ms(pct(cold, 0.95)), "cold-p95-ms")
			b.ReportMetric(ms(pct(warm, 0.5)), "warm-p50-ms")
			b.ReportMetric(ms(pct(warm, 0.95)), "warm-p95-ms")
		})
	}
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// pct returns the p-quantile of ds (sorted in place).
func pct(ds []time.Duration, p float64) time.Duration {
	slices.Sort(ds)
	return ds[min(len(ds)-1, int(p*float64(len(ds))))]
}
