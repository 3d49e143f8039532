package search

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/broadsheet/broadsheet/app/store"
)

// Doc is one document given to the index.
type Doc struct {
	ID    string
	Title string
	// Text is the plain text of the body, paragraphs separated by "\n";
	// the first paragraph is the lead.
	Text    string
	Source  string
	Authors []string
	// Date is the publication time, else the time the article was saved.
	Date time.Time
}

// Tables the index keeps in its store.
const (
	tableMeta  = "search_meta"  // "manifest", "tomb/SEG": tombstone bitmaps
	tablePages = "search_pages" // "SEG/PAGE": pages of 64 KB, 16 KB when shipped (headers are in the manifest)
	tableIDs   = "search_ids"   // document ID -> segment, document number (shipped indexes, older adds: textrec.go)
	tableText  = "search_text"  // document ID -> title and text, for snippets (and where a local add put it)
)

// Tables returns the names of the store tables the index uses; open the
// store with them.
func Tables() []string { return []string{tableMeta, tablePages, tableIDs, tableText} }

// cacheBytes bounds the page cache.
const cacheBytes = 64 << 20

// Index is a persistent full-text index. Its methods are safe for
// concurrent use; they are serialized.
type Index struct {
	mu     sync.Mutex
	st     store.Store
	man    manifest
	segs   map[int]*segment
	cache  *lru[pageID, []byte]
	blocks *lru[blockKey, *termBlock]
	texts  *lru[string, string] // read by textsOf, written through st (cache.go)
	// manBytes is the manifest as last read or written.
	manBytes []byte
	// reads counts store reads (Get calls), for tests and measurements.
	reads int
	// source, when set, gives the texts of the hits instead of tableText
	// (UseTexts, TextsFrom)
	source Texts
	// elsewhere: the texts are the source's, and a local add writes
	// their places in a record a segment (TextsFrom, places.go)
	elsewhere bool
	// holdMerges: segments are merged only by Compact (HoldMerges)
	holdMerges bool
	// mergeGC is the collector's target while a merge runs, 0 to leave
	// it alone (MergeGCPercent)
	mergeGC int
	// trace is the Options.Trace of the search running
	trace func(step string)
	// times splits the building time (BuildTimes)
	times BuildTimes
	// ids is the filter of the IDs indexed, once read (idfilter.go)
	ids *idFilter
}

// manifest lists the live segments. It is rewritten, in the same atomic
// batch as the data it points to, by every change.
type manifest struct {
	Version int       `json:"version"`
	Next    int       `json:"next"`
	Segs    []segMeta `json:"segments"`
	// Shipped: the segments are written as shipped ones (shipped.go).
	Shipped bool `json:"shipped,omitempty"`
	// PageSize is the bytes of a page of tablePages, 0 for pageSize (see
	// pages): small pages for an index fetched from afar, large ones for
	// IndexedDB, where each record costs more than its bytes.
	PageSize int `json:"pageSize,omitempty"`
	// Pending lists documents recorded by an older Defer, not added
	// yet; PendingRecs numbers the records of those recorded since
	// (pending.go).
	Pending     []string `json:"pending,omitempty"`
	PendingRecs []int    `json:"pendingRecs,omitempty"`
	// Merged says where the documents of merged-away segments went, so
	// that a merge rewrites no record of tableIDs (format 4; write.go).
	Merged []mergedSeg `json:"merged,omitempty"`
	// Places lists the segments written with a places record (format
	// 10, an index whose texts are kept elsewhere: places.go), in order.
	Places []int `json:"places,omitempty"`
}

// mergedSeg is a segment merged into another: its live documents are
// numbered from Base on in Into, in their order; Dead is its tombstone
// bitmap when it was merged (its deleted documents are in no segment).
type mergedSeg struct {
	ID   int    `json:"id"`
	Into int    `json:"into"`
	Base int    `json:"base"`
	Dead []byte `json:"dead,omitempty"`
}

type segMeta struct {
	ID        int   `json:"id"`
	Docs      int   `json:"docs"`
	Deleted   int   `json:"deleted,omitempty"`
	TotalLen  int64 `json:"totalLen"`
	Bytes     int   `json:"bytes"`
	TextBytes int64 `json:"textBytes"`
	MaxDate   int64 `json:"maxDate,omitempty"`
	// Header locates the sections of the segment's blob (segHeader): in
	// the manifest, so that a query after a reload reads no header.
	Header []byte `json:"header"`
}

