package search

import (
	"cmp"
	"context"
	"math"
	"slices"
	"time"
	"unicode/utf8"
)

// Ranking: BM25 (k1 1.2, b 0.75) of each part's exact phrase frequency,
// where an occurrence in the title counts titleWeight times and one in the
// lead paragraph leadWeight times; times a proximity factor when several
// parts occur close together, and a mild recency factor relative to the
// newest document of the index. A part's document frequency, for its idf,
// is estimated as the smallest document frequency of its terms.
const (
	k1            = 1.2
	bm25B         = 0.75
	titleWeight   = 3.0
	leadWeight    = 1.5
	recencyWeight = 0.1
	recencyHalf   = 180 * 24 * 3600 // seconds
	proximityMax  = 0.3
)

type ranker struct {
	idf    []float64
	avgdl  float64
	newest int64
	by     Sort
	// k is how many of the best candidates are kept (< 0: all); cands is
	// then a heap with the worst kept at its root.
	k     int
	total int
	cands []cand
	// unsure counts the candidates of shipped segments that may not
	// match (see shipped.go); results counts how many of those it
	// checked and found false
	unsure           int
	checked, dropped int
	// prune: documents that cannot be among the k best are counted and
	// no more (see below); weight is each part's largest weight of an
	// occurrence, factor the largest proximity and recency factor, f
	// the frequencies of the document bounded; pruned counts the
	// documents bounded out.
	prune  bool
	weight []float64
	factor float64
	f      []uint32
	pruned int
	// a document's length normalisation is normK + lenK*length (add's,
	// rounded otherwise); one part's bound is tf*bound1/(tf+norm)
	normK, lenK, bound1 float64
}

// cand is a matching document.
type cand struct {
	seg   *segment
	doc   uint32
	score float64
	date  int64
	id    string
	// starts are the match positions of each part (nil for a part kept
	// per document), for the snippet; nil when too many to keep.
	starts [][]uint32
	// unsure: a candidate of a shipped segment to verify on its text
	unsure bool
}

// maxKeptStarts bounds the match positions a kept candidate holds.
const maxKeptStarts = 4096

func (ix *Index) newRanker(q *Query, df []int, by Sort, k int) *ranker {
	var n, total int64
	r := &ranker{by: by, k: k}
	for _, m := range ix.man.Segs {
		n += int64(m.Docs - m.Deleted)
		total += m.TotalLen
		r.newest = max(r.newest, m.MaxDate)
	}
	var docs int64
	for _, m := range ix.man.Segs {
		docs += int64(m.Docs)
	}
	r.avgdl = 1
	if docs > 0 {
		r.avgdl = max(float64(total)/float64(docs), 1)
	}
	for _, d := range df {
		r.idf = append(r.idf, math.Log(1+(float64(n)-float64(d)+0.5)/(float64(d)+0.5)))
	}
	r.bounds(q)
	return r
}

// bounds prepares below: by relevance, when k are kept and nothing
// but the document's parts decides whether it is a match (filters read
// its doc-table entry).
func (r *ranker) bounds(q *Query) {
	r.prune = r.by == ByRelevance && r.k > 0 && len(q.Parts) > 0 && !q.filtered() && !noPrune
	r.factor = 1 + recencyWeight
	if len(q.Parts) >= 2 {
		r.factor *= 1 + proximityMax
	}
	for i := range q.Parts {
		w := 1.0 // a part kept per document: its frequency as it is
		if q.Parts[i].positional() {
			w = titleWeight
		}
		r.weight = append(r.weight, w)
	}
	r.f = make([]uint32, len(q.Parts))
	r.normK, r.lenK = k1*(1-bm25B), k1*bm25B/r.avgdl
	if len(r.idf) == 1 {
		r.bound1 = max(r.idf[0], 0.01) * (k1 + 1) * r.factor * pruneMargin
	}
}

