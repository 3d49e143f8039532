//go:build unix || (js && wasm)

package search

import (
	"crypto/sha256"
	"encoding/binary"
	"runtime/debug"
	"testing"
	"time"
)

// BenchmarkPosTokenize times BenchmarkPosBuild's tokenize stage alone
// (posBuilder.add over batches of 6 MB of text, as Add's loop), in CPU
// time, natively or in wasm under Node:
//
//	GOOS=js GOARCH=wasm go test -run '^$' -bench PosTokenize -benchtime 5x \
//	  -exec="$(go env GOROOT)/lib/wasm/go_js_wasm_exec" ./app/search
//
// It logs a hash of every batch's records (before their sort), its
// documents' lengths and ends, and its words, to compare the records
// across changes (BenchmarkPosBuild's hash compares the segments).
// POSBENCH_DOCS sets the number of documents (10,000).
func BenchmarkPosTokenize(b *testing.B) {
	docs, batches := posBatches(b)
	defer debug.SetGCPercent(debug.SetGCPercent(50))
	clock := benchClock()
	var tok time.Duration
	h := sha256.New()
	var buf []byte
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
			tok += clock() - t0
			if i == 0 {
				buf = buf[:0]
				for _, r := range pb.recs {
					buf = binary.LittleEndian.AppendUint64(buf, r)
				}
				for _, d := range pb.docs {
					buf = binary.LittleEndian.AppendUint32(buf, d.length)
					buf = binary.LittleEndian.AppendUint32(buf, d.titleEnd)
					buf = binary.LittleEndian.AppendUint32(buf, d.leadEnd)
				}
				for _, w := range pb.words {
					buf = append(append(buf, w...), 0)
				}
				h.Write(buf)
			}
			pb.recs, pb.tmp = nil, nil
			posBuilders.Put(pb)
		}
	}
	b.ReportMetric(float64(tok.Microseconds())/1e3/float64(b.N), "tokenize-ms")
	b.Logf("%d docs in %d batches; records sha256 %x", len(docs), len(batches), h.Sum(nil)[:8])
}
