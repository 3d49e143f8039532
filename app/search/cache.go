package search

import (
	"container/list"
	"context"
	"reflect"
	"sync"

	"github.com/broadsheet/broadsheet/app/store"
)

// lru is a least-recently-used cache bounded by the summed size of its
// values. It holds pages read from the store and decoded term blocks:
// segments are immutable, so a cached value is never stale; those of a
// merged-away segment simply age out.
//
// It is segmented: a value enters on probation, and moves to the
// protected part (at most protectedShare of the bound) when it is asked
// for again by a later query (tick starts a query); values leave from
// the probation part first, and a value pushed out of the protected part
// goes back on probation. The lists of a query's rare terms then pass
// through without pushing out the lists that query after query asks for
// (the commonest terms'), as a plain LRU did when the queries' lists
// were more than it holds. A cache never ticked is a plain LRU.
type lru[K comparable, V any] struct {
	max, size int
	sizeOf    func(V) int
	ll        *list.List // probation, most recent first
	prot      *list.List // protected, most recent first
	protSize  int
	epoch     uint32
	m         map[K]*list.Element
	hits      int
	misses    int
}

// protectedShare is the share of an lru's bound its protected part may
// hold.
const protectedShare = 0.8

type lruEntry[K comparable, V any] struct {
	key   K
	val   V
	epoch uint32 // the query that put or last asked for it on probation
	prot  bool
}

func newLRU[K comparable, V any](maxSize int, sizeOf func(V) int) *lru[K, V] {
	return &lru[K, V]{max: maxSize, sizeOf: sizeOf, ll: list.New(), prot: list.New(), m: map[K]*list.Element{}}
}

// newPageCache returns a cache of pages bounded in bytes.
func newPageCache(maxBytes int) *lru[pageID, []byte] {
	return newLRU[pageID](maxBytes, func(b []byte) int { return len(b) })
}

// tick starts a query: a value it asks for that an earlier one put is
// protected.
func (c *lru[K, V]) tick() { c.epoch++ }

func (c *lru[K, V]) get(key K) (V, bool) {
	e, ok := c.m[key]
	if !ok {
		c.misses++
		var zero V
		return zero, false
	}
	c.hits++
	ce := e.Value.(*lruEntry[K, V])
	switch {
	case ce.prot:
		c.prot.MoveToFront(e)
	case ce.epoch != c.epoch:
		c.protect(e)
	default:
		c.ll.MoveToFront(e)
	}
	return ce.val, true
}

// protect moves a value on probation to the protected part, and the
// protected part's oldest back on probation while it holds too much.
func (c *lru[K, V]) protect(e *list.Element) {
	ce := e.Value.(*lruEntry[K, V])
	c.ll.Remove(e)
	ce.prot = true
	c.m[ce.key] = c.prot.PushFront(ce)
	c.protSize += c.sizeOf(ce.val)
	for c.protSize > int(protectedShare*float64(c.max)) && c.prot.Len() > 1 {
		old := c.prot.Back()
		oe := old.Value.(*lruEntry[K, V])
		c.prot.Remove(old)
		c.protSize -= c.sizeOf(oe.val)
		oe.prot, oe.epoch = false, c.epoch
		c.m[oe.key] = c.ll.PushFront(oe)
	}
}

// has reports whether key is cached, without counting a hit or a miss.
func (c *lru[K, V]) has(key K) bool {
	_, ok := c.m[key]
	return ok
}

func (c *lru[K, V]) put(key K, val V) {
	if e, ok := c.m[key]; ok {
		if ce := e.Value.(*lruEntry[K, V]); ce.prot {
			c.prot.MoveToFront(e)
		} else {
			c.ll.MoveToFront(e)
		}
		return
	}
	c.m[key] = c.ll.PushFront(&lruEntry[K, V]{key: key, val: val, epoch: c.epoch})
	c.size += c.sizeOf(val)
	for c.size > c.max && len(c.m) > 1 {
		c.removeElement(c.victim())
	}
}

// trim drops values until the cache holds at most n.
func (c *lru[K, V]) trim(n int) {
	for c.size > max(n, 0) && len(c.m) > 0 {
		c.removeElement(c.victim())
	}
}

// victim is the value to drop: the oldest on probation, unless the
// current query put it (a query's pages are read before they are
// decoded), then the oldest protected.
func (c *lru[K, V]) victim() *list.Element {
	if e := c.ll.Back(); e != nil && (e.Value.(*lruEntry[K, V]).epoch != c.epoch || c.prot.Len() == 0) {
		return e
	}
	if e := c.prot.Back(); e != nil {
		return e
	}
	return c.ll.Back()
}

// replace caches val under key, in place of any value cached.
func (c *lru[K, V]) replace(key K, val V) {
	c.remove(key)
	c.put(key, val)
}

// remove drops key from the cache.
func (c *lru[K, V]) remove(key K) {
	if e, ok := c.m[key]; ok {
		c.removeElement(e)
	}
}

func (c *lru[K, V]) removeElement(e *list.Element) {
	ce := e.Value.(*lruEntry[K, V])
	n := c.sizeOf(ce.val)
	if ce.prot {
		c.prot.Remove(e)
		c.protSize -= n
	} else {
		c.ll.Remove(e)
	}
	delete(c.m, ce.key)
	c.size -= n
}

// cachePages puts the pages of a segment's blob just written in the page
// cache (copied: a page kept must not hold the whole blob), so that the
// first queries after an import and the merges of the segment read
// nothing back; of a blob longer than room bytes, only its last pages
// that room holds (its term table and doc table, which every query of
// it reads, are last in a merged blob).
func (ix *Index) cachePages(seg int, blob []byte, room int) {
	size := ix.man.pages()
	for p := max(len(blob)-max(room, 0)+size-1, 0) / size; p*size < len(blob); p++ {
		page := blob[p*size : min(len(blob), (p+1)*size)]
		ix.cache.replace(pageID{seg, p}, append([]byte(nil), page...))
	}
}

