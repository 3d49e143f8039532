//go:build !(js && wasm)

package static

import (
	"fmt"
	"math/rand/v2"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/broadsheet/broadsheet/app/ghpages"
	"github.com/broadsheet/broadsheet/app/store"
	"github.com/broadsheet/broadsheet/internal/sharedtest"
)

var (
	corpusOnce sync.Once
	corpus     [][]byte
	corpusErr  error
)

// loadCorpus reads the files of ../shared/corpus/dev once; it skips (or,
// under CI, fails) when they are missing.
func loadCorpus(b *testing.B) [][]byte {
	dir := sharedtest.Need(b, "corpus", "dev")
	corpusOnce.Do(func() {
		names, err := filepath.Glob(filepath.Join(dir, "*"))
		if err != nil {
			corpusErr = err
			return
		}
		for _, n := range names {
			data, err := os.ReadFile(n)
			if err != nil {
				corpusErr = err
				return
			}
			corpus = append(corpus, data)
		}
	})
	if corpusErr != nil {
		b.Fatal(corpusErr)
	}
	return corpus
}

// corpusKey is the key of the i-th record of a benchmark table.
func corpusKey(i int) string { return fmt.Sprintf("article/%08d", i) }

// corpusArchive writes the corpus files as one table "t" (key corpusKey)
// into an archive and a Memory store, once per benchmark.
func corpusArchive(b *testing.B) (dir string, mem *store.Memory, n int, size int64) {
	files := loadCorpus(b)
	dir = b.TempDir()
	mem = store.NewMemory("t")
	w := NewWriter(dir, WriteOptions{})
	var batch store.Batch
	for i, data := range files {
		if err := w.Add("t", corpusKey(i), data); err != nil {
			b.Fatal(err)
		}
		batch.Put("t", corpusKey(i), data)
		size += int64(len(data))
	}
	if _, _, err := w.Close(); err != nil {
		b.Fatal(err)
	}
	if err := mem.Write(ctx, &batch); err != nil {
		b.Fatal(err)
	}
	return dir, mem, len(files), size
}

// benchStore is one store a benchmark reads.
type benchStore struct {
	name string
	s    store.Store
}

// benchStores are the archive in dir opened cold (no decoded-pack cache:
// every read fetches, checks and decodes its pack) and warm (the table
// fits in the cache), and mem, the same records in store.Memory, as the
// baseline.
func benchStores(b *testing.B, dir string, mem store.Store) []benchStore {
	return []benchStore{
		{"cold", openDir(b, dir, Options{CacheBytes: 1})},
		{"warm", openDir(b, dir, Options{CacheBytes: 256 << 20})},
		{"memory", mem},
	}
}

