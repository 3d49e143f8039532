//go:build !(js && wasm)

package main

import (
	"context"
	"sync"

	"github.com/broadsheet/broadsheet/app/searchworker/message"
	"github.com/broadsheet/broadsheet/app/weblock"
)

// processTabs is the native twin of browserTabs: the workers of one
// process that open the same database name share its lock (app/weblock's
// native twin) and tell each other of their changes (the tests run two
// workers so).
type processTabs struct {
	db    *processDB
	mu    sync.Mutex
	dirty bool
}

// processDB is one database's workers.
type processDB struct {
	name    string // its write lock
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
		d = &processDB{name: message.WriteLock(db)}
		processDBs[db] = d
	}
	t := &processTabs{db: d}
	d.mu.Lock()
	d.workers = append(d.workers, t)
	d.mu.Unlock()
	return t
}

func (t *processTabs) exclusive(ctx context.Context, fn func() error) error {
	return weblock.Exclusive(ctx, t.db.name, fn)
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
