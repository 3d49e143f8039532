package search

import (
	"context"
	"strings"
	"time"
)

// Sort orders results.
type Sort int

const (
	// ByRelevance orders by score, then newest first.
	ByRelevance Sort = iota
	// ByDate orders newest first, then by score.
	ByDate
)

// Options choose the order and the page of results.
type Options struct {
	Sort   Sort
	Offset int
	// Limit is the number of hits to return (default 20).
	Limit int
	// Trace, if set, is called at the end of each step of the search
	// with the step's name (segments, terms, plan, lists, rank, docs,
	// texts, snippets): the caller times them (the search worker reports
	// them).
	Trace func(step string)
}

// Results are the documents matching a query.
type Results struct {
	// Total is the exact number of matching documents, or, when
	// Estimated, at most that many: a shipped index (OpenShipped) counts
	// the documents holding all the tokens of a phrase without checking
	// the ones it does not show.
	Total     int
	Estimated bool `json:",omitempty"`
	Hits      []Hit
	// Gone are documents the index holds whose texts, kept elsewhere
	// (TextsFrom), are gone from there: articles deleted without the
	// index being told (a tab closed between the two writes). They are
	// left out of Hits and Total; the caller may Delete them.
	Gone []string `json:"-"`
}

// Hit is one result. Match spans are [start, end) byte offsets into Title
// and Snippet.
type Hit struct {
	ID             string
	Score          float64
	Date           time.Time
	Source         string
	Title, Snippet string
	TitleMatches   [][2]int
	SnippetMatches [][2]int
}

// maxPrefixTerms bounds the terms a prefix expands to in one segment.
const maxPrefixTerms = 512

// plan is a query prepared for one segment: the term entries and then an
// iterator per token.
type plan struct {
	seg      *segment
	terms    [][][]termEntry // per part, per token: the terms (several for a prefix)
	exTerms  [][][]termEntry
	parts    [][]docIter
	excludes [][]docIter
	exParts  []*Part
	df       []int // per part, an estimate of its document frequency
}

// Search finds the documents matching q (see ParseQuery).
func (ix *Index) Search(ctx context.Context, q string, opt Options) (*Results, error) {
	query := ParseQuery(q)
	return ix.SearchQuery(ctx, &query, opt)
}

// SearchQuery finds the documents matching a parsed query.
func (ix *Index) SearchQuery(ctx context.Context, q *Query, opt Options) (*Results, error) {
	q = q.distinct()
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.trace = opt.Trace
	defer func() { ix.trace = nil }()
	if opt.Limit <= 0 {
		opt.Limit = 20
	}
	want := opt.Offset + opt.Limit
	k := want
	if ix.man.Shipped && q.phrases() {
		k += want/4 + 4 // room for the candidates verification drops
	}
	for {
		r, err := ix.rank(ctx, q, opt.Sort, k)
		if err != nil || r == nil {
			return &Results{}, err
		}
		res, more, err := ix.results(ctx, q, r, opt)
		if err != nil || !more {
			return res, err
		}
		k = r.nextK(want)
	}
}

// step reports the end of a step of the search to its Options.Trace.
func (ix *Index) step(name string) {
	if ix.trace != nil {
		ix.trace(name)
	}
}

// rank finds and scores every matching document, keeping the best k
// (k < 0: every one); nil for an empty query. It reads the store in one
// GetMany per step (see prefetch.go).
func (ix *Index) rank(ctx context.Context, q *Query, by Sort, k int) (*ranker, error) {
	if len(q.Parts) == 0 && len(q.Authors) == 0 && len(q.Sources) == 0 && q.After.IsZero() && q.Before.IsZero() {
		return nil, nil
	}
	ix.cache.tick()
	ix.blocks.tick()
	ix.texts.tick()
	segs, err := ix.openSegments(ctx)
	if err != nil {
		return nil, err
	}
	ix.step("segments")
	if err := ix.prefetch(ctx, termRanges(segs, q, ix.blocks)); err != nil {
		return nil, err
	}
	ix.step("terms")
	var plans []*plan
	for _, s := range segs {
		p, err := ix.plan(ctx, s, q)
		if err != nil {
			return nil, err
		}
		if p != nil {
			plans = append(plans, p)
		}
	}
	ix.step("plan")
	if err := ix.prefetch(ctx, append(postingRanges(plans), docTableRanges(plans, q)...)); err != nil {
		return nil, err
	}
	ix.step("lists")
	df := make([]int, len(q.Parts))
	for _, p := range plans {
		if err := ix.open(ctx, p); err != nil {
			return nil, err
		}
		for i, d := range p.df {
			df[i] += d
		}
	}
	ix.step("iterators")
	// The doc tables (read above, unless decoded before) are decoded
	// a chunk at a time as the ranking reaches a chunk's documents
	// (docInfo): a query of a few hits, most queries, decodes a few
	// chunks, not every document's entry (the costliest step of a first
	// query after a reload).
	r := ix.newRanker(q, df, by, k)
	for _, p := range plans {
		if err := ix.collect(ctx, p, q, r); err != nil {
			return nil, err
		}
	}
	ix.step("rank")
	return r, nil
}

