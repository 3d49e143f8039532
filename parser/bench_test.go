package parser

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"golang.org/x/net/html"
)

// The benchmarks compare Parse with html.Parse alone on the same bytes
// (the target: Parse costs at most 1.5× html.Parse). b.SetBytes gives
// MB/s; allocs/article is the allocation count per parsed file.

func BenchmarkParse(b *testing.B) {
	b.Run("sample", func(b *testing.B) { benchParse(b, [][]byte{readSample(b)}) })
	b.Run("corpus", func(b *testing.B) { benchParse(b, readCorpus(b)) })
}

func BenchmarkHTMLParse(b *testing.B) {
	b.Run("sample", func(b *testing.B) { benchHTMLParse(b, [][]byte{readSample(b)}) })
	b.Run("corpus", func(b *testing.B) { benchHTMLParse(b, readCorpus(b)) })
}

// BenchmarkParseRatio times Parse and html.Parse over the dev corpus in
// the same run, alternating file by file, and reports the ratio of their
// costs: on a busy machine a ratio from one run means more than two MB/s
// figures, and alternating at each file keeps both under the same load.
// Natively on Linux the costs are process CPU time (see cpuNow), which
// other work on the machine does not inflate.
func BenchmarkParseRatio(b *testing.B) {
	b.Run("sample", func(b *testing.B) { benchRatio(b, [][]byte{readSample(b)}) })
	b.Run("corpus", func(b *testing.B) { benchRatio(b, readCorpus(b)) })
}

func benchRatio(b *testing.B, files [][]byte) {
	warmUp(func() {
		_, _ = Parse(files[0])
		_, _ = html.Parse(bytes.NewReader(files[0]))
	})
	var parse, htmlOnly time.Duration
	for i := 0; i < b.N; i++ {
		for _, f := range files {
			start := cpuNow()
			_, _ = html.Parse(bytes.NewReader(f))
			mid := cpuNow()
			_, _ = Parse(f)
			end := cpuNow()
			htmlOnly += mid - start
			parse += end - mid
		}
	}
	b.ReportMetric(float64(parse)/float64(htmlOnly), "parse/html("+cpuClock+")")
}

// warmUp runs fn for about half a second first: under WebAssembly the
// engine compiles hot code again with its optimising tier, and a benchmark
// that runs first would otherwise measure the baseline tier.
func warmUp(fn func()) {
	for start := time.Now(); time.Since(start) < 500*time.Millisecond; {
		fn()
	}
}

func benchParse(b *testing.B, files [][]byte) {
	warmUp(func() { _, _ = Parse(files[0]) })
	b.SetBytes(totalSize(files))
	b.ReportAllocs()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, f := range files {
			_, _ = Parse(f)
		}
	}
	b.StopTimer()
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(after.Mallocs-before.Mallocs)/float64(b.N*len(files)), "allocs/article")
}

func benchHTMLParse(b *testing.B, files [][]byte) {
	warmUp(func() { _, _ = html.Parse(bytes.NewReader(files[0])) })
	b.SetBytes(totalSize(files))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, f := range files {
			_, _ = html.Parse(bytes.NewReader(f))
		}
	}
}

// readCorpus reads every file of ../shared/corpus/dev.
func readCorpus(b *testing.B) [][]byte {
	paths, err := filepath.Glob(filepath.Join(sharedDir(b), "corpus", "dev", "*"))
	if err != nil || len(paths) == 0 {
		b.Fatalf("corpus/dev: %d files, %v", len(paths), err)
	}
	files := make([][]byte, 0, len(paths))
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			b.Fatal(err)
		}
		files = append(files, data)
	}
	return files
}

func totalSize(files [][]byte) int64 {
	var n int64
	for _, f := range files {
		n += int64(len(f))
	}
	return n
}
