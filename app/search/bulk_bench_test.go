//go:build unix

package search

import (
	"crypto/sha256"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/broadsheet/broadsheet/app/store"
)

// BenchmarkBulk loads synthetic libraries (see synthetic) into a new
// shipped index with a Bulk, as the site builder does: batches of
// bulkBatchBytes of text built into runs on every core, added in order,
// then merged. It reports the process CPU time of the builds (build-cpu-s)
// and of the merge (finish-cpu-s), MB of text per CPU second, and logs a
// hash of the tables written, to compare the bytes across changes.
//
//	go test -run '^$' -bench Bulk -benchtime 1x ./app/search
func BenchmarkBulk(b *testing.B) {
	for _, n := range []int{10_000, 30_000, 100_000} {
		b.Run(fmt.Sprintf("%dk", n/1000), func(b *testing.B) { benchBulk(b, n) })
	}
}

// bulkBatchBytes is about the text of a batch, as app/archive makes them.
const bulkBatchBytes = 16 << 20

func benchBulk(b *testing.B, n int) {
	docs := synthetic(b, n)
	batches := batchesOf(docs, bulkBatchBytes)
	size := textBytes(docs)
	var build, finish time.Duration
	var st *store.Memory
	b.ResetTimer()
	for range b.N {
		runtime.GC()
		st = store.NewMemory(Tables()...)
		ix, err := OpenShipped(bulkCtx, st)
		if err != nil {
			b.Fatal(err)
		}
		bk, err := ix.NewBulk(b.TempDir())
		if err != nil {
			b.Fatal(err)
		}
		c0 := processCPU()
		if err := buildAll(bk, batches, runtime.GOMAXPROCS(0)); err != nil {
			b.Fatal(err)
		}
		c1 := processCPU()
		if err := bk.Finish(bulkCtx); err != nil {
			b.Fatal(err)
		}
		c2 := processCPU()
		build, finish = build+c1-c0, finish+c2-c1
		if err := bk.Close(); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	b.SetBytes(int64(size))
	per := float64(b.N)
	b.ReportMetric(build.Seconds()/per, "build-cpu-s")
	b.ReportMetric(finish.Seconds()/per, "finish-cpu-s")
	b.ReportMetric(float64(size)/1e6/((build+finish).Seconds()/per), "MB/cpu-s")
	h := sha256.New()
	for _, table := range []string{tableMeta, tablePages, tableIDs} {
		h.Write([]byte(dumpTable(b, st, table)))
	}
	b.Logf("%d docs, %.1f MB of text in %d batches; tables sha256 %x", len(docs), float64(size)/1e6, len(batches), h.Sum(nil)[:8])
}

// batchesOf cuts docs into batches of about size bytes of text.
func batchesOf(docs []Doc, size int) [][]Doc {
	var out [][]Doc
	from, n := 0, 0
	for i, d := range docs {
		n += len(d.Title) + len(d.Text)
		if n >= size || i == len(docs)-1 {
			out = append(out, docs[from:i+1])
			from, n = i+1, 0
		}
	}
	return out
}

// buildAll builds the batches into runs on workers goroutines at once
// and adds them in order, as app/archive does.
func buildAll(bk *Bulk, batches [][]Doc, workers int) error {
	runs := make([][]*Run, len(batches))
	errs := make([]error, len(batches))
	sem := make(chan struct{}, workers)
	var wg sync.WaitGroup
	for i, batch := range batches {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			runs[i], errs[i] = bk.Build(batch)
		})
	}
	wg.Wait()
	for i := range runs {
		if errs[i] != nil {
			return errs[i]
		}
		bk.Add(runs[i]...)
	}
	return nil
}

