package search

import "container/list"

// lru is a least-recently-used cache bounded by the summed size of its
// values. It holds pages read from the store and decoded term blocks:
// segments are immutable, so a cached value is never stale; those of a
// merged-away segment simply age out.
type lru[K comparable, V any] struct {
	max, size int
	sizeOf    func(V) int
	ll        *list.List
	m         map[K]*list.Element
	hits      int
	misses    int
}

type lruEntry[K comparable, V any] struct {
	key K
	val V
}

func newLRU[K comparable, V any](maxSize int, sizeOf func(V) int) *lru[K, V] {
	return &lru[K, V]{max: maxSize, sizeOf: sizeOf, ll: list.New(), m: map[K]*list.Element{}}
}

// newPageCache returns a cache of pages bounded in bytes.
func newPageCache(maxBytes int) *lru[pageID, []byte] {
	return newLRU[pageID](maxBytes, func(b []byte) int { return len(b) })
}

func (c *lru[K, V]) get(key K) (V, bool) {
	if e, ok := c.m[key]; ok {
		c.ll.MoveToFront(e)
		c.hits++
		return e.Value.(*lruEntry[K, V]).val, true
	}
	c.misses++
	var zero V
	return zero, false
}

// has reports whether key is cached, without counting a hit or a miss.
func (c *lru[K, V]) has(key K) bool {
	_, ok := c.m[key]
	return ok
}

func (c *lru[K, V]) put(key K, val V) {
	if e, ok := c.m[key]; ok {
		c.ll.MoveToFront(e)
		return
	}
	c.m[key] = c.ll.PushFront(&lruEntry[K, V]{key, val})
	c.size += c.sizeOf(val)
	for c.size > c.max && c.ll.Len() > 1 {
		e := c.ll.Back()
		ce := e.Value.(*lruEntry[K, V])
		c.ll.Remove(e)
		delete(c.m, ce.key)
		c.size -= c.sizeOf(ce.val)
	}
}
