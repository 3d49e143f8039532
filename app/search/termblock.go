package search

import (
	"context"
	"sort"
	"strings"
)

// termBlock is a decoded term block, kept in an LRU so that a query
// whose terms were looked up before (a query being typed, a page turned)
// does not decode the block again: the names in one string, and the
// entries, searched by binary search.
type termBlock struct {
	names string
	ends  []uint32 // end of each name in names
	ents  []blockEntry
}

type blockEntry struct {
	df, docsOff, docsLen, posOff, posLen uint32
}

// blockKey names a term block: segment and block number.
type blockKey struct{ seg, block int }

// blockCacheBytes bounds the decoded term blocks kept.
const blockCacheBytes = 32 << 20

func newBlockCache() *lru[blockKey, *termBlock] {
	return newLRU[blockKey](blockCacheBytes, (*termBlock).size)
}

func (b *termBlock) size() int { return 64 + len(b.names) + 4*cap(b.ends) + 20*cap(b.ents) }

func decodeTermBlock(raw []byte) (*termBlock, error) {
	var names strings.Builder
	names.Grow(len(raw))
	n := len(raw) / 5 // entries are about 5 bytes
	b := &termBlock{ends: make([]uint32, 0, n), ents: make([]blockEntry, 0, n)}
	err := decodeBlock(raw, func(e *termEntry) bool {
		names.Write(e.name)
		b.ends = append(b.ends, uint32(names.Len()))
		b.ents = append(b.ents, blockEntry{uint32(e.df), uint32(e.docsOff), uint32(e.docsLen), uint32(e.posOff), uint32(e.posLen)})
		return true
	})
	if err != nil {
		return nil, err
	}
	b.names = names.String()
	return b, nil
}

func (b *termBlock) name(i int) string {
	lo := uint32(0)
	if i > 0 {
		lo = b.ends[i-1]
	}
	return b.names[lo:b.ends[i]]
}

// search returns the index of the first term ≥ term.
func (b *termBlock) search(term string) int {
	return sort.Search(len(b.ents), func(i int) bool { return b.name(i) >= term })
}

func (b *termBlock) entry(i int) termEntry {
	e := &b.ents[i]
	return termEntry{term: b.name(i), df: int(e.df), docsOff: int(e.docsOff), docsLen: int(e.docsLen), posOff: int(e.posOff), posLen: int(e.posLen)}
}

// termBlock returns block bi of a segment's term table, decoded, through
// the cache.
func (ix *Index) termBlock(ctx context.Context, s *segment, bi int) (*termBlock, error) {
	k := blockKey{s.meta.ID, bi}
	if b, ok := ix.blocks.get(k); ok {
		return b, nil
	}
	raw, err := ix.read(ctx, s, s.hdr.termsOff+s.hdr.blockOff[bi], s.hdr.blockOff[bi+1]-s.hdr.blockOff[bi])
	if err != nil {
		return nil, err
	}
	b, err := decodeTermBlock(raw)
	if err != nil {
		return nil, err
	}
	ix.blocks.put(k, b)
	return b, nil
}

// lookup finds term in a segment's term table.
func (ix *Index) lookup(ctx context.Context, s *segment, term string) (*termEntry, error) {
	bi := s.hdr.blockFor(term)
	if bi < 0 {
		return nil, nil
	}
	b, err := ix.termBlock(ctx, s, bi)
	if err != nil {
		return nil, err
	}
	if i := b.search(term); i < len(b.ents) && b.name(i) == term {
		e := b.entry(i)
		return &e, nil
	}
	return nil, nil
}

// expand returns up to limit terms of a segment that start with prefix.
func (ix *Index) expand(ctx context.Context, s *segment, prefix string, limit int) ([]termEntry, error) {
	lo, hi := s.hdr.blocksFor(prefix)
	var out []termEntry
	for bi := lo; bi < hi && bi < len(s.hdr.blockFirst); bi++ {
		b, err := ix.termBlock(ctx, s, bi)
		if err != nil {
			return nil, err
		}
		for i := b.search(prefix); i < len(b.ents); i++ {
			if !strings.HasPrefix(b.name(i), prefix) || len(out) >= limit {
				return out, nil
			}
			out = append(out, b.entry(i))
		}
	}
	return out, nil
}
