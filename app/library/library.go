package library

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/broadsheet/broadsheet/app/store"
	"github.com/broadsheet/broadsheet/parser"
)

// Library is the set of imported articles kept in a store. Its methods are
// safe for concurrent use; its writes are serialised.
type Library struct {
	s     store.Store
	mu    sync.Mutex // serialises read-modify-write of the count records
	parse func([]byte) (*parser.Article, error)
	now   func() time.Time
	// noOriginals leaves the original bytes out (Options.NoOriginals).
	noOriginals bool
	// schema is the stored schema version (schema.go)
	schema int
}

// Tables returns the tables a store must be opened with for Open.
func Tables() []string {
	return []string{tInfo, tIDs, tOrder, tArticle, tOriginal, tIndex, tCount}
}

// Open checks the schema of the library kept in s and upgrades it if it was
// written by an older version. It fails with an error matching
// store.ErrVersion if a newer version wrote it.
func Open(ctx context.Context, s store.Store) (*Library, error) {
	return OpenWith(ctx, s, Options{})
}

// Get returns the parsed article id, or an error matching store.ErrNotFound.
func (l *Library) Get(ctx context.Context, id string) (*parser.Article, error) {
	rec, err := l.s.Get(ctx, tArticle, id)
	if err != nil {
		return nil, err
	}
	data, _, err := splitArticle(rec)
	if err != nil {
		return nil, fmt.Errorf("library: article %q: %w", id, err)
	}
	a := new(parser.Article)
	if err := unmarshalArticle(data, a); err != nil {
		return nil, fmt.Errorf("library: article %q: %w", id, err)
	}
	return a, nil
}

// Meta returns the list record of article id, or an error matching
// store.ErrNotFound.
func (l *Library) Meta(ctx context.Context, id string) (Meta, error) {
	m, err := l.meta(ctx, id)
	if err != nil {
		return Meta{}, err
	}
	return *m, nil
}

// metasByID returns the Meta records of ids, nil for an id not stored.
func (l *Library) metasByID(ctx context.Context, ids []string) ([]*Meta, error) {
	metas, _, err := l.storedByID(ctx, ids, l.idsByKey)
	return metas, err
}

// storedByID returns the Meta records of ids, nil for an id not stored,
// and the batch of each one's index groups ("": entries of their own),
// reading the "ids" records with get (idsByKey, or for an import
// idRecords: the page, which imports nothing, links no idRecords).
func (l *Library) storedByID(ctx context.Context, ids []string, get func(context.Context, []string) ([][]byte, error)) ([]*Meta, []string, error) {
	vals, err := get(ctx, ids)
	if err != nil {
		return nil, nil, err
	}
	var keys []string
	batches := make([]string, len(ids))
	for i, v := range vals {
		if v == nil {
			continue
		}
		ok, batch, err := parseIDValue(v)
		if err != nil {
			return nil, nil, fmt.Errorf("library: ids %q: %w", ids[i], err)
		}
		keys, batches[i] = append(keys, ok), batch
	}
	values, err := l.s.GetMany(ctx, tOrder, keys)
	if err != nil {
		return nil, nil, err
	}
	metas := make([]*Meta, len(ids))
	j := 0
	for i, v := range vals {
		if v == nil {
			continue
		}
		if values[j] != nil {
			metas[i] = new(Meta)
			if err := json.Unmarshal(values[j], metas[i]); err != nil {
				return nil, nil, fmt.Errorf("library: meta %q: %w", ids[i], err)
			}
		}
		j++
	}
	return metas, batches, nil
}

// idsByKey returns the "ids" records of ids, nil for one not stored.
func (l *Library) idsByKey(ctx context.Context, ids []string) ([][]byte, error) {
	return l.s.GetMany(ctx, tIDs, ids)
}

// orderKey returns the order key of article id, or an error matching
// store.ErrNotFound.
func (l *Library) orderKey(ctx context.Context, id string) (string, error) {
	v, err := l.s.Get(ctx, tIDs, id)
	if err != nil {
		return "", err
	}
	ok, _, err := parseIDValue(v)
	if err != nil {
		return "", fmt.Errorf("library: ids %q: %w", id, err)
	}
	return ok, nil
}

