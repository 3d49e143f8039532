package search

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"math/bits"
	"os"
	"slices"
	"sort"
	"strings"
	"sync"
)

// Bulk builds a new shipped index in one pass, as a site builder does:
// batches of documents are tokenized into runs (Build: their terms and
// lists, sorted and cheaply coded, written to a temporary file; see
// runBuilder) on any goroutine, added in the documents' order (Add), and
// merged at the end into the index's one segment, on every core
// (Finish: each range of terms from a tree of the runs' readers, a term's
// lists from several runs put in document order through a bitmap). It
// writes what Add of each batch (with HoldMerges) and then Compact
// would, byte for byte, without coding each batch as a segment, writing
// it to the store and decoding it back. Given its documents in the
// segment's order, it merges without renumbering (FinishOrdered).
type Bulk struct {
	ix   *Index
	f    *os.File // the runs' terms and lists
	mu   sync.Mutex
	end  int64 // bytes of f written or reserved
	runs []*Run
	// builders not in use, kept from one batch to the next (Finish
	// drops them)
	free []*runBuilder
	// about the bytes of runs a range of the merge covers
	rangeBytes int64
	// the runs' documents are given in their final order (FinishOrdered)
	ordered bool
	// records that make a run full; 0 is maxRecords (tests make it
	// smaller)
	maxRecords int
	// where the segment's pages go instead of the index's store (PagesTo)
	pages func(table, key string, page []byte) error
}

// Run is a batch of documents tokenized into sorted lists (Bulk.Build).
// Its terms and lists are in the Bulk's file; memory holds its documents
// and a term every runCheckpoint, where reading may start.
type Run struct {
	docs      []docInfo // in date order, as a segment numbers them
	records   []uint32  // each document's records (runBuilder.full counts them)
	textBytes int
	off, size int64        // its bytes in the file
	marks     []checkpoint // ascending
}

// checkpoint is a term of a run whose record (see termWriter.add) codes
// it whole, and where that record is, from the run's start.
type checkpoint struct {
	term string
	off  int64
}

// runCheckpoint is how many terms of a run there are from one
// checkpoint to the next.
const runCheckpoint = 64

// NewBulk returns a Bulk that fills ix, which must be an empty shipped
// index, keeping its runs in a temporary file in dir (os.TempDir() when
// empty) until Finish or Close.
func (ix *Index) NewBulk(dir string) (*Bulk, error) {
	ix.mu.Lock()
	empty := ix.man.Shipped && len(ix.man.Segs) == 0
	ix.mu.Unlock()
	if !empty {
		return nil, errors.New("search: a bulk load needs an empty shipped index")
	}
	f, err := os.CreateTemp(dir, "broadsheet-runs-*")
	if err != nil {
		return nil, err
	}
	return &Bulk{ix: ix, f: f, rangeBytes: mergeRangeBytes}, nil
}

// Close removes the Bulk's file; the Bulk is not used after.
func (bk *Bulk) Close() error {
	err := bk.f.Close()
	if rerr := os.Remove(bk.f.Name()); err == nil {
		err = rerr
	}
	return err
}

// Build tokenizes docs into runs (more than one when they hold more
// tokens than a segment of a batch would), the last document of each ID
// kept, and writes their terms and lists to the Bulk's file. It touches
// nothing of the index: any number of goroutines may build at once.
func (bk *Bulk) Build(docs []Doc) ([]*Run, error) {
	docs = lastByID(docs)
	b := bk.builder()
	defer bk.putBuilder(b)
	b.reset()
	var runs []*Run
	for i := range docs {
		b.add(&docs[i])
		if b.full() || i == len(docs)-1 {
			r, data := b.run()
			if err := bk.write(r, data); err != nil {
				return nil, err
			}
			runs = append(runs, r)
			b.reset()
		}
	}
	return runs, nil
}

// builder returns a runBuilder not in use.
func (bk *Bulk) builder() *runBuilder {
	bk.mu.Lock()
	defer bk.mu.Unlock()
	if n := len(bk.free); n > 0 {
		b := bk.free[n-1]
		bk.free = bk.free[:n-1]
		return b
	}
	b := newRunBuilder()
	b.limit = int(bk.limit())
	return b
}

