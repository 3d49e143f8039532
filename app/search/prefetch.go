package search

import (
	"context"
	"fmt"
	"slices"

	"github.com/broadsheet/broadsheet/app/store"
)

// A query reads the store in a few steps, each one GetMany (one
// transaction, one round trip) for everything the step needs (segment
// headers are in the manifest; tombstones of segments not yet open come
// first, where there are any): the term blocks of the query's
// terms in every segment, then their posting bytes with the doc tables
// not yet decoded, then the texts of the page of hits. Pages already in
// the cache are not read again.

// blobRange is n bytes at off of a segment's blob.
type blobRange struct {
	seg    *segment
	off, n int
}

// prefetch reads, in one GetMany, every page of ranges not in the cache.
func (ix *Index) prefetch(ctx context.Context, ranges []blobRange) error {
	var ids []pageID
	for _, r := range ranges {
		if r.n <= 0 || r.off < 0 || r.off+r.n > r.seg.hdr.blobLen {
			continue // read reports it
		}
		size := ix.man.pages()
		for p := r.off / size; p <= (r.off+r.n-1)/size; p++ {
			id := pageID{r.seg.meta.ID, p}
			if !ix.cache.has(id) && !slices.Contains(ids, id) {
				ids = append(ids, id)
			}
		}
	}
	if len(ids) == 0 {
		return nil
	}
	keys := make([]string, len(ids))
	for i, id := range ids {
		keys[i] = pageKey(id.seg, id.page)
	}
	ix.reads++
	vals, err := ix.st.GetMany(ctx, tablePages, keys)
	if err != nil {
		return err
	}
	for i, v := range vals {
		if v == nil {
			return fmt.Errorf("search: page %s: %w", keys[i], store.ErrNotFound)
		}
		ix.cache.put(ids[i], v)
	}
	return nil
}

// openSegments opens every live segment (its header is in the
// manifest), reading the tombstones of those not yet open together.
func (ix *Index) openSegments(ctx context.Context) ([]*segment, error) {
	var tombs []string
	var needT []segMeta
	for _, m := range ix.man.Segs {
		if _, ok := ix.segs[m.ID]; ok || m.Docs == m.Deleted {
			continue
		}
		h, err := decodeHeader(m.Header)
		if err != nil {
			return nil, fmt.Errorf("search: segment %d: %w", m.ID, err)
		}
		ix.segs[m.ID] = &segment{meta: m, hdr: h, chunks: make([][]docInfo, max(len(h.chunkOff)-1, 0))}
		if m.Deleted > 0 {
			tombs, needT = append(tombs, tombKey(m.ID)), append(needT, m)
		}
	}
	if len(tombs) > 0 {
		ix.reads++
		ts, err := ix.st.GetMany(ctx, tableMeta, tombs)
		if err != nil {
			return nil, err
		}
		for i, m := range needT {
			if ts[i] == nil {
				delete(ix.segs, m.ID)
				return nil, fmt.Errorf("search: tombstones %d: %w", m.ID, store.ErrNotFound)
			}
			ix.segs[m.ID].tomb = ts[i]
		}
	}
	var out []*segment
	for _, m := range ix.man.Segs {
		if m.Docs == m.Deleted {
			continue
		}
		s := ix.segs[m.ID]
		s.meta = m
		out = append(out, s)
	}
	return out, nil
}
