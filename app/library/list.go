package library

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// DefaultLimit is the page size of a Query without a Limit.
const DefaultLimit = 50

// Query selects a page of the list. Empty Source and Author and a zero
// Year select everything; Limit <= 0 means DefaultLimit.
//
// A page starts after Offset matching articles, or, when After is set,
// right after article After (the last one of the previous page). Offset
// costs a scan over the articles it skips; After costs nothing however
// deep the page, so "more" paging should pass After.
type Query struct {
	Source, Author string
	Year           int
	Offset, Limit  int
	After          string
}

// Facet is one value of a filter with the number of articles that have it.
type Facet struct {
	Value string `json:"value"`
	Count int    `json:"count"`
}

// Facets are the values of the filters: sources and authors by count
// (then by name), years newest first (Value is the year in decimal).
type Facets struct {
	Sources []Facet `json:"sources"`
	Authors []Facet `json:"authors"`
	Years   []Facet `json:"years"`
}

// List returns a page of the articles matching q, newest first (by
// published time, else saved time), and how many match in all. A page is
// one bounded scan of a sort-ordered table; its cost grows with Offset, not
// with the size of the library. An After that is no longer stored gives an
// error matching store.ErrNotFound.
func (l *Library) List(ctx context.Context, q Query) (items []Meta, total int, err error) {
	if q.Limit <= 0 {
		q.Limit = DefaultLimit
	}
	q.Offset = max(q.Offset, 0)
	q.Source, q.Author = cleanValue(q.Source), cleanValue(q.Author)
	year := ""
	if q.Year > 0 {
		year = strconv.Itoa(q.Year)
	}
	after := ""
	if q.After != "" {
		ok, err := l.orderKey(ctx, q.After)
		if err != nil {
			return nil, 0, err
		}
		after, q.Offset = ok+"\x00", 0
	}
	if q.Source == "" && q.Author == "" {
		return l.listOrder(ctx, q, year, after)
	}
	return l.listIndex(ctx, q, year, after)
}

// listOrder lists the whole order table, or one year of it, from the
// order key after on.
func (l *Library) listOrder(ctx context.Context, q Query, year, after string) ([]Meta, int, error) {
	start, end := "", ""
	var total int
	var err error
	if year != "" {
		start = invert(year)
		end = prefixEnd(start)
		total, err = l.count(ctx, countKey(kindYear, year, ""))
	} else {
		total, err = l.Count(ctx)
	}
	if err != nil {
		return nil, 0, err
	}
	start = max(start, after)
	items := make([]Meta, 0, min(q.Limit, max(total-q.Offset, 0)))
	i := 0
	err = l.s.Scan(ctx, tOrder, start, end, q.Offset+q.Limit, func(_ string, v []byte) bool {
		if i++; i <= q.Offset {
			return true
		}
		var m Meta
		if err = json.Unmarshal(v, &m); err != nil {
			return false
		}
		items = append(items, m)
		return true
	})
	return items, total, err
}

// listIndex lists by the index of the source or the author (the one with
// fewer articles when both are asked for), checking the other on the way:
// its entries in groups (read whole) merged with those of their own
// (written before schema 4, scanned as far as the page needs).
func (l *Library) listIndex(ctx context.Context, q Query, year, after string) ([]Meta, int, error) {
	kind, value, total, err := l.pickIndex(ctx, q, year)
	if err != nil {
		return nil, 0, err
	}
	both := q.Source != "" && q.Author != ""
	prefix := facetPrefix(kind, value)
	need := 0 // every entry
	if !both && after == "" {
		need = q.Offset + q.Limit
	}
	groups, err := l.groupEntries(ctx, prefix, year, need)
	if err != nil {
		return nil, 0, err
	}
	start, end := entriesRange(prefix, year)
	if !both { // the count is kept: scan only the page
		start = max(start, prefix+after)
		groups = groups[countBelow(groups, after):]
	}
	var keys []string
	matched := 0
	take := func(e entry) bool {
		if both && !matches(e.iv, q.Source, q.Author) {
			return true
		}
		matched++
		if e.ok >= after && matched > q.Offset && len(keys) < q.Limit {
			keys = append(keys, e.ok)
		}
		return both || len(keys) < q.Limit // both: count them all
	}
	more := true
	err = l.s.Scan(ctx, tIndex, start, end, 0, func(k string, v []byte) bool {
		e := entry{ok: k[len(prefix):], iv: string(v)}
		for more && len(groups) > 0 && groups[0].ok < e.ok {
			more, groups = take(groups[0]), groups[1:]
		}
		more = more && take(e)
		return more
	})
	if err != nil {
		return nil, 0, err
	}
	for more && len(groups) > 0 {
		more, groups = take(groups[0]), groups[1:]
	}
	if both {
		total = matched
	}
	items, err := l.metas(ctx, keys)
	return items, total, err
}