// termRanges are the term blocks that may hold q's terms (and their
// parents', relative.go), in every
// segment (but those the cache holds decoded), and in a segment that
// locates their lists (segBlockDocs) the lists of those blocks too: a cold query on a shipped index then reads
// its lists in its first round trip, not its second. A prefix spanning
// more than maxBlocksWithDocs blocks reads its blocks first, and then
// only the lists of the terms it expands to.
const maxBlocksWithDocs = 2

func termRanges(segs []*segment, q *Query, decoded *lru[blockKey, *termBlock]) []blobRange {
	var out []blobRange
	blocks := func(s *segment, term string, prefix, lists bool) {
		lo, hi := s.hdr.blockFor(term), s.hdr.blockFor(term)+1
		if prefix {
			lo, hi = s.hdr.blocksFor(term)
		}
		lo, hi = max(lo, 0), min(hi, len(s.hdr.blockFirst))
		bd := s.hdr.blockDocs
		for b := lo; b < hi; b++ {
			// a block decoded before needs none of its bytes
			if !decoded.has(blockKey{s.meta.ID, b}) {
				out = append(out, blobRange{s, s.hdr.termsOff + s.hdr.blockOff[b], s.hdr.blockOff[b+1] - s.hdr.blockOff[b]})
			}
			if lists && bd != nil && hi-lo <= maxBlocksWithDocs {
				out = append(out, blobRange{s, s.hdr.docsOff + bd[b], bd[b+1] - bd[b]})
			}
		}
	}
	add := func(s *segment, parts []Part) {
		for i := range parts {
			for _, t := range parts[i].tokens(s) {
				blocks(s, t.term, t.prefix, true)
				// the parent of a relative list, in the same round trip
				// (a visitor's query takes no round trip more), but a
				// parent whose children are not relative
				if p, ok := relParent(t.term); ok && !t.prefix && s.hdr.relative() && !s.hdr.isBigParent(p) {
					blocks(s, p, false, true)
				}
			}
		}
	}
	for _, s := range segs {
		add(s, q.Parts)
		add(s, q.Exclude)
	}
	return out
}

// postingRanges are the posting bytes of the plans' terms.
func postingRanges(plans []*plan) []blobRange {
	var out []blobRange
	add := func(s *segment, terms [][][]termEntry) {
		for _, part := range terms {
			for _, tok := range part {
				for _, e := range tok {
					out = append(out, blobRange{s, s.hdr.docsOff + e.docsOff, e.docsLen}, blobRange{s, s.hdr.posOff + e.posOff, e.posLen})
				}
			}
		}
	}
	for _, p := range plans {
		add(p.seg, p.terms)
		add(p.seg, p.exTerms)
	}
	return out
}

// plan looks up q's terms in one segment; nil if a part cannot match
// there.
func (ix *Index) plan(ctx context.Context, s *segment, q *Query) (*plan, error) {
	p := &plan{seg: s}
	for i := range q.Parts {
		terms, err := ix.partTerms(ctx, s, &q.Parts[i])
		if err != nil || terms == nil {
			return nil, err
		}
		p.terms = append(p.terms, terms)
	}
	for i := range q.Exclude {
		terms, err := ix.partTerms(ctx, s, &q.Exclude[i])
		if err != nil {
			return nil, err
		}
		if terms != nil {
			p.exTerms = append(p.exTerms, terms)
			p.exParts = append(p.exParts, &q.Exclude[i])
		}
	}
	return p, nil
}

// partTerms returns the term entries of each token of a part (several
// for a prefix), or nil if a token is not in the segment.
func (ix *Index) partTerms(ctx context.Context, s *segment, part *Part) ([][]termEntry, error) {
	var out [][]termEntry
	for _, t := range part.tokens(s) {
		var entries []termEntry
		if t.prefix {
			e, err := ix.expand(ctx, s, t.term, maxPrefixTerms)
			if err != nil {
				return nil, err
			}
			entries = e
		} else {
			e, err := ix.lookup(ctx, s, t.term)
			if err != nil {
				return nil, err
			}
			if e != nil {
				entries = []termEntry{*e}
			}
		}
		if len(entries) == 0 {
			return nil, nil
		}
		out = append(out, entries)
	}
	return out, nil
}

