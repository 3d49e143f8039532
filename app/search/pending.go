package search

import (
	"context"
	"slices"
)

// Documents may be stored elsewhere (the library) before they are added
// to the index: an app that indexes a large import after it, in one
// batch, records their IDs first with Defer, in the manifest, so that a
// page closed before the batch was indexed leaves a list to finish
// (Deferred), not articles that search never finds. Add and Delete take
// the IDs they add or delete off the list, in the same atomic write.

// Defer records ids as documents to be added. It writes the manifest.
func (ix *Index) Defer(ctx context.Context, ids ...string) error {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	c := ix.newChange()
	have := make(map[string]bool, len(c.man.Pending))
	for _, id := range c.man.Pending {
		have[id] = true
	}
	pending := slices.Clone(c.man.Pending)
	for _, id := range ids {
		if !have[id] {
			have[id] = true
			pending = append(pending, id)
		}
	}
	if len(pending) == len(c.man.Pending) {
		return nil
	}
	c.man.Pending = pending
	return ix.commit(ctx, c)
}

// Deferred returns the IDs recorded by Defer and not added or deleted
// since, in the order recorded.
func (ix *Index) Deferred() []string {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	return slices.Clone(ix.man.Pending)
}

// undefer takes ids off the manifest's list of deferred documents; it
// reports whether the list changed.
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
