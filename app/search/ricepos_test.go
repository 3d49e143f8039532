package search

import (
	"encoding/binary"
	"math/rand/v2"
	"slices"
	"testing"
)

// localList encodes a list as a local segment does (appendLocal), its
// positions given as each document's ascending positions in pos.
func localList(docs, tfs, pos []uint32, positional bool) (db, pb []byte) {
	var c localCoder
	var raw []byte
	var ends []int
	if positional {
		raw, ends = appendPositions(nil, nil, docs, tfs, pos)
	}
	return c.appendLocal(nil, nil, docs, tfs, raw, ends)
}

// localIter opens a local list.
func localIter(db, pb []byte, df int, positional bool) *postingIter {
	it := &postingIter{}
	it.reset(db, pb, df, positional, codeRiceLocal, true)
	return it
}

// wideList is randomList with some large frequencies (a one-character
// term's counts) and positions far apart.
func wideList(rng *rand.Rand, df int, positional bool) (docs, tfs, pos []uint32) {
	docs, tfs, pos = randomList(rng, df, positional)
	if positional {
		return docs, tfs, pos
	}
	for i := range tfs {
		switch rng.IntN(10) {
		case 0:
			tfs[i] = uint32(4 + rng.IntN(100))
		case 1:
			tfs[i] = uint32(1 + rng.IntN(1<<24))
		}
	}
	return docs, tfs, pos
}

// TestLocalRoundTrip: local lists of every shape decode to what was
// encoded, walked in order, with jumps, reading positions of some
// documents only, twice, or as varints (rawPositions).
func TestLocalRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, df := range []int{1, 2, 3, 4, 64, 127, 128, 129, 255, 256, 1000, 5000} {
		for _, positional := range []bool{true, false} {
			docs, tfs, pos := wideList(rng, df, positional)
			db, pb := localList(docs, tfs, pos, positional)
			gd, gt, gp := decodeAll(localIter(db, pb, df, positional))
			if !slices.Equal(gd, docs) || !slices.Equal(gt, tfs) || !slices.Equal(gp, pos) {
				t.Fatalf("df %d positional %v: round trip differs", df, positional)
			}
			starts := []int{0}
			for _, tf := range tfs {
				starts = append(starts, starts[len(starts)-1]+int(tf))
			}
			it := localIter(db, pb, df, positional)
			for i := 0; i < df; i += 1 + rng.IntN(40) {
				if d := it.next(docs[i]); d != docs[i] {
					t.Fatalf("df %d: next(%d) = %d", df, docs[i], d)
				}
				if !positional || rng.IntN(3) == 0 {
					continue
				}
				want := pos[starts[i]:starts[i+1]]
				for range 1 + rng.IntN(2) {
					if p := it.positions(nil); !slices.Equal(p, want) {
						t.Fatalf("df %d: positions of %d = %v, want %v", df, docs[i], p, want)
					}
				}
				var raw []byte
				var x uint32
				for _, p := range want {
					raw = binary.AppendUvarint(raw, uint64(p-x))
					x = p
				}
				if r := it.rawPositions(); !slices.Equal(r, raw) {
					t.Fatalf("df %d: rawPositions of %d = %v, want %v", df, docs[i], r, raw)
				}
			}
			if it.err != nil {
				t.Fatalf("df %d: %v", df, it.err)
			}
		}
	}
}

// TestLocalSmaller: Rice-coded local lists take fewer bytes than
// varints for lists like a segment's (documents a few apart, positions
// in the thousands).
func TestLocalSmaller(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	var docs, tfs, pos []uint32
	for d := uint32(0); len(docs) < 2000; d += uint32(1 + rng.IntN(20)) {
		docs, tfs = append(docs, d), append(tfs, 1)
		pos = append(pos, uint32(rng.IntN(3000)))
	}
	db, pb := localList(docs, tfs, pos, true)
	vd, vp := appendPostings(nil, nil, docs, tfs, pos)
	if len(db) >= len(vd)*3/4 || len(pb) >= len(vp)*17/20 {
		t.Errorf("local list: %d docs bytes, %d positions bytes; varints %d and %d", len(db), len(pb), len(vd), len(vp))
	}
}

// TestJoinLocal: lists cut into inputs at random, joined, decode to the
// whole list, whatever the sizes of the inputs and their blocks.
func TestJoinLocal(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	var j listJoiner
	for range 300 {
		df := 1 + rng.IntN(1200)
		positional := rng.IntN(2) == 0
		docs, tfs, pos := wideList(rng, df, positional)
		j.reset(df, positional)
		pi := 0
		var base uint32
		for lo := 0; lo < df; {
			hi := min(df, lo+1+rng.IntN(3*blockSize))
			if rng.IntN(3) == 0 {
				hi = min(df, lo+1+rng.IntN(3))
			}
			// the input's documents counted from base, at most its first
			if lo > 0 {
				base = docs[lo-1] + 1
			}
			in := make([]uint32, hi-lo)
			for i := range in {
				in[i] = docs[lo+i] - base
			}
			np := 0
			for _, tf := range tfs[lo:hi] {
				np += int(tf)
			}
			var ip []uint32
			if positional {
				ip = pos[pi : pi+np]
			}
			pi += np
			db, pb := localList(in, tfs[lo:hi], ip, positional)
			if err := j.add(db, pb, hi-lo, base); err != nil {
				t.Fatal(err)
			}
			lo = hi
		}
		db, pb := j.finish(nil, nil)
		gd, gt, gp := decodeAll(localIter(db, pb, df, positional))
		if !slices.Equal(gd, docs) || !slices.Equal(gt, tfs) || !slices.Equal(gp, pos) {
			t.Fatalf("df %d positional %v: joined list differs", df, positional)
		}
	}
}

// FuzzLocal encodes lists derived from the input and decodes them
// again, and decodes the raw input as a local list: no panic, and a
// corrupt list reports an error instead of documents out of order.
func FuzzLocal(f *testing.F) {
	f.Add([]byte{1, 2, 3}, uint16(5), true)
	f.Add([]byte{0x83, 0x05, 0xff, 0x01, 0x80}, uint16(300), false)
	f.Fuzz(func(t *testing.T, data []byte, df uint16, positional bool) {
		rng := rand.New(rand.NewPCG(uint64(len(data)), uint64(df)))
		n := int(df%2000) + 1
		docs, tfs, pos := wideList(rng, n, positional)
		db, pb := localList(docs, tfs, pos, positional)
		gd, gt, gp := decodeAll(localIter(db, pb, n, positional))
		if !slices.Equal(gd, docs) || !slices.Equal(gt, tfs) || !slices.Equal(gp, pos) {
			t.Fatalf("round trip of %d documents differs", n)
		}
		it := localIter(data, data, n, positional)
		prev := int64(-1)
		for d := it.next(0); d != noDoc; d = it.next(d + 1) {
			if int64(d) <= prev {
				t.Fatalf("documents out of order: %d after %d", d, prev)
			}
			prev = int64(d)
			it.positions(nil)
			it.rawPositions()
		}
		var j listJoiner
		j.reset(n, positional)
		if j.add(data, data, n, 7) == nil {
			db, pb := j.finish(nil, nil)
			decodeAll(localIter(db, pb, n, positional))
		}
	})
}
