package search

import (
	"context"
	"encoding/json"
	stdbits "math/bits"
	"runtime/debug"
	"slices"
	"sync"
	"time"

	"github.com/broadsheet/broadsheet/app/store"
)

// Add indexes docs, replacing any document already indexed under the same
// ID (within one call, the last of equal IDs wins). Each batch of about
// three million tokens becomes one segment, written in one relaxed batch
// with its manifest; segments are merged as they accumulate.
func (ix *Index) Add(ctx context.Context, docs ...Doc) error {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	docs = lastByID(docs)
	if ix.man.Shipped {
		if err := ix.addShipped(ctx, docs); err != nil {
			return err
		}
		return ix.maybeMerge(ctx)
	}
	b := posBuilders.Get().(*posBuilder) // reused for every batch
	defer posBuilders.Put(b)
	b.reset()
	size := 0
	for i := range docs {
		size += len(docs[i].Title) + len(docs[i].Text)
	}
	b.reserve(size)
	// the batch's records (8 bytes each, and as much again to sort
	// them) take the room of cached pages and term blocks, as a merge's
	// output does: the search worker's heap peaks in its flushes, and
	// the wasm heap never shrinks
	ix.cache.trim(cacheBytes - 16*cap(b.recs))
	ix.blocks.trim(blockCacheBytes - 16*cap(b.recs))
	from := 0
	t := time.Now()
	for i := range docs {
		ok := b.add(&docs[i])
		if !ok || b.full() || i == len(docs)-1 {
			lap(&ix.times.Tokenize, &t)
			var err error
			if ok {
				err = ix.flush(ctx, b, docs[from:i+1])
			} else {
				err = ix.flushWide(ctx, docs[from:i+1])
			}
			if err != nil {
				return err
			}
			b.reset()
			from = i + 1
			t = time.Now()
		}
	}
	// The records' buffers (8 bytes a record, as much again to sort
	// them: ~20 MB for 1,000 articles) are not kept through a merge nor
	// until the next Add: kept, they made most of the search worker's
	// peak heap.
	b.recs, b.tmp = nil, nil
	return ix.maybeMerge(ctx)
}

// posBuilders keeps a posBuilder between Add calls of a bulk import; the
// garbage collector empties the pool when memory is wanted elsewhere.
var posBuilders = sync.Pool{New: func() any { return newPosBuilder() }}

// flushWide writes docs, whose characters past the BMP outnumber a
// posBuilder's ranks, with a builder.
func (ix *Index) flushWide(ctx context.Context, docs []Doc) error {
	b := newBuilder()
	for i := range docs {
		b.add(&docs[i])
	}
	return ix.flush(ctx, b, docs)
}

// addShipped adds docs to a shipped index with builders (Bulk writes
// the same bytes).
func (ix *Index) addShipped(ctx context.Context, docs []Doc) error {
	b := builders.Get().(*builder) // reused for every batch
	defer builders.Put(b)
	b.reset()
	b.shipped = true
	defer func() { b.keys, b.vals, b.keys2, b.vals2 = nil, nil, nil, nil }()
	from := 0
	for i := range docs {
		b.add(&docs[i])
		if b.full() || i == len(docs)-1 {
			if err := ix.flush(ctx, b, docs[from:i+1]); err != nil {
				return err
			}
			b.reset()
			b.shipped = true
			from = i + 1
		}
	}
	return nil
}

// builders keeps a builder between Add calls of an archive's rebuild.
var builders = sync.Pool{New: func() any { return newBuilder() }}

// segmentBuilder is a batch of documents tokenized (a posBuilder, or a
// builder), to be written as one segment.
type segmentBuilder interface {
	// finish sorts the batch's records and writes the segment.
	finish() (blob, header []byte)
	// batch returns the documents' entries and their text bytes.
	batch() ([]docInfo, int)
}

