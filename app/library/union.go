package library

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"sync"

	"github.com/broadsheet/broadsheet/app/store"
	"github.com/broadsheet/broadsheet/parser"
)

// Part is one library of a Union and the origin its articles are shown
// with (a key such as "imported", or an archive's name).
type Part struct {
	Origin string
	Lib    *Library
}

// Union reads several libraries as one, for instance the articles
// imported in this browser and a hosted archive. Its list is the merge of
// theirs in the one list order (they share the order keys); an article
// held by several parts is the first part's (the others' copies are
// hidden, and counted once); counts and facets are summed.
//
// To know those hidden copies, the Union looks the ids of every part but
// the last up in the parts after it, once, and keeps the answer until
// Changed: call it after writing to a part. The first part should be the
// small one (local imports): its ids are read whole.
//
// A Union only reads; write through the parts' libraries.
type Union struct {
	parts []Part

	mu     sync.Mutex
	hidden []map[string]*Meta // per part: its copies hidden by an earlier part, by id
}

// UnionQuery is a Query over a Union, optionally of one Origin only.
type UnionQuery struct {
	Query
	Origin string
}

// Item is an article of a Union's list and the origin of its shown copy.
type Item struct {
	Meta
	Origin string `json:"origin"`
}

// UnionFacets are the summed facets and the article count per origin, in
// the order of the parts.
type UnionFacets struct {
	Facets
	Origins []Facet `json:"origins"`
}

// NewUnion returns the union of parts, the first part winning.
func NewUnion(parts ...Part) *Union {
	return &Union{parts: slices.Clone(parts)}
}

// Parts returns the parts.
func (u *Union) Parts() []Part { return slices.Clone(u.parts) }

// Changed forgets which copies are hidden: a part was written to.
func (u *Union) Changed() {
	u.mu.Lock()
	u.hidden = nil
	u.mu.Unlock()
}

// hiddenCopies returns, per part, the copies an earlier part hides. A
// part that cannot be asked (a hosted archive offline, without the packs
// of those ids kept) is taken to hide nothing, and asked again next time:
// its copies may then show twice, but the library still lists.
func (u *Union) hiddenCopies(ctx context.Context) ([]map[string]*Meta, error) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.hidden != nil {
		return u.hidden, nil
	}
	hidden := make([]map[string]*Meta, len(u.parts))
	hidden[0] = map[string]*Meta{}
	var seen []string
	complete := true
	for i, p := range u.parts {
		if i > 0 {
			h, err := p.Lib.copiesOf(ctx, seen)
			if err != nil { // offline, say, with the packs not kept
				h, complete = map[string]*Meta{}, false
			}
			hidden[i] = h
		}
		if i+1 < len(u.parts) {
			ids, err := p.Lib.keys(ctx, tIDs, "", 0)
			if err != nil {
				return nil, err
			}
			seen = append(seen, ids...)
			slices.Sort(seen)
			seen = slices.Compact(seen)
		}
	}
	if complete {
		u.hidden = hidden
	}
	return hidden, nil
}

// lookupChunk bounds the keys of one GetMany of copiesOf.
const lookupChunk = 1000

// copiesOf returns the Meta records of those of ids the library holds.
func (l *Library) copiesOf(ctx context.Context, ids []string) (map[string]*Meta, error) {
	found := map[string]*Meta{}
	for chunk := range slices.Chunk(ids, lookupChunk) {
		metas, err := l.metasByID(ctx, chunk)
		if err != nil {
			return nil, err
		}
		for i, m := range metas {
			if m != nil {
				found[chunk[i]] = m
			}
		}
	}
	return found, nil
}

// selected returns the indexes of the parts of origin ("" for all).
func (u *Union) selected(origin string) []int {
	var out []int
	for i, p := range u.parts {
		if origin == "" || p.Origin == origin {
			out = append(out, i)
		}
	}
	return out
}

// List returns a page of the articles matching q, in the list order, and
// how many match in all. Offset and After work as in Library.List; After
// may name an article of any part.
func (u *Union) List(ctx context.Context, q UnionQuery) ([]Item, int, error) {
	if q.Limit <= 0 {
		q.Limit = DefaultLimit
	}
	q.Offset = max(q.Offset, 0)
	q.Source, q.Author = cleanValue(q.Source), cleanValue(q.Author)
	hidden, err := u.hiddenCopies(ctx)
	if err != nil {
		return nil, 0, err
	}
	after := ""
	if q.After != "" {
		m, _, err := u.meta(ctx, q.After)
		if err != nil {
			return nil, 0, err
		}
		after, q.Offset = m.orderKey(), 0
	}
	var curs []*cursor
	total := 0
	for _, i := range u.selected(q.Origin) {
		c := &cursor{lib: u.parts[i].Lib, origin: u.parts[i].Origin, q: q.Query, hidden: hidden[i], after: after}
		n, err := c.fill(ctx, q.Offset+q.Limit)
		if err != nil {
			return nil, 0, err
		}
		total += n - matching(hidden[i], q.Query)
		curs = append(curs, c)
	}
	items, err := merge(ctx, curs, q.Offset, q.Limit)
	return items, total, err
}

