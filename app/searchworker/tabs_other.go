//go:build !(js && wasm)

package main

import (
	"context"
	"sync"
)

// processTabs is the native twin of browserTabs: the workers of one
// process that open the same database name share a mutex and tell each
// other of their changes (the tests run two workers so).
type processTabs struct {
	db    *processDB
	mu    sync.Mutex
	dirty bool
}

// processDB is one database's lock and its workers.
type processDB struct {
	lock    sync.Mutex
	mu      sync.Mutex
	workers []*processTabs
}

var (
	processMu  sync.Mutex
	processDBs = map[string]*processDB{}
)

func newTabs(db string) tabs {
	processMu.Lock()
	defer processMu.Unlock()
	d := processDBs[db]
	if d == nil {
		d = &processDB{}
		processDBs[db] = d
	}
	t := &processTabs{db: d}
	d.mu.Lock()
	d.workers = append(d.workers, t)
	d.mu.Unlock()
	return t
}

func (t *processTabs) exclusive(_ context.Context, fn func() error) error {
	t.db.lock.Lock()
	defer t.db.lock.Unlock()
	return fn()
}

func (t *processTabs) changed() {
	t.db.mu.Lock()
	defer t.db.mu.Unlock()
	for _, o := range t.db.workers {
		if o != t {
			o.mu.Lock()
			o.dirty = true
			o.mu.Unlock()
		}
	}
}

func (t *processTabs) stale() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	d := t.dirty
	t.dirty = false
	return d
}
