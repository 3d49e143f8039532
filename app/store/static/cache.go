package static

import "container/list"

// DefaultCacheBytes is the decoded-pack cache of a Store when Options
// gives none.
const DefaultCacheBytes = 16 << 20

// lru holds decoded packs up to a budget of bytes, dropping the least
// recently used. The caller locks.
type lru struct {
	max, size int
	order     *list.List // front: most recent; values are *lruEntry
	items     map[string]*list.Element
}

type lruEntry struct {
	file string
	p    *pack
}

func newLRU(max int) *lru {
	return &lru{max: max, order: list.New(), items: map[string]*list.Element{}}
}

func (c *lru) get(file string) *pack {
	e, ok := c.items[file]
	if !ok {
		return nil
	}
	c.order.MoveToFront(e)
	return e.Value.(*lruEntry).p
}

// add keeps p unless it alone exceeds the budget.
func (c *lru) add(file string, p *pack) {
	if _, ok := c.items[file]; ok || p.size > c.max {
		return
	}
	c.items[file] = c.order.PushFront(&lruEntry{file, p})
	c.size += p.size
	for c.size > c.max {
		e := c.order.Back()
		old := e.Value.(*lruEntry)
		c.order.Remove(e)
		delete(c.items, old.file)
		c.size -= old.p.size
	}
}