func (b *posBuilder) batch() ([]docInfo, int) { return b.docs, b.textBytes }
func (b *builder) batch() ([]docInfo, int)    { return b.docs, b.textBytes }

// lastByID keeps the last document of each ID, in order.
func lastByID(docs []Doc) []Doc {
	last := make(map[string]int, len(docs))
	for i, d := range docs {
		last[d.ID] = i
	}
	if len(last) == len(docs) {
		return docs
	}
	out := make([]Doc, 0, len(last))
	for i, d := range docs {
		if last[d.ID] == i {
			out = append(out, d)
		}
	}
	return out
}

// change is a write in preparation: the new manifest, the tombstone
// bitmaps it changes, and the batch.
type change struct {
	man   manifest
	tombs map[int][]byte
	batch store.Batch
	// placed, once c is written, adds its places record to the map
	// read (places.go)
	placed func(*placeMap)
}

func (ix *Index) newChange() *change {
	return &change{man: ix.man.clone(), tombs: map[int][]byte{}}
}

// tombstones marks the indexed documents of ids (those indexed) deleted;
// found tells which were.
func (ix *Index) tombstones(ctx context.Context, c *change, ids []string) (found []bool, err error) {
	if len(ids) == 0 {
		return nil, nil
	}
	refs, err := ix.current(ctx, &c.man, ids)
	if err != nil {
		return nil, err
	}
	found = make([]bool, len(ids))
	for i, ref := range refs {
		if ref.seg < 0 {
			continue
		}
		if found[i], err = ix.tombstone(ctx, c, ref); err != nil {
			return nil, err
		}
	}
	return found, nil
}

// current returns where each document of ids is now in the segments of
// man (locate, followed through the merges since: resolve); segment -1
// for one not indexed, or deleted before a merge.
func (ix *Index) current(ctx context.Context, man *manifest, ids []string) ([]docRef, error) {
	refs, err := ix.locate(ctx, ids)
	if err != nil {
		return nil, err
	}
	fw := man.forwards()
	for i, ref := range refs {
		if ref.seg < 0 {
			continue
		}
		if refs[i], err = fw.resolve(ref); err != nil {
			return nil, err
		}
	}
	return refs, nil
}

// locate returns where each document of ids was written (segment -1: not
// indexed): read from its record of tableText in one GetMany (a local
// index's, textrec.go), else from its record of tableIDs in another
// (a shipped index's, or a document added by an older version), or
// from the places records (places.go), the newest place of the three.
func (ix *Index) locate(ctx context.Context, ids []string) ([]docRef, error) {
	refs := make([]docRef, len(ids))
	var rest []string
	var at []int
	if ix.man.Shipped {
		rest = ids
		for i := range ids {
			at = append(at, i)
		}
	} else {
		ix.reads++
		vals, err := ix.st.GetMany(ctx, tableText, ids)
		if err != nil {
			return nil, err
		}
		for i, v := range vals {
			ref, ok, err := textRef(v)
			switch {
			case err != nil:
				return nil, err
			case ok:
				refs[i] = ref
			case v == nil:
				refs[i].seg = -1
			default:
				rest, at = append(rest, ids[i]), append(at, i)
			}
		}
	}
	if len(rest) > 0 {
		ix.reads++
		vals, err := ix.st.GetMany(ctx, tableIDs, rest)
		if err != nil {
			return nil, err
		}
		for j, v := range vals {
			refs[at[j]].seg = -1
			if v != nil {
				if refs[at[j]], err = decodeRef(v); err != nil {
					return nil, err
				}
			}
		}
	}
	if err := ix.placed(ctx, ids, refs); err != nil {
		return nil, err
	}
	return refs, nil
}

// forwards are a manifest's merged segments by number.
type forwards map[int]*mergedSeg

func (m *manifest) forwards() forwards {
	fw := make(forwards, len(m.Merged))
	for i := range m.Merged {
		fw[m.Merged[i].ID] = &m.Merged[i]
	}
	return fw
}