func (l *Library) meta(ctx context.Context, id string) (*Meta, error) {
	ok, err := l.orderKey(ctx, id)
	if err != nil {
		return nil, err
	}
	data, err := l.s.Get(ctx, tOrder, ok)
	if err != nil {
		return nil, err
	}
	m := new(Meta)
	if err := json.Unmarshal(data, m); err != nil {
		return nil, fmt.Errorf("library: meta %q: %w", id, err)
	}
	return m, nil
}

// IDs returns the IDs of up to n stored articles, in ID order, from the
// first after after ("" to start): fewer than n when none follow.
func (l *Library) IDs(ctx context.Context, after string, n int) ([]string, error) {
	start := ""
	if after != "" {
		start = after + "\x00"
	}
	return l.keys(ctx, tIDs, start, n)
}

// Has reports whether article id is stored.
func (l *Library) Has(ctx context.Context, id string) (bool, error) {
	_, err := l.s.Get(ctx, tIDs, id)
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	return err == nil, err
}

// Original returns the file article id was imported from.
func (l *Library) Original(ctx context.Context, id string) (File, error) {
	m, err := l.meta(ctx, id)
	if err != nil {
		return File{}, err
	}
	origs, err := l.originals(ctx, []string{id})
	if err != nil {
		return File{}, err
	}
	if origs[0] == nil {
		return File{}, fmt.Errorf("%w: original %q", store.ErrNotFound, id)
	}
	return File{Name: m.FileName, Data: origs[0], Modified: m.Modified}, nil
}

// originals reads the original files of ids: each in its article record,
// else (written before schema 3) in table "original"; nil for one not
// kept.
func (l *Library) originals(ctx context.Context, ids []string) ([][]byte, error) {
	_, origs, err := l.articlesAndOriginals(ctx, ids)
	return origs, err
}

// articlesAndOriginals returns the stored article JSON and the original
// file of each of ids (nil for an id not stored).
func (l *Library) articlesAndOriginals(ctx context.Context, ids []string) (arts, origs [][]byte, err error) {
	recs, err := l.s.GetMany(ctx, tArticle, ids)
	if err != nil {
		return nil, nil, err
	}
	arts, origs = make([][]byte, len(ids)), make([][]byte, len(ids))
	var apart []string
	var which []int
	for i, rec := range recs {
		if rec == nil {
			continue
		}
		if arts[i], origs[i], err = splitArticle(rec); err != nil {
			return nil, nil, fmt.Errorf("library: article %q: %w", ids[i], err)
		}
		if origs[i] == nil {
			apart, which = append(apart, ids[i]), append(which, i)
		}
	}
	if len(apart) == 0 {
		return arts, origs, nil
	}
	old, err := l.s.GetMany(ctx, tOriginal, apart)
	if err != nil {
		return nil, nil, err
	}
	for j, i := range which {
		origs[i] = old[j]
	}
	return arts, origs, nil
}

// Count returns the number of articles (a kept count: IndexedDB counts
// by walking the keys).
func (l *Library) Count(ctx context.Context) (int, error) {
	return l.count(ctx, keyTotal)
}

// Delete removes the articles ids in one store.Write; unknown ids are
// ignored.
func (l *Library) Delete(ctx context.Context, ids ...string) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	metas, batches, err := l.storedByID(ctx, slices.Compact(slices.Sorted(slices.Values(ids))), l.idsByKey)
	if err != nil {
		return err
	}
	c := newChanges()
	for i, m := range metas {
		if m != nil {
			c.remove(m, batches[i], true)
		}
	}
	return l.commit(ctx, c)
}

// commit adds the count changes of c, its "ids" records and its index
// groups to its batch and writes it.
func (l *Library) commit(ctx context.Context, c *changes) error {
	return l.commitWith(ctx, c, nil)
}