// below reports whether a document of length n whose parts occur at
// most f[i] times cannot be among the k best kept: add's score with
// every occurrence weighted as one in the title, the largest proximity
// bonus and recency factor (rounded up by pruneMargin), is less than
// the worst kept. Such a document is counted, and neither its
// positions (when its parts' frequencies are known without them) nor
// its doc-table entry are read.
func (r *ranker) below(n uint32, f []uint32) bool {
	if !r.prune || len(r.cands) < r.k {
		return false
	}
	norm := r.normK + r.lenK*float64(n)
	if len(r.idf) == 1 { // without a division
		tf := r.weight[0] * float64(f[0])
		return tf*r.bound1 < r.cands[0].score*(tf+norm)
	}
	b := 0.0
	for i, idf := range r.idf {
		tf := r.weight[i] * float64(f[i])
		b += max(idf, 0.01) * tf * (k1 + 1) / (tf + norm)
	}
	return b*r.factor*pruneMargin*pruneMargin < r.cands[0].score
}

// noPrune makes the ranking score every match: set by the tests that
// hold the bounds to the full ranking, never otherwise.
var noPrune bool

// add scores a matching document.
func (r *ranker) add(s *segment, d uint32, info *docInfo, m *matcher) {
	score := 0.0
	norm := k1 * (1 - bm25B + bm25B*float64(info.length)/r.avgdl)
	for i, idf := range r.idf {
		tf := float64(m.freq[i])
		if len(m.starts[i]) > 0 {
			tf = 0
			for _, p := range m.starts[i] {
				switch {
				case p < info.titleEnd:
					tf += titleWeight
				case p < info.leadEnd:
					tf += leadWeight
				default:
					tf++
				}
			}
		}
		score += max(idf, 0.01) * tf * (k1 + 1) / (tf + norm)
	}
	if len(r.idf) == 0 {
		score = 1
	}
	score *= 1 + proximity(m.starts)
	if r.by == ByRelevance && r.k > 0 && len(r.cands) == r.k && score*(1+recencyWeight*1) < r.cands[0].score {
		r.total++ // even the largest recency factor cannot make it one of the k best
		return
	}
	if info.date > 0 && r.newest > 0 {
		age := float64(max(r.newest-info.date, 0))
		score *= 1 + recencyWeight*math.Exp2(-age/recencyHalf)
	}
	r.offer(cand{seg: s, doc: d, score: score, date: info.date, id: info.id}, m)
}

// perDocRanker scores the documents of a query of one part kept per
// document (see plan.perDocOnly) as add does, by the same arithmetic
// (the same scores to the last bit), without a matcher's positions.
// Once k are kept, a document is first bounded without a division
// (most of a common character's documents cannot be among the k best).
type perDocRanker struct {
	r   *ranker
	idf float64
	// bound: score*(1+recencyWeight) <= f*boundF / (f + normK + lenK*length),
	// rounded up by prune's margin
	boundF, normK, lenK float64
	m                   matcher // the part's (no positions: no proximity)
}

func (r *ranker) perDoc() *perDocRanker {
	idf := max(r.idf[0], 0.01)
	pr := &perDocRanker{r: r, idf: idf, boundF: idf * (k1 + 1) * (1 + recencyWeight), normK: k1 * (1 - bm25B), lenK: k1 * bm25B / r.avgdl}
	pr.m.reset(1)
	return pr
}

// pruneMargin makes the bound of a document's score a little larger
// than any rounding of it: a document the bound prunes is one add
// would have left out too.
const pruneMargin = 1 + 1e-9

// add scores document d of segment s, of term frequency tf.
func (pr *perDocRanker) add(s *segment, d uint32, info *docInfo, tf uint32) {
	r := pr.r
	f := float64(tf)
	full := r.by == ByRelevance && r.k > 0 && len(r.cands) == r.k
	if full && f*pr.boundF*pruneMargin < r.cands[0].score*(f+pr.normK+pr.lenK*float64(info.length)) {
		r.total++
		return
	}
	norm := k1 * (1 - bm25B + bm25B*float64(info.length)/r.avgdl)
	score := pr.idf * f * (k1 + 1) / (f + norm)
	if full && score*(1+recencyWeight*1) < r.cands[0].score {
		r.total++ // even the largest recency factor cannot make it one of the k best
		return
	}
	if info.date > 0 && r.newest > 0 {
		age := float64(max(r.newest-info.date, 0))
		score *= 1 + recencyWeight*math.Exp2(-age/recencyHalf)
	}
	r.offer(cand{seg: s, doc: d, score: score, date: info.date, id: info.id}, &pr.m)
}

