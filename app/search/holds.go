package search

import (
	"context"
	"slices"
)

// Holds reports whether each of ids is a document of the index: added,
// and not deleted or replaced by a later add since. A document recorded
// by Defer and not added yet is not held. It reads where each was
// written (one or two GetMany, as an Add does) and the tombstones of
// their segments; a shipped index answers as a local one.
func (ix *Index) Holds(ctx context.Context, ids []string) ([]bool, error) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	held := make([]bool, len(ids))
	if len(ids) == 0 {
		return held, nil
	}
	refs, err := ix.current(ctx, &ix.man, ids)
	if err != nil {
		return nil, err
	}
	for i, ref := range refs {
		mi := slices.IndexFunc(ix.man.Segs, func(m segMeta) bool { return m.ID == ref.seg })
		if ref.seg < 0 || mi < 0 {
			continue // deleted before a merge, or a stale record
		}
		s, err := ix.segment(ctx, ix.man.Segs[mi])
		if err != nil {
			return nil, err
		}
		held[i] = int(ref.doc) < s.hdr.docs && !s.deleted(ref.doc)
	}
	return held, nil
}