// resolve follows ref, as a record of tableIDs holds it (where the
// document was first written), through the merges since; a document
// deleted before a merge resolves to a segment of none (stale).
func (fw forwards) resolve(ref docRef) (docRef, error) {
	for hops := 0; ; hops++ {
		f, ok := fw[ref.seg]
		if !ok {
			return ref, nil
		}
		if hops > len(fw) {
			return ref, errCorrupt // a cycle
		}
		if bitSet(f.Dead, ref.doc) {
			return docRef{seg: -1}, nil
		}
		ref = docRef{f.Into, uint32(f.Base) + ref.doc - uint32(countBelow(f.Dead, ref.doc))}
	}
}

func bitSet(bits []byte, i uint32) bool {
	return int(i>>3) < len(bits) && bits[i>>3]&(1<<(i&7)) != 0
}

// countBelow counts the bits set below i.
func countBelow(bits []byte, i uint32) int {
	n, full := 0, min(int(i>>3), len(bits))
	for _, b := range bits[:full] {
		n += stdbits.OnesCount8(b)
	}
	if full < len(bits) {
		n += stdbits.OnesCount8(bits[full] & (1<<(i&7) - 1))
	}
	return n
}

// tombstone marks the document at ref deleted.
func (ix *Index) tombstone(ctx context.Context, c *change, ref docRef) (bool, error) {
	mi := slices.IndexFunc(c.man.Segs, func(m segMeta) bool { return m.ID == ref.seg })
	if mi < 0 {
		return false, nil // a stale entry
	}
	t, ok := c.tombs[ref.seg]
	if !ok {
		s, err := ix.segment(ctx, c.man.Segs[mi])
		if err != nil {
			return false, err
		}
		t = make([]byte, (s.hdr.docs+7)/8)
		copy(t, s.tomb)
	}
	if int(ref.doc>>3) >= len(t) {
		return false, errCorrupt
	}
	if t[ref.doc>>3]&(1<<(ref.doc&7)) == 0 {
		t[ref.doc>>3] |= 1 << (ref.doc & 7)
		c.man.Segs[mi].Deleted++
	}
	c.tombs[ref.seg] = t
	return true, nil
}

// commit writes c and, once it is stored, makes it the index's state.
func (ix *Index) commit(ctx context.Context, c *change) error {
	for seg, t := range c.tombs {
		c.batch.Put(tableMeta, tombKey(seg), t)
	}
	mb, err := json.Marshal(&c.man)
	if err != nil {
		return err
	}
	c.batch.Put(tableMeta, "manifest", mb)
	if err := ix.st.Write(ctx, &c.batch); err != nil {
		return err
	}
	ix.manBytes = mb
	for seg, t := range c.tombs {
		if s, ok := ix.segs[seg]; ok {
			s.tomb = t
		}
	}
	live := map[int]bool{}
	for _, m := range c.man.Segs {
		live[m.ID] = true
	}
	for id := range ix.segs {
		if !live[id] {
			delete(ix.segs, id)
		}
	}
	ix.forget(live)
	ix.man = c.man
	if c.placed != nil && ix.ids != nil {
		c.placed(&ix.ids.places)
	}
	return nil
}

// putSegment adds a segment's pages to c (its header goes in the
// manifest).
func putSegment(c *change, id int, blob []byte) {
	size := c.man.pages()
	for p := 0; p*size < len(blob); p++ {
		c.batch.Put(tablePages, pageKey(id, p), blob[p*size:min(len(blob), (p+1)*size)])
	}
}

// dropSegment removes a segment's records in c.
func dropSegment(c *change, m segMeta) {
	for p := 0; p*c.man.pages() < m.Bytes; p++ {
		c.batch.Delete(tablePages, pageKey(m.ID, p))
	}
	c.batch.Delete(tableMeta, tombKey(m.ID))
	delete(c.tombs, m.ID)
}

