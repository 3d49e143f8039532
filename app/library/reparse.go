package library

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/broadsheet/broadsheet/app/store"
	"github.com/broadsheet/broadsheet/parser"
)

// Reparse parses again, with the current parser, the originals of up to n
// articles whose IDs follow after (in ID order; "" to start), and stores
// the new results in one Write, keeping each article's file name and
// times. It returns the ID to pass as after for the next chunk, "" when
// every article was done. An article whose ID changes with the new parser
// moves to its new ID (or is dropped, when an article with that ID is
// already stored); one that no longer parses keeps its stored version.
// Call it in chunks (about 50) after a parser upgrade, yielding between.
func (l *Library) Reparse(ctx context.Context, after string, n int) (next string, err error) {
	next, _, _, err = l.reparse(ctx, after, n, nil)
	return next, err
}

// reparse is Reparse that also returns the IDs whose stored article
// changed (put again, or moved to) and those no longer stored (moved
// from); mark, when set, adds its records to the chunk's write. An
// article whose new parse equals its stored one is not written.
func (l *Library) reparse(ctx context.Context, after string, n int, mark func(next string, b *store.Batch)) (next string, changed, gone []string, err error) {
	start := ""
	if after != "" {
		start = after + "\x00"
	}
	ids, err := l.keys(ctx, tArticle, start, n)
	if err != nil {
		return "", nil, nil, err
	}
	if len(ids) == n {
		next = ids[len(ids)-1]
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	arts, origs, err := l.articlesAndOriginals(ctx, ids)
	if err != nil {
		return "", nil, nil, err
	}
	olds, batches, err := l.storedByID(ctx, ids, l.idsByKey)
	if err != nil {
		return "", nil, nil, err
	}
	c := newChanges()
	for i, old := range olds {
		if old == nil || origs[i] == nil {
			continue
		}
		id, err := l.reparseOne(ctx, c, old, batches[i], arts[i], origs[i])
		if err != nil {
			return "", nil, nil, err
		}
		switch id {
		case "", old.ID:
			if id != "" {
				changed = append(changed, id)
			}
		default:
			gone = append(gone, old.ID)
			if id != movedAway {
				changed = append(changed, id)
			}
		}
	}
	if mark != nil {
		mark(next, &c.b)
	}
	if err := l.commit(ctx, c); err != nil {
		return "", nil, nil, err
	}
	return next, changed, gone, nil
}

// movedAway is reparseOne's answer for an article whose new ID is taken:
// it is dropped.
const movedAway = "\x00"

// reparseOne adds the changes that replace old (its index groups those
// of batch, its stored article JSON stored) with the article parsed
// again from orig, and returns the ID it is stored under after: "" when
// nothing changed (it no longer parses, or parses to what is stored),
// old.ID when it changed in place, another ID when it moved there, or
// movedAway when it was dropped because an article holds its new ID.
func (l *Library) reparseOne(ctx context.Context, c *changes, old *Meta, batch string, stored, orig []byte) (string, error) {
	f := File{Name: old.FileName, Data: orig, Modified: old.Modified}
	a, data, err := l.parseFile(f)
	if err != nil {
		return "", nil // keep what is stored
	}
	m := newMeta(a, f, old.Imported)
	if m.ID == old.ID {
		if bytes.Equal(data, stored) {
			return "", nil
		}
		c.remove(old, batch, false)
		return m.ID, c.put(&record{meta: m, article: data, original: orig})
	}
	c.remove(old, batch, true)
	if has, err := l.Has(ctx, m.ID); err != nil || has || slices.Contains(c.added, m.ID) {
		return movedAway, err
	}
	c.added = append(c.added, m.ID)
	return m.ID, c.put(&record{meta: m, article: data, original: orig})
}

// keyParsed in tInfo says which parser made the stored articles:
// "REVISION" when every one was parsed by parser revision REVISION (or a
// later one), "REVISION\tID" while ReparseNext brings them to it, every
// article up to ID in ID order done.
const keyParsed = "parsed"

// ReparseDue reports whether articles stored here were parsed by an
// older parser than this one (parser.Revision) and wait for ReparseNext.
// A library that records no revision and holds no article is marked as
// parsed by this one.
func (l *Library) ReparseDue(ctx context.Context) (bool, error) {
	rev, cursor, err := l.parsedWith(ctx)
	if err != nil {
		return false, err
	}
	return rev < parser.Revision || rev == parser.Revision && cursor != "", nil
}

// ReparseNext parses again, with this parser, the next n articles stored
// by an older one (after an app upgrade: ReparseDue) and stores those
// whose article changed, in one write that also records how far it got,
// so that the work resumes where it stopped, in this tab or another. It
// returns the IDs whose stored article changed (to index again) and
// those no longer stored (to take out of the index), and done once every
// article is parsed by this parser. An article that no longer parses
// keeps its stored version.
func (l *Library) ReparseNext(ctx context.Context, n int) (changed, gone []string, done bool, err error) {
	rev, cursor, err := l.parsedWith(ctx)
	if err != nil || rev > parser.Revision || rev == parser.Revision && cursor == "" {
		return nil, nil, err == nil, err
	}
	if rev < parser.Revision {
		cursor = "" // from the start, whatever an older target had done
	}
	next, changed, gone, err := l.reparse(ctx, cursor, n, func(next string, b *store.Batch) {
		v := strconv.Itoa(parser.Revision)
		if next != "" {
			v += "\t" + next
		}
		b.Put(tInfo, keyParsed, []byte(v))
	})
	return changed, gone, err == nil && next == "", err
}

// parsedWith reads keyParsed: the revision and, while a re-parse runs,
// the ID it reached.
func (l *Library) parsedWith(ctx context.Context) (rev int, cursor string, err error) {
	v, err := l.s.Get(ctx, tInfo, keyParsed)
	if errors.Is(err, store.ErrNotFound) {
		n, err := l.s.Count(ctx, tArticle)
		if err != nil || n > 0 {
			return 0, "", err
		}
		var b store.Batch
		b.Put(tInfo, keyParsed, []byte(strconv.Itoa(parser.Revision)))
		return parser.Revision, "", l.s.Write(ctx, &b)
	}
	if err != nil {
		return 0, "", err
	}
	r, cursor, _ := strings.Cut(string(v), "\t")
	if rev, err = strconv.Atoi(r); err != nil {
		return 0, "", fmt.Errorf("library: %s record %q: %w", keyParsed, v, err)
	}
	return rev, cursor, nil
}
