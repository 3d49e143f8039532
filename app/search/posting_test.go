package search

import (
	"encoding/binary"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
)

// randomList returns a posting list of df documents below 4·df+10, with
// positions when positional.
func randomList(rng *rand.Rand, df int, positional bool) (docs, tfs, pos []uint32) {
	seen := map[uint32]bool{}
	for len(docs) < df {
		d := uint32(rng.IntN(4*df + 10))
		if !seen[d] {
			seen[d] = true
			docs = append(docs, d)
		}
	}
	slices.Sort(docs)
	for range docs {
		tf := uint32(1)
		if rng.IntN(3) == 0 {
			tf = uint32(1 + rng.IntN(5))
		}
		tfs = append(tfs, tf)
		if positional {
			p := uint32(rng.IntN(50))
			for range tf {
				pos = append(pos, p)
				p += uint32(1 + rng.IntN(300))
			}
		}
	}
	return docs, tfs, pos
}

// decodeAll walks a list with next(d+1) and returns what it read.
func decodeAll(it *postingIter) (docs, tfs, pos []uint32) {
	for d := it.next(0); d != noDoc; d = it.next(d + 1) {
		docs = append(docs, d)
		tfs = append(tfs, it.freq())
		pos = it.positions(pos)
	}
	return docs, tfs, pos
}

func TestPostingsRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, df := range []int{1, 2, 127, 128, 129, 255, 256, 1000, 5000} {
		for _, positional := range []bool{true, false} {
			docs, tfs, pos := randomList(rng, df, positional)
			var p []uint32
			if positional {
				p = pos
			}
			db, pb := appendPostings(nil, nil, docs, tfs, p)
			it := newPostingIter(db, pb, len(docs), positional, false)
			gd, gt, gp := decodeAll(it)
			if it.err != nil {
				t.Fatalf("df %d: %v", df, it.err)
			}
			if !slices.Equal(gd, docs) || !slices.Equal(gt, tfs) || !slices.Equal(gp, p) {
				t.Errorf("df %d positional %v: round trip differs", df, positional)
			}
		}
	}
}

// TestPostingsSkip checks next(target) with jumps against a linear search,
// and that positions stay right after skipped blocks.
func TestPostingsSkip(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	docs, tfs, pos := randomList(rng, 3000, true)
	db, pb := appendPostings(nil, nil, docs, tfs, pos)
	starts := make([]int, len(docs)+1)
	for i, tf := range tfs {
		starts[i+1] = starts[i] + int(tf)
	}
	open := func() *postingIter { return newPostingIter(db, pb, len(docs), true, false) }
	checkJumps(t, rng, 200, func(int) int { return 600 }, open, docs, nil, func(trial, i int, it *postingIter) {
		if p := it.positions(nil); !slices.Equal(p, pos[starts[i]:starts[i+1]]) {
			t.Fatalf("trial %d: positions of %d = %v, want %v", trial, docs[i], p, pos[starts[i]:starts[i+1]])
		}
	})
}

// checkJumps walks a list, opened by open, trials times with next(target),
// each target past the last document found by up to step(trial) at
// random, and checks what it finds against docs (and tfs, unless nil)
// by a binary search; each, unless nil, checks more of docs[i] found.
func checkJumps(t *testing.T, rng *rand.Rand, trials int, step func(trial int) int, open func() *postingIter, docs, tfs []uint32, each func(trial, i int, it *postingIter)) {
	t.Helper()
	for trial := range trials {
		it := open()
		target := uint32(0)
		for {
			target += uint32(rng.IntN(step(trial)))
			got := it.next(target)
			i, _ := slices.BinarySearch(docs, target)
			if i == len(docs) {
				if got != noDoc {
					t.Fatalf("trial %d: next(%d) = %d, want the end", trial, target, got)
				}
				break
			}
			if got != docs[i] || tfs != nil && it.freq() != tfs[i] {
				t.Fatalf("trial %d: next(%d) = %d (tf %d), want %d; err %v", trial, target, got, it.freq(), docs[i], it.err)
			}
			if each != nil {
				each(trial, i, it)
			}
			if got == noDoc-1 {
				break
			}
			target = got + 1
		}
		if it.err != nil {
			t.Fatalf("trial %d: %v", trial, it.err)
		}
	}
}

