package library

import (
	"context"
	"slices"
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
	start := ""
	if after != "" {
		start = after + "\x00"
	}
	ids, err := l.keys(ctx, tArticle, start, n)
	if err != nil || len(ids) == 0 {
		return "", err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	origs, err := l.originals(ctx, ids)
	if err != nil {
		return "", err
	}
	olds, batches, err := l.storedByID(ctx, ids, l.idsByKey)
	if err != nil {
		return "", err
	}
	c := newChanges()
	for i, old := range olds {
		if old == nil || origs[i] == nil {
			continue
		}
		if err := l.reparseOne(ctx, c, old, batches[i], origs[i]); err != nil {
			return "", err
		}
	}
	if err := l.commit(ctx, c); err != nil {
		return "", err
	}
	if len(ids) < n {
		return "", nil
	}
	return ids[len(ids)-1], nil
}

// reparseOne adds the changes that replace old (its index groups those
// of batch) with the article parsed again from orig.
func (l *Library) reparseOne(ctx context.Context, c *changes, old *Meta, batch string, orig []byte) error {
	f := File{Name: old.FileName, Data: orig, Modified: old.Modified}
	a, data, err := l.parseFile(f)
	if err != nil {
		return nil // keep what is stored
	}
	m := newMeta(a, f, old.Imported)
	if m.ID == old.ID {
		c.remove(old, batch, false)
		return c.put(&record{meta: m, article: data, original: orig})
	}
	c.remove(old, batch, true)
	if has, err := l.Has(ctx, m.ID); err != nil || has || slices.Contains(c.added, m.ID) {
		return err
	}
	c.added = append(c.added, m.ID)
	return c.put(&record{meta: m, article: data, original: orig})
}
