package search

import (
	"context"
	"fmt"
	"strings"
)

// An index whose texts are kept elsewhere (TextsFrom) writes no record
// a document: in IndexedDB each record written costs more than its
// bytes, and the records of the places of an add of 1,000 documents took
// most of its write (the search worker under load: 10,000 of them ~3.5
// of its ~4.7 s). An add instead writes one record of tableMeta for its
// segment, "places/SEG": the IDs of its documents in their order, one a
// line (the n-th is document n of SEG, as first written: a merge moves
// it, and manifest.Merged says where, as for the records of tableIDs).
// The manifest lists these segments (Places). An ID written twice is
// found in the newest; a lookup resolves it through the merges, and a
// document deleted since is tombstoned or gone. The records are read
// only when an add or a delete looks up IDs the ID filter may hold,
// all at once, and kept with the filter while the manifest is unchanged.

// placesKey is the key of the places record of segment seg in tableMeta.
func placesKey(seg int) string { return fmt.Sprintf("places/%08d", seg) }

// placeMap is the places of the IDs of the places records read so far:
// where each was last written.
type placeMap struct {
	refs map[string]docRef
	read int // the manifest's Places read
}

// places returns the places of the IDs of the index's places records,
// reading those not read yet.
func (ix *Index) places(ctx context.Context) (map[string]docRef, error) {
	f, err := ix.idFilter(ctx)
	if err != nil {
		return nil, err
	}
	pm := &f.places
	if pm.refs == nil {
		pm.refs, pm.read = map[string]docRef{}, 0
	}
	segs := ix.man.Places[min(pm.read, len(ix.man.Places)):]
	if len(segs) == 0 {
		return pm.refs, nil
	}
	keys := make([]string, len(segs))
	for i, seg := range segs {
		keys[i] = placesKey(seg)
	}
	ix.reads++
	vals, err := ix.st.GetMany(ctx, tableMeta, keys)
	if err != nil {
		return nil, err
	}
	for i, v := range vals {
		if v == nil {
			return nil, fmt.Errorf("search: %s: %w", keys[i], errCorrupt)
		}
		addPlaces(pm.refs, segs[i], string(v))
	}
	pm.read = len(ix.man.Places)
	return pm.refs, nil
}

// addPlaces records the IDs of a places record of segment seg.
func addPlaces(refs map[string]docRef, seg int, rec string) {
	for doc, id := range strings.Split(rec, "\n") {
		if r, ok := refs[id]; !ok || r.seg <= seg {
			refs[id] = docRef{seg, uint32(doc)}
		}
	}
}

// putPlaces puts in c the places record of the documents of segment seg
// and lists it in the manifest; the map read so far learns them too.
func (ix *Index) putPlaces(c *change, seg int, ids []string) {
	rec := strings.Join(ids, "\n")
	c.batch.Put(tableMeta, placesKey(seg), []byte(rec))
	c.man.Places = append(c.man.Places, seg)
	if ix.ids != nil && ix.ids.places.refs != nil && ix.ids.places.read == len(ix.man.Places) {
		c.placed = func(pm *placeMap) {
			addPlaces(pm.refs, seg, rec)
			pm.read++
		}
	}
}

// placed returns the places of ids that the places records give, newer
// than those of refs (seg -1: none), in refs.
func (ix *Index) placed(ctx context.Context, ids []string, refs []docRef) error {
	if len(ix.man.Places) == 0 {
		return nil
	}
	pm, err := ix.places(ctx)
	if err != nil {
		return err
	}
	for i, id := range ids {
		if p, ok := pm[id]; ok && p.seg > refs[i].seg {
			refs[i] = p
		}
	}
	return nil
}

// mergePlaces, in the change c of a merge of group into segment into
// (whose documents are docs, in order), replaces the places records of
// the merged segments by one of into: its documents' IDs in order. A
// record a merged segment and an integer in the manifest a segment ever
// written (one an add) made both grow with the adds; they now grow with
// the live segments. The IDs of documents deleted before the merge are
// in no record any more. Nothing changes when no merged segment has a
// record (an index whose texts are its own). The place map read so far
// is read again at the next lookup: the manifest's list is no longer
// the one read and more.
func (ix *Index) mergePlaces(c *change, group []segMeta, into int, docs []docInfo) {
	merged := make(map[int]bool, len(group))
	for _, m := range group {
		merged[m.ID] = true
	}
	kept := make([]int, 0, len(c.man.Places))
	for _, seg := range c.man.Places {
		if merged[seg] {
			c.batch.Delete(tableMeta, placesKey(seg))
			continue
		}
		kept = append(kept, seg)
	}
	if len(kept) == len(c.man.Places) {
		return
	}
	ids := make([]string, len(docs))
	for i := range docs {
		ids[i] = docs[i].id
	}
	c.batch.Put(tableMeta, placesKey(into), []byte(strings.Join(ids, "\n")))
	c.man.Places = append(kept, into)
	c.placed = func(pm *placeMap) { pm.refs = nil }
}