// FuzzPostings encodes lists derived from the input and decodes them
// again, and decodes the raw input as a list: no panic, and a corrupt
// list reports an error instead of documents out of order.
func FuzzPostings(f *testing.F) {
	f.Add([]byte{1, 2, 3}, uint16(5), true)
	f.Add([]byte{0xff, 0xff, 0x01, 0x80}, uint16(300), false)
	f.Fuzz(func(t *testing.T, data []byte, df uint16, positional bool) {
		rng := rand.New(rand.NewPCG(uint64(len(data)), uint64(df)))
		n := int(df%2000) + 1
		docs, tfs, pos := randomList(rng, n, positional)
		var p []uint32
		if positional {
			p = pos
		}
		db, pb := appendPostings(nil, nil, docs, tfs, p)
		gd, gt, gp := decodeAll(newPostingIter(db, pb, n, positional, false))
		if !slices.Equal(gd, docs) || !slices.Equal(gt, tfs) || !slices.Equal(gp, p) {
			t.Fatalf("round trip of %d documents differs", n)
		}
		rd, rt := riceList(docs, tfs)
		if gd, gt, _ := decodeAll(newPostingIter(rd, nil, n, false, true)); !slices.Equal(gd, docs) || !slices.Equal(gt, rt) {
			t.Fatalf("Rice round trip of %d documents differs", n)
		}
		if n > riceVarintDocs { // relative to a parent holding them and others
			parent := slices.Clone(docs)
			for range n / 2 {
				parent = append(parent, uint32(rng.IntN(5*n+10)))
			}
			slices.Sort(parent)
			parent = slices.Compact(parent)
			var pl parentList
			pl.see("中", parent, false)
			db, _, _ := appendPostingsTo(nil, nil, nil, docs, rt, nil, nil, true, true, false, pl.indices("中国", docs))
			it := newPostingIter(db, nil, n, false, true)
			it.parent = parent
			if gd, gt, _ := decodeAll(it); !slices.Equal(gd, docs) || !slices.Equal(gt, rt) || it.err != nil {
				t.Fatalf("relative round trip of %d documents in %d differs (%v)", n, len(parent), it.err)
			}
		}
		for i, rice := range []bool{false, true, true} {
			it := newPostingIter(data, data, n, positional && !rice, rice)
			if i == 2 { // the raw input as a Rice list with a parent
				it.parent = docs
			}
			prev := int64(-1)
			for d := it.next(0); d != noDoc; d = it.next(d + 1) {
				if int64(d) <= prev {
					t.Fatalf("rice %v: documents out of order: %d after %d", rice, d, prev)
				}
				prev = int64(d)
				it.positions(nil)
			}
		}
		if got, err := listDocs(nil, newPostingIter(data, nil, n, false, true)); err == nil && !slices.IsSorted(got) {
			t.Fatalf("listDocs: documents out of order")
		}
		// garbage in: the decoders must not panic
		decodeBlock(data, func(*termEntry, int) bool { return true })
		decodeHeader(append([]byte(segMagic), data...))
		decodeDocChunk(data, n)
		decodeShippedChunk(data, n)
	})
}

// riceList encodes docs as a shipped list (frequencies capped at 3) and
// returns it with the frequencies it holds.
func riceList(docs, tfs []uint32) ([]byte, []uint32) {
	capped := make([]uint32, len(tfs))
	for i, tf := range tfs {
		capped[i] = min(tf, shippedMaxTF)
	}
	db, _, _ := appendPostingsTo(nil, nil, nil, docs, capped, nil, nil, true, true, false, nil)
	return db, capped
}

// TestRiceRoundTrip: Rice-coded lists of every shape decode to what was
// encoded, walked in order and with jumps: short lists (varints), one
// block, several, gaps past the escape, documents up to 2³²−2.
func TestRiceRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	lists := [][]uint32{{0}, {7}, {0, 1}, {0, 1, 2}, {3, 900000, 900001, 4000000000, noDoc - 1}}
	for _, df := range []int{3, 127, 128, 129, 300, 5000} {
		docs, _, _ := randomList(rng, df, false)
		lists = append(lists, docs)
	}
	var sparse []uint32
	for d := uint32(5); len(sparse) < 400; d += uint32(1 + rng.IntN(1<<22)) {
		sparse = append(sparse, d)
	}
	lists = append(lists, sparse)
	for _, docs := range lists {
		tfs := make([]uint32, len(docs))
		for i := range tfs {
			tfs[i] = uint32(1 + rng.IntN(3))
		}
		db, _ := riceList(docs, tfs)
		gd, gt, _ := decodeAll(newPostingIter(db, nil, len(docs), false, true))
		if !slices.Equal(gd, docs) || !slices.Equal(gt, tfs) {
			t.Errorf("Rice list of %d documents (last %d): round trip differs", len(docs), docs[len(docs)-1])
		}
		open := func() *postingIter { return newPostingIter(db, nil, len(docs), false, true) }
		step := func(trial int) int { return 1 + int(docs[len(docs)-1]/uint32(1+trial))/8 }
		checkJumps(t, rng, 20, step, open, docs, tfs, nil)
	}
}