// entriesRange is the range of the index entries of their own under
// prefix, of one year when year != "": past its groups.
func entriesRange(prefix, year string) (start, end string) {
	if year != "" {
		start = prefix + invert(year)
		return start, prefixEnd(start)
	}
	return prefix + string(groupMark[0]+1), prefixEnd(prefix)
}

// groupEntries returns the entries of the groups under facet prefix, of
// one year when year != "", in order: all of them, or when need > 0 at
// least the first need (those below the least order key of the groups
// not read: each group holds none below its write's least order key,
// and the groups are read in that order; a group's entries are stored
// in order, so each one's entries below are counted from its start).
func (l *Library) groupEntries(ctx context.Context, prefix, year string, need int) ([]entry, error) {
	start := prefix + groupMark
	y := invert(year)
	var es []entry
	var runs [][]entry // per group read, its entries not yet counted below
	below := 0         // the entries known below the next group's least
	var bad error
	err := l.s.Scan(ctx, tIndex, start, prefixEnd(start), 0, func(k string, v []byte) bool {
		least, ok := batchLeast(k[len(start):])
		if !ok { // no least key: read them all
			need = 0
		}
		if need > 0 {
			for i, r := range runs {
				for len(r) > 0 && r[0].ok < least {
					r, below = r[1:], below+1
				}
				runs[i] = r
			}
			if below >= need {
				return false
			}
		}
		n := len(es)
		if es, bad = decodeGroup(es, v); bad != nil {
			bad = fmt.Errorf("library: index group %q: %w", k, bad)
			return false
		}
		if year != "" {
			es = keepYear(es, n, y)
		}
		runs = append(runs, es[n:len(es):len(es)]) // in order, as stored
		return true
	})
	if err = cmp.Or(err, bad); err != nil {
		return nil, err
	}
	sortEntries(es)
	return es, nil
}

// keepYear drops the entries of es from n on that are not of the year
// whose inverted digits are y.
func keepYear(es []entry, n int, y string) []entry {
	kept := es[:n]
	for _, e := range es[n:] {
		if strings.HasPrefix(e.ok, y) {
			kept = append(kept, e)
		}
	}
	return kept
}

// countBelow returns the number of entries of es (in order) before
// order key ok.
func countBelow(es []entry, ok string) int {
	return sort.Search(len(es), func(i int) bool { return es[i].ok >= ok })
}

// pickIndex returns the index to scan for q, the source's or the author's,
// whichever has fewer articles, and its kept count.
func (l *Library) pickIndex(ctx context.Context, q Query, year string) (kind byte, value string, n int, err error) {
	best := -1
	for _, c := range []struct {
		kind, kindYear byte
		value          string
	}{{kindSource, kindSourceYear, q.Source}, {kindAuthor, kindAuthorYear, q.Author}} {
		if c.value == "" {
			continue
		}
		k := countKey(c.kind, c.value, "")
		if year != "" {
			k = countKey(c.kindYear, c.value, year)
		}
		m, err := l.count(ctx, k)
		if err != nil {
			return 0, "", 0, err
		}
		if best < 0 || m < best {
			best, kind, value = m, c.kind, c.value
		}
	}
	return kind, value, best, nil
}

// metas reads the Meta records under order keys.
func (l *Library) metas(ctx context.Context, keys []string) ([]Meta, error) {
	values, err := l.s.GetMany(ctx, tOrder, keys)
	if err != nil {
		return nil, err
	}
	items := make([]Meta, 0, len(keys))
	for i, v := range values {
		if v == nil {
			return nil, fmt.Errorf("library: index entry without a list record: %q", keys[i])
		}
		var m Meta
		if err := json.Unmarshal(v, &m); err != nil {
			return nil, err
		}
		items = append(items, m)
	}
	return items, nil
}