func (bk *Bulk) putBuilder(b *runBuilder) {
	bk.mu.Lock()
	defer bk.mu.Unlock()
	bk.free = append(bk.free, b)
}

// write writes a run's bytes at the end of the file.
func (bk *Bulk) write(r *Run, data []byte) error {
	bk.mu.Lock()
	r.off, r.size = bk.end, int64(len(data))
	bk.end += r.size
	bk.mu.Unlock()
	_, err := bk.f.WriteAt(data, r.off)
	return err
}

// PagesTo makes Finish and FinishOrdered hand the segment's pages to
// put, one after another in key order, instead of writing them to the
// index's store with its other records (the manifest, the documents'
// IDs): a site builder puts them straight into the archive it writes,
// rather than into its scratch store and out again. The index is then
// read from a store that holds both (the archive), not from its own.
// An error of put stops Finish, which then writes nothing to the store.
func (bk *Bulk) PagesTo(put func(table, key string, page []byte) error) { bk.pages = put }

// Add adds runs after those added before; a document replaces any
// document of its ID added before it.
func (bk *Bulk) Add(runs ...*Run) { bk.runs = append(bk.runs, runs...) }

// Finish merges the runs into one segment and writes it with its
// documents' records and the manifest, in one batch. The segment is
// numbered as Compact would have numbered the merge of the runs'
// segments (one run's segment is not merged).
func (bk *Bulk) Finish(ctx context.Context) error {
	ix := bk.ix
	ix.mu.Lock()
	defer ix.mu.Unlock()
	bk.dropBuilders()
	if len(bk.runs) == 0 {
		return nil
	}
	inputs, docs, ids := bk.renumber()
	var text int64
	for i, r := range bk.runs {
		live := 0
		for _, n := range inputs[i].newDoc {
			if n != noDoc {
				live++
			}
		}
		text += int64(r.textBytes) * int64(live) / int64(len(r.docs))
	}
	return bk.finishAs(ctx, inputs, docs, ids, func() (int, int64, error) { return len(bk.runs), text, nil })
}

func (bk *Bulk) dropBuilders() {
	bk.mu.Lock()
	bk.free = nil
	bk.mu.Unlock()
}

// finishAs merges the runs, their documents renumbered by inputs, into
// one segment of docs, and writes it as the merge of the segments of
// runs holding textBytes of text would be, those given by as once the
// lists are merged (ix.mu held); as's error stops it.
func (bk *Bulk) finishAs(ctx context.Context, inputs []mergeInput, docs []docInfo, ids []string, as func() (runs int, textBytes int64, err error)) error {
	ix := bk.ix
	// the runs' lists are longer than the segment's: its docs stream
	// grows without a copy
	var runBytes int64
	for _, r := range bk.runs {
		runBytes += r.size
	}
	w := &segWriter{hdr: segHeader{flags: segShipped}, docs: make([]byte, 0, runBytes)}
	err := mergeTerms(bk.bounds(), true, func(m *mergedRange, lo, hi string) error {
		return m.mergeRuns(bk, inputs, len(docs), lo, hi)
	}, w.addEncoded)
	runs, textBytes, aerr := as()
	if err == nil {
		err = aerr
	}
	if err != nil {
		return err
	}
	blob, header := w.finish(docs)
	c := ix.newChange()
	c.batch.Relaxed = true
	if runs > 1 {
		c.man.Next += runs // the numbers of the runs' segments
	}
	id := c.man.Next
	c.man.Next++
	if bk.pages == nil {
		putSegment(c, id, blob)
	} else if err := bk.putPages(c.man.pages(), id, blob); err != nil {
		return err
	}
	meta := segMeta{ID: id, Docs: len(docs), Bytes: len(blob), Header: header, TextBytes: textBytes}
	for i := range docs {
		meta.TotalLen += int64(docs[i].length)
		meta.MaxDate = max(meta.MaxDate, docs[i].date)
		c.batch.Put(tableIDs, docs[i].id, encodeRef(docRef{id, uint32(i)}))
	}
	c.man.Segs = append(c.man.Segs, meta)
	c.man.undefer(ids)
	bk.runs = nil
	return ix.commit(ctx, c)
}

