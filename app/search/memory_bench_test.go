//go:build !js

package search

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"runtime/pprof"
	"syscall"
	"testing"
	"time"
	"unsafe"

	"github.com/broadsheet/broadsheet/app/store/scratch"
)

// BenchmarkWorkerMemory is the native twin of the search worker's
// memory: a synthetic library of 10,000 (or 100,000) documents indexed
// in adds of 6 MB of text (as the worker flushes them: searchworker's
// flushBytes, ~3,000 documents) at the worker's GOGC of 50 into a
// store kept out of the Go heap (a scratch file, as IndexedDB is out of
// the wasm heap), the index preloaded and the frozen queries searched.
// It reports the heap's peak (the Go runtime in wasm never gives memory
// back: its peak is the worker's memory) and the live heap after each
// stage. WORKERMEM_PROFILE=DIR writes a heap profile after each stage.
//
//	go test -run '^$' -bench WorkerMemory/10k -benchtime 1x ./app/search
func BenchmarkWorkerMemory(b *testing.B) {
	for _, s := range sizes {
		b.Run(s.name, func(b *testing.B) { workerMemory(b, s.n) })
	}
}

func workerMemory(b *testing.B, n int) {
	defer debug.SetGCPercent(debug.SetGCPercent(50))
	docs := offHeap(b, synthetic(b, n))
	qs := benchQueries(b)
	ctx := context.Background()
	for b.Loop() {
		st, err := scratch.Open(b.TempDir(), Tables()...)
		if err != nil {
			b.Fatal(err)
		}
		runtime.GC()
		base := heapSys()
		memStage(b, "start", base)
		stop := watchPeak(b)
		ix, err := Open(ctx, st)
		if err != nil {
			b.Fatal(err)
		}
		ix.MergeGCPercent(20) // as the search worker's merges (mergeGOGC)
		for i, size := 0, 0; i < len(docs); {
			j := i
			for size = 0; j < len(docs) && size < flushBytes; j++ {
				size += len(docs[j].Title) + len(docs[j].Text)
			}
			if err := ix.Add(ctx, docs[i:j]...); err != nil {
				b.Fatal(err)
			}
			i = j
		}
		stop()
		memStage(b, "build", base)
		ix, err = Open(ctx, &reopened{st})
		if err != nil {
			b.Fatal(err)
		}
		if err := ix.Preload(ctx); err != nil {
			b.Fatal(err)
		}
		memStage(b, "reopen+preload", base)
		for _, q := range qs {
			if _, err := ix.Search(ctx, q, Options{}); err != nil {
				b.Fatal(err)
			}
		}
		memStage(b, "queries", base)
		st.Close()
	}
}

// flushBytes is the text of the search worker's adds (searchworker's
// flushBytes).
const flushBytes = 6_000_000

// memStage logs the heap's peak so far (above base) and the live heap,
// and writes a heap profile when WORKERMEM_PROFILE names a directory.
func memStage(b *testing.B, stage string, base uint64) {
	peak := heapSys() - base
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	b.Logf("%s: heap peak %.1f MB, live %.1f MB", stage, float64(peak)/1e6, float64(ms.HeapAlloc)/1e6)
	b.ReportMetric(float64(peak)/1e6, stage+"-peak-MB")
	b.ReportMetric(float64(ms.HeapAlloc)/1e6, stage+"-live-MB")
	if dir := os.Getenv("WORKERMEM_PROFILE"); dir != "" {
		f, err := os.Create(fmt.Sprintf("%s/heap-%s.pprof", dir, stage))
		if err != nil {
			b.Fatal(err)
		}
		defer f.Close()
		if err := pprof.Lookup("heap").WriteTo(f, 0); err != nil {
			b.Fatal(err)
		}
	}
}

// heapSys is the memory the heap took from the system (kept when
// released: its peak).
func heapSys() uint64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/released:bytes"}, {Name: "/memory/classes/total:bytes"}}
	metrics.Read(s)
	return s[1].Value.Uint64()
}

// offHeap moves the titles and texts of docs out of the Go heap (into
// an anonymous mapping), so that they do not count in the heap's goal:
// in the worker, only the documents of the add being flushed are in it.
func offHeap(b *testing.B, docs []Doc) []Doc {
	n := textBytes(docs)
	mem, err := syscall.Mmap(-1, 0, n, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { syscall.Munmap(mem) })
	at := 0
	move := func(s string) string {
		k := copy(mem[at:], s)
		out := unsafe.String(&mem[at], k)
		at += k
		return out
	}
	for i := range docs {
		if docs[i].Title != "" {
			docs[i].Title = move(docs[i].Title)
		}
		if docs[i].Text != "" {
			docs[i].Text = move(docs[i].Text)
		}
	}
	return docs
}

// watchPeak samples the live heap at each collection until the returned
// stop is called, and logs its peak; with WORKERMEM_PROFILE, it writes
// the heap profile of the collection that found the peak (a heap
// profile is of the last collection) as heap-peak.pprof.
func watchPeak(b *testing.B) (stop func()) {
	done := make(chan struct{})
	finished := make(chan struct{})
	dir := os.Getenv("WORKERMEM_PROFILE")
	go func() {
		defer close(finished)
		s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}, {Name: "/gc/cycles/total:gc-cycles"}}
		var peak, cycles uint64
		for {
			select {
			case <-done:
				b.Logf("build: live heap peak %.1f MB", float64(peak)/1e6)
				b.ReportMetric(float64(peak)/1e6, "build-live-peak-MB")
				return
			case <-time.After(time.Millisecond):
			}
			metrics.Read(s)
			if s[1].Value.Uint64() == cycles {
				continue
			}
			cycles = s[1].Value.Uint64()
			if live := s[0].Value.Uint64(); live > peak {
				peak = live
				if dir != "" && live > 100e6 {
					f, err := os.Create(dir + "/heap-peak.pprof")
					if err == nil {
						pprof.Lookup("heap").WriteTo(f, 0)
						f.Close()
					}
				}
			}
		}
	}()
	return func() { close(done); <-finished }
}
