package search

// The sort of a run's narrow records: one pass through memory by the
// key's top bits (most significant digit first), taking the documents in
// date order, then each bucket, small enough to stay in cache, sorted by
// the rest of its key (least significant digit first, stable) or, when
// tiny, by insertion. The three passes of 11 bits each over the whole
// run (sortLSD, still the sort of wide keys) scattered every record to one of 2,048 places three
// times, and the scatter's cache misses were the cost.
const (
	topDigit     = 11                          // the first pass's bits
	restBits     = 2 + 2*narrowChar - topDigit // of the key, sorted in a bucket
	restDigit    = 7                           // bits of a bucket's passes
	restPasses   = 3
	restMask     = 1<<restDigit - 1
	topShift     = 2 + restBits // the top digit of a record not yet sorted
	insertionMax = 24           // a bucket sorted by insertion
)

// A bucket's passes take all the rest of the key.
var _ [restBits - restPasses*restDigit]struct{}
var _ [restPasses*restDigit - restBits]struct{}

// sortNarrow is sort for narrow keys.
func (rb *runBuilder) sortNarrow(order []int) []uint64 {
	n := len(rb.recs)
	c := &rb.count[0]
	clear(c[:])
	for _, rec := range rb.recs {
		c[rec>>topShift]++
	}
	prefixSums(c[:])
	var starts [1<<topDigit + 1]int
	copy(starts[:], c[:])
	starts[1<<topDigit] = n
	rb.tmp = growRecs(rb.tmp, n)
	src, dst := rb.recs, rb.tmp
	for nd, d := range order {
		from := 0
		if d > 0 {
			from = rb.ends[d-1]
		}
		doc := uint64(nd) << recDoc
		for _, rec := range src[from:rb.ends[d]] {
			x := rec >> topShift
			dst[c[x]] = rec>>2<<recKey | doc | rec&3
			c[x]++
		}
	}
	for x := range 1 << topDigit {
		if s, e := starts[x], starts[x+1]; e-s > 1 {
			rb.sortBucket(dst[s:e], src[s:e])
		}
	}
	rb.recs, rb.tmp = dst, src
	return dst
}

// sortBucket sorts b, records of one top digit in document order, by
// the rest of their keys, stably; scratch is as long as b.
func (rb *runBuilder) sortBucket(b, scratch []uint64) {
	if len(b) <= insertionMax {
		for i := 1; i < len(b); i++ {
			v := b[i]
			k := v >> recKey
			j := i
			for ; j > 0 && b[j-1]>>recKey > k; j-- {
				b[j] = b[j-1]
			}
			b[j] = v
		}
		return
	}
	if len(b) >= wideBucket {
		sortBucketWide(b, scratch)
		return
	}
	var count [restPasses][1 << restDigit]int32
	for _, v := range b {
		k := v >> recKey
		count[0][k&restMask]++
		count[1][k>>restDigit&restMask]++
		count[2][k>>(2*restDigit)&restMask]++
	}
	src, dst := b, scratch
	for p := range restPasses {
		if radixPass(src, dst, count[p][:], uint(recKey+p*restDigit), restMask) {
			src, dst = dst, src
		} // else one digit: the pass keeps the order
	}
	if &src[0] != &b[0] {
		copy(b, src)
	}
}

// wideBucket is the records of a bucket sorted in two passes, of 11
// and 10 bits: where the larger counts cost less than a third pass and
// the copy back.
const wideBucket = 4096

// sortBucketWide is sortBucket in two passes.
func sortBucketWide(b, scratch []uint64) {
	const lo, hi = 11, restBits - 11
	var c0 [1 << lo]int32
	var c1 [1 << hi]int32
	for _, v := range b {
		k := v >> recKey
		c0[k&(1<<lo-1)]++
		c1[k>>lo&(1<<hi-1)]++
	}
	var s0, s1 int32
	for i, x := range c0 {
		c0[i] = s0
		s0 += x
	}
	for i, x := range c1 {
		c1[i] = s1
		s1 += x
	}
	for _, v := range b {
		x := v >> recKey & (1<<lo - 1)
		scratch[c0[x]] = v
		c0[x]++
	}
	for _, v := range scratch {
		x := v >> (recKey + lo) & (1<<hi - 1)
		b[c1[x]] = v
		c1[x]++
	}
}

// growRecs returns a slice of n records, b's array if it holds them.
func growRecs(b []uint64, n int) []uint64 {
	if cap(b) < n {
		return make([]uint64, n, n+n/8)
	}
	return b[:n]
}
