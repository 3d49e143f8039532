package search

import (
	"cmp"
	"context"
	"errors"
	"math"
	"slices"

	"github.com/broadsheet/broadsheet/app/store"
)

// A shipped index is the copy of an index that a hosted archive ships to
// its visitors (OpenShipped): every byte of it may cross the network, so
// its segments keep what a query needs to find and rank documents and
// no more.
//
//   - No positions. A term's list holds documents and a frequency only. A
//     part of one token (a Han character or bigram, a word, a prefix) is
//     still exact; a longer part (三个字 and up, or Han beside a word)
//     matches the documents holding all its tokens, which may hold them
//     apart. Those candidates are verified against their text when they
//     are shown (the text is read for the snippet anyway), false ones
//     dropped, and Results.Estimated set when candidates were counted
//     that were not verified.
//   - The frequency is weighted, an occurrence in the title counting 3
//     and in the lead 2, and capped at 3: it fits in the document delta's
//     two spare bits (posting.go), so it costs no byte.
//   - Pages are small (shippedPageSize).
//   - Documents are numbered in date order (oldest first), and the header
//     keeps the newest date of each doc-table chunk: a query ranks every
//     candidate without reading the doc table (BM25 without length
//     normalisation, the recency prior from the chunk's date), and reads
//     the doc table only for the hits it shows, or for the candidates of
//     a query with author:, source:, after: or before:.
//
// Merges keep the date order: the documents of the merged segments are
// numbered by date again and each list put in that order.

// shippedPageSize is the page of a shipped index: a visitor's query
// fetches the pages around its term blocks, lists and doc-table chunks,
// a few KB each.
const shippedPageSize = 16 << 10

// Weights of an occurrence in a shipped segment's frequency, and the cap.
const (
	shippedTitle = 3
	shippedLead  = 2
	shippedMaxTF = 3
)

// ErrNotShipped is returned by OpenShipped for a store holding an index
// that is not a shipped one.
var ErrNotShipped = errors.New("search: the store holds an index that is not a shipped index")

// OpenShipped opens the shipped index kept in s, or starts one if s holds
// none: documents added to it are written as shipped segments.
func OpenShipped(ctx context.Context, s store.Store) (*Index, error) {
	ix, err := Open(ctx, s)
	if err != nil {
		return nil, err
	}
	switch {
	case ix.man.Shipped:
	case len(ix.man.Segs) == 0:
		ix.man.Shipped, ix.man.PageSize, ix.man.Version = true, shippedPageSize, shippedVersion
	default:
		return nil, ErrNotShipped
	}
	return ix, nil
}

// TextTable is the table of the texts an index shows its hits with (the
// title and text of each document, by ID). A hosted archive ships it
// empty and reads its articles instead (Index.UseTexts).
const TextTable = tableText

// MetaTable is the table of an index's manifest, read by Open.
const MetaTable = tableMeta

// Texts reads the titles and texts of documents by ID, for the hits a
// query shows: one Doc (ID, Title and Text set) per ID, nil for an ID it
// does not know. See Index.UseTexts.
type Texts func(ctx context.Context, ids []string) ([]*Doc, error)

// UseTexts makes the index read the texts of the hits it shows (their
// snippets, and the check of a shipped index's phrases) from t, and from
// its own table only the ones t lacks: a hosted archive ships each
// article once, in its library, and an empty text table (t must give the
// text that was indexed).
func (ix *Index) UseTexts(t Texts) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.source = t
}

// chunkDates returns the newest date of each doc-table chunk of docs.
func chunkDates(docs []docInfo) []int64 {
	out := make([]int64, 0, (len(docs)+docChunkSize-1)/docChunkSize)
	for i := 0; i < len(docs); i += docChunkSize {
		var d int64
		for _, x := range docs[i:min(i+docChunkSize, len(docs))] {
			d = max(d, x.date)
		}
		out = append(out, d)
	}
	return out
}

// dateOrder returns the documents' numbers in date order, oldest first
// (undated first), keeping the given order among equal dates.
func dateOrder(docs []docInfo) []int {
	order := make([]int, len(docs))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		switch x, y := docs[a].date, docs[b].date; {
		case x < y:
			return -1
		case x > y:
			return 1
		}
		return 0
	})
	return order
}