// putPages hands the pages of segment id, its blob, to bk.pages, as
// putSegment would store them.
func (bk *Bulk) putPages(size, id int, blob []byte) error {
	for p := 0; p*size < len(blob); p++ {
		if err := bk.pages(tablePages, pageKey(id, p), blob[p*size:min(len(blob), (p+1)*size)]); err != nil {
			return err
		}
	}
	return nil
}

// renumber numbers the documents of the runs as a merge of their
// segments would: the last of each ID live, in date order (the runs'
// documents one after another, the order kept among equal dates). It
// returns each run's new numbers (noDoc for a replaced document), the
// documents in their new order and the IDs of all.
func (bk *Bulk) renumber() ([]mergeInput, []docInfo, []string) {
	last := map[string]int{}
	n := 0
	for _, r := range bk.runs {
		for i := range r.docs {
			last[r.docs[i].id] = n
			n++
		}
	}
	ids := make([]string, 0, len(last))
	inputs := make([]mergeInput, len(bk.runs))
	docs := make([]docInfo, 0, len(last))
	n = 0
	for k, r := range bk.runs {
		inputs[k].newDoc = make([]uint32, len(r.docs))
		for i := range r.docs {
			if last[r.docs[i].id] != n {
				inputs[k].newDoc[i] = noDoc
			} else {
				inputs[k].newDoc[i] = uint32(len(docs))
				docs = append(docs, r.docs[i])
				ids = append(ids, r.docs[i].id)
			}
			n++
		}
	}
	if len(bk.runs) > 1 {
		docs = renumberByDate(inputs, docs)
		for i := range docs {
			// as merged segments' documents read back: a shipped doc
			// table keeps no lengths and extents (doctable.go)
			docs[i].length, docs[i].titleEnd, docs[i].leadEnd = 0, 0, 0
		}
	}
	return inputs, docs, ids
}

// bounds returns terms that cut the runs' terms into ranges of about
// mergeRangeBytes of runs, ascending: checkpoints of the runs, moved to
// their groups' starts (groupBounds: a range holds its bigrams'
// parents).
func (bk *Bulk) bounds() []string {
	var marks []string
	var total int64
	for _, r := range bk.runs {
		total += r.size
		for _, m := range r.marks[1:] {
			marks = append(marks, m.term)
		}
	}
	slices.Sort(marks)
	marks = slices.Compact(marks)
	n := min(len(marks), int(total/bk.rangeBytes))
	bounds := make([]string, 0, n)
	for k := 1; k < n; k++ {
		if b := marks[k*len(marks)/n]; len(bounds) == 0 || b > bounds[len(bounds)-1] {
			bounds = append(bounds, b)
		}
	}
	return groupBounds(bounds)
}

// span returns where the records of terms from lo to hi ("": past the
// last) may be, from the run's start: from the last checkpoint at or
// before lo to the first at or after hi.
func (r *Run) span(lo, hi string) (from, to int64) {
	i := sort.Search(len(r.marks), func(i int) bool { return r.marks[i].term > lo })
	if i > 0 {
		from = r.marks[i-1].off
	}
	to = r.size
	if hi != "" {
		if j := sort.Search(len(r.marks), func(j int) bool { return r.marks[j].term >= hi }); j < len(r.marks) {
			to = r.marks[j].off
		}
	}
	return from, max(from, to)
}

// runReader reads the records of a run's span (termWriter.add), from a
// checkpoint.
type runReader struct {
	b    []byte
	n    int    // records read
	key  uint64 // the current term's key
	long bool   // the term is longer than 8 bytes
	name []byte // then, the term
	list []byte // and its list
	ok   bool
	err  error
}

// next decodes the next record; ok is false at the end or on an error.
func (rr *runReader) next() {
	if len(rr.b) == 0 {
		rr.ok = false
		return
	}
	delta, n1 := binary.Uvarint(rr.b)
	if n1 <= 0 {
		rr.fail()
		return
	}
	if rr.n%runCheckpoint == 0 {
		rr.key = 0
	}
	rr.n++
	rr.key += delta
	h, n2 := binary.Uvarint(rr.b[n1:])
	if n2 <= 0 {
		rr.fail()
		return
	}
	rr.b = rr.b[n1+n2:]
	n := h >> 1
	if n > uint64(len(rr.b)) {
		rr.fail()
		return
	}
	rr.list, rr.b = rr.b[:n], rr.b[n:]
	rr.long = h&1 != 0
	if rr.long {
		rest, ok := rr.bytes()
		if !ok {
			return
		}
		rr.name = binary.BigEndian.AppendUint64(rr.name[:0], rr.key)
		rr.name = append(rr.name, rest...)
	}
	rr.ok = true
}

