package search

import "container/list"

// pageCache is an LRU of pages read from the store, bounded in bytes.
// Pages are immutable (segments never change), so a cached page is never
// stale; pages of a merged-away segment simply age out.
type pageCache struct {
	max, size int
	ll        *list.List
	m         map[string]*list.Element
	hits      int
	misses    int
}

type cacheEntry struct {
	key string
	val []byte
}

func newPageCache(maxBytes int) *pageCache {
	return &pageCache{max: maxBytes, ll: list.New(), m: map[string]*list.Element{}}
}

func (c *pageCache) get(key string) ([]byte, bool) {
	if e, ok := c.m[key]; ok {
		c.ll.MoveToFront(e)
		c.hits++
		return e.Value.(*cacheEntry).val, true
	}
	c.misses++
	return nil, false
}

// has reports whether key is cached, without counting a hit or a miss.
func (c *pageCache) has(key string) bool {
	_, ok := c.m[key]
	return ok
}

func (c *pageCache) put(key string, val []byte) {
	if e, ok := c.m[key]; ok {
		c.ll.MoveToFront(e)
		return
	}
	c.m[key] = c.ll.PushFront(&cacheEntry{key, val})
	c.size += len(val)
	for c.size > c.max && c.ll.Len() > 1 {
		e := c.ll.Back()
		ce := e.Value.(*cacheEntry)
		c.ll.Remove(e)
		delete(c.m, ce.key)
		c.size -= len(ce.val)
	}
}
