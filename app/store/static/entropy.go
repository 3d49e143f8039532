package static

import "math/bits"

// Records that DEFLATE cannot shrink (a search index's pages: Rice-coded
// lists, ~8 bits of information a byte) are stored, not compressed: a
// fast compressor spent a sixth of its time on them to save half a
// percent of their bytes. They are told by the entropy of their bytes'
// frequencies, over their first entropySample bytes.
const (
	// entropySample is the bytes whose frequencies are counted.
	entropySample = 16 << 10
	// minStored is the fewest records' bytes that may be stored.
	minStored = 1 << 10
	// storedBits is the entropy, in 1/4096 bit a byte, from which the
	// records are stored (7.8 bits: such packs of a search index's pages
	// compressed to 0.98-1.001 of their size; article records have ~6).
	storedBits = 31949 // 7.8 * 4096
	// The first prefixSample bytes are counted first: under prefixBits
	// (6.75 bits a byte; the first 2 KB of records stored had at least
	// 7.2, 96% of the others less) the records are compressed without
	// counting the rest.
	prefixSample = 2 << 10
	prefixBits   = 27 << 10 // 6.75 * 4096
)

// incompressible reports whether raw's first entropySample bytes carry
// at least storedBits a byte by their frequencies (an integer
// computation: the same decision on every machine).
func incompressible(raw []byte) bool {
	s := raw[:min(len(raw), entropySample)]
	if len(s) < minStored {
		return false
	}
	var count [256]uint32
	n := min(len(s), prefixSample)
	countBytes(&count, s[:n])
	if n < len(s) {
		if entropyBits(&count, n) < prefixBits*n {
			return false
		}
		countBytes(&count, s[n:])
	}
	return entropyBits(&count, len(s)) >= storedBits*len(s)
}

// countBytes adds the bytes of s to count, four at a time.
func countBytes(count *[256]uint32, s []byte) {
	for len(s) >= 4 {
		count[s[0]]++
		count[s[1]]++
		count[s[2]]++
		count[s[3]]++
		s = s[4:]
	}
	for _, b := range s {
		count[b]++
	}
}

// entropyBits is n·log2(n) − Σ c·log2(c), in 1/4096 bit: the bits of n
// bytes by their frequencies, count.
func entropyBits(count *[256]uint32, n int) int {
	total := n * log2Fixed(uint32(n))
	for _, c := range count {
		if c > 1 {
			total -= int(c) * log2Fixed(c)
		}
	}
	return total
}

// log2Fixed is log2(x) in 1/4096 bit (truncated), 0 < x < 1<<30: the
// fraction by squaring x's mantissa, a bit a square.
func log2Fixed(x uint32) int {
	l := bits.Len32(x) - 1
	m := uint64(x) << (30 - l) // x / 2^l, in [1, 2), 30 bits of fraction
	r := l << 12
	for i := 11; i >= 0; i-- {
		m = m * m >> 30
		if m >= 2<<30 {
			m >>= 1
			r |= 1 << i
		}
	}
	return r
}
