//go:build js && wasm

package indexeddb

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/broadsheet/broadsheet/app/library"
	"github.com/broadsheet/broadsheet/app/store"
	"github.com/broadsheet/broadsheet/parser"
)

var benchCount int

// openBench opens a new database for a benchmark.
func openBench(b *testing.B, tables []string) *Store {
	b.Helper()
	benchCount++
	name := fmt.Sprintf("broadsheet-bench-%d", benchCount)
	s, err := Open(ctx, name, tables)
	if err != nil {
		b.Fatalf("Open = %v", err)
	}
	b.Cleanup(func() { s.Close(); Delete(ctx, name) })
	return s
}

// BenchmarkWrite puts 1,000 records of 10 KB in one Write.
func BenchmarkWrite(b *testing.B) {
	for _, relaxed := range []bool{false, true} {
		b.Run(fmt.Sprintf("relaxed=%v", relaxed), func(b *testing.B) {
			s := openBench(b, []string{"a"})
			value := make([]byte, 10<<10)
			b.SetBytes(1000 * int64(len(value)))
			i := 0
			for b.Loop() {
				batch := store.Batch{Relaxed: relaxed}
				for range 1000 {
					i++
					batch.Put("a", fmt.Sprintf("k%08d", i), value)
				}
				if err := s.Write(ctx, &batch); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkScan reads 10,000 records of 1 KB.
func BenchmarkScan(b *testing.B) {
	s := openBench(b, []string{"a"})
	var batch store.Batch
	for i := range 10000 {
		batch.Put("a", fmt.Sprintf("k%08d", i), make([]byte, 1<<10))
	}
	if err := s.Write(ctx, &batch); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(10000 << 10)
	for b.Loop() {
		n := 0
		if err := s.Scan(ctx, "a", "", "", 0, func(string, []byte) bool { n++; return true }); err != nil || n != 10000 {
			b.Fatalf("Scan = %d, %v", n, err)
		}
	}
}

// corpus returns up to n files of the real corpus beside the checkout.
func corpus(b *testing.B, n int) []library.File {
	b.Helper()
	dir := filepath.Join("..", "..", "..", "..", "shared", "corpus", "dev")
	entries, err := os.ReadDir(dir)
	if err != nil || len(entries) == 0 {
		if os.Getenv("CI") == "true" {
			b.Fatalf("corpus %s: %v", dir, err)
		}
		b.Skipf("corpus %s: %v", dir, err)
	}
	var files []library.File
	for _, e := range entries[:min(n, len(entries))] {
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			b.Fatal(err)
		}
		files = append(files, library.File{Name: e.Name(), Data: data, Modified: time.Unix(1600000000, 0)})
	}
	return files
}

// BenchmarkLibraryImport imports 1,000 real articles into a library on
// IndexedDB, 50 files per call as the app does.
func BenchmarkLibraryImport(b *testing.B) {
	files := corpus(b, 1000)
	size := 0
	for _, f := range files {
		size += len(f.Data)
	}
	b.SetBytes(int64(size))
	start := time.Now()
	for _, f := range files {
		parser.Parse(f.Data)
	}
	parse := time.Since(start)
	for b.Loop() {
		l, err := library.Open(ctx, openBench(b, library.Tables()))
		if err != nil {
			b.Fatal(err)
		}
		for chunk := range slices.Chunk(files, 50) {
			if _, err := l.Import(ctx, chunk); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(len(files))*float64(b.N)/b.Elapsed().Seconds(), "files/s")
	b.ReportMetric(parse.Seconds(), "parse-s") // parsing alone, once
}

var big struct {
	once sync.Once
	l    *library.Library
	err  error
	took time.Duration
}

// bigSize is the number of articles of the List benchmark's library.
var bigSize = flag.Int("library-size", 20_000, "articles in the library of BenchmarkLibraryList")

// bigLibrary returns a library of bigSize small made-up articles on
// IndexedDB, built once.
func bigLibrary(b *testing.B) *library.Library {
	big.once.Do(func() {
		start := time.Now()
		s := openBench(b, library.Tables())
		if big.l, big.err = library.Open(ctx, s); big.err != nil {
			return
		}
		sources := []string{"morning", "evening", "harbor", "wire"}
		for i := 0; i < *bigSize && big.err == nil; i += 500 {
			var files []library.File
			for j := i; j < min(i+500, *bigSize); j++ {
				d := time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(j*7919%(10*365*24)) * time.Hour)
				text := fmt.Sprintf("[第%d号新闻](https://%s.example.com/news/%d)\n---\n\n<address>记者%d</address><time pudate=%q></time><section><p>正文%d。</p></section>\n",
					j, sources[j%4], j, j%97, d.Format("2006-01-02 15:04:05"), j)
				files = append(files, library.File{Name: fmt.Sprint(j, ".md"), Data: []byte(text)})
			}
			_, big.err = big.l.Import(ctx, files)
		}
		big.took = time.Since(start)
	})
	if big.err != nil {
		b.Fatal(big.err)
	}
	return big.l
}

func year(s string) int {
	y, _ := strconv.Atoi(s)
	return y
}

// BenchmarkLibraryList lists pages of a library of bigSize articles on
// IndexedDB.
func BenchmarkLibraryList(b *testing.B) {
	l := bigLibrary(b)
	b.Logf("built %d articles in %v", *bigSize, big.took)
	if n, err := l.Count(ctx); err != nil || n != *bigSize {
		b.Fatalf("Count = %d, %v, want %d", n, err, *bigSize)
	}
	mid, _, err := l.List(ctx, library.Query{Offset: *bigSize / 2, Limit: 1})
	if err != nil || len(mid) != 1 {
		b.Fatalf("List(middle) = %v", err)
	}
	f, err := l.Facets(ctx)
	if err != nil || len(f.Sources) == 0 {
		b.Fatalf("Facets = %+v, %v", f, err)
	}
	for _, q := range []library.Query{
		{},
		{Offset: 1000},
		{After: mid[0].ID},
		{Year: year(f.Years[0].Value)},
		{Source: f.Sources[0].Value},
		{Author: f.Authors[0].Value},
	} {
		b.Run(fmt.Sprintf("%+v", q), func(b *testing.B) {
			for b.Loop() {
				if items, _, err := l.List(ctx, q); err != nil || len(items) == 0 {
					b.Fatalf("List(%+v) = %d items, %v", q, len(items), err)
				}
			}
		})
	}
	b.Run("Facets", func(b *testing.B) {
		for b.Loop() {
			if _, err := l.Facets(ctx); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkValueSize writes 16 MB of values of one size in one relaxed
// Write and reads them back in one GetMany: Chromium keeps a value of 64
// KB or more (serialized) in a blob file of its own, not in its database.
func BenchmarkValueSize(b *testing.B) {
	for _, size := range []int{16 << 10, 32 << 10, 60 << 10, 64<<10 - 64, 64 << 10, 128 << 10} {
		b.Run(fmt.Sprintf("%dB", size), func(b *testing.B) {
			s := openBench(b, []string{"a"})
			value := make([]byte, size)
			for i := range value {
				value[i] = byte(i * 7)
			}
			n := (16 << 20) / size
			keys := make([]string, n)
			for i := range keys {
				keys[i] = fmt.Sprintf("k%08d", i)
			}
			var write, read time.Duration
			for b.Loop() {
				batch := store.Batch{Relaxed: true}
				for _, k := range keys {
					batch.Put("a", k, value)
				}
				t := time.Now()
				if err := s.Write(ctx, &batch); err != nil {
					b.Fatal(err)
				}
				write += time.Since(t)
				t = time.Now()
				vs, err := s.GetMany(ctx, "a", keys)
				if err != nil || len(vs) != n {
					b.Fatal(err)
				}
				read += time.Since(t)
			}
			mb := float64(n*size) / 1e6 * float64(b.N)
			b.ReportMetric(mb/write.Seconds(), "write-MB/s")
			b.ReportMetric(mb/read.Seconds(), "read-MB/s")
		})
	}
}

// BenchmarkOpCost splits the cost of 1,000 puts of 1 KB and of a GetMany
// of them: queueing the requests (from Go, calls across the boundary, or
// by putBatch) against waiting for the browser.
func BenchmarkOpCost(b *testing.B) {
	b.Cleanup(func() { setBatchCalls(false) })
	for _, mode := range []string{"go", "putBatch"} {
		b.Run(mode, func(b *testing.B) {
			setBatchCalls(mode == "putBatch")
			benchOpCost(b)
		})
	}
}

func benchOpCost(b *testing.B) {
	s := openBench(b, []string{"a"})
	value := make([]byte, 1<<10)
	keys := make([]string, 1000)
	for i := range keys {
		keys[i] = fmt.Sprintf("k%08d", i)
	}
	var queued, committed, got time.Duration
	for b.Loop() {
		batch := store.Batch{Relaxed: true}
		for _, k := range keys {
			batch.Put("a", k, value)
		}
		t := time.Now()
		tx, err := s.transaction("readwrite", true, "a")
		if err != nil {
			b.Fatal(err)
		}
		if err := queue(tx, batch.Ops); err != nil {
			b.Fatal(err)
		}
		queued += time.Since(t)
		t = time.Now()
		if err := awaitTx(ctx, tx); err != nil {
			b.Fatal(err)
		}
		committed += time.Since(t)
		t = time.Now()
		if _, err := s.GetMany(ctx, "a", keys); err != nil {
			b.Fatal(err)
		}
		got += time.Since(t)
	}
	n := float64(b.N * len(keys))
	b.ReportMetric(float64(queued.Microseconds())/n, "queue-µs/put")
	b.ReportMetric(float64(committed.Microseconds())/n, "commit-µs/put")
	b.ReportMetric(float64(got.Microseconds())/n, "getmany-µs/get")
}
