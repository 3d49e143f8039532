//go:build unix || (js && wasm)

package search

import (
	"crypto/sha256"
	"os"
	"runtime/debug"
	"strconv"
	"testing"
	"time"
)

// BenchmarkPosBuild times an Add's two stages on synthetic documents,
// in batches of 6 MB of text as the search worker flushes them: the
// documents tokenized into a posBuilder (tokenize-ms) and their
// segment sorted and coded (encode-ms, BuildTimes.Encode), per op, in
// CPU time (the process's: under Node, V8's threads' too, as a
// browser's worker's; wall time in a browser) with the collector's
// targets of the search worker (GOGC 50, and 20 while a segment is
// coded: Index.MergeGCPercent). It
// logs a hash of every segment's blob and header, to compare the bytes
// across changes. It builds under js too, to run in wasm:
//
//	go test -run '^$' -bench PosBuild -benchtime 3x ./app/search
//	GOOS=js GOARCH=wasm go test -run '^$' -bench PosBuild -benchtime 3x \
//	  -exec="$(go env GOROOT)/lib/wasm/go_js_wasm_exec" ./app/search
//
// POSBENCH_DOCS sets the number of documents (10,000).
func BenchmarkPosBuild(b *testing.B) {
	docs, batches := posBatches(b)
	defer debug.SetGCPercent(debug.SetGCPercent(50))
	clock := benchClock()
	var tok, enc time.Duration
	h := sha256.New()
	b.SetBytes(int64(textBytes(docs)))
	b.ResetTimer()
	for i := range b.N {
		for _, batch := range batches {
			t0 := clock()
			pb := posBuilders.Get().(*posBuilder) // as Add does
			pb.reset()
			size := 0
			for j := range batch {
				size += len(batch[j].Title) + len(batch[j].Text)
			}
			pb.reserve(size)
			for j := range batch {
				if !pb.add(&batch[j]) || pb.full() {
					b.Fatal("batch refused or full")
				}
			}
			t1 := clock()
			gc := debug.SetGCPercent(20)
			blob, header := pb.finish()
			debug.SetGCPercent(gc)
			t2 := clock()
			tok, enc = tok+t1-t0, enc+t2-t1
			pb.recs, pb.tmp = nil, nil
			posBuilders.Put(pb)
			if i == 0 {
				h.Write(blob)
				h.Write(header)
			}
		}
	}
	b.ReportMetric(float64(tok.Microseconds())/1e3/float64(b.N), "tokenize-ms")
	b.ReportMetric(float64(enc.Microseconds())/1e3/float64(b.N), "encode-ms")
	b.Logf("%d docs in %d batches; segments sha256 %x", len(docs), len(batches), h.Sum(nil)[:8])
}

// posBatches returns POSBENCH_DOCS (10,000) synthetic documents, and
// them in batches of 6 MB of text, as the search worker flushes them.
func posBatches(b *testing.B) (docs []Doc, batches [][]Doc) {
	n := 10_000
	if v, err := strconv.Atoi(os.Getenv("POSBENCH_DOCS")); err == nil && v > 0 {
		n = v
	}
	docs = synthetic(b, n)
	from, size := 0, 0
	for i, d := range docs {
		size += len(d.Title) + len(d.Text)
		if size >= 6_000_000 || i == len(docs)-1 {
			batches = append(batches, docs[from:i+1])
			from, size = i+1, 0
		}
	}
	return docs, batches
}

// benchClock is processCPU where the process has one (natively, and in
// wasm under Node), else the wall clock (a browser's).
func benchClock() func() time.Duration {
	if processCPU() == 0 {
		return func() time.Duration { return time.Duration(time.Now().UnixNano()) }
	}
	return processCPU
}
