package scratch

import (
	"bytes"
	"hash/maphash"
	"slices"
	"sort"
)

// keyTable is one table's keys and where their values are, kept without a
// single pointer for the garbage collector to follow however many keys
// there are: the keys (and short values) are appended to one byte arena,
// each key has an entry, and a map from the key's hash to its entry (the
// entries of equal hashes chained) finds it. A build holds hundreds of
// thousands of keys while the index allocates at a high rate: as strings
// in a map they cost every GC cycle a visit to each.
type keyTable struct {
	arena  []byte
	ents   []entry
	byHash map[uint64]int32 // the last entry of the key's hash chain
	// order holds the live entries of ents[:sortedTo] in key order: the
	// entries added since are merged in by the next scan (sort), and
	// diedInOrder says that some of order's died since.
	order       []int32
	spare       []int32 // the merge's other buffer, reused
	sortedTo    int
	diedInOrder bool
	live        int
}

// entry is one key: where its bytes are in the arena, where its value is
// (in the arena when inline, else in the file), and the entry before it
// with the same hash (-1: none).
type entry struct {
	keyOff int64
	valOff int64
	keyLen int32
	valLen int32
	next   int32
	inline bool
	dead   bool
}

// loc is where a value is: inline in the arena (copied out under the
// lock) or at off in the file.
type loc struct {
	inline []byte
	off    int64
	n      int
	file   bool
}

func newKeyTable() *keyTable { return &keyTable{byHash: map[uint64]int32{}} }

var seed = maphash.MakeSeed()

func (t *keyTable) key(e *entry) []byte { return t.arena[e.keyOff : e.keyOff+int64(e.keyLen)] }

// find returns the entry of key, or -1.
func (t *keyTable) find(key string) int32 {
	i, ok := t.byHash[maphash.String(seed, key)]
	for ok && i >= 0 {
		if e := &t.ents[i]; string(t.key(e)) == key {
			return i
		}
		i = t.ents[i].next
	}
	return -1
}

// loc returns where entry i's value is, inline values copied.
func (t *keyTable) loc(i int32) loc {
	e := &t.ents[i]
	if e.inline {
		return loc{inline: bytes.Clone(t.arena[e.valOff : e.valOff+int64(e.valLen)])}
	}
	return loc{off: e.valOff, n: int(e.valLen), file: true}
}

// put sets key's value: short values go into the arena (over the old
// bytes when they fit), others are at off in the file.
func (t *keyTable) put(key string, value []byte, off int64, inline bool) {
	i := t.find(key)
	if i < 0 {
		h := maphash.String(seed, key)
		next, ok := t.byHash[h]
		if !ok {
			next = -1
		}
		t.ents = append(t.ents, entry{keyOff: int64(len(t.arena)), keyLen: int32(len(key)), next: next})
		t.arena = append(t.arena, key...)
		i = int32(len(t.ents) - 1)
		t.byHash[h] = i
		t.live++
	}
	e := &t.ents[i]
	switch {
	case !inline:
		e.valOff, e.valLen = off, int32(len(value))
	case e.inline && int(e.valLen) >= len(value):
		copy(t.arena[e.valOff:], value)
		e.valLen = int32(len(value))
	default:
		e.valOff, e.valLen = int64(len(t.arena)), int32(len(value))
		t.arena = append(t.arena, value...)
	}
	e.inline = inline
}

// delete removes key, if present.
func (t *keyTable) delete(key string) {
	h := maphash.String(seed, key)
	prev := int32(-1)
	i, ok := t.byHash[h]
	for ok && i >= 0 {
		e := &t.ents[i]
		if string(t.key(e)) != key {
			prev, i = i, e.next
			continue
		}
		switch {
		case prev >= 0:
			t.ents[prev].next = e.next
		case e.next >= 0:
			t.byHash[h] = e.next
		default:
			delete(t.byHash, h)
		}
		e.dead, e.next = true, -1
		t.live--
		if int(i) < t.sortedTo {
			t.diedInOrder = true
		}
		return
	}
}

// sort puts the live entries in key order, unless they are: the entries
// added since the last sort are sorted and merged into order, so that a
// scan after each of many small writes (an import looking up its IDs)
// costs their sort and a copy of order, not a sort of every key.
func (t *keyTable) sort() {
	if t.sortedTo == len(t.ents) && !t.diedInOrder {
		return
	}
	if t.diedInOrder {
		t.order = slices.DeleteFunc(t.order, func(i int32) bool { return t.ents[i].dead })
		t.diedInOrder = false
	}
	var add []int32
	for i := t.sortedTo; i < len(t.ents); i++ {
		if !t.ents[i].dead {
			add = append(add, int32(i))
		}
	}
	t.sortedTo = len(t.ents)
	slices.SortFunc(add, t.compare)
	if len(t.order) == 0 {
		t.order = append(t.order, add...)
		return
	}
	t.order, t.spare = t.merge(add), t.order
}

// merge returns order with the sorted entries add inserted, in spare's
// storage: each is placed by a binary search of the rest of order, and
// the runs of order between them are copied whole.
func (t *keyTable) merge(add []int32) []int32 {
	out := slices.Grow(t.spare[:0], len(t.order)+len(add))
	rest := t.order
	for _, a := range add {
		k := t.key(&t.ents[a])
		n := sort.Search(len(rest), func(j int) bool { return bytes.Compare(t.key(&t.ents[rest[j]]), k) > 0 })
		out = append(append(out, rest[:n]...), a)
		rest = rest[n:]
	}
	return append(out, rest...)
}

// compare orders entries by key.
func (t *keyTable) compare(a, b int32) int {
	return bytes.Compare(t.key(&t.ents[a]), t.key(&t.ents[b]))
}

// pair is a key and its value's location, copied out of a table.
type pair struct {
	key string
	loc loc
}

// chunk returns up to n pairs of [start, end) ("" end: no bound) in key
// order, or from the end when reverse. The caller holds the write lock.
func (t *keyTable) chunk(start, end string, n int, reverse bool) []pair {
	t.sort()
	at := func(s string) int {
		return sort.Search(len(t.order), func(i int) bool { return string(t.key(&t.ents[t.order[i]])) >= s })
	}
	lo, hi := at(start), len(t.order)
	if end != "" {
		hi = at(end)
	}
	if lo >= hi {
		return nil
	}
	out := make([]pair, 0, min(n, hi-lo))
	for j := range min(n, hi-lo) {
		i := t.order[lo+j]
		if reverse {
			i = t.order[hi-1-j]
		}
		out = append(out, pair{string(t.key(&t.ents[i])), t.loc(i)})
	}
	return out
}