// term is the current term.
func (rr *runReader) term() string {
	if rr.long {
		return string(rr.name)
	}
	return keyTerm(rr.key)
}

// cmp compares the current term with b.
func (rr *runReader) cmp(b *bound) int {
	if rr.key != b.key {
		if rr.key < b.key {
			return -1
		}
		return 1
	}
	switch {
	case rr.long:
		return strings.Compare(string(rr.name), b.term)
	case len(b.term) > 8: // the term is a prefix of b's
		return -1
	}
	return 0
}

// bound is a term that starts or ends a range of a merge, and its key.
type bound struct {
	term string
	key  uint64
}

func boundOf(term string) bound { return bound{term, termKeyOf(term)} }

// bytes takes a uvarint length and as many bytes.
func (rr *runReader) bytes() ([]byte, bool) {
	n, k := binary.Uvarint(rr.b)
	if k <= 0 || n > uint64(len(rr.b)-k) {
		rr.fail()
		return nil, false
	}
	v := rr.b[k : k+int(n)]
	rr.b = rr.b[k+int(n):]
	return v, true
}

func (rr *runReader) fail() { rr.ok, rr.err, rr.b = false, errCorrupt, nil }

// mergeRuns merges the runs' terms from lo (inclusive; "" is the first)
// to hi (exclusive; "" is past the last) into m: the runs' readers in a
// tournament tree by term (runTree), each term's lists gathered from the
// runs that hold it and put in document order (sortRuns).
func (m *mergedRange) mergeRuns(bk *Bulk, inputs []mergeInput, docs int, lo, hi string) error {
	m.reset()
	if !bk.ordered {
		m.sizeBitmaps(docs)
	}
	m.rrs = slices.Grow(m.rrs[:0], len(bk.runs))[:len(bk.runs)]
	m.bufs = slices.Grow(m.bufs[:0], len(bk.runs))[:len(bk.runs)]
	lob, hib := boundOf(lo), boundOf(hi)
	for k, r := range bk.runs {
		from, to := r.span(lo, hi)
		buf := slices.Grow(m.bufs[k][:0], int(to-from))[:to-from]
		if _, err := bk.f.ReadAt(buf, r.off+from); err != nil {
			return err
		}
		m.bufs[k] = buf
		rr := &m.rrs[k]
		*rr = runReader{b: buf, name: rr.name[:0]}
		for rr.next(); rr.ok && lo != "" && rr.cmp(&lob) < 0; rr.next() {
		}
		if rr.err != nil {
			return rr.err
		}
	}
	t := newRunTree(m.rrs, m.heap)
	defer func() { m.heap = t.node[:0] }()
	var longName []byte // the current term, when long
	for !t.empty() {
		top := &m.rrs[t.top()]
		if hi != "" && top.cmp(&hib) >= 0 {
			return nil
		}
		name, key, long := top.term(), top.key, top.long
		if long {
			longName = append(longName[:0], top.name...)
		}
		m.parts = m.parts[:0]
		size := 0
		for !t.empty() {
			k := t.top()
			rr := &m.rrs[k]
			if rr.key != key || rr.long != long || long && !bytes.Equal(rr.name, longName) {
				break
			}
			m.parts = append(m.parts, runPart{rr.list, inputs[k].newDoc})
			size += len(rr.list)
			if rr.next(); rr.err != nil {
				return rr.err
			}
			t.moved()
		}
		d0 := len(m.docs)
		var err error
		switch {
		case bk.ordered:
			// in order already: ordered runs' documents follow the
			// runs', and the tree gives the parts in run order
			err = m.appendOrdered(size)
		case len(m.parts) == 1:
			err = m.appendParts()
		case size >= sortRunsBitmap:
			err = m.appendByBitmap()
		default:
			err = m.appendParts()
			m.sortRuns(m.docs[d0:], m.tfs[d0:])
		}
		if err != nil {
			return err
		}
		if len(m.docs) == d0 {
			continue
		}
		m.terms = append(m.terms, name)
		m.at = append(m.at, mergedAt{docs: len(m.docs), raw: len(m.raw), ends: len(m.ends)})
	}
	return nil
}