// commitWith is commit with the count records and batch number read
// ahead by p (nil: read now).
func (l *Library) commitWith(ctx context.Context, c *changes, p *prefetched) error {
	var keys []string
	for k, d := range c.counts {
		if d != 0 {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	values, err := l.countValues(ctx, keys, p)
	if err != nil {
		return err
	}
	for i, k := range keys {
		n := 0
		if values[i] != nil {
			if n, err = strconv.Atoi(string(values[i])); err != nil {
				return fmt.Errorf("library: count %q: %w", k, err)
			}
		}
		if n += c.counts[k]; n > 0 {
			c.b.Put(tCount, k, []byte(strconv.Itoa(n)))
		} else {
			c.b.Delete(tCount, k)
		}
	}
	batch, err := l.nextBatch(ctx, c, p)
	if err != nil {
		return err
	}
	if err := l.group(ctx, c, batch); err != nil {
		return err
	}
	if len(c.b.Ops) == 0 {
		return nil
	}
	v := l.schema
	if c.joined {
		v = max(v, joinedVersion)
	}
	if len(c.adds) > 0 {
		v = max(v, groupedVersion)
	}
	if v > l.schema {
		c.b.Put(tInfo, keySchema, []byte(strconv.Itoa(v)))
	}
	if err := l.s.Write(ctx, &c.b); err != nil {
		return err
	}
	l.schema = v
	return nil
}

// nextBatch names the index groups c adds ("" when it adds none): the
// least order key it puts and the batch number after the last, kept in
// the info table (batchSuffix).
func (l *Library) nextBatch(ctx context.Context, c *changes, p *prefetched) (string, error) {
	if len(c.adds) == 0 {
		return "", nil
	}
	n := 0
	v, err := []byte(nil), error(nil)
	switch {
	case p == nil:
		v, err = l.s.Get(ctx, tInfo, keyBatch)
	case p.batch == nil:
		err = store.ErrNotFound
	default:
		v = p.batch
	}
	if err == nil {
		n, err = strconv.Atoi(string(v))
	}
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return "", fmt.Errorf("library: batch number: %w", err)
	}
	n++
	c.b.Put(tInfo, keyBatch, []byte(strconv.Itoa(n)))
	least := c.ids[0].ok
	for _, io := range c.ids {
		least = min(least, io.ok)
	}
	return batchSuffix(least, n), nil
}

// group adds to c's batch the "ids" records of the articles it puts,
// their index entries as groups of batch, and the stored groups it takes
// entries out of, read again (or deleted once empty).
func (l *Library) group(ctx context.Context, c *changes, batch string) error {
	for _, io := range c.ids {
		if batch == "" { // no source, no author: no entries
			c.b.Put(tIDs, io.id, []byte(io.ok))
			continue
		}
		c.b.Put(tIDs, io.id, idValue(io.ok, batch))
	}
	for _, p := range sortedKeys(c.adds) {
		es := c.adds[p]
		sortEntries(es)
		c.b.Put(tIndex, groupKey(p, batch), encodeGroup(es))
	}
	if len(c.drops) == 0 {
		return nil
	}
	keys := sortedKeys(c.drops)
	values, err := l.s.GetMany(ctx, tIndex, keys)
	if err != nil {
		return err
	}
	for i, k := range keys {
		if values[i] == nil {
			continue
		}
		es, err := decodeGroup(nil, values[i])
		if err != nil {
			return fmt.Errorf("library: index group %q: %w", k, err)
		}
		gone := map[string]bool{}
		for _, e := range c.drops[k] {
			gone[e.ok] = true
		}
		kept := es[:0]
		for _, e := range es {
			if !gone[e.ok] {
				kept = append(kept, e)
			}
		}
		if es = kept; len(es) == 0 {
			c.b.Delete(tIndex, k)
			continue
		}
		c.b.Put(tIndex, k, encodeGroup(es))
	}
	return nil
}

// count returns the count record k (0 when there is none).
func (l *Library) count(ctx context.Context, k string) (int, error) {
	v, err := l.s.Get(ctx, tCount, k)
	if errors.Is(err, store.ErrNotFound) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	return strconv.Atoi(string(v))
}

// sortedKeys returns the keys of m in order.
func sortedKeys(m map[string][]entry) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