// offer counts c and keeps it if it is among the k best so far, with a
// copy of its match positions.
func (r *ranker) offer(c cand, m *matcher) {
	r.total++
	if r.k < 0 {
		r.cands = append(r.cands, c)
		return
	}
	if r.k == 0 || len(r.cands) == r.k && c.compare(&r.cands[0], r.by) >= 0 {
		return
	}
	c.starts = keepStarts(m.starts)
	if len(r.cands) < r.k {
		r.cands = append(r.cands, c)
		r.up(len(r.cands) - 1)
		return
	}
	r.cands[0] = c
	r.down(0)
}

// keepStarts copies the match positions, or returns nil if there are too
// many.
func keepStarts(starts [][]uint32) [][]uint32 {
	n := 0
	for _, s := range starts {
		n += len(s)
	}
	if n > maxKeptStarts {
		return nil
	}
	all := make([]uint32, 0, n)
	out := make([][]uint32, len(starts))
	for i, s := range starts {
		all = append(all, s...)
		out[i] = all[len(all)-len(s):]
	}
	return out
}

// worse reports whether candidate i sorts after j: the heap keeps the
// worst at its root.
func (r *ranker) worse(i, j int) bool { return r.cands[i].compare(&r.cands[j], r.by) > 0 }

func (r *ranker) up(i int) {
	for i > 0 {
		p := (i - 1) / 2
		if !r.worse(i, p) {
			return
		}
		r.cands[i], r.cands[p] = r.cands[p], r.cands[i]
		i = p
	}
}

func (r *ranker) down(i int) {
	for {
		w, l := i, 2*i+1
		if l < len(r.cands) && r.worse(l, w) {
			w = l
		}
		if l+1 < len(r.cands) && r.worse(l+1, w) {
			w = l + 1
		}
		if w == i {
			return
		}
		r.cands[i], r.cands[w] = r.cands[w], r.cands[i]
		i = w
	}
}

// proximity is a bonus in [0, proximityMax] for the smallest distance
// between matches of consecutive positional parts.
func proximity(starts [][]uint32) float64 {
	if len(starts) < 2 {
		return 0
	}
	total, pairs := 0.0, 0
	for i := 1; i < len(starts); i++ {
		a, b := starts[i-1], starts[i]
		if len(a) == 0 || len(b) == 0 {
			continue
		}
		best := uint32(math.MaxUint32)
		j := 0
		for _, p := range a {
			for j < len(b) && b[j] < p {
				best = min(best, p-b[j])
				j++
			}
			if j < len(b) {
				best = min(best, b[j]-p)
			}
		}
		total += 1 / (1 + float64(best)/16)
		pairs++
	}
	if pairs == 0 {
		return 0
	}
	return proximityMax * total / float64(pairs)
}

func (c *cand) compare(o *cand, by Sort) int {
	if by == ByDate {
		if x := cmp.Compare(o.date, c.date); x != 0 {
			return x
		}
		if x := cmp.Compare(o.score, c.score); x != 0 {
			return x
		}
	} else {
		if x := cmp.Compare(o.score, c.score); x != 0 {
			return x
		}
		if x := cmp.Compare(o.date, c.date); x != 0 {
			return x
		}
	}
	if x := cmp.Compare(c.id, o.id); x != 0 {
		return x
	}
	// candidates of shipped segments, IDs unread: the later added first
	if x := cmp.Compare(o.seg.meta.ID, c.seg.meta.ID); x != 0 {
		return x
	}
	return cmp.Compare(o.doc, c.doc)
}

// top returns the candidates of the page [offset, offset+limit) in order.
func (r *ranker) top(offset, limit int) []cand {
	slices.SortFunc(r.cands, func(a, b cand) int { return a.compare(&b, r.by) })
	k := min(offset+limit, len(r.cands))
	return r.cands[min(offset, k):k]
}

