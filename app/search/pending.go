package search

import (
	"context"
	"fmt"
	"slices"
	"strings"
)

// Documents may be stored elsewhere (the library) before they are added
// to the index: an app that indexes a large import after it, in one
// batch, records their IDs first with Defer, so that a page closed
// before the batch was indexed leaves a list to finish (Deferred), not
// articles that search never finds. Add and Delete take the IDs they add
// or delete off the list, in the same atomic write. (The search worker
// also answers adds whose texts are kept elsewhere once Defer has
// recorded them, and adds them a few together: app/searchworker.)
//
// Each Defer writes one record of tableMeta ("pending/N": its IDs, one a
// line) and adds N to the manifest's PendingRecs: a Defer costs the same
// however many were recorded before it. (The list was kept in the
// manifest itself, rewritten whole by every Defer and read by every
// Open: ~170 KB a write at 10,000 articles. Such a list, Pending, is
// still read and taken off.)

// pendingKey is the key of pending record n in tableMeta.
func pendingKey(n int) string { return fmt.Sprintf("pending/%08d", n) }

// Defer records ids as documents to be added: one record, and the
// manifest.
func (ix *Index) Defer(ctx context.Context, ids ...string) error {
	ids = firstOnly(ids)
	if len(ids) == 0 {
		return nil
	}
	ix.mu.Lock()
	defer ix.mu.Unlock()
	c := ix.newChange()
	c.batch.Relaxed = true // as the library's writes of the articles it follows
	n := 0
	if k := len(c.man.PendingRecs); k > 0 {
		n = c.man.PendingRecs[k-1] + 1
	}
	c.batch.Put(tableMeta, pendingKey(n), []byte(strings.Join(ids, "\n")))
	c.man.PendingRecs = append(c.man.PendingRecs, n)
	return ix.commit(ctx, c)
}

// Deferred returns the IDs recorded by Defer and not added or deleted
// since, in the order recorded.
func (ix *Index) Deferred(ctx context.Context) ([]string, error) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	recs, err := ix.pendingRecords(ctx, ix.man.PendingRecs)
	if err != nil {
		return nil, err
	}
	ids := slices.Clone(ix.man.Pending)
	for _, r := range recs {
		ids = append(ids, r...)
	}
	return firstOnly(ids), nil
}

// pendingRecords reads the IDs of the pending records ns.
func (ix *Index) pendingRecords(ctx context.Context, ns []int) ([][]string, error) {
	if len(ns) == 0 {
		return nil, nil
	}
	keys := make([]string, len(ns))
	for i, n := range ns {
		keys[i] = pendingKey(n)
	}
	ix.reads++
	vals, err := ix.st.GetMany(ctx, tableMeta, keys)
	if err != nil {
		return nil, err
	}
	recs := make([][]string, len(ns))
	for i, v := range vals {
		if len(v) > 0 {
			recs[i] = strings.Split(string(v), "\n")
		}
	}
	return recs, nil
}

// undefer takes ids off the deferred documents in change c: the
// manifest's list and the pending records, a record rewritten without
// them or deleted once empty. It reports whether anything changed.
func (ix *Index) undefer(ctx context.Context, c *change, ids []string) (bool, error) {
	changed := c.man.undefer(ids)
	if len(c.man.PendingRecs) == 0 {
		return changed, nil
	}
	recs, err := ix.pendingRecords(ctx, c.man.PendingRecs)
	if err != nil {
		return false, err
	}
	drop := make(map[string]bool, len(ids))
	for _, id := range ids {
		drop[id] = true
	}
	var kept []int
	for i, n := range c.man.PendingRecs {
		left := slices.DeleteFunc(slices.Clone(recs[i]), func(id string) bool { return drop[id] })
		switch {
		case len(left) == len(recs[i]):
			kept = append(kept, n)
			continue
		case len(left) == 0:
			c.batch.Delete(tableMeta, pendingKey(n))
		default:
			c.batch.Put(tableMeta, pendingKey(n), []byte(strings.Join(left, "\n")))
			kept = append(kept, n)
		}
		changed = true
	}
	c.man.PendingRecs = kept
	return changed, nil
}

// undefer takes ids off the manifest's own list of deferred documents
// (written by an older Defer); it reports whether the list changed.
func (m *manifest) undefer(ids []string) bool {
	if len(m.Pending) == 0 {
		return false
	}
	drop := make(map[string]bool, len(ids))
	for _, id := range ids {
		drop[id] = true
	}
	kept := make([]string, 0, len(m.Pending))
	for _, id := range m.Pending {
		if !drop[id] {
			kept = append(kept, id)
		}
	}
	if len(kept) == len(m.Pending) {
		return false
	}
	m.Pending = kept
	if len(kept) == 0 {
		m.Pending = nil
	}
	return true
}

// firstOnly returns ids without repeats, each where it first comes.
func firstOnly(ids []string) []string {
	seen := make(map[string]bool, len(ids))
	out := ids[:0:0]
	for _, id := range ids {
		if id != "" && !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}