// sortByDate renumbers a shipped batch's documents in date order, moving
// each document's records (contiguous, in the order added) with it.
func (b *builder) sortByDate() {
	order := dateOrder(b.docs)
	if slices.IsSorted(order) {
		return
	}
	start := make([]int, len(b.docs)+1)
	for i, d := 0, 0; d < len(b.docs); d++ {
		start[d] = i
		for i < len(b.vals) && int(b.vals[i]>>32) == d {
			i++
		}
		start[d+1] = i
	}
	keys, vals := b.keys2[:0], b.vals2[:0]
	docs := make([]docInfo, len(b.docs))
	for n, d := range order {
		keys = append(keys, b.keys[start[d]:start[d+1]]...)
		for _, v := range b.vals[start[d]:start[d+1]] {
			vals = append(vals, uint64(n)<<32|v&math.MaxUint32)
		}
		docs[n] = b.docs[d]
	}
	b.keys, b.keys2 = keys, b.keys[:0]
	b.vals, b.vals2 = vals, b.vals[:0]
	b.docs = docs
}

// groupShipped makes a shipped list from one term's sorted records: per
// document, the weighted frequency of its occurrences (perDoc: the
// record holds the count), capped.
func (l *postingList) groupShipped(recs []uint64, perDoc bool, docs []docInfo) {
	l.docs, l.tfs, l.raw, l.ends = l.docs[:0], l.tfs[:0], l.raw[:0], nil
	for _, v := range recs {
		d, x := uint32(v>>32), uint32(v)
		w := uint32(1)
		switch {
		case perDoc:
			w = x
		case x < docs[d].titleEnd:
			w = shippedTitle
		case x < docs[d].leadEnd:
			w = shippedLead
		}
		if n := len(l.docs); n > 0 && l.docs[n-1] == d {
			l.tfs[n-1] = min(l.tfs[n-1]+w, shippedMaxTF)
			continue
		}
		l.docs, l.tfs = append(l.docs, d), append(l.tfs, min(w, shippedMaxTF))
	}
}

// renumberByDate numbers the live documents of merged shipped segments
// in date order: it rewrites the inputs' newDoc and returns the documents
// in their new order.
func renumberByDate(inputs []mergeInput, docs []docInfo) []docInfo {
	order := dateOrder(docs)
	if slices.IsSorted(order) {
		return docs
	}
	rank := make([]uint32, len(order))
	out := make([]docInfo, len(order))
	for n, d := range order {
		rank[d] = uint32(n)
		out[n] = docs[d]
	}
	for i := range inputs {
		for d, n := range inputs[i].newDoc {
			if n != noDoc {
				inputs[i].newDoc[d] = rank[n]
			}
		}
	}
	return out
}

// docTF is a document of a list and its frequency.
type docTF struct{ doc, tf uint32 }

// sortList puts a merged shipped list in document order, in place.
func (l *postingList) sortList() {
	if slices.IsSorted(l.docs) {
		return
	}
	l.pairs = l.pairs[:0]
	for i, d := range l.docs {
		l.pairs = append(l.pairs, docTF{d, l.tfs[i]})
	}
	slices.SortFunc(l.pairs, func(a, b docTF) int { return cmp.Compare(a.doc, b.doc) })
	for i, p := range l.pairs {
		l.docs[i], l.tfs[i] = p.doc, p.tf
	}
}

// acceptShipped is accept for a shipped segment: every part's tokens are
// at d (the iterators agree), a part of several tokens only maybe as a
// phrase; a maybe-excluded candidate is kept, unsure, for the
// verification.
func (ix *Index) acceptShipped(ctx context.Context, p *plan, q *Query, d uint32, m *matcher, r *ranker) error {
	m.reset(len(q.Parts))
	unsure := false
	for i, its := range p.parts {
		f := its[0].freq()
		for _, it := range its[1:] {
			f = min(f, it.freq())
		}
		m.starts[i], m.freq[i] = m.starts[i][:0], f
		unsure = unsure || len(its) > 1
	}
	for _, its := range p.excludes {
		if present(its, d) {
			if len(its) == 1 {
				return nil
			}
			unsure = true
		}
	}
	date := p.seg.hdr.chunkDate[d/docChunkSize]
	if q.filtered() {
		info, err := ix.docInfo(ctx, p.seg, d)
		if err != nil {
			return err
		}
		if !q.keep(info) {
			return nil
		}
		date = info.date
	}
	r.addShipped(p.seg, d, date, m, unsure)
	return nil
}

