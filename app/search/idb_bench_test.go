//go:build js && wasm

package search

import (
	"context"
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/broadsheet/broadsheet/app/store"
	"github.com/broadsheet/broadsheet/app/store/indexeddb"
)

// The engine over IndexedDB in Chromium (the worker's setting, without
// the worker): run with
//
//	GOOS=js GOARCH=wasm go test -run '^$' -bench IndexedDB -benchtime 1x \
//	  -exec="env -u GOOS -u GOARCH go tool -modfile=$PWD/tools/go.mod wasmbrowsertest" ./app/search
//
// (add -cpuprofile cpu.prof for a profile of the wasm). The store calls
// are timed apart, so that the time in IndexedDB and across the
// JavaScript boundary shows beside the engine's own.

// timedStore times the calls of a store.
type timedStore struct {
	store.Store
	get, getMany, write, scan time.Duration
	n                         map[string]int
	bytes                     map[string]int
}

func newTimedStore(s store.Store) *timedStore {
	return &timedStore{Store: s, n: map[string]int{}, bytes: map[string]int{}}
}

func (s *timedStore) Get(ctx context.Context, table, key string) ([]byte, error) {
	t := time.Now()
	v, err := s.Store.Get(ctx, table, key)
	s.get += time.Since(t)
	s.n["get"]++
	s.bytes["get"] += len(v)
	return v, err
}

func (s *timedStore) GetMany(ctx context.Context, table string, keys []string) ([][]byte, error) {
	t := time.Now()
	vs, err := s.Store.GetMany(ctx, table, keys)
	s.getMany += time.Since(t)
	s.n["getMany"]++
	s.n["getMany keys"] += len(keys)
	for _, v := range vs {
		s.bytes["getMany"] += len(v)
	}
	return vs, err
}

func (s *timedStore) Write(ctx context.Context, b *store.Batch) error {
	t := time.Now()
	err := s.Store.Write(ctx, b)
	s.write += time.Since(t)
	s.n["write"]++
	s.n["write ops"] += len(b.Ops)
	for _, op := range b.Ops {
		s.bytes["write"] += len(op.Value)
	}
	return err
}

func (s *timedStore) Scan(ctx context.Context, table, start, end string, limit int, fn func(string, []byte) bool) error {
	t := time.Now()
	err := s.Store.Scan(ctx, table, start, end, limit, fn)
	s.scan += time.Since(t)
	s.n["scan"]++
	return err
}

func (s *timedStore) reset() {
	s.get, s.getMany, s.write, s.scan = 0, 0, 0, 0
	clear(s.n)
	clear(s.bytes)
}

func (s *timedStore) String() string {
	return fmt.Sprintf("store: get %v, getMany %v, write %v, scan %v; counts %v; bytes %v",
		s.get.Round(time.Millisecond), s.getMany.Round(time.Millisecond), s.write.Round(time.Millisecond), s.scan.Round(time.Millisecond), s.n, s.bytes)
}

var idbBenchCount int

// BenchmarkIndexedDB builds a synthetic library of 10,000 documents into
// a new IndexedDB database in adds of 1,000, reopens it and runs the
// frozen queries twice (latency from the second pass): the index keeping
// the texts (/kept), or reading them from elsewhere (/elsewhere:
// TextsFrom, as the app's worker does; here from memory).
func BenchmarkIndexedDB(b *testing.B) {
	docs := synthetic(b, 10_000)
	qs := benchQueries(b)
	b.Run("kept", func(b *testing.B) { benchIndexedDB(b, docs, qs, nil) })
	byID := make(map[string]*Doc, len(docs))
	for i := range docs {
		byID[docs[i].ID] = &docs[i]
	}
	b.Run("elsewhere", func(b *testing.B) {
		benchIndexedDB(b, docs, qs, func(_ context.Context, ids []string) ([]*Doc, error) {
			out := make([]*Doc, len(ids))
			for i, id := range ids {
				out[i] = byID[id]
			}
			return out, nil
		})
	})
}

// benchIndexedDB is BenchmarkIndexedDB with the texts read from src (nil:
// kept by the index).
func benchIndexedDB(b *testing.B, docs []Doc, qs []string, src Texts) {
	ctx := context.Background()
	for b.Loop() {
		idbBenchCount++
		name := fmt.Sprintf("broadsheet-search-bench-%d", idbBenchCount)
		raw, err := indexeddb.Open(ctx, name, Tables())
		if err != nil {
			b.Fatal(err)
		}
		st := newTimedStore(raw)
		t0 := time.Now()
		ix, err := Open(ctx, st)
		if err != nil {
			b.Fatal(err)
		}
		if src != nil {
			ix.TextsFrom(src)
		}
		for i := 0; i < len(docs); i += 1000 {
			if err := ix.Add(ctx, docs[i:min(i+1000, len(docs))]...); err != nil {
				b.Fatal(err)
			}
		}
		build := time.Since(t0)
		b.Logf("build: %v, %.2f MB/s; %v", build.Round(time.Millisecond), float64(textBytes(docs))/1e6/build.Seconds(), st)
		b.Logf("build split: %v", ix.BuildTimes())
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		b.Logf("memory: heap %.0f MB, sys %.0f MB, %d collections, %v paused", float64(ms.HeapAlloc)/(1<<20), float64(ms.Sys)/(1<<20), ms.NumGC, time.Duration(ms.PauseTotalNs).Round(time.Millisecond))
		b.ReportMetric(float64(textBytes(docs))/1e6/build.Seconds(), "build-MB/s")

		raw.Close() // a reload: the database opened again, the index cold
		t0 = time.Now()
		if raw, err = indexeddb.Open(ctx, name, Tables()); err != nil {
			b.Fatal(err)
		}
		st = newTimedStore(raw)
		ix, err = Open(ctx, st)
		if err != nil {
			b.Fatal(err)
		}
		if src != nil {
			ix.TextsFrom(src)
		}
		opened := time.Since(t0)
		if _, err := ix.Search(ctx, qs[0], Options{}); err != nil {
			b.Fatal(err)
		}
		first := time.Since(t0)
		b.Logf("reopen: open %v, open+first query %v; %v", opened, first, st)
		b.ReportMetric(float64(first.Microseconds())/1000, "reopen-ms")

		for pass := range 2 {
			st.reset()
			var lat []time.Duration
			t0 = time.Now()
			for _, q := range qs {
				t := time.Now()
				if _, err := ix.Search(ctx, q, Options{}); err != nil {
					b.Fatal(err)
				}
				lat = append(lat, time.Since(t))
			}
			b.Logf("queries pass %d: %d in %v; %v", pass, len(qs), time.Since(t0).Round(time.Millisecond), st)
			if pass == 1 {
				reportPercentiles(b, lat)
			}
		}
		raw.Close()
		indexeddb.Delete(ctx, name)
	}
}