// BenchmarkRunBuilder times a runBuilder's steps on one run of synthetic
// documents (maxRecords of tokens): tokenizing the documents (add),
// sorting their records (sort) and writing the run (write).
//
//	go test -run '^$' -bench RunBuilder ./app/search
func BenchmarkRunBuilder(b *testing.B) {
	docs := synthetic(b, 4000)
	rb := newRunBuilder()
	var batch []Doc
	for i := range docs {
		rb.add(&docs[i])
		if rb.full() {
			batch = docs[:i+1]
			break
		}
	}
	if batch == nil {
		b.Fatalf("4,000 documents hold fewer than %d tokens", maxRecords)
	}
	size := int64(textBytes(batch))
	fill := func() {
		rb.reset()
		for i := range batch {
			rb.add(&batch[i])
		}
	}
	b.Run("add", func(b *testing.B) {
		b.SetBytes(size)
		defer reportCPU(b, processCPU())
		for b.Loop() {
			fill()
		}
	})
	fill()
	recs := slices.Clone(rb.recs)
	order := dateOrder(rb.docs)
	b.Run("sort", func(b *testing.B) {
		b.SetBytes(size)
		defer reportCPU(b, processCPU())
		for b.Loop() {
			rb.recs = append(rb.recs[:0], recs...)
			rb.sort(order)
		}
	})
	rb.recs = append(rb.recs[:0], recs...)
	sorted := slices.Clone(rb.sort(order))
	b.Run("write", func(b *testing.B) {
		b.SetBytes(size)
		defer reportCPU(b, processCPU())
		for b.Loop() {
			rb.data = rb.write(&Run{}, sorted, rb.data[:0])
		}
	})
}

// reportCPU reports the process CPU time per operation since c0.
func reportCPU(b *testing.B, c0 time.Duration) {
	b.ReportMetric(float64(processCPU()-c0)/1e6/float64(b.N), "cpu-ms/op")
}

// BenchmarkBulkFinish times Finish alone: the runs of 30,000 synthetic
// documents, built once, merged into a new index each time.
//
//	go test -run '^$' -bench BulkFinish ./app/search
func BenchmarkBulkFinish(b *testing.B) {
	docs := synthetic(b, 30_000)
	benchFinish(b, docs, docs, func(bk *Bulk) error { return bk.Finish(bulkCtx) })
}

// BenchmarkBulkFinishOrdered is BenchmarkBulkFinish for runs built from
// the documents in BulkOrder's order, merged by FinishOrdered.
//
//	go test -run '^$' -bench BulkFinishOrdered ./app/search
func BenchmarkBulkFinishOrdered(b *testing.B) {
	docs := synthetic(b, 30_000)
	var queued [][]Queued
	for _, batch := range batchesOf(docs, bulkBatchBytes) {
		var qs []Queued
		for i := range batch {
			qs = append(qs, Queued{ID: batch[i].ID, Date: batch[i].Date, Size: len(batch[i].Title) + len(batch[i].Text)})
		}
		queued = append(queued, qs)
	}
	var ordered []Doc
	for _, i := range BulkOrder(slices.Concat(queued...)) {
		ordered = append(ordered, docs[i])
	}
	benchFinish(b, docs, ordered, func(bk *Bulk) error { return bk.FinishOrdered(bulkCtx, queued) })
}

// benchFinish builds the runs of built (docs, in the order to build
// them) once and times finish of them into a new index each time.
func benchFinish(b *testing.B, docs, built []Doc, finish func(*Bulk) error) {
	_, bk := newShippedBulk(b)
	defer bk.Close()
	if err := buildAll(bk, batchesOf(built, bulkBatchBytes), runtime.GOMAXPROCS(0)); err != nil {
		b.Fatal(err)
	}
	runs := bk.runs
	b.SetBytes(int64(textBytes(docs)))
	b.ResetTimer()
	defer reportCPU(b, processCPU())
	for b.Loop() {
		ix, err := OpenShipped(bulkCtx, store.NewMemory(Tables()...))
		if err != nil {
			b.Fatal(err)
		}
		if err := finish(&Bulk{ix: ix, f: bk.f, runs: runs, rangeBytes: bk.rangeBytes}); err != nil {
			b.Fatal(err)
		}
	}
}