// appendParts appends the live documents of m.parts, renumbered, and
// their frequencies, part after part.
func (m *mergedRange) appendParts() error {
	for _, p := range m.parts {
		var err error
		if m.docs, m.tfs, err = appendRunPostings(m.docs, m.tfs, p.list, p.newDoc); err != nil {
			return err
		}
	}
	return nil
}

// appendOrdered appends the documents of m.parts, parts of ordered runs
// (FinishOrdered: a run's documents are numbered from its first's, none
// replaced), and their frequencies: size is the bytes of their lists, at
// least a byte a document.
func (m *mergedRange) appendOrdered(size int) error {
	at := len(m.docs)
	m.docs, m.tfs = slices.Grow(m.docs, size)[:at+size], slices.Grow(m.tfs, size)[:at+size]
	docs, tfs := m.docs[at:], m.tfs[at:]
	i := 0
	for _, p := range m.parts {
		base, n := p.newDoc[0], int64(len(p.newDoc))
		d := int64(-1)
		for b := p.list; len(b) > 0; {
			v, k := uint64(b[0]), 1
			if v >= 0x80 {
				if v, k = binary.Uvarint(b); k <= 0 {
					return errCorrupt
				}
			}
			b = b[k:]
			d += int64(v >> 2)
			if d >= n {
				return errCorrupt
			}
			docs[i], tfs[i] = base+uint32(d), uint32(v&3)
			i++
		}
	}
	m.docs, m.tfs = m.docs[:at+i], m.tfs[:at+i]
	return nil
}

// runPart is a run's list of a term, and the new numbers of the run's
// documents.
type runPart struct {
	list   []byte
	newDoc []uint32
}

// runTree is a tournament tree of the readers of runs (their indexes
// k), ordered by their current terms, then by run, least first, readers
// at their end last: the winner (the least) at the top, each inner node
// the loser of the match played there. When the winner moves on, one
// match per level is played again on its way up (a heap compared two
// children per level on its way down). It holds the terms' keys by run
// (key), to compare without reaching the readers.
type runTree struct {
	rrs  []runReader
	node []int    // node[0]: the winner; node[p], 1 <= p < n: a loser
	key  []uint64 // by run
	done []bool   // by run: the reader is at its end
}

// newRunTree plays the first matches of the readers rrs, those at their
// end (not ok) last. node is a buffer to reuse.
func newRunTree(rrs []runReader, node []int) runTree {
	n := len(rrs)
	t := runTree{rrs: rrs, node: slices.Grow(node[:0], n)[:n], key: make([]uint64, n), done: make([]bool, n)}
	for k := range rrs {
		t.key[k], t.done[k] = rrs[k].key, !rrs[k].ok
	}
	if n == 0 {
		return t
	}
	// winners of the subtrees; leaf k is at n+k, node p's children at
	// 2p and 2p+1
	win := make([]int, 2*n)
	for k := range n {
		win[n+k] = k
	}
	for p := n - 1; p >= 1; p-- {
		a, b := win[2*p], win[2*p+1]
		if t.less(b, a) {
			a, b = b, a
		}
		win[p], t.node[p] = a, b
	}
	t.node[0] = win[1]
	return t
}

// empty reports whether every reader is at its end.
func (t *runTree) empty() bool { return len(t.node) == 0 || t.done[t.node[0]] }

// top is the run of the least reader.
func (t *runTree) top() int { return t.node[0] }

// moved plays again the matches of the winner, which moved on (or
// reached its end).
func (t *runTree) moved() {
	k := t.node[0]
	rr := &t.rrs[k]
	t.key[k], t.done[k] = rr.key, !rr.ok
	for p := (len(t.node) + k) / 2; p >= 1; p /= 2 {
		if l := t.node[p]; t.less(l, k) {
			t.node[p], k = k, l
		}
	}
	t.node[0] = k
}

