package search

import (
	"math/rand/v2"
	"testing"
)

// sortInput is n records like a batch's: bigram keys of common
// characters (a skewed draw), values in document and position order.
func sortInput(n int) (keys, vals []uint64) {
	rng := rand.New(rand.NewPCG(1, 1))
	char := func() rune { return 0x4E00 + rune(rng.IntN(1+rng.IntN(3500))) }
	keys, vals = make([]uint64, n), make([]uint64, n)
	for i := range keys {
		keys[i] = hanKeyOf(tokBigram, char(), char())
		vals[i] = uint64(i/2000)<<32 | uint64(i%2000)
	}
	return keys, vals
}

// BenchmarkSortRecords sorts a full batch's records (maxRecords).
func BenchmarkSortRecords(b *testing.B) {
	keys, vals := sortInput(maxRecords)
	bl := newBuilder()
	b.SetBytes(int64(16 * len(keys)))
	for b.Loop() {
		bl.keys = append(bl.keys[:0], keys...)
		bl.vals = append(bl.vals[:0], vals...)
		bl.sortRecords()
	}
}

// TestSortRecordsStable: records come out by key, those of a key in the
// order they were added.
func TestSortRecordsStable(t *testing.T) {
	keys, vals := sortInput(200_000)
	bl := newBuilder()
	bl.keys, bl.vals = append(bl.keys, keys...), append(bl.vals, vals...)
	bl.sortRecords()
	for i := 1; i < len(bl.keys); i++ {
		if k, p := bl.keys[i], bl.keys[i-1]; k < p || k == p && bl.vals[i] <= bl.vals[i-1] {
			t.Fatalf("record %d: key %x value %x after key %x value %x", i, k, bl.vals[i], p, bl.vals[i-1])
		}
	}
	seen := map[[2]uint64]int{}
	for i := range keys {
		seen[[2]uint64{keys[i], vals[i]}]++
	}
	for i := range bl.keys {
		seen[[2]uint64{bl.keys[i], bl.vals[i]}]--
	}
	for r, n := range seen {
		if n != 0 {
			t.Fatalf("record %x: %d more before the sort than after", r, n)
		}
	}
}
