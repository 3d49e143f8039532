package library

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/broadsheet/broadsheet/app/store"
	"github.com/broadsheet/broadsheet/parser"
)

// Table names (see Tables).
const (
	tInfo     = "info"     // keySchema -> schema version
	tIDs      = "ids"      // id -> order key (and batch: idValue)
	tOrder    = "order"    // order key -> Meta JSON
	tArticle  = "article"  // id -> parser.Article JSON
	tOriginal = "original" // id -> original file bytes
	tIndex    = "index"    // facet prefix + groupMark + batch -> entries (group.go); before: + order key -> index value
	tCount    = "count"    // count key -> decimal count
)

const keySchema = "schema"

// Version is the schema version this package writes.
//
//	0: articles and originals only, no list records or indexes
//	1: list order, source and author indexes, counts
//	2: a kept count of all articles
//	3: an article record may hold its original file (record.go)
//	4: index entries in groups, one per write and facet value (group.go)
const Version = 4

// joinedVersion is the first version whose article records may hold
// their originals.
const joinedVersion = 3

// groupedVersion is the first version whose index entries may be in
// groups.
const groupedVersion = 4

// upgrades[v] turns a version v library into version v+1; nil when a
// version v library is one of version v+1 as it is (a version 2 library
// is read as one of 3: its originals in a table of their own; a version
// 3 library as one of 4: its index entries of their own).
var upgrades = []func(*Library, context.Context) error{
	0: (*Library).reindex,
	1: (*Library).countAll,
	2: nil,
	3: nil,
}

// rebuildChunk is how many articles one write of an upgrade holds.
const rebuildChunk = 200

// upgrade brings the library to Version, one step at a time, recording the
// version after each step so an interrupted upgrade resumes.
func (l *Library) upgrade(ctx context.Context) error {
	v, err := l.version(ctx)
	if err != nil {
		return err
	}
	if v > Version {
		return fmt.Errorf("%w: library schema %d, this app knows %d", store.ErrVersion, v, Version)
	}
	for ; v < Version && !readAsIs(v); v++ {
		if upgrades[v] != nil {
			if err := upgrades[v](l, ctx); err != nil {
				return fmt.Errorf("library: upgrading schema %d: %w", v, err)
			}
		}
		if err := l.setVersion(ctx, max(v+1, l.schema)); err != nil { // a step's writes may be of a later form
			return err
		}
	}
	l.schema = max(l.schema, v)
	return nil
}

// readAsIs reports whether a version v library is read as one of
// Version with no step of upgrade: its version is then written with the
// first record of a newer form (commit), so that the library of a
// read-only store (a hosted archive of an older build) opens as it is.
func readAsIs(v int) bool {
	for ; v < Version; v++ {
		if upgrades[v] != nil {
			return false
		}
	}
	return true
}

// version returns the stored schema version. A store without one is new
// (Version) when it holds no articles, else version 0.
func (l *Library) version(ctx context.Context) (int, error) {
	v, err := l.s.Get(ctx, tInfo, keySchema)
	if errors.Is(err, store.ErrNotFound) {
		n, err := l.s.Count(ctx, tArticle)
		if err != nil {
			return 0, err
		}
		if n > 0 {
			return 0, nil
		}
		return Version, l.setVersion(ctx, Version)
	}
	if err != nil {
		return 0, err
	}
	return strconv.Atoi(string(v))
}

func (l *Library) setVersion(ctx context.Context, v int) error {
	var b store.Batch
	b.Put(tInfo, keySchema, []byte(strconv.Itoa(v)))
	return l.s.Write(ctx, &b)
}

// reindex rebuilds the list records, indexes and counts from the stored
// articles and originals (file names and times it cannot know stay empty).
func (l *Library) reindex(ctx context.Context) error {
	for _, t := range []string{tIDs, tOrder, tIndex, tCount} {
		if err := l.clear(ctx, t); err != nil {
			return err
		}
	}
	after := ""
	for {
		ids, err := l.keys(ctx, tArticle, after, rebuildChunk)
		if err != nil || len(ids) == 0 {
			return err
		}
		if err := l.reindexChunk(ctx, ids); err != nil {
			return err
		}
		after = ids[len(ids)-1] + "\x00"
	}
}

// reindexChunk writes the records of the articles ids.
func (l *Library) reindexChunk(ctx context.Context, ids []string) error {
	c := newChanges()
	for _, id := range ids {
		rec, err := l.s.Get(ctx, tArticle, id)
		if err != nil {
			return err
		}
		data, _, err := splitArticle(rec)
		if err != nil {
			return fmt.Errorf("article %q: %w", id, err)
		}
		var a parser.Article
		if err := unmarshalArticle(data, &a); err != nil {
			return fmt.Errorf("article %q: %w", id, err)
		}
		origs, err := l.originals(ctx, []string{id})
		if err != nil {
			return err
		}
		orig := origs[0]
		r := record{meta: newMeta(&a, File{Data: orig}, l.now()), article: data, original: orig}
		if err := c.put(&r); err != nil {
			return err
		}
		c.b.Delete(tOriginal, id) // now in the article's record
	}
	return l.commit(ctx, c)
}

// countAll writes the count record of all articles.
func (l *Library) countAll(ctx context.Context) error {
	n, err := l.s.Count(ctx, tIDs)
	if err != nil {
		return err
	}
	var b store.Batch
	b.Put(tCount, keyTotal, []byte(strconv.Itoa(n)))
	return l.s.Write(ctx, &b)
}

// clear deletes every key of table, a chunk per write.
func (l *Library) clear(ctx context.Context, table string) error {
	for {
		keys, err := l.keys(ctx, table, "", rebuildChunk*10)
		if err != nil || len(keys) == 0 {
			return err
		}
		b := store.Batch{Relaxed: true}
		for _, k := range keys {
			b.Delete(table, k)
		}
		if err := l.s.Write(ctx, &b); err != nil {
			return err
		}
	}
}

// keys returns up to n keys of table from start on.
func (l *Library) keys(ctx context.Context, table, start string, n int) ([]string, error) {
	var keys []string
	err := l.s.Scan(ctx, table, start, "", n, func(k string, _ []byte) bool {
		keys = append(keys, k)
		return true
	})
	return keys, err
}
