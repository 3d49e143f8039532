package main

import (
	"context"
	"errors"

	"github.com/broadsheet/broadsheet/app/search"
	"github.com/broadsheet/broadsheet/app/store"
)

// Several tabs of the app each run a worker over the same database. The
// index keeps its manifest in memory, so without care a worker writing
// from a stale manifest would drop the segments another tab added, and a
// worker searching from one could read pages another tab's merge has
// deleted. So every write (an import's library write, an index add or
// delete) runs while this worker holds the database's write lock, on the
// index as last written (its manifest read again under the lock), and
// tells the other tabs' workers that the index changed; a worker told so
// reopens the index before its next search, and a search that still
// meets a missing page reopens and tries once more.

// tabs is how the workers of one database coordinate.
type tabs interface {
	// exclusive runs fn while no other worker of the database writes.
	exclusive(ctx context.Context, fn func() error) error
	// changed tells the other workers that the database changed.
	changed()
	// stale reports whether another worker changed the database since
	// the last call, and forgets it.
	stale() bool
}

// soleTab is the tabs of a worker alone with its database.
type soleTab struct{}

func (soleTab) exclusive(_ context.Context, fn func() error) error { return fn() }
func (soleTab) changed()                                           {}
func (soleTab) stale() bool                                        { return false }

// coordination returns the worker's tabs (soleTab until the index opens).
func (w *worker) coordination() tabs {
	if w.tabs == nil {
		return soleTab{}
	}
	return w.tabs
}

// write runs fn, a write to the database, under the write lock, on the
// index as last written, and tells the other workers. A panic of fn
// goes on in the caller once the lock is released: in the browser the
// lock's holder runs in a goroutine of its own (app/weblock), where a
// panic would end the worker with the lock held for every tab; handle
// recovers it.
func (w *worker) write(ctx context.Context, fn func() error) error {
	t := w.coordination()
	var panicked any
	err := t.exclusive(ctx, func() error {
		defer func() { panicked = recover() }()
		if t.stale() { // reopened now: what others did so far is seen
			w.shelf.forget()
		}
		if err := w.reopen(ctx); err != nil {
			return err
		}
		err := fn()
		t.changed()
		return err
	})
	if panicked != nil {
		panic(panicked)
	}
	return err
}

// reopen reads the index's manifest again (its pages and segments are
// immutable: only the manifest says which are live).
func (w *worker) reopen(ctx context.Context) error {
	if w.ix == nil || w.local == nil {
		return nil
	}
	ix, err := search.Open(ctx, w.local)
	if err != nil {
		return err
	}
	w.setUp(ix)
	w.ix = ix
	return nil
}

// searchFresh runs search on an index that has seen the other workers'
// writes: reopened when they said so, and once more when a page it
// needed was gone (merged away by another tab in between).
func (w *worker) searchFresh(ctx context.Context, search func() error) error {
	if w.coordination().stale() {
		w.shelf.forget()
		if err := w.reopen(ctx); err != nil {
			return err
		}
	}
	err := search()
	if errors.Is(err, store.ErrNotFound) {
		if err := w.reopen(ctx); err != nil {
			return err
		}
		err = search()
	}
	return err
}
