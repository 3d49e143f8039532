package search

import (
	"context"
	"encoding/binary"
	"errors"
	"hash/fnv"

	"github.com/broadsheet/broadsheet/app/store"
)

// An add must find the earlier versions of its documents, to tombstone
// them: a read of tableText (textrec.go) or tableIDs for every ID added. In an import almost every
// ID is new, and in IndexedDB that read of 1,000 IDs took ~250 ms, the
// cost of a small segment's writes. So the index keeps a Bloom filter of
// the IDs in tableIDs (idFilterKey in tableMeta, written in the same
// batch as the records it covers): an ID it does not hold is not looked
// up. It may hold IDs deleted since (they cost a lookup). It grows by
// layers, each twice as large as the one before, a new one when the
// newest is full (no ID is read again: a scan of tableIDs in IndexedDB
// reads ~5,000 records a second under load); it is built from tableIDs
// only when missing (an index of an older version).

const idFilterKey = "ids-filter"

// idFilter is a Bloom filter of IDs in layers: an ID is added to the
// newest, and held if any holds it.
type idFilter struct {
	layers []*idLayer
	// places is the places records read so far (places.go): kept
	// with the filter, which passes to a reopened index while the
	// manifest is unchanged.
	places placeMap
}

// idLayer is a Bloom filter of up to cap IDs: idHashes bits per ID, 10
// bits per ID of its capacity (one false positive in a hundred).
type idLayer struct {
	bits []uint64
	cap  int // the IDs it is sized for
	n    int // the IDs added
}

const (
	idHashes       = 7
	idFilterMinCap = 4096
)

func newIDFilter(capacity int) *idFilter {
	return &idFilter{layers: []*idLayer{newIDLayer(capacity)}}
}

func newIDLayer(capacity int) *idLayer {
	capacity = max(capacity, idFilterMinCap)
	return &idLayer{bits: make([]uint64, (capacity*10+63)/64), cap: capacity}
}

// idHash is the hash of an ID: its bits are h1 + i*h2 for i < idHashes.
func idHash(id string) (h1, h2 uint64) {
	h := fnv.New64a()
	h.Write([]byte(id))
	x := h.Sum64()
	return x & 0xFFFFFFFF, x>>32 | 1
}

func (f *idFilter) add(id string) {
	l := f.layers[len(f.layers)-1]
	if l.n >= l.cap {
		l = newIDLayer(2 * l.cap)
		f.layers = append(f.layers, l)
	}
	h1, h2 := idHash(id)
	m := uint64(len(l.bits)) * 64
	for i := range uint64(idHashes) {
		bit := (h1 + i*h2) % m
		l.bits[bit/64] |= 1 << (bit % 64)
	}
	l.n++
}

// has reports whether id may have been added.
func (f *idFilter) has(id string) bool {
	h1, h2 := idHash(id)
	for _, l := range f.layers {
		m := uint64(len(l.bits)) * 64
		all := true
		for i := range uint64(idHashes) {
			bit := (h1 + i*h2) % m
			all = all && l.bits[bit/64]&(1<<(bit%64)) != 0
		}
		if all {
			return true
		}
	}
	return false
}

// encode writes uvarint(layers), then per layer uvarint(cap) uvarint(n)
// uvarint(words) and the words, little-endian.
func (f *idFilter) encode() []byte {
	b := binary.AppendUvarint(nil, uint64(len(f.layers)))
	for _, l := range f.layers {
		b = binary.AppendUvarint(b, uint64(l.cap))
		b = binary.AppendUvarint(b, uint64(l.n))
		b = binary.AppendUvarint(b, uint64(len(l.bits)))
		for _, w := range l.bits {
			b = binary.LittleEndian.AppendUint64(b, w)
		}
	}
	return b
}

func decodeIDFilter(b []byte) (*idFilter, error) {
	r := &reader{b: b}
	f := &idFilter{}
	n := r.int()
	if n < 1 || n > 64 {
		return nil, errCorrupt
	}
	for range n {
		l := &idLayer{cap: r.int(), n: r.int()}
		words := r.int()
		if r.err || words < 1 || words > len(r.b)/8 {
			return nil, errCorrupt
		}
		l.bits = make([]uint64, words)
		for i := range l.bits {
			l.bits[i] = binary.LittleEndian.Uint64(r.b[8*i:])
		}
		r.b = r.b[8*words:]
		f.layers = append(f.layers, l)
	}
	if len(r.b) > 0 {
		return nil, errCorrupt
	}
	return f, nil
}

// idFilter returns the index's filter, read the first time (or built
// when the store has none).
func (ix *Index) idFilter(ctx context.Context) (*idFilter, error) {
	if ix.ids != nil {
		return ix.ids, nil
	}
	b, err := ix.get(ctx, tableMeta, idFilterKey)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return ix.buildIDFilter(ctx)
	case err != nil:
		return nil, err
	}
	if ix.ids, err = decodeIDFilter(b); err != nil {
		return ix.buildIDFilter(ctx)
	}
	return ix.ids, nil
}

// buildIDFilter makes the filter of the IDs of tableIDs, of the
// records of tableText that say where their documents are (textrec.go),
// sized for twice them, and of the places records (places.go). (Only a filter lost costs the scan of the texts:
// an index of a version that kept none has no such records.)
func (ix *Index) buildIDFilter(ctx context.Context) (*idFilter, error) {
	var ids []string
	err := ix.st.Scan(ctx, tableIDs, "", "", 0, func(key string, _ []byte) bool {
		ids = append(ids, key)
		return true
	})
	if err != nil {
		return nil, err
	}
	err = ix.st.Scan(ctx, tableText, "", "", 0, func(key string, v []byte) bool {
		if _, ok, _ := textRef(v); ok {
			ids = append(ids, key)
		}
		return true
	})
	if err != nil {
		return nil, err
	}
	f := newIDFilter(2 * len(ids))
	for _, id := range ids {
		f.add(id)
	}
	ix.ids = f
	refs, err := ix.places(ctx)
	if err != nil {
		ix.ids = nil
		return nil, err
	}
	for id := range refs {
		f.add(id)
	}
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

// addIDs adds ids to the filter and puts it in c.
func (ix *Index) addIDs(ctx context.Context, c *change, ids []string) error {
	f, err := ix.idFilter(ctx)
	if err != nil {
		return err
	}
	for _, id := range ids {
		f.add(id)
	}
	c.batch.Put(tableMeta, idFilterKey, f.encode())
	return nil
}
