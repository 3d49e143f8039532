package main

import (
	"cmp"
	"context"
	"slices"

	"github.com/broadsheet/broadsheet/app/library"
	"github.com/broadsheet/broadsheet/app/search"
	"github.com/broadsheet/broadsheet/app/store"
)

// A hosted archive (app/archive's output, read through app/store/static)
// is searched beside the local index: "open" with an Archive address
// opens its index too, and every search asks both and merges the hits.
// The local library wins: a hosted hit whose article was also imported
// here is left out (the local copy is the one shown, found or not by the
// local index), and the totals are summed without it.

// archiveOpener opens the store of the archive at url, keeping the packs
// it reads in keep (the local database) for offline use.
type archiveOpener func(ctx context.Context, url string, keep store.Store) (store.Store, error)

// openHosted opens the hosted index beside the local one; a failure is
// reported in the reply, and search stays local.
func (w *worker) openHosted(ctx context.Context, url string, local store.Store, rep *reply) {
	w.local, w.hosted = local, nil
	if url == "" || w.openArchive == nil {
		return
	}
	s, err := w.openArchive(ctx, url, local)
	if err == nil {
		w.hosted, err = library.HostedIndex(ctx, s)
	}
	if err != nil {
		rep.HostedErr = err.Error()
		return
	}
	st := w.hosted.Stats()
	rep.Hosted = &st
}

// maxHostedTries bounds the hosted searches of one query when hits are
// left out for their local copies (each try asks for twice as many).
const maxHostedTries = 3

// search runs q over the local index and the hosted one and merges
// their hits by opt.Sort.
func (w *worker) search(ctx context.Context, q string, opt search.Options) (*search.Results, error) {
	opt.Limit = cmp.Or(opt.Limit, 20)
	want := opt.Offset + opt.Limit
	local, err := w.ix.Search(ctx, q, search.Options{Sort: opt.Sort, Limit: want, Trace: opt.Trace})
	if err != nil || w.hosted == nil {
		return local, err
	}
	hits, total, estimated, err := w.hostedHits(ctx, q, opt.Sort, want)
	if err != nil {
		return nil, err
	}
	all := append(slices.Clip(local.Hits), hits...)
	slices.SortStableFunc(all, func(a, b search.Hit) int { return compareHits(a, b, opt.Sort) })
	all = all[min(opt.Offset, len(all)):min(want, len(all))]
	return &search.Results{Total: local.Total + total, Estimated: local.Estimated || estimated, Hits: all, Gone: local.Gone}, nil
}

// hostedHits returns the first want hosted hits of q whose articles are
// not in the local library, and the hosted total less the hits left out.
// The total is exact when every hosted hit was read (or none was left
// out); else it counts only the left-out hits read. estimated is the
// hosted Results.Estimated.
func (w *worker) hostedHits(ctx context.Context, q string, sort search.Sort, want int) (hits []search.Hit, total int, estimated bool, err error) {
	n := want
	for try := 1; ; try++ {
		res, err := w.hosted.Search(ctx, q, search.Options{Sort: sort, Limit: n})
		if err != nil {
			return nil, 0, false, err
		}
		ids := make([]string, len(res.Hits))
		for i, h := range res.Hits {
			ids[i] = h.ID
		}
		held, err := library.Holds(ctx, w.local, ids)
		if err != nil {
			return nil, 0, false, err
		}
		var kept []search.Hit
		for i, h := range res.Hits {
			if !held[i] {
				kept = append(kept, h)
			}
		}
		left := len(res.Hits) - len(kept)
		if len(kept) >= want || len(res.Hits) >= res.Total || try == maxHostedTries {
			return kept, res.Total - left, res.Estimated, nil
		}
		n *= 2
	}
}

// compareHits orders hits as the index does: by score then date, or by
// date then score; then by id.
func compareHits(a, b search.Hit, by search.Sort) int {
	score, date := cmp.Compare(b.Score, a.Score), b.Date.Compare(a.Date)
	if by == search.ByDate {
		return cmp.Or(date, score, cmp.Compare(a.ID, b.ID))
	}
	return cmp.Or(score, date, cmp.Compare(a.ID, b.ID))
}
