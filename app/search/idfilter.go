package search

import (
	"context"
	"encoding/binary"
	"errors"
	"hash/fnv"

	"github.com/broadsheet/broadsheet/app/store"
)

// An add must find the earlier versions of its documents, to tombstone
// them: a read of tableIDs for every ID added. In an import almost every
// ID is new, and in IndexedDB that read of 1,000 IDs took ~250 ms, the
// cost of a small segment's writes. So the index keeps a Bloom filter of
// the IDs in tableIDs (idFilterKey in tableMeta, written in the same
// batch as the records it covers): an ID it does not hold is not looked
// up. It may hold IDs deleted since (they cost a lookup); it is rebuilt
// from tableIDs, twice as large, when the IDs added outgrow it, and when
// missing (an index of an older version).

const idFilterKey = "ids-filter"

// idFilter is a Bloom filter of IDs: idHashes bits per ID, about 10 bits
// per ID of its capacity (one false positive in a hundred).
type idFilter struct {
	bits []uint64
	cap  int // the IDs it is sized for
	n    int // the IDs added
}

const (
	idHashes       = 7
	idFilterMinCap = 4096
)

func newIDFilter(capacity int) *idFilter {
	capacity = max(capacity, idFilterMinCap)
	return &idFilter{bits: make([]uint64, (capacity*10+63)/64), cap: capacity}
}

// probes calls fn with the index of each of id's bits.
func (f *idFilter) probes(id string, fn func(bit uint64)) {
	h := fnv.New64a()
	h.Write([]byte(id))
	x := h.Sum64()
	h1, h2 := x&0xFFFFFFFF, x>>32|1
	m := uint64(len(f.bits)) * 64
	for i := range uint64(idHashes) {
		fn((h1 + i*h2) % m)
	}
}

func (f *idFilter) add(id string) {
	f.probes(id, func(bit uint64) { f.bits[bit/64] |= 1 << (bit % 64) })
	f.n++
}

// has reports whether id may have been added.
func (f *idFilter) has(id string) bool {
	all := true
	f.probes(id, func(bit uint64) { all = all && f.bits[bit/64]&(1<<(bit%64)) != 0 })
	return all
}

// encode writes uvarint(cap) uvarint(n) uvarint(words) and the words,
// little-endian.
func (f *idFilter) encode() []byte {
	b := binary.AppendUvarint(nil, uint64(f.cap))
	b = binary.AppendUvarint(b, uint64(f.n))
	b = binary.AppendUvarint(b, uint64(len(f.bits)))
	for _, w := range f.bits {
		b = binary.LittleEndian.AppendUint64(b, w)
	}
	return b
}

func decodeIDFilter(b []byte) (*idFilter, error) {
	r := &reader{b: b}
	f := &idFilter{cap: r.int(), n: r.int()}
	words := r.int()
	if r.err || words != len(r.b)/8 || len(r.b)%8 != 0 || words == 0 {
		return nil, errCorrupt
	}
	f.bits = make([]uint64, words)
	for i := range f.bits {
		f.bits[i] = binary.LittleEndian.Uint64(r.b[8*i:])
	}
	return f, nil
}

// idFilter returns the index's filter, read the first time (or rebuilt
// when the store has none).
func (ix *Index) idFilter(ctx context.Context) (*idFilter, error) {
	if ix.ids != nil {
		return ix.ids, nil
	}
	b, err := ix.get(ctx, tableMeta, idFilterKey)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return ix.rebuildIDFilter(ctx, 0)
	case err != nil:
		return nil, err
	}
	if ix.ids, err = decodeIDFilter(b); err != nil {
		return ix.rebuildIDFilter(ctx, 0)
	}
	return ix.ids, nil
}

// rebuildIDFilter makes the filter of the IDs of tableIDs, sized for
// twice them and more more.
func (ix *Index) rebuildIDFilter(ctx context.Context, more int) (*idFilter, error) {
	var ids []string
	err := ix.st.Scan(ctx, tableIDs, "", "", 0, func(key string, _ []byte) bool {
		ids = append(ids, key)
		return true
	})
	if err != nil {
		return nil, err
	}
	f := newIDFilter(2 * (len(ids) + more))
	for _, id := range ids {
		f.add(id)
	}
	ix.ids = f
	return f, nil
}

// mayHave returns the IDs of ids the filter may hold: those to look up.
func (ix *Index) mayHave(ctx context.Context, ids []string) ([]string, error) {
	f, err := ix.idFilter(ctx)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, id := range ids {
		if f.has(id) {
			out = append(out, id)
		}
	}
	return out, nil
}

// addIDs adds ids to the filter (rebuilt larger if they outgrow it) and
// puts it in c.
func (ix *Index) addIDs(ctx context.Context, c *change, ids []string) error {
	f, err := ix.idFilter(ctx)
	if err != nil {
		return err
	}
	if f.n+len(ids) > f.cap {
		if f, err = ix.rebuildIDFilter(ctx, len(ids)); err != nil {
			return err
		}
	}
	for _, id := range ids {
		f.add(id)
	}
	c.batch.Put(tableMeta, idFilterKey, f.encode())
	return nil
}