// BenchmarkGet reads random articles: cold (no decoded-pack cache: every
// Get reads, checks and decodes its pack from disk), warm (the table fits
// in the cache), and store.Memory as the baseline.
func BenchmarkGet(b *testing.B) {
	dir, mem, n, _ := corpusArchive(b)
	for _, c := range benchStores(b, dir, mem) {
		b.Run(c.name, func(b *testing.B) {
			if err := c.s.Scan(ctx, "t", "", "", 0, func(string, []byte) bool { return true }); err != nil {
				b.Fatal(err) // warms the cache of the warm store
			}
			r := rand.New(rand.NewPCG(1, 1))
			for b.Loop() {
				if _, err := c.s.Get(ctx, "t", corpusKey(r.IntN(n))); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkScan scans the whole table, cold and warm, beside store.Memory.
func BenchmarkScan(b *testing.B) {
	dir, mem, n, size := corpusArchive(b)
	for _, c := range benchStores(b, dir, mem) {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(size)
			if err := c.s.Scan(ctx, "t", "", "", 0, func(string, []byte) bool { return true }); err != nil {
				b.Fatal(err) // warms the cache of the warm store
			}
			for b.Loop() {
				seen := 0
				if err := c.s.Scan(ctx, "t", "", "", 0, func(string, []byte) bool { seen++; return true }); err != nil || seen != n {
					b.Fatalf("Scan = %d records, %v, want %d", seen, err, n)
				}
			}
		})
	}
}

// writeBytes is how much a BenchmarkWrite iteration writes.
const writeBytes = 100 << 20

// BenchmarkWrite writes 100 MB of records (the corpus files, repeated under
// new keys) as an archive, at the default flate level and at BestSpeed,
// beside store.Memory taking the same records in batches of 1,000.
func BenchmarkWrite(b *testing.B) {
	files := loadCorpus(b)
	each := func(fn func(i int, data []byte) error) error {
		total := 0
		for i := 0; total < writeBytes; i++ {
			data := files[i%len(files)]
			total += len(data)
			if err := fn(i, data); err != nil {
				return err
			}
		}
		return nil
	}
	for _, level := range []int{0, 1} {
		b.Run(fmt.Sprint("static/level", level), func(b *testing.B) {
			b.SetBytes(writeBytes)
			var st WriteStats
			for b.Loop() {
				w := NewWriter(b.TempDir(), WriteOptions{Level: level})
				if err := each(func(i int, data []byte) error { return w.Add("t", corpusKey(i), data) }); err != nil {
					b.Fatal(err)
				}
				var err error
				if _, st, err = w.Close(); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(st.Files), "files")
			b.ReportMetric(float64(st.Bytes)/writeBytes, "ratio")
		})
	}
	// The same records written again over the archive (a rebuild where
	// nothing changed): no pack is compressed again.
	b.Run("static/rewrite", func(b *testing.B) {
		dir := b.TempDir()
		write := func() WriteStats {
			w := NewWriter(dir, WriteOptions{Level: 1})
			if err := each(func(i int, data []byte) error { return w.Add("t", corpusKey(i), data) }); err != nil {
				b.Fatal(err)
			}
			_, st, err := w.Close()
			if err != nil {
				b.Fatal(err)
			}
			return st
		}
		write()
		b.SetBytes(writeBytes)
		var st WriteStats
		for b.Loop() {
			st = write()
		}
		b.ReportMetric(float64(st.Reused), "reused")
	})
	b.Run("memory", func(b *testing.B) {
		b.SetBytes(writeBytes)
		for b.Loop() {
			mem := store.NewMemory("t")
			var batch store.Batch
			err := each(func(i int, data []byte) error {
				batch.Put("t", corpusKey(i), data)
				if len(batch.Ops) < 1000 {
					return nil
				}
				err := mem.Write(ctx, &batch)
				batch = store.Batch{}
				return err
			})
			if err == nil {
				err = mem.Write(ctx, &batch)
			}
			if err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkGetManyHTTP reads 20 random articles cold, through HTTPFetcher
// from a Pages-like server on loopback that waits 50 ms before each
// response: the packs are fetched in one parallel round, so an operation
// takes about one latency ("rounds").
func BenchmarkGetManyHTTP(b *testing.B) {
	const latency = 50 * time.Millisecond
	dir, _, n, _ := corpusArchive(b)
	srv := httptest.NewServer(ghpages.New(dir, "/", ghpages.Options{Latency: latency}))
	defer srv.Close()
	f := HTTPFetcher(srv.URL, nil)
	r := rand.New(rand.NewPCG(1, 1))
	keys := make([]string, 20)
	var elapsed time.Duration
	for b.Loop() {
		s, err := Open(ctx, f, Options{})
		if err != nil {
			b.Fatal(err)
		}
		for i := range keys {
			keys[i] = corpusKey(r.IntN(n))
		}
		start := time.Now()
		if _, err := s.GetMany(ctx, "t", keys); err != nil {
			b.Fatal(err)
		}
		elapsed += time.Since(start)
		s.Close()
	}
	b.ReportMetric(float64(elapsed)/float64(b.N)/float64(latency), "rounds")
}
