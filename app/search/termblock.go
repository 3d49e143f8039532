package search

import (
	"context"
	"sort"
	"strings"
)

// termBlock is a term block kept in an LRU so that a query whose terms
// were looked up before (a query being typed, a page turned, the same
// terms in every segment) does not read and decode the block again: its
// encoded bytes, and every termSampleEvery-th entry decoded (sampled),
// from which a lookup decodes at most termSampleEvery−1 entries. It is
// about 1.5 times the block's bytes (a block decoded whole was 5 to 9
// times: the 32 MB of the cache held a fifth of a 100k library's
// blocks, and a query's lookups were a fifth of its time).
type termBlock struct {
	raw     []byte // the block's bytes (its own copy)
	samples []termSample
}

// termSample is one sampled entry: its name and counts, and where the
// entry after it starts.
type termSample struct {
	name string
	ent  blockEntry
	next uint32 // offset in raw of the next entry
}

type blockEntry struct {
	df, docsOff, docsLen, posOff, posLen uint32
}

// termSampleEvery is how many entries of a term block one sample
// stands for.
const termSampleEvery = 16

// blockKey names a term block: segment and block number.
type blockKey struct{ seg, block int }

// blockCacheBytes bounds the term blocks kept.
const blockCacheBytes = 32 << 20

func newBlockCache() *lru[blockKey, *termBlock] {
	return newLRU[blockKey](blockCacheBytes, (*termBlock).size)
}

func (b *termBlock) size() int {
	n := 64 + cap(b.raw) + 40*cap(b.samples)
	for i := range b.samples {
		n += len(b.samples[i].name)
	}
	return n
}

// newTermBlock samples an encoded term block (see decodeBlock), keeping
// a copy of it.
func newTermBlock(raw []byte) (*termBlock, error) {
	b := &termBlock{raw: append([]byte(nil), raw...)}
	b.samples = make([]termSample, 0, len(raw)/(5*termSampleEvery)+1) // entries are about 5 bytes
	i := 0
	err := decodeBlock(b.raw, func(e *termEntry, next int) bool {
		if i%termSampleEvery == 0 {
			b.samples = append(b.samples, termSample{string(e.name), e.blockEntry(), uint32(next)})
		}
		i++
		return true
	})
	if err != nil {
		return nil, err
	}
	return b, nil
}

func (e *termEntry) blockEntry() blockEntry {
	return blockEntry{uint32(e.df), uint32(e.docsOff), uint32(e.docsLen), uint32(e.posOff), uint32(e.posLen)}
}

// from calls fn with each entry of a term ≥ term, in order, until fn
// returns false. The entry's name is valid only during the call (see
// termEntry.keep).
func (b *termBlock) from(term string, fn func(e *termEntry) bool) error {
	j := sort.Search(len(b.samples), func(i int) bool { return b.samples[i].name > term }) - 1
	if j < 0 {
		j = 0 // every term of the block is > term: from its first
	}
	s := &b.samples[j]
	e := termEntry{name: []byte(s.name), df: int(s.ent.df), docsOff: int(s.ent.docsOff), docsLen: int(s.ent.docsLen),
		posOff: int(s.ent.posOff), posLen: int(s.ent.posLen)}
	if s.name >= term && !fn(&e) {
		return nil
	}
	r := &reader{b: b.raw[s.next:]}
	return decodeEntries(r, len(b.raw), e.name, e.docsOff+e.docsLen, e.posOff+e.posLen, func(e *termEntry, _ int) bool {
		if string(e.name) < term {
			return true
		}
		return fn(e)
	})
}

// find returns the entry of term, if the block holds it.
func (b *termBlock) find(term string) (termEntry, bool) {
	var out termEntry
	found := false
	err := b.from(term, func(e *termEntry) bool {
		if string(e.name) == term {
			out, found = e.keep(), true
		}
		return false
	})
	return out, found && err == nil
}

// termBlock returns block bi of a segment's term table, through the
// cache.
func (ix *Index) termBlock(ctx context.Context, s *segment, bi int) (*termBlock, error) {
	k := blockKey{s.meta.ID, bi}
	if b, ok := ix.blocks.get(k); ok {
		return b, nil
	}
	raw, err := ix.read(ctx, s, s.hdr.termsOff+s.hdr.blockOff[bi], s.hdr.blockOff[bi+1]-s.hdr.blockOff[bi])
	if err != nil {
		return nil, err
	}
	b, err := newTermBlock(raw)
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
	if e, ok := b.find(term); ok {
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
		done := false
		err = b.from(prefix, func(e *termEntry) bool {
			if !strings.HasPrefix(string(e.name), prefix) || len(out) >= limit {
				done = true
				return false
			}
			out = append(out, e.keep())
			return true
		})
		if err != nil {
			return nil, err
		}
		if done {
			return out, nil
		}
	}
	return out, nil
}

// fullBlock is a term block decoded whole, for a merge walking every
// term in order: the names in one string, and the entries.
type fullBlock struct {
	names string
	ends  []uint32 // end of each name in names
	ents  []blockEntry
}

func decodeFullBlock(raw []byte) (*fullBlock, error) {
	var names strings.Builder
	names.Grow(len(raw))
	n := len(raw) / 5 // entries are about 5 bytes
	b := &fullBlock{ends: make([]uint32, 0, n), ents: make([]blockEntry, 0, n)}
	err := decodeBlock(raw, func(e *termEntry, _ int) bool {
		names.Write(e.name)
		b.ends = append(b.ends, uint32(names.Len()))
		b.ents = append(b.ents, e.blockEntry())
		return true
	})
	if err != nil {
		return nil, err
	}
	b.names = names.String()
	return b, nil
}

func (b *fullBlock) name(i int) string {
	lo := uint32(0)
	if i > 0 {
		lo = b.ends[i-1]
	}
	return b.names[lo:b.ends[i]]
}

func (b *fullBlock) entry(i int) termEntry {
	e := &b.ents[i]
	return termEntry{term: b.name(i), df: int(e.df), docsOff: int(e.docsOff), docsLen: int(e.docsLen), posOff: int(e.posOff), posLen: int(e.posLen)}
}