// TestRiceSmaller: a long Rice list (gaps of about 4 here) takes at most
// two thirds of the varint bytes, and a short one never more than a
// couple of bytes over them.
func TestRiceSmaller(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for _, df := range []int{3, 50, 1000, 20000} {
		docs, tfs, _ := randomList(rng, df, false)
		for i := range tfs {
			tfs[i] = min(tfs[i], shippedMaxTF)
		}
		v, _ := appendPostings(nil, nil, docs, tfs, nil)
		r, _ := riceList(docs, tfs)
		if len(r) > len(v)+2 || df >= 1000 && 3*len(r) > 2*len(v) {
			t.Errorf("%d documents: Rice %d bytes, varints %d", df, len(r), len(v))
		}
	}
}

func TestSegmentTermTable(t *testing.T) {
	w := &segWriter{}
	var terms []string
	for i := range 3000 {
		terms = append(terms, string(rune(0x4E00+i/50))+string(rune(0x4E00+i%50)))
	}
	terms = append(terms, "apple", "apply", "banana")
	slices.Sort(terms)
	for i, term := range terms {
		raw, ends := appendPositions(nil, nil, []uint32{uint32(i)}, []uint32{1}, []uint32{uint32(i)})
		w.addTerm(term, []uint32{uint32(i)}, []uint32{1}, raw, ends)
	}
	blob, hb := w.finish([]docInfo{{id: "x", length: 3}})
	h, err := decodeHeader(hb)
	if err != nil {
		t.Fatal(err)
	}
	if len(h.blockFirst) < 2 {
		t.Fatalf("%d term blocks, want several", len(h.blockFirst))
	}
	find := func(term string) *termEntry {
		bi := h.blockFor(term)
		if bi < 0 {
			return nil
		}
		var found *termEntry
		err := decodeBlock(blob[h.termsOff+h.blockOff[bi]:h.termsOff+h.blockOff[bi+1]], func(e *termEntry, _ int) bool {
			if string(e.name) == term {
				c := e.keep()
				found = &c
			}
			return string(e.name) < term
		})
		if err != nil {
			t.Fatal(err)
		}
		return found
	}
	for i, term := range terms {
		e := find(term)
		if e == nil {
			t.Fatalf("term %q not found", term)
		}
		it := newPostingIter(blob[h.docsOff+e.docsOff:h.docsOff+e.docsOff+e.docsLen], blob[h.posOff+e.posOff:h.posOff+e.posOff+e.posLen], e.df, true, false)
		if d := it.next(0); d != uint32(i) {
			t.Errorf("term %q: doc %d, want %d", term, d, i)
		}
	}
	if e := find("applz"); e != nil {
		t.Errorf("found absent term %q", e.term)
	}
}

// encodeHeaderV2 writes h in the layout of format 6 ("BSX2"), which
// indexes stored by earlier versions still hold.
func encodeHeaderV2(h *segHeader) []byte {
	b := []byte(segMagicV2)
	for _, v := range []int{h.docs, h.terms, int(h.totalLen), h.blobLen, h.termsOff, h.docsOff, h.posOff, h.dtOff} {
		b = binary.AppendUvarint(b, uint64(v))
	}
	b = binary.AppendVarint(b, h.minDate)
	b = binary.AppendVarint(b, h.maxDate)
	b = binary.AppendUvarint(b, uint64(len(h.blockFirst)))
	for i, t := range h.blockFirst {
		b = appendString(b, t)
		b = binary.AppendUvarint(b, uint64(h.blockOff[i]))
	}
	b = binary.AppendUvarint(b, uint64(h.blockOff[len(h.blockFirst)]))
	b = binary.AppendUvarint(b, uint64(len(h.chunkOff)))
	for _, o := range h.chunkOff {
		b = binary.AppendUvarint(b, uint64(o))
	}
	if h.flags != 0 {
		b = binary.AppendUvarint(b, h.flags)
		for _, d := range h.chunkDate {
			b = binary.AppendVarint(b, d)
		}
	}
	return b
}