// matching counts the Meta records of hidden that match q's filters.
func matching(hidden map[string]*Meta, q Query) int {
	n := 0
	for _, m := range hidden {
		if m.matches(q) {
			n++
		}
	}
	return n
}

// matches reports whether m passes q's Source, Author and Year.
func (m *Meta) matches(q Query) bool {
	if q.Source != "" && m.Source != q.Source {
		return false
	}
	if q.Author != "" && !slices.Contains(m.Authors, q.Author) {
		return false
	}
	return q.Year <= 0 || yearOf(m.date()) == strconv.Itoa(q.Year)
}

// merge takes the items of the cursors in list order, skipping offset.
func merge(ctx context.Context, curs []*cursor, offset, limit int) ([]Item, error) {
	var items []Item
	for len(items) < limit {
		var best *cursor
		for _, c := range curs {
			m, err := c.peek(ctx, limit)
			if err != nil {
				return nil, err
			}
			if m != nil && (best == nil || m.orderKey() < best.head().orderKey()) {
				best = c
			}
		}
		if best == nil {
			break
		}
		m := best.pop()
		if offset > 0 {
			offset--
			continue
		}
		items = append(items, Item{Meta: *m, Origin: best.origin})
	}
	return items, nil
}

// cursor walks one part's list of q in pages, from the order key after
// on, leaving out the copies hidden by an earlier part.
type cursor struct {
	lib    *Library
	origin string
	q      Query
	hidden map[string]*Meta
	after  string // order key of the last article read ("" at the start)
	buf    []Meta
	done   bool
}

// fill reads the next n articles of the part and returns the number of
// articles of the part matching q.
func (c *cursor) fill(ctx context.Context, n int) (int, error) {
	q := c.q
	q.Offset, q.Limit, q.After = 0, max(n, 1), ""
	items, total, err := c.lib.listFrom(ctx, q, c.after)
	if err != nil {
		return 0, err
	}
	if len(items) < q.Limit {
		c.done = true
	}
	if len(items) > 0 {
		c.after = items[len(items)-1].orderKey()
	}
	for _, m := range items {
		if c.hidden[m.ID] == nil {
			c.buf = append(c.buf, m)
		}
	}
	return total, nil
}

// peek returns the next article, reading a page of n when none is
// buffered; nil at the end.
func (c *cursor) peek(ctx context.Context, n int) (*Meta, error) {
	for len(c.buf) == 0 && !c.done {
		if _, err := c.fill(ctx, n); err != nil {
			return nil, err
		}
	}
	return c.head(), nil
}

func (c *cursor) head() *Meta {
	if len(c.buf) == 0 {
		return nil
	}
	return &c.buf[0]
}

func (c *cursor) pop() *Meta {
	m := &c.buf[0]
	c.buf = c.buf[1:]
	return m
}

// listFrom is List from the article after the order key after ("" from
// the start), ignoring q.After.
func (l *Library) listFrom(ctx context.Context, q Query, after string) ([]Meta, int, error) {
	if after != "" {
		after += "\x00"
	}
	year := ""
	if q.Year > 0 {
		year = strconv.Itoa(q.Year)
	}
	if q.Source == "" && q.Author == "" {
		return l.listOrder(ctx, q, year, after)
	}
	return l.listIndex(ctx, q, year, after)
}

// Count returns the number of articles, each counted once.
func (u *Union) Count(ctx context.Context) (int, error) {
	hidden, err := u.hiddenCopies(ctx)
	if err != nil {
		return 0, err
	}
	total := 0
	for i, p := range u.parts {
		n, err := p.Lib.Count(ctx)
		if err != nil {
			return 0, err
		}
		total += n - len(hidden[i])
	}
	return total, nil
}

// Facets returns the parts' facets summed (hidden copies left out) and
// the number of articles shown from each part.
func (u *Union) Facets(ctx context.Context) (UnionFacets, error) {
	hidden, err := u.hiddenCopies(ctx)
	if err != nil {
		return UnionFacets{}, err
	}
	sums := [3]map[string]int{{}, {}, {}}
	var f UnionFacets
	for i, p := range u.parts {
		pf, err := p.Lib.Facets(ctx)
		if err != nil {
			return UnionFacets{}, err
		}
		n, err := p.Lib.Count(ctx)
		if err != nil {
			return UnionFacets{}, err
		}
		for k, list := range [3][]Facet{pf.Sources, pf.Authors, pf.Years} {
			for _, fc := range list {
				sums[k][fc.Value] += fc.Count
			}
		}
		for _, m := range hidden[i] {
			m.uncount(sums)
		}
		f.Origins = append(f.Origins, Facet{Value: p.Origin, Count: n - len(hidden[i])})
	}
	f.Sources, f.Authors, f.Years = byCount(sums[0]), byCount(sums[1]), byCount(sums[2])
	slices.SortFunc(f.Years, func(a, b Facet) int { return cmp.Compare(b.Value, a.Value) })
	return f, nil
}

