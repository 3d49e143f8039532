package search

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/broadsheet/broadsheet/app/store"
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
	cands  []cand
}

// cand is a matching document.
type cand struct {
	seg   *segment
	doc   uint32
	score float64
	date  int64
	id    string
}

func (ix *Index) newRanker(q *Query, df []int) *ranker {
	var n, total int64
	r := &ranker{}
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
	return r
}

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
	if info.date > 0 && r.newest > 0 {
		age := float64(max(r.newest-info.date, 0))
		score *= 1 + recencyWeight*math.Exp2(-age/recencyHalf)
	}
	r.cands = append(r.cands, cand{seg: s, doc: d, score: score, date: info.date, id: info.id})
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
	return cmp.Compare(c.id, o.id)
}

// top returns the candidates of the page [offset, offset+limit) in order.
func (r *ranker) top(by Sort, offset, limit int) []cand {
	k := min(offset+limit, len(r.cands))
	less := func(a, b cand) int { return a.compare(&b, by) }
	if k < len(r.cands)/4 {
		// keep the k best in a sorted window: cheap when k is small
		best := make([]cand, 0, k+1)
		for _, c := range r.cands {
			if len(best) == k && less(c, best[k-1]) >= 0 {
				continue
			}
			i, _ := slices.BinarySearchFunc(best, c, less)
			best = slices.Insert(best, i, c)
			if len(best) > k {
				best = best[:k]
			}
		}
		return best[min(offset, len(best)):]
	}
	slices.SortFunc(r.cands, less)
	return r.cands[min(offset, k):k]
}

// results builds the page of hits, with titles and snippets. The texts of
// the page are read in one GetMany: over IndexedDB each read is a round
// trip, and a page of 20 hits read one by one cost more than the ranking.
func (ix *Index) results(ctx context.Context, q *Query, r *ranker, opt Options) (*Results, error) {
	res := &Results{Total: len(r.cands)}
	top := r.top(opt.Sort, opt.Offset, opt.Limit)
	ids := make([]string, len(top))
	for i, c := range top {
		info, err := ix.docInfo(ctx, c.seg, c.doc)
		if err != nil {
			return nil, err
		}
		h := Hit{ID: info.id, Score: c.score, Source: info.source}
		if info.date != 0 {
			h.Date = time.Unix(info.date, 0).UTC()
		}
		res.Hits = append(res.Hits, h)
		ids[i] = info.id
	}
	if len(ids) == 0 {
		return res, nil
	}
	ix.reads++
	raws, err := ix.st.GetMany(ctx, tableText, ids)
	if err != nil {
		return nil, err
	}
	for i := range res.Hits {
		if raws[i] == nil {
			return nil, fmt.Errorf("search: no text stored for %q: %w", ids[i], store.ErrNotFound)
		}
		title, text, err := decodeText(raws[i])
		if err != nil {
			return nil, err
		}
		h := &res.Hits[i]
		h.Title, h.TitleMatches = title, highlight(title, q)
		h.Snippet, h.SnippetMatches = snippet(text, q)
	}
	return res, nil
}