// open makes the plan's iterators (again, if it had some) and its
// document frequency estimates.
func (ix *Index) open(ctx context.Context, p *plan) error {
	p.parts, p.excludes, p.df = p.parts[:0], p.excludes[:0], p.df[:0]
	for _, terms := range p.terms {
		its, err := ix.iters(ctx, p.seg, terms)
		if err != nil {
			return err
		}
		df := its[0].cost()
		for _, it := range its {
			df = min(df, it.cost())
		}
		p.parts = append(p.parts, its)
		p.df = append(p.df, df)
	}
	for _, terms := range p.exTerms {
		its, err := ix.iters(ctx, p.seg, terms)
		if err != nil {
			return err
		}
		p.excludes = append(p.excludes, its)
	}
	return nil
}

// iters returns an iterator per token.
func (ix *Index) iters(ctx context.Context, s *segment, terms [][]termEntry) ([]docIter, error) {
	its := make([]docIter, 0, len(terms))
	for _, entries := range terms {
		subs := make([]*postingIter, len(entries))
		for i := range entries {
			it, err := ix.iterator(ctx, s, &entries[i])
			if err != nil {
				return nil, err
			}
			subs[i] = it
		}
		if len(subs) == 1 {
			its = append(its, subs[0])
		} else {
			its = append(its, newUnionIter(subs))
		}
	}
	return its, nil
}

// docTableRanges are the doc tables of the plans' segments whose chunks
// are not all decoded: read whole (about 1 % of the text) with the
// postings, they save a round trip for the chunks of the matches.
func docTableRanges(plans []*plan, q *Query) []blobRange {
	var out []blobRange
	for _, p := range plans {
		if h := p.seg.hdr; p.seg.decoded < len(p.seg.chunks) && (!h.shipped() || q.filtered()) {
			out = append(out, blobRange{p.seg, h.dtOff, h.blobLen - h.dtOff})
		}
	}
	return out
}

// flat lists the iterators of every part.
func (p *plan) flat() []docIter {
	var all []docIter
	for _, its := range p.parts {
		all = append(all, its...)
	}
	return all
}

// collect finds the matching documents of one segment and scores them.
func (ix *Index) collect(ctx context.Context, p *plan, q *Query, r *ranker) error {
	if it, ok := p.perDocOnly(q); ok && !generalOnly {
		return ix.collectPerDoc(ctx, p.seg, it, r)
	}
	all := p.flat()
	sortByCost(all)
	m := &matcher{}
	n := uint32(p.seg.hdr.docs)
	for d := uint32(0); d < n; d++ {
		if len(all) > 0 {
			if d = intersect(all, d); d == noDoc {
				break
			}
		}
		if d&4095 == 0 {
			if err := ctx.Err(); err != nil {
				return err // a newer query replaced this one
			}
		}
		if p.seg.deleted(d) {
			continue
		}
		if err := ix.accept(ctx, p, q, d, m, r); err != nil {
			return err
		}
	}
	for _, it := range all {
		if err := it.failed(); err != nil {
			return err
		}
	}
	return nil
}

// perDocOnly returns the one list of a query that is one part kept per
// document (a single Han character) and nothing else, over a local
// segment: the commonest one-character queries list most documents,
// and collectPerDoc scores them without the matcher.
func (p *plan) perDocOnly(q *Query) (*postingIter, bool) {
	if len(q.Parts) != 1 || len(q.Exclude) != 0 || q.filtered() || p.seg.hdr.shipped() ||
		q.Parts[0].positional() || len(p.parts) != 1 || len(p.parts[0]) != 1 {
		return nil, false
	}
	it, ok := p.parts[0][0].(*postingIter)
	return it, ok
}

// collectPerDoc is collect for perDocOnly's list: each document's
// frequency is its term frequency.
func (ix *Index) collectPerDoc(ctx context.Context, s *segment, it *postingIter, r *ranker) error {
	pr := r.perDoc()
	// a list of most documents reads their entries in order, about as
	// fast as their lengths (see docLens)
	lens := 4*it.df < 3*s.hdr.docs
	for d := it.next(0); d != noDoc; d = it.next(d + 1) {
		if d&4095 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		if s.deleted(d) {
			continue
		}
		if lens {
			r.f[0] = it.tf
			if skip, err := ix.bounded(ctx, s, d, r, r.f); skip || err != nil {
				if err != nil {
					return err
				}
				continue
			}
		}
		info, err := ix.docInfo(ctx, s, d)
		if err != nil {
			return err
		}
		pr.add(s, d, info, it.tf)
	}
	return it.failed()
}

// generalOnly makes queries take no fast path: set by the tests that
// hold the fast paths to the general one, never otherwise.
var generalOnly bool