// present reports whether every iterator holds document d.
func present(its []docIter, d uint32) bool {
	for _, it := range its {
		if it.next(d) != d {
			return false
		}
	}
	return true
}

// phrases reports whether a part of q has several tokens: one a shipped
// segment can only match maybe.
func (q *Query) phrases() bool {
	for _, ps := range [][]Part{q.Parts, q.Exclude} {
		for i := range ps {
			if len(ps[i].toks) > 1 {
				return true
			}
		}
	}
	return false
}

// filtered reports whether q has a filter that needs the doc table.
func (q *Query) filtered() bool {
	return len(q.Authors) > 0 || len(q.Sources) > 0 || !q.After.IsZero() || !q.Before.IsZero()
}

// addShipped scores a candidate of a shipped segment: BM25 without
// length normalisation over the weighted frequencies, and the recency
// prior from its chunk's date.
func (r *ranker) addShipped(s *segment, d uint32, date int64, m *matcher, unsure bool) {
	score := 0.0
	for i, idf := range r.idf {
		tf := float64(m.freq[i])
		score += max(idf, 0.01) * tf * (k1 + 1) / (tf + k1)
	}
	if len(r.idf) == 0 {
		score = 1
	}
	if unsure {
		r.unsure++
	}
	if r.by == ByRelevance && r.k > 0 && len(r.cands) == r.k && score*(1+recencyWeight*1) < r.cands[0].score {
		r.total++
		return
	}
	if date > 0 && r.newest > 0 {
		age := float64(max(r.newest-date, 0))
		score *= 1 + recencyWeight*math.Exp2(-age/recencyHalf)
	}
	r.offer(cand{seg: s, doc: d, score: score, date: date, unsure: unsure}, m)
}

// hitRanges are the doc-table chunks of the candidates of shipped
// segments not decoded yet, read in one step before the hits are made.
func hitRanges(cands []cand) []blobRange {
	var out []blobRange
	for _, c := range cands {
		s := c.seg
		if !s.hdr.shipped() {
			continue
		}
		ch := int(c.doc / docChunkSize)
		if ch+1 < len(s.hdr.chunkOff) && s.chunks[ch] == nil {
			out = append(out, blobRange{s, s.hdr.dtOff + s.hdr.chunkOff[ch], s.hdr.chunkOff[ch+1] - s.hdr.chunkOff[ch]})
		}
	}
	return out
}

// verified reports whether a document's folded title and text hold every
// part of q and no excluded part: the check of an unsure candidate.
func verified(title, text string, q *Query) bool {
	found := make([]bool, len(q.Parts))
	for _, s := range []string{title, text} {
		for _, sp := range matchSpans(s, q) {
			found[sp.part] = true
		}
	}
	if slices.Contains(found, false) {
		return false
	}
	if len(q.Exclude) == 0 {
		return true
	}
	ex := &Query{Parts: q.Exclude}
	return len(matchSpans(title, ex)) == 0 && len(matchSpans(text, ex)) == 0
}

// HoldMerges stops the merges that follow Add: segments accumulate
// until Compact merges them all at once. A builder that compacts at its
// end saves the merges in between (each document's lists are otherwise
// rewritten once per tier).
func (ix *Index) HoldMerges() {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.holdMerges = true
}

// Compact merges every segment of the index into one, dropping deleted
// documents: a query then reads one term table and one list per term.
// The merge holds the result in memory (about the index) and reads the
// segments a range of terms at a time. A site builder compacts a new archive's index once;
// a rebuild adds segments instead, so that what did not change keeps its
// files.
func (ix *Index) Compact(ctx context.Context) error {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if err := ix.dropEmpty(ctx); err != nil {
		return err
	}
	if len(ix.man.Segs) < 2 {
		return nil
	}
	// the caches' pages and texts would sit beside the segments and the
	// merged one: empty them (about 80 MB at the peak of a large build)
	ix.cache, ix.blocks, ix.texts = newPageCache(cacheBytes), newBlockCache(), newTextCache()
	return ix.merge(ctx, slices.Clone(ix.man.Segs))
}
