package main

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/broadsheet/broadsheet/app/library"
	"github.com/broadsheet/broadsheet/app/search"
	"github.com/broadsheet/broadsheet/internal/sharedtest"
)

// corpusFiles reads up to n files of the real corpus (../shared).
func corpusFiles(b *testing.B, n int) []library.File {
	dir := sharedtest.Need(b, "corpus", "dev")
	names, err := filepath.Glob(filepath.Join(dir, "*"))
	if err != nil || len(names) == 0 {
		b.Fatalf("listing %s: %v", dir, err)
	}
	var files []library.File
	for _, name := range names[:min(n, len(names))] {
		data, err := os.ReadFile(name)
		if err != nil {
			b.Fatal(err)
		}
		files = append(files, library.File{Name: filepath.Base(name), Data: data, Modified: time.UnixMilli(1772000000000)})
	}
	return files
}

// BenchmarkParseStages times, per article, each stage a parse worker
// runs on a file: parsing, the search document, and its encoding in the
// reply (parse_wire.go), and its decoding in the import worker.
func BenchmarkParseStages(b *testing.B) {
	files := corpusFiles(b, 400)
	var size int64
	for _, f := range files {
		size += int64(len(f.Data))
	}
	var parse, doc, enc, dec time.Duration
	b.ResetTimer()
	for range b.N {
		t0 := time.Now()
		ps := make([]library.Parsed, 0, len(files))
		docs := make([]search.Doc, 0, len(files))
		for _, f := range files {
			p, a := library.Parse(f)
			t1 := time.Now()
			parse += t1.Sub(t0)
			var sd search.Doc
			if a != nil {
				sd = library.SearchDoc(a)
			}
			t0 = time.Now()
			doc += t0.Sub(t1)
			ps, docs = append(ps, p), append(docs, sd)
		}
		wire := encodeParsed(ps, docs)
		t1 := time.Now()
		enc += t1.Sub(t0)
		if _, _, err := decodeParsedWire(wire); err != nil {
			b.Fatal(err)
		}
		dec += time.Since(t1)
	}
	n := float64(b.N * len(files))
	b.ReportMetric(float64(parse.Microseconds())/n, "parse-µs/article")
	b.ReportMetric(float64(doc.Microseconds())/n, "doc-µs/article")
	b.ReportMetric(float64(enc.Microseconds())/n, "encode-µs/article")
	b.ReportMetric(float64(dec.Microseconds())/n, "decode-µs/article")
	b.ReportMetric(float64(size)/float64(len(files)), "bytes/article")
}