// Facets returns the filter values with their counts.
func (l *Library) Facets(ctx context.Context) (Facets, error) {
	var f Facets
	var err error
	if f.Sources, err = l.facets(ctx, kindSource); err != nil {
		return f, err
	}
	if f.Authors, err = l.facets(ctx, kindAuthor); err != nil {
		return f, err
	}
	if f.Years, err = l.facets(ctx, kindYear); err != nil {
		return f, err
	}
	slices.SortFunc(f.Years, func(a, b Facet) int { return cmp.Compare(b.Value, a.Value) })
	return f, nil
}

// facets returns the count records of one kind, most articles first.
func (l *Library) facets(ctx context.Context, kind byte) ([]Facet, error) {
	facets := []Facet{}
	var bad error
	start := string(kind)
	err := l.s.Scan(ctx, tCount, start, prefixEnd(start), 0, func(k string, v []byte) bool {
		n, err := strconv.Atoi(string(v))
		if err != nil {
			bad = err
			return false
		}
		facets = append(facets, Facet{Value: k[1:], Count: n})
		return true
	})
	if err = cmp.Or(err, bad); err != nil {
		return nil, err
	}
	slices.SortStableFunc(facets, func(a, b Facet) int { return cmp.Compare(b.Count, a.Count) })
	return facets, nil
}

// Neighbors returns the articles before and after id in the unfiltered
// list order ("" at either end).
func (l *Library) Neighbors(ctx context.Context, id string) (prev, next string, err error) {
	return l.NeighborsIn(ctx, id, Query{})
}

// NeighborsIn returns the articles before and after id in the list of q
// (its Source, Author and Year; "" at either end).
func (l *Library) NeighborsIn(ctx context.Context, id string, q Query) (prev, next string, err error) {
	ok, err := l.orderKey(ctx, id)
	if err != nil {
		return "", "", err
	}
	q.Source, q.Author = cleanValue(q.Source), cleanValue(q.Author)
	year := ""
	if q.Year > 0 {
		year = strconv.Itoa(q.Year)
	}
	if q.Source == "" && q.Author == "" {
		lo := ""
		if year != "" {
			lo = invert(year)
		}
		prev, next, err = l.neighborKeys(ctx, tOrder, "", lo, prefixEnd(lo), ok, q)
		return idOf(prev), idOf(next), err
	}
	prefix := facetPrefix(kindSource, q.Source)
	if q.Source == "" {
		prefix = facetPrefix(kindAuthor, q.Author)
	}
	lo, hi := entriesRange(prefix, year)
	if prev, next, err = l.neighborKeys(ctx, tIndex, prefix, lo, hi, ok, q); err != nil {
		return "", "", err
	}
	groups, err := l.groupEntries(ctx, prefix, year, 0)
	if err != nil {
		return "", "", err
	}
	i := countBelow(groups, ok)
	for j := i - 1; j >= 0; j-- {
		if matches(groups[j].iv, q.Source, q.Author) {
			prev = max(prev, groups[j].ok)
			break
		}
	}
	for j := i; j < len(groups); j++ {
		if groups[j].ok != ok && matches(groups[j].iv, q.Source, q.Author) {
			if next == "" || groups[j].ok < next {
				next = groups[j].ok
			}
			break
		}
	}
	return idOf(prev), idOf(next), nil
}

// neighborKeys returns the order keys right before and after ok among the
// keys of table in [lo, hi) under prefix that match q ("" when none).
func (l *Library) neighborKeys(ctx context.Context, table, prefix, lo, hi, ok string, q Query) (prev, next string, err error) {
	key := prefix + ok
	pick := func(target *string) func(string, []byte) bool {
		return func(k string, v []byte) bool {
			if table == tIndex && !matches(string(v), q.Source, q.Author) {
				return true
			}
			*target = k[len(prefix):]
			return false
		}
	}
	end := key
	if hi != "" && hi < key {
		end = hi
	}
	if err := l.s.ScanReverse(ctx, table, lo, end, 0, pick(&prev)); err != nil {
		return "", "", err
	}
	if err := l.s.Scan(ctx, table, max(key+"\x00", lo), hi, 0, pick(&next)); err != nil {
		return "", "", err
	}
	return prev, next, nil
}
