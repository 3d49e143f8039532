package static

import (
	"compress/flate"
	"fmt"
	"math/rand/v2"
	"testing"
	"unicode/utf8"
)

// newsText returns n bytes of made-up Chinese news-like text: words of one
// to three common Han characters drawn with a Zipf law, with punctuation.
func newsText(r *rand.Rand, n int) []byte {
	words := make([]string, 3000)
	for i := range words {
		var w []rune
		for range 1 + r.IntN(3) {
			w = append(w, rune(0x4e00+r.IntN(3500)))
		}
		words[i] = string(w)
	}
	z := rand.NewZipf(r, 1.1, 1, uint64(len(words)-1))
	out := make([]byte, 0, n+16)
	for len(out) < n {
		out = append(out, words[z.Uint64()]...)
		switch r.IntN(12) {
		case 0:
			out = utf8.AppendRune(out, '，')
		case 1:
			out = utf8.AppendRune(out, '。')
		}
	}
	return out
}

// packRecords returns records of about 64 KiB in all, values of 2 to 8 KB.
func packRecords(r *rand.Rand) ([]record, int) {
	var recs []record
	size := 0
	for i := 0; size < DefaultTarget; i++ {
		v := newsText(r, 2000+r.IntN(6000))
		recs = append(recs, record{fmt.Sprintf("article/%08d", i), v})
		size += len(v)
	}
	return recs, size
}

// BenchmarkDecodePack decodes a 64 KiB pack of text (checking its hash as
// a read does); run it natively and in the browser to compare.
func BenchmarkDecodePack(b *testing.B) {
	recs, size := packRecords(rand.New(rand.NewPCG(1, 2)))
	data := encodeRecords(b, recs)
	ref := PackRef{File: PackName(data), Count: len(recs), Bytes: len(data)}
	b.SetBytes(int64(size))
	for b.Loop() {
		if _, err := decodeRef(ref, data); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(data))/float64(size), "ratio")
}

// BenchmarkEncodePack encodes a 64 KiB pack of text at the default level
// and at BestSpeed.
func BenchmarkEncodePack(b *testing.B) {
	recs, size := packRecords(rand.New(rand.NewPCG(1, 2)))
	for _, level := range []int{flate.DefaultCompression, flate.BestSpeed} {
		b.Run(fmt.Sprint("level", level), func(b *testing.B) {
			e := newPackEncoder(level)
			b.SetBytes(int64(size))
			for b.Loop() {
				data, err := e.encode(recs)
				if err != nil {
					b.Fatal(err)
				}
				PackName(data)
			}
		})
	}
}

// BenchmarkPackName hashes a 64 KiB pack's bytes, as every read checks.
func BenchmarkPackName(b *testing.B) {
	recs, _ := packRecords(rand.New(rand.NewPCG(1, 2)))
	data := encodeRecords(b, recs)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		PackName(data)
	}
}