const formatVersion = 11

// shippedVersion is the format a shipped index is written in: formats 8
// to 10 changed local indexes only, 11 shipped ones only.
const shippedVersion = 11

// Format 4 added manifest.Merged: an index of format 3 (whose records of
// tableIDs all point at live segments) read as one of format 4. Format 5
// cut every index into pages of 16 KB, format 6 only a shipped one
// (manifest.PageSize): an index of 5 or older is rebuilt. Format 7 wrote
// shipped segments that locate their blocks' lists and Rice-code them
// (segBlockDocs, segRice): a reader of format 6 would misread them, so it
// refuses the index (ErrVersion); a reader of 7 reads segments of 6, by
// their flags. Format 8 wrote local segments whose skip entries count
// their blocks' documents (segCounts), so that a merge joins its inputs'
// blocks: a local index of 7 is read as one of 8 (its segments by their
// flags), a shipped one stays 7 (shippedVersion). Format 9 wrote local
// segments whose lists and positions are Rice-coded (segRiceLocal,
// ricepos.go): a reader of 8 refuses them; a local index of 7 or 8 is
// read as one of 9, its segments by their flags (a merge of an older
// segment decodes its lists, and writes them Rice-coded). Format 10
// wrote the places of documents whose texts are kept elsewhere
// (TextsFrom) in a record a segment (manifest.Places, places.go), not in
// tableText, where a reader of 9 would not find them; a local index of
// 7 to 9 is read as one of 10. Format 11 wrote shipped segments whose
// bigrams' lists are coded relative to their characters' (segRelative,
// relative.go): a reader of 10 refuses them; a shipped index of 7 is read
// as one of 11, its segments by their flags (a merge writes them
// relative), and a local index of 7 to 10 as one of 11.
const readableVersion = 6

// The page sizes a manifest may give: a page is read whole.
const minPageSize, maxPageSize = 4 << 10, 1 << 20

// pages is the bytes of a page of the index's segments.
func (m *manifest) pages() int {
	if m.PageSize > 0 {
		return m.PageSize
	}
	return pageSize
}

// segment is an opened segment: its header and tombstones, and the doc
// table chunks decoded so far.
type segment struct {
	meta   segMeta
	hdr    *segHeader
	tomb   []byte
	chunks [][]docInfo // by chunk number; nil until decoded
	// decoded counts the chunks decoded
	decoded int
	lens    docLens // the documents' lengths, packed (doclens.go)
	// parents are parents' lists decoded (relative.go), by term,
	// bounded in documents; nil until one is
	parents *lru[string, []uint32]
}

func (s *segment) deleted(doc uint32) bool {
	i := int(doc >> 3)
	return i < len(s.tomb) && s.tomb[i]&(1<<(doc&7)) != 0
}

// ErrVersion is returned by Open for an index written in a newer format
// (an index in an older format is emptied, to be built again).
var ErrVersion = errors.New("search: index format version not supported")

// Open opens the index kept in s, reading only its manifest: nothing is
// rebuilt, whatever the size of the library. An index written in an older
// format is deleted and Open returns an empty index: add the documents
// again. s must have the Tables.
func Open(ctx context.Context, s store.Store) (*Index, error) {
	s = unwrap(s)
	ix := &Index{segs: map[int]*segment{}, cache: newPageCache(cacheBytes), blocks: newBlockCache(), texts: newTextCache()}
	ix.st = &textStore{Store: s, ix: ix}
	b, err := s.Get(ctx, tableMeta, "manifest")
	switch {
	case errors.Is(err, store.ErrNotFound):
		ix.man = manifest{Version: formatVersion, Next: 1, PageSize: localPageSize}
		ix.adopt(nil)
		return ix, nil
	case err != nil:
		return nil, err
	}
	if err := json.Unmarshal(b, &ix.man); err != nil {
		return nil, fmt.Errorf("search: manifest: %w", err)
	}
	if p := ix.man.PageSize; p != 0 && (p < minPageSize || p > maxPageSize) {
		return nil, fmt.Errorf("search: manifest: pages of %d bytes: %w", p, errCorrupt)
	}
	switch {
	case ix.man.Version > formatVersion:
		return nil, ErrVersion
	case ix.man.Version >= readableVersion:
		ix.man.Version = formatVersion
		if ix.man.Shipped {
			ix.man.Version = shippedVersion
		}
	default:
		if err := dropAll(ctx, s); err != nil {
			return nil, fmt.Errorf("search: dropping an index of format %d: %w", ix.man.Version, err)
		}
		ix.man = manifest{Version: formatVersion, Next: 1, PageSize: localPageSize}
		b = nil
	}
	ix.manBytes = b
	ix.adopt(b)
	return ix, nil
}

