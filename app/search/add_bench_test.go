//go:build unix

package search

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/broadsheet/broadsheet/app/store"
)

// BenchmarkAdd indexes synthetic libraries (see synthetic) into a new
// index over a memory store, merges as they come: Add of 1,000
// documents at a time, or with ADDBENCH_BYTES=N of N bytes of text or
// more, as the browser's worker does (6,000,000: its flushBytes; it
// indexed adds of 1,000 before). Run it with -cpu 1 for the worker's
// one thread. It reports MB of text per CPU second and per
// second, index bytes per text byte, and the share of the index's bytes
// in each section of its segments (term tables, docs, positions, doc
// tables), and logs the peak heap.
//
//	go test -run '^$' -bench Add/10k -benchtime 1x -cpu 1 ./app/search
func BenchmarkAdd(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		b.Run(fmt.Sprintf("%dk", n/1000), func(b *testing.B) { benchAdd(b, n) })
	}
}

func benchAdd(b *testing.B, n int) {
	docs := synthetic(b, n)
	size := textBytes(docs)
	ctx := context.Background()
	var cpu, wall time.Duration
	var ix *Index
	var peak uint64
	b.ResetTimer()
	for range b.N {
		runtime.GC()
		ix = nil
		st := store.NewMemory(Tables()...)
		c0, t0 := processCPU(), time.Now()
		var err error
		if ix, err = Open(ctx, st); err != nil {
			b.Fatal(err)
		}
		for _, batch := range addBatches(docs) {
			if os.Getenv("ADDBENCH_REOPEN") != "" { // as the worker does before each write
				if ix, err = Open(ctx, st); err != nil {
					b.Fatal(err)
				}
			}
			if err := ix.Add(ctx, batch...); err != nil {
				b.Fatal(err)
			}
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapAlloc)
		}
		cpu, wall = cpu+processCPU()-c0, wall+time.Since(t0)
	}
	b.StopTimer()
	per := float64(b.N)
	b.SetBytes(int64(size))
	b.ReportMetric(float64(size)/1e6/(cpu.Seconds()/per), "MB/cpu-s")
	s := ix.Stats()
	b.ReportMetric(float64(s.IndexBytes)/float64(s.TextBytes), "index/text")
	var terms, lists, pos, dt int
	for _, m := range ix.man.Segs {
		h, err := decodeHeader(m.Header)
		if err != nil {
			b.Fatal(err)
		}
		t, d, p, x := h.sections() // a merge's sections are laid out in another order
		terms, lists, pos, dt = terms+t, lists+d, pos+p, dt+x
	}
	for _, x := range []struct {
		name  string
		bytes int
	}{{"terms", terms}, {"docs", lists}, {"pos", pos}, {"doctable", dt}} {
		b.ReportMetric(float64(x.bytes)/float64(s.TextBytes), x.name+"/text")
	}
	b.Logf("%d docs, %.1f MB of text, %d segments; peak heap %.0f MB; wall %.2f MB/s; last build: %v", len(docs), float64(size)/1e6, s.Segments, float64(peak)/(1<<20), float64(size)/1e6/(wall.Seconds()/per), ix.BuildTimes())
}

// addBatches cuts docs into BenchmarkAdd's adds: of 1,000 documents, or
// of $ADDBENCH_BYTES bytes of text or more.
func addBatches(docs []Doc) [][]Doc {
	limit, _ := strconv.Atoi(os.Getenv("ADDBENCH_BYTES"))
	var out [][]Doc
	from, size := 0, 0
	for i, d := range docs {
		size += len(d.Title) + len(d.Text)
		if limit > 0 && size >= limit || limit <= 0 && i+1-from == 1000 || i == len(docs)-1 {
			out = append(out, docs[from:i+1])
			from, size = i+1, 0
		}
	}
	return out
}