// flush writes the builder's documents as a new segment, tombstoning
// their earlier versions, in one relaxed batch.
func (ix *Index) flush(ctx context.Context, b segmentBuilder, docs []Doc) error {
	if len(docs) == 0 {
		return nil
	}
	c := ix.newChange()
	c.batch.Relaxed = true
	ids := make([]string, len(docs))
	for i := range docs {
		ids[i] = docs[i].ID
	}
	t := time.Now()
	known := ids
	if !ix.man.Shipped { // a shipped index keeps no filter (idfilter.go)
		var err error
		if known, err = ix.mayHave(ctx, ids); err != nil {
			return err
		}
		if err := ix.addIDs(ctx, c, ids); err != nil {
			return err
		}
	}
	if _, err := ix.tombstones(ctx, c, known); err != nil {
		return err
	}
	lap(&ix.times.Lookup, &t)
	blob, header := ix.finish(b)
	lap(&ix.times.Encode, &t)
	infos, textBytes := b.batch()
	id := c.man.Next
	c.man.Next++
	putSegment(c, id, blob)
	meta := segMeta{ID: id, Docs: len(infos), Bytes: len(blob), TextBytes: int64(textBytes), Header: header}
	for i := range infos {
		meta.TotalLen += int64(infos[i].length)
		meta.MaxDate = max(meta.MaxDate, infos[i].date)
		ref := docRef{id, uint32(i)}
		if ix.man.Shipped { // as Bulk writes it
			c.batch.Put(tableIDs, infos[i].id, encodeRef(ref))
			c.batch.Put(tableText, docs[i].ID, encodeText(docs[i].Title, docs[i].Text))
		} else if !ix.elsewhere { // one record a document (textrec.go)
			c.batch.Put(tableText, docs[i].ID, encodeTextRef(ref, docs[i].Title, docs[i].Text))
		}
	}
	c.man.Segs = append(c.man.Segs, meta)
	if ix.elsewhere && !ix.man.Shipped { // the source has their texts
		ix.putPlaces(c, id, ids)
	}
	if _, err := ix.undefer(ctx, c, ids); err != nil {
		return err
	}
	if err := ix.commit(ctx, c); err != nil {
		return err
	}
	if ix.elsewhere { // their texts as cached are older
		for _, doc := range ids {
			ix.texts.remove(doc)
		}
	}
	ix.cachePages(id, blob, len(blob))
	lap(&ix.times.Write, &t)
	ix.times.Segments++
	return nil
}

// finish sorts a batch's records and codes its segment (b.finish) with
// the collector at the target of merges, when the index's owner set one
// (MergeGCPercent): the records, their sort's scratch and the lists
// are byte slices, cheap to mark, and a batch of 6 MB of text (the
// search worker's) holds ~50 MB of them, where the heap peaks as in a
// merge. The store's write that follows runs at the usual target.
func (ix *Index) finish(b segmentBuilder) (blob, header []byte) {
	if ix.mergeGC > 0 {
		defer debug.SetGCPercent(debug.SetGCPercent(ix.mergeGC))
	}
	return b.finish()
}

// Delete removes the documents with the given IDs; unknown IDs are
// ignored.
func (ix *Index) Delete(ctx context.Context, ids ...string) error {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	c := ix.newChange()
	found, err := ix.tombstones(ctx, c, ids)
	if err != nil {
		return err
	}
	for i, id := range ids {
		if found[i] {
			c.batch.Delete(tableIDs, id)
			c.batch.Delete(tableText, id)
		}
	}
	undeferred, err := ix.undefer(ctx, c, ids)
	if err != nil {
		return err
	}
	if !undeferred && len(c.batch.Ops) == 0 {
		return nil
	}
	if err := ix.commit(ctx, c); err != nil {
		return err
	}
	return ix.maybeMerge(ctx)
}