// dropAll deletes every record of the index tables, in one batch.
func dropAll(ctx context.Context, s store.Store) error {
	var b store.Batch
	for _, t := range Tables() {
		err := s.Scan(ctx, t, "", "", 0, func(key string, _ []byte) bool {
			b.Delete(t, key)
			return true
		})
		if err != nil {
			return err
		}
	}
	return s.Write(ctx, &b)
}

func pageKey(seg, page int) string { return fmt.Sprintf("%08d/%06d", seg, page) }
func tombKey(seg int) string       { return fmt.Sprintf("tomb/%08d", seg) }

func (ix *Index) get(ctx context.Context, table, key string) ([]byte, error) {
	ix.reads++
	return ix.st.Get(ctx, table, key)
}

// segment returns the opened segment of m, decoding its header (kept in
// the manifest) and reading its tombstones the first time.
func (ix *Index) segment(ctx context.Context, m segMeta) (*segment, error) {
	if s, ok := ix.segs[m.ID]; ok {
		s.meta = m
		return s, nil
	}
	h, err := decodeHeader(m.Header)
	if err != nil {
		return nil, fmt.Errorf("search: segment %d: %w", m.ID, err)
	}
	s := &segment{meta: m, hdr: h, chunks: make([][]docInfo, max(len(h.chunkOff)-1, 0))}
	if m.Deleted > 0 {
		if s.tomb, err = ix.get(ctx, tableMeta, tombKey(m.ID)); err != nil {
			return nil, fmt.Errorf("search: tombstones %d: %w", m.ID, err)
		}
	}
	ix.segs[m.ID] = s
	return s, nil
}

// pageID names a page in the cache: segment and page number.
type pageID struct{ seg, page int }

// page returns page n of a segment's blob, through the cache.
func (ix *Index) page(ctx context.Context, seg, n int) ([]byte, error) {
	if p, ok := ix.cache.get(pageID{seg, n}); ok {
		return p, nil
	}
	k := pageKey(seg, n)
	p, err := ix.get(ctx, tablePages, k)
	if err != nil {
		return nil, fmt.Errorf("search: page %s: %w", k, err)
	}
	ix.cache.put(pageID{seg, n}, p)
	return p, nil
}

// read returns n bytes of a segment's blob at off.
func (ix *Index) read(ctx context.Context, s *segment, off, n int) ([]byte, error) {
	if n == 0 {
		return nil, nil
	}
	if off < 0 || n < 0 || off+n > s.hdr.blobLen {
		return nil, errCorrupt
	}
	size := ix.man.pages()
	first, last := off/size, (off+n-1)/size
	if first == last {
		p, err := ix.page(ctx, s.meta.ID, first)
		if err != nil {
			return nil, err
		}
		o := off - first*size
		if o+n > len(p) {
			return nil, errCorrupt
		}
		return p[o : o+n], nil
	}
	out := make([]byte, 0, n)
	for i := first; i <= last; i++ {
		p, err := ix.page(ctx, s.meta.ID, i)
		if err != nil {
			return nil, err
		}
		lo, hi := max(off-i*size, 0), min(off+n-i*size, len(p))
		if lo > hi {
			return nil, errCorrupt
		}
		out = append(out, p[lo:hi]...)
	}
	return out, nil
}

// iterator opens the posting list of e.
func (ix *Index) iterator(ctx context.Context, s *segment, e *termEntry) (*postingIter, error) {
	docs, err := ix.read(ctx, s, s.hdr.docsOff+e.docsOff, e.docsLen)
	if err != nil {
		return nil, err
	}
	pos, err := ix.read(ctx, s, s.hdr.posOff+e.posOff, e.posLen)
	if err != nil {
		return nil, err
	}
	it := &postingIter{}
	it.reset(docs, pos, e.df, e.positional(), s.hdr.coding(), s.hdr.counts())
	if p, ok := relParent(e.term); ok && s.hdr.relative() && it.relativeList() {
		if it.parent, err = ix.parentDocs(ctx, s, p); err != nil {
			return nil, err
		}
	}
	return it, nil
}