func sortByCost(its []docIter) {
	for i := 1; i < len(its); i++ {
		for j := i; j > 0 && its[j].cost() < its[j-1].cost(); j-- {
			its[j], its[j-1] = its[j-1], its[j]
		}
	}
}

// intersect returns the first document ≥ d in every list, or noDoc.
func intersect(its []docIter, d uint32) uint32 {
	d = its[0].next(d)
	for i := 1; i < len(its) && d != noDoc; {
		x := its[i].next(d)
		if x == noDoc {
			return noDoc
		}
		if x == d {
			i++
			continue
		}
		d = its[0].next(x)
		i = 1
	}
	return d
}

// accept checks one candidate document's phrases, exclusions and filters,
// and scores it.
func (ix *Index) accept(ctx context.Context, p *plan, q *Query, d uint32, m *matcher, r *ranker) error {
	if p.seg.hdr.shipped() {
		return ix.acceptShipped(ctx, p, q, d, m, r)
	}
	certain := r.prune && len(p.excludes) == 0 && p.oneTokenParts()
	if certain {
		// every part matches: its frequency is its token's
		for i, its := range p.parts {
			r.f[i] = its[0].freq()
		}
		if skip, err := ix.bounded(ctx, p.seg, d, r, r.f); skip || err != nil {
			return err
		}
	}
	m.reset(len(q.Parts))
	for i, its := range p.parts {
		if !m.match(i, &q.Parts[i], its) {
			return nil
		}
	}
	for i, its := range p.excludes {
		if m.matchAt(p.exParts[i], its, d) {
			return nil
		}
	}
	if r.prune && !certain {
		if skip, err := ix.bounded(ctx, p.seg, d, r, m.freq); skip || err != nil {
			return err
		}
	}
	info, err := ix.docInfo(ctx, p.seg, d)
	if err != nil {
		return err
	}
	if q.keep(info) {
		r.add(p.seg, d, info, m)
	}
	return nil
}

// keep applies the filters.
func (q *Query) keep(d *docInfo) bool {
	if !q.After.IsZero() && (d.date == 0 || d.date < q.After.Unix()) {
		return false
	}
	if !q.Before.IsZero() && (d.date == 0 || d.date >= q.Before.Unix()) {
		return false
	}
	for _, a := range q.Authors {
		ok := false
		for _, x := range d.authors {
			ok = ok || strings.Contains(Normalize(x), a)
		}
		if !ok {
			return false
		}
	}
	for _, s := range q.Sources {
		if !strings.Contains(Normalize(d.source), s) {
			return false
		}
	}
	return true
}

// matcher holds the phrase matches of the current document, per part.
type matcher struct {
	starts [][]uint32 // match start positions (nil for per-document parts)
	freq   []uint32
	lists  [][]uint32
}

func (m *matcher) reset(n int) {
	for len(m.starts) < n {
		m.starts = append(m.starts, nil)
		m.freq = append(m.freq, 0)
	}
	m.starts, m.freq = m.starts[:n], m.freq[:n]
}

// match checks part i at the iterators' current document.
func (m *matcher) match(i int, part *Part, its []docIter) bool {
	if !part.positional() {
		m.starts[i] = m.starts[i][:0]
		m.freq[i] = its[0].freq()
		return m.freq[i] > 0
	}
	m.starts[i] = m.phrase(part, its, m.starts[i][:0])
	m.freq[i] = uint32(len(m.starts[i]))
	return len(m.starts[i]) > 0
}

// matchAt reports whether an excluded part matches document d.
func (m *matcher) matchAt(part *Part, its []docIter, d uint32) bool {
	for _, it := range its {
		if it.next(d) != d {
			return false
		}
	}
	if !part.positional() {
		return true
	}
	return len(m.phrase(part, its, nil)) > 0
}

// phrase appends the positions where every token of part is at its
// offset from the first.
func (m *matcher) phrase(part *Part, its []docIter, out []uint32) []uint32 {
	for len(m.lists) < len(its) {
		m.lists = append(m.lists, nil)
	}
	for j, it := range its {
		m.lists[j] = it.positions(m.lists[j][:0])
	}
	return phraseStarts(m.lists[:len(its)], part.toks, out)
}

// phraseStarts returns the positions p of lists[0] such that every
// lists[j] holds p + toks[j].off.
func phraseStarts(lists [][]uint32, toks []qtoken, out []uint32) []uint32 {
	idx := make([]int, len(lists))
next:
	for _, p := range lists[0] {
		for j := 1; j < len(lists); j++ {
			want := p + uint32(toks[j].off)
			l := lists[j]
			for idx[j] < len(l) && l[idx[j]] < want {
				idx[j]++
			}
			if idx[j] == len(l) {
				return out
			}
			if l[idx[j]] != want {
				continue next
			}
		}
		out = append(out, p)
	}
	return out
}