// TestHeaderLayouts: a header decodes to what was encoded, in the
// current layout (local and shipped) and in format 6's.
func TestHeaderLayouts(t *testing.T) {
	local := &segHeader{docs: 300, terms: 4, totalLen: 9000, blobLen: 5000, termsOff: 0, docsOff: 100, posOff: 900, dtOff: 4000,
		minDate: 1e9, maxDate: 1.7e9, blockFirst: []string{"中国", "中央", "政府", "zebra"}, blockOff: []int{0, 20, 45, 70, 100},
		chunkOff: []int{0, 400, 800, 1000}}
	shipped := *local
	shipped.posOff = shipped.docsOff + 800
	shipped.flags = segShipped | segBlockDocs | segRice
	shipped.blockDocs = []int{0, 10, 300, 301, 800}
	shipped.chunkDate = []int64{1.1e9, 1.5e9, 1.7e9}
	old := *local
	old.flags, old.chunkDate = segShipped, shipped.chunkDate
	for _, c := range []struct {
		name string
		h    *segHeader
		enc  []byte
	}{{"local", local, local.encode()}, {"shipped", &shipped, shipped.encode()}, {"format 6", &old, encodeHeaderV2(&old)}} {
		got, err := decodeHeader(c.enc)
		if err != nil {
			t.Errorf("%s: decodeHeader = %v", c.name, err)
			continue
		}
		if !reflect.DeepEqual(got, c.h) {
			t.Errorf("%s: decodeHeader = %+v, want %+v", c.name, got, c.h)
		}
	}
	bad := shipped
	bad.blockDocs = []int{0, 10, 300, 301, 700} // short of the docs section
	if _, err := decodeHeader(bad.encode()); err == nil {
		t.Errorf("decodeHeader of lists not ending at the docs section's end succeeded")
	}
}

// TestShippedDocTable: a shipped doc-table chunk decodes to what was
// encoded: hex and other IDs, dates in any order, repeated and new
// sources and authors, none.
func TestShippedDocTable(t *testing.T) {
	docs := []docInfo{
		{id: "a16f1ea5465b3bd6", date: 1700000000, source: "港口日报", authors: []string{"李明", "王芳"}},
		{id: "front-matter-7", date: 1700003600, source: "港口日报", authors: []string{"王芳"}},
		{id: "A16F1EA5465B3BD6", date: 0, source: ""},
		{id: "00000000000000ff", date: 1600000000, source: "Harbor Times", authors: []string{"李明", "Jane Roe"}},
	}
	var w docChunkWriter
	var b []byte
	for i := range docs {
		b = w.append(b, &docs[i])
	}
	h := &segHeader{flags: segShipped | segShippedDocs}
	got, err := h.decodeDocChunk(b, len(docs))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, docs) {
		t.Errorf("decodeDocChunk = %+v, want %+v", got, docs)
	}
	for n := range b {
		h.decodeDocChunk(b[:n], len(docs)) // truncated: no panic
	}
}

// TestRiceWithoutFreqs: a one-character Han term's shipped list keeps no
// frequencies (every one reads 1), and a block whose frequencies are all
// 1 spends no bit on them.
func TestRiceWithoutFreqs(t *testing.T) {
	if riceFreqs("港") || !riceFreqs("港口") || !riceFreqs("a") || !riceFreqs("\x01港") {
		t.Fatalf("riceFreqs: want false for one Han character only")
	}
	rng := rand.New(rand.NewPCG(9, 10))
	docs, tfs, _ := randomList(rng, 3000, false)
	for i := range tfs {
		tfs[i] = min(tfs[i], shippedMaxTF)
	}
	ones := make([]uint32, len(docs))
	for i := range ones {
		ones[i] = 1
	}
	without, _, _ := appendPostingsTo(nil, nil, nil, docs, tfs, nil, nil, true, false, false, nil)
	gd, gt, _ := decodeAll(newPostingIter(without, nil, len(docs), false, true))
	if !slices.Equal(gd, docs) || !slices.Equal(gt, ones) {
		t.Errorf("list without frequencies: round trip differs")
	}
	with, _ := riceList(docs, tfs)
	allOnes, _ := riceList(docs, ones)
	if len(allOnes) != len(without) || len(without) >= len(with) {
		t.Errorf("bytes: without frequencies %d, all 1 %d, with %d; want the first two equal and smaller", len(without), len(allOnes), len(with))
	}
}