// docInfo returns the doc table entry of doc.
func (ix *Index) docInfo(ctx context.Context, s *segment, doc uint32) (*docInfo, error) {
	c := int(doc / docChunkSize)
	if c >= len(s.chunks) {
		return nil, errCorrupt
	}
	chunk := s.chunks[c]
	if chunk == nil {
		raw, err := ix.read(ctx, s, s.hdr.dtOff+s.hdr.chunkOff[c], s.hdr.chunkOff[c+1]-s.hdr.chunkOff[c])
		if err != nil {
			return nil, err
		}
		n := min(docChunkSize, s.hdr.docs-c*docChunkSize)
		if chunk, err = s.hdr.decodeDocChunk(raw, n); err != nil {
			return nil, err
		}
		s.chunks[c] = chunk
		s.decoded++
	}
	i := int(doc % docChunkSize)
	if i >= len(chunk) {
		return nil, errCorrupt
	}
	return &chunk[i], nil
}

// decodeDocTable decodes the doc-table chunks of s not decoded yet,
// once its doc table is in the page cache (docTableRanges).
func (ix *Index) decodeDocTable(ctx context.Context, s *segment) error {
	if s.decoded == len(s.chunks) || !ix.cached(s, s.hdr.dtOff, s.hdr.blobLen-s.hdr.dtOff) {
		return nil
	}
	for c := range s.chunks {
		if s.chunks[c] == nil {
			if _, err := ix.docInfo(ctx, s, uint32(c*docChunkSize)); err != nil {
				return err
			}
		}
	}
	return nil
}

// Preload reads, in one batch, and decodes the doc tables of every
// segment of a local index, as a first query would (it ranks with every
// document's length and date). A worker calls it when idle after the
// open, so that a first query reads its lists alone. A shipped index is
// left alone: its doc tables are fetched from afar, for the hits shown.
func (ix *Index) Preload(ctx context.Context) error {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.man.Shipped {
		return nil
	}
	var segs []*segment
	var ranges []blobRange
	for _, m := range ix.man.Segs {
		s, err := ix.segment(ctx, m)
		if err != nil {
			return err
		}
		segs = append(segs, s)
		if s.decoded < len(s.chunks) {
			ranges = append(ranges, blobRange{s, s.hdr.dtOff, s.hdr.blobLen - s.hdr.dtOff})
		}
	}
	if err := ix.prefetch(ctx, ranges); err != nil {
		return err
	}
	for _, s := range segs {
		if err := ix.decodeDocTable(ctx, s); err != nil {
			return err
		}
	}
	return nil
}

// cached reports whether the pages of n bytes at off of a segment's
// blob are all in the page cache.
func (ix *Index) cached(s *segment, off, n int) bool {
	size := ix.man.pages()
	for p := off / size; p <= (off+n-1)/size; p++ {
		if !ix.cache.has(pageID{s.meta.ID, p}) {
			return false
		}
	}
	return true
}

// docRef is where a document lives: segment and document number.
type docRef struct {
	seg int
	doc uint32
}

func encodeRef(r docRef) []byte {
	b := binary.AppendUvarint(nil, uint64(r.seg))
	return binary.AppendUvarint(b, uint64(r.doc))
}

func decodeRef(b []byte) (docRef, error) {
	r := &reader{b: b}
	ref := docRef{seg: r.int(), doc: uint32(r.uvarint())}
	if r.err {
		return ref, errCorrupt
	}
	return ref, nil
}

// Stats describes the index.
type Stats struct {
	Docs, Deleted, Segments int
	// IndexBytes is the size of the segments (term tables, postings, doc
	// tables); TextBytes the size of the titles and texts indexed.
	IndexBytes int
	TextBytes  int64
	// Reads is the number of store reads so far.
	Reads int
}

// Stats returns figures about the index.
func (ix *Index) Stats() Stats {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	st := Stats{Segments: len(ix.man.Segs), Reads: ix.reads}
	for _, m := range ix.man.Segs {
		st.Docs += m.Docs - m.Deleted
		st.Deleted += m.Deleted
		st.IndexBytes += m.Bytes
		st.TextBytes += m.TextBytes
	}
	return st
}

func (m *manifest) clone() manifest {
	c := *m
	c.Segs = slices.Clone(m.Segs)
	c.Merged = slices.Clone(m.Merged)
	c.Pending = slices.Clone(m.Pending)
	c.PendingRecs = slices.Clone(m.PendingRecs)
	c.Places = slices.Clone(m.Places)
	return c
}