// less orders runs a and b by their readers' terms, then by run, those
// at their end last.
func (t *runTree) less(a, b int) bool {
	if t.done[a] || t.done[b] {
		if t.done[a] != t.done[b] {
			return t.done[b]
		}
		return a < b
	}
	if t.key[a] != t.key[b] {
		return t.key[a] < t.key[b]
	}
	x, y := &t.rrs[a], &t.rrs[b]
	if x.long || y.long {
		if x.long != y.long {
			return y.long // a term of 8 bytes is a prefix of the other
		}
		if c := bytes.Compare(x.name, y.name); c != 0 {
			return c < 0
		}
	}
	return a < b
}

// sortRuns puts in document order a short list gathered from several
// runs (no document twice).
func (m *mergedRange) sortRuns(docs, tfs []uint32) {
	m.packed = m.packed[:0]
	for i, d := range docs {
		m.packed = append(m.packed, uint64(d)<<32|uint64(tfs[i]))
	}
	slices.Sort(m.packed)
	for i, v := range m.packed {
		docs[i], tfs[i] = uint32(v>>32), uint32(v)
	}
}

// sortRunsBitmap is the bytes of lists from which a term's parts are
// merged through a bitmap.
const sortRunsBitmap = 64

// appendByBitmap appends the live documents of m.parts, renumbered, and
// their frequencies, in document order: each document is set in a
// bitmap of the documents (and the word holding it in a bitmap of its
// words), then the bitmaps are read in order.
func (m *mergedRange) appendByBitmap() error {
	hi, live := uint32(0), 0
	for _, p := range m.parts {
		d := int64(-1)
		for b := p.list; len(b) > 0; {
			v, n := uint64(b[0]), 1
			if v >= 0x80 {
				if v, n = binary.Uvarint(b); n <= 0 {
					return errCorrupt
				}
			}
			b = b[n:]
			d += int64(v >> 2)
			if d >= int64(len(p.newDoc)) {
				return errCorrupt
			}
			nd := p.newDoc[d]
			if nd == noDoc {
				continue
			}
			if int(nd) >= len(m.tfByDoc) {
				return errCorrupt
			}
			w := nd / 64
			m.bitmap[w] |= 1 << (nd % 64)
			m.bitmap2[w/64] |= 1 << (w % 64)
			m.tfByDoc[nd] = uint8(v & 3)
			hi = max(hi, nd)
			live++
		}
	}
	if live == 0 {
		return nil
	}
	// the documents are written in place, the lists grown once
	at := len(m.docs)
	m.docs, m.tfs = slices.Grow(m.docs, live)[:at+live], slices.Grow(m.tfs, live)[:at+live]
	docs, tfs := m.docs[at:], m.tfs[at:]
	i := 0
	for s := range hi/(64*64) + 1 {
		for x := m.bitmap2[s]; x != 0; x &= x - 1 {
			w := s*64 + uint32(bits.TrailingZeros64(x))
			for y := m.bitmap[w]; y != 0; y &= y - 1 {
				d := w*64 + uint32(bits.TrailingZeros64(y))
				docs[i], tfs[i] = d, uint32(m.tfByDoc[d])
				i++
			}
			m.bitmap[w] = 0
		}
		m.bitmap2[s] = 0
	}
	m.docs, m.tfs = m.docs[:at+i], m.tfs[:at+i] // a document twice, set once
	return nil
}

// sizeBitmaps makes appendByBitmap's bitmaps hold n documents.
func (m *mergedRange) sizeBitmaps(n int) {
	if len(m.tfByDoc) != n {
		m.tfByDoc = make([]uint8, n)
		m.bitmap = make([]uint64, (n+63)/64)
		m.bitmap2 = make([]uint64, (n+64*64-1)/(64*64))
	}
}

// appendRunPostings appends the live documents of a run's list (see
// appendRunList), renumbered by newDoc, and their frequencies.
func appendRunPostings(docs, tfs []uint32, b []byte, newDoc []uint32) ([]uint32, []uint32, error) {
	d := int64(-1)
	for len(b) > 0 {
		v, n := uint64(b[0]), 1
		if v >= 0x80 {
			if v, n = binary.Uvarint(b); n <= 0 {
				return docs, tfs, errCorrupt
			}
		}
		b = b[n:]
		d += int64(v >> 2)
		if d >= int64(len(newDoc)) {
			return docs, tfs, errCorrupt
		}
		if nd := newDoc[d]; nd != noDoc {
			docs, tfs = append(docs, nd), append(tfs, uint32(v&3))
		}
	}
	return docs, tfs, nil
}