// uncount takes m's source, authors and year off the sums.
func (m *Meta) uncount(sums [3]map[string]int) {
	if m.Source != "" {
		sums[0][m.Source]--
	}
	for _, a := range m.Authors {
		sums[1][a]--
	}
	if y := yearOf(m.date()); y != "" {
		sums[2][y]--
	}
}

// byCount is the values with a positive count, most first, then by value.
func byCount(sum map[string]int) []Facet {
	facets := []Facet{}
	for v, n := range sum {
		if n > 0 {
			facets = append(facets, Facet{Value: v, Count: n})
		}
	}
	slices.SortFunc(facets, func(a, b Facet) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Value, b.Value))
	})
	return facets
}

// Get returns article id from the first part holding it, with that
// part's origin, or an error matching store.ErrNotFound.
func (u *Union) Get(ctx context.Context, id string) (*parser.Article, string, error) {
	for _, p := range u.parts {
		a, err := p.Lib.Get(ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		return a, p.Origin, err
	}
	return nil, "", fmt.Errorf("library: article %q: %w", id, store.ErrNotFound)
}

// Origin returns the origin of the shown copy of article id, or an error
// matching store.ErrNotFound.
func (u *Union) Origin(ctx context.Context, id string) (string, error) {
	_, origin, err := u.meta(ctx, id)
	return origin, err
}

// meta returns the shown Meta of article id and its origin.
func (u *Union) meta(ctx context.Context, id string) (*Meta, string, error) {
	for _, p := range u.parts {
		m, err := p.Lib.meta(ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		return m, p.Origin, err
	}
	return nil, "", fmt.Errorf("library: article %q: %w", id, store.ErrNotFound)
}

// Neighbors returns the articles before and after id in the union's
// unfiltered list order ("" at either end).
func (u *Union) Neighbors(ctx context.Context, id string) (prev, next string, err error) {
	m, _, err := u.meta(ctx, id)
	if err != nil {
		return "", "", err
	}
	hidden, err := u.hiddenCopies(ctx)
	if err != nil {
		return "", "", err
	}
	key := m.orderKey()
	prevKey, nextKey := "", ""
	for i, p := range u.parts {
		pk, nk, err := p.Lib.around(ctx, key, id, hidden[i])
		if err != nil {
			return "", "", err
		}
		if pk != "" && (prevKey == "" || pk > prevKey) {
			prevKey = pk
		}
		if nk != "" && (nextKey == "" || nk < nextKey) {
			nextKey = nk
		}
	}
	return idOf(prevKey), idOf(nextKey), nil
}

// around returns the order keys of the library's articles right before
// and after key, leaving out article id and the hidden copies.
func (l *Library) around(ctx context.Context, key, id string, hidden map[string]*Meta) (prev, next string, err error) {
	pick := func(target *string) func(string, []byte) bool {
		return func(k string, _ []byte) bool {
			if kid := idOf(k); kid == id || hidden[kid] != nil {
				return true
			}
			*target = k
			return false
		}
	}
	if err := l.s.ScanReverse(ctx, tOrder, "", key, 0, pick(&prev)); err != nil {
		return "", "", err
	}
	if err := l.s.Scan(ctx, tOrder, key+"\x00", "", 0, pick(&next)); err != nil {
		return "", "", err
	}
	return prev, next, nil
}

// Owners returns, for each of ids, the origin of the first part among
// parts holding it ("" when none does), one GetMany per part. Pass the
// parts to look in: a hosted part reads a pack per key range.
func (u *Union) Owners(ctx context.Context, ids []string, origins ...string) ([]string, error) {
	out := make([]string, len(ids))
	for _, p := range u.parts {
		if len(origins) > 0 && !slices.Contains(origins, p.Origin) {
			continue
		}
		oks, err := p.Lib.s.GetMany(ctx, tIDs, ids)
		if err != nil {
			return nil, err
		}
		for i, ok := range oks {
			if ok != nil && out[i] == "" {
				out[i] = p.Origin
			}
		}
	}
	return out, nil
}

// Holds reports which of ids the library kept in s holds, reading s
// directly (one GetMany, no Open: no schema upgrade is run). The search
// worker uses it to hide a hosted copy of an article imported here.
func Holds(ctx context.Context, s store.Store, ids []string) ([]bool, error) {
	oks, err := s.GetMany(ctx, tIDs, ids)
	if err != nil {
		return nil, err
	}
	held := make([]bool, len(ids))
	for i, ok := range oks {
		held[i] = ok != nil
	}
	return held, nil
}

// FirstPageTables are the tables Open and the first page of the
// unfiltered List read (the schema, the counts, the list order), in that
// order: a store that fetches each table's records from afar (a hosted
// archive) may start reading them all at once.
func FirstPageTables() []string { return []string{tInfo, tCount, tOrder} }

// ReaderTables are the tables opening an article reads besides the list
// order (its id's order key, then the article): a store that fetches
// each table's records from afar may fetch what it needs to find them
// ahead, so that opening an article costs one round trip, not three.
func ReaderTables() []string { return []string{tIDs, tArticle} }