// forget drops the cached pages and term blocks of the segments of the
// manifest that live does not hold (merged away or dropped): they would
// take the room of live ones until they aged out.
func (ix *Index) forget(live map[int]bool) {
	for _, m := range ix.man.Segs {
		if live[m.ID] {
			continue
		}
		for p := 0; p*ix.man.pages() < m.Bytes; p++ {
			ix.cache.remove(pageID{m.ID, p})
		}
	}
	for k := range ix.blocks.m {
		if !live[k.seg] {
			ix.blocks.remove(k)
		}
	}
}

// textCacheBytes bounds the cache of texts (title and text of a
// document, as stored): a query shows the snippets of 20 hits, which over
// IndexedDB is a round trip and a get per text; queries being typed and
// pages turned show the same documents again. A text is kept as a
// string, so that the title and text of a hit are slices of it, not
// copies made for every query that shows it. 32 MB (was 16) holds the
// hits of the 526 frozen queries at 100k: their second pass read no
// text (a round trip each before, the one besides the lists').
const textCacheBytes = 32 << 20

func newTextCache() *lru[string, string] {
	return newLRU[string](textCacheBytes, func(s string) int { return len(s) + 64 })
}

// textStore is the index's store: its writes of texts update the index's
// text cache (textsOf reads through it). The index calls it with its
// lock held.
type textStore struct {
	store.Store
	ix *Index
}

// Write implements store.Store: once b is written, the texts it puts are
// cached and those it deletes dropped; the texts of a bulk write (more
// than bulkTextBytes of them: an import) are dropped too, not cached:
// they would fill the cache with texts no query asked for, while the
// import's segments are built (where the search worker's heap peaks).
func (s *textStore) Write(ctx context.Context, b *store.Batch) error {
	if err := s.Store.Write(ctx, b); err != nil {
		return err
	}
	n := 0
	for _, op := range b.Ops {
		if op.Table == tableText {
			n += len(op.Value)
		}
	}
	for _, op := range b.Ops {
		if op.Table != tableText {
			continue
		}
		if op.Delete || n > bulkTextBytes {
			s.ix.texts.remove(op.Key)
		} else {
			s.ix.texts.replace(op.Key, string(op.Value))
		}
	}
	return nil
}

// bulkTextBytes is the most text a write puts in the text cache (an
// add of 1,000 articles is ~2.6 MB: not cached).
const bulkTextBytes = 2 << 20

// unwrap returns the store under the index's own wrapper.
func unwrap(s store.Store) store.Store {
	if t, ok := s.(*textStore); ok {
		return t.Store
	}
	return s
}

// The caches outlive an Index reopened on the same store: the search
// worker reopens its index before each write, and after another tab's,
// to see the manifest as last written, and a cold cache then made the
// next queries read everything again. Pages and term blocks are of
// immutable segments, so they pass to the reopened index when the
// segments both manifests list are the same (a store emptied and
// rebuilt reuses segment numbers); texts, opened segments (with
// their tombstones) and the ID filter (idfilter.go) pass only when the
// manifest is unchanged.
var recent struct {
	sync.Mutex
	ixs []*Index // the last opened on each store, newest first
}

// maxRecent bounds recent.ixs (a worker has a local and a hosted index).
const maxRecent = 4

// adopt takes the caches of the index last opened on the same store,
// which keeps empty ones.
func (ix *Index) adopt(manBytes []byte) {
	recent.Lock()
	var prev *Index
	keep := []*Index{ix}
	for _, o := range recent.ixs {
		if prev == nil && sameStore(unwrap(o.st), unwrap(ix.st)) {
			prev = o
		} else if len(keep) < maxRecent {
			keep = append(keep, o)
		}
	}
	recent.ixs = keep
	recent.Unlock()
	if prev == nil {
		return
	}
	prev.mu.Lock()
	defer prev.mu.Unlock()
	if !sameSegments(&prev.man, &ix.man) {
		return
	}
	ix.cache, prev.cache = prev.cache, newPageCache(cacheBytes)
	ix.blocks, prev.blocks = prev.blocks, newBlockCache()
	if string(prev.manBytes) == string(manBytes) {
		ix.texts, prev.texts = prev.texts, newTextCache()
		ix.segs, prev.segs = prev.segs, map[int]*segment{}
		ix.ids, prev.ids = prev.ids, nil // written with every manifest
	}
}

// sameStore reports whether a and b are the same store.
func sameStore(a, b store.Store) bool {
	ta, tb := reflect.TypeOf(a), reflect.TypeOf(b)
	return ta == tb && ta != nil && ta.Comparable() && a == b
}

// sameSegments reports whether segment numbers of old mean the same
// segments in cur: numbers only grew, and the segments both list have
// the same headers.
func sameSegments(old, cur *manifest) bool {
	if cur.Next < old.Next || old.Version != cur.Version {
		return false
	}
	headers := make(map[int]string, len(old.Segs))
	for _, m := range old.Segs {
		headers[m.ID] = string(m.Header)
	}
	for _, m := range cur.Segs {
		if h, ok := headers[m.ID]; ok && h != string(m.Header) {
			return false
		}
	}
	return true
}

// take removes key's value from the cache and returns it.
func (c *lru[K, V]) take(key K) (V, bool) {
	e, ok := c.m[key]
	if !ok {
		var zero V
		return zero, false
	}
	v := e.Value.(*lruEntry[K, V]).val
	c.removeElement(e)
	return v, true
}