// results builds the page of hits, with titles and snippets. The texts of
// the page are read in one GetMany: over IndexedDB each read is a round
// trip, and a page of 20 hits read one by one cost more than the ranking.
// When unsure candidates of shipped segments were kept, every kept
// candidate is read and verified on its text, the false ones dropped; more
// reports that too few were left for the page while candidates beyond
// those kept remain (rank again, keeping more).
func (ix *Index) results(ctx context.Context, q *Query, r *ranker, opt Options) (res *Results, more bool, err error) {
	res = &Results{Total: r.total}
	top := r.top(opt.Offset, opt.Limit)
	if r.unsure > 0 {
		top = r.top(0, len(r.cands))
	}
	if err := ix.prefetch(ctx, hitRanges(top)); err != nil {
		return nil, false, err
	}
	ids := make([]string, len(top))
	infos := make([]*docInfo, len(top))
	for i, c := range top {
		info, err := ix.docInfo(ctx, c.seg, c.doc)
		if err != nil {
			return nil, false, err
		}
		infos[i], ids[i] = info, info.id
	}
	if len(ids) == 0 {
		return res, false, nil
	}
	ix.step("docs")
	titles, texts, gone, err := ix.textsOf(ctx, ids)
	if err != nil {
		return nil, false, err
	}
	ix.step("texts")
	checked, dropped := 0, 0
	for i, c := range top {
		title, text := titles[i], texts[i]
		if gone[i] {
			res.Gone = append(res.Gone, ids[i])
			continue
		}
		if c.unsure {
			checked++
			if !verified(Normalize(title), Normalize(text), q) {
				dropped++
				continue
			}
		}
		if r.unsure > 0 && i-dropped < opt.Offset {
			continue
		}
		if len(res.Hits) == opt.Limit {
			continue // verified all the same: the total is known better
		}
		res.Hits = append(res.Hits, ix.hit(q, &top[i], infos[i], title, text))
	}
	ix.step("snippets")
	r.checked, r.dropped = checked, dropped
	res.Total -= dropped + len(res.Gone)
	res.Estimated = checked < r.unsure
	if r.by == ByDate && len(top) > 0 && top[0].seg.hdr.shipped() {
		// ranked by their chunks' dates: order the page by the exact ones
		slices.SortStableFunc(res.Hits, func(a, b Hit) int { return b.Date.Compare(a.Date) })
	}
	more = len(res.Hits) < opt.Limit && len(r.cands) < r.total && len(r.cands) == r.k
	return res, more && r.unsure > 0, nil
}

// nextK is how many candidates to keep when ranking again because r's k
// left too few true ones for the page of want: twice k, or up to four
// times k when the share of true candidates among those checked says so
// (twice what would fill the page at that share, which falls with the
// rank): each round is two more round trips for a visitor of a hosted
// archive, and each candidate checked may be an article pack more.
func (r *ranker) nextK(want int) int {
	found := r.checked - r.dropped
	share := max(float64(found)/float64(max(r.checked, 1)), 0.05)
	need := float64(max(want-found, 1)) / share
	return max(2*r.k, min(4*r.k, r.k+int(2*need)+4))
}

// hit makes the hit of a candidate from its doc-table entry and text.
func (ix *Index) hit(q *Query, c *cand, info *docInfo, title, text string) Hit {
	h := Hit{ID: info.id, Score: c.score, Source: info.source}
	if info.date != 0 {
		h.Date = time.Unix(info.date, 0).UTC()
	}
	h.Title = title
	h.TitleMatches = byteSpans(title, ix.spans(title, true, c, info, q), 0)
	h.Snippet, h.SnippetMatches = snippetOf(text, ix.spans(text, false, c, info, q), q)
	return h
}

// spans returns the matches of q in a hit's title or text: from the
// positions the index found where it can (no tokenizing), else found in
// the text (a shipped segment keeps no positions).
//
// The positions are those of the text indexed: a text kept elsewhere
// (TextsFrom) that changed since (an article imported again, not
// indexed yet) may be shorter, and its matches are then found in it.
func (ix *Index) spans(s string, inTitle bool, c *cand, info *docInfo, q *Query) []span {
	if !c.seg.hdr.shipped() {
		if out, ok := indexedSpans(s, inTitle, info.titleEnd, c.starts, q); ok && fits(out, s) {
			return out
		}
	}
	return matchSpans(s, q)
}

// fits reports whether every span ends within the characters of s (s
// holds at least a character every utf8.UTFMax bytes: no need to count
// them below that).
func fits(spans []span, s string) bool {
	end := 0
	for _, sp := range spans {
		end = max(end, sp.end)
	}
	return end <= len(s)/utf8.UTFMax || end <= utf8.RuneCountInString(s)
}
