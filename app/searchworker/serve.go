package main

import (
	"context"
	"errors"
	"runtime"
	"time"

	"github.com/broadsheet/broadsheet/app/search"
	"github.com/broadsheet/broadsheet/app/store"
)

// opener opens the store a database name and tables name.
type opener func(ctx context.Context, db string, tables []string) (store.Store, error)

// worker handles requests against one index.
type worker struct {
	open opener
	ix   *search.Index
}

var errNotOpen = errors.New("searchworker: the index is not open")

// handle answers one request.
func (w *worker) handle(ctx context.Context, r request) reply {
	start := time.Now()
	rep := reply{ID: r.ID}
	err := w.do(ctx, r, &rep)
	if err != nil {
		rep.Err = err.Error()
	}
	rep.Micros = time.Since(start).Microseconds()
	return rep
}

// do runs the request's operation and fills in the reply.
func (w *worker) do(ctx context.Context, r request, rep *reply) error {
	if r.Op == "open" {
		return w.openIndex(ctx, r, rep)
	}
	if w.ix == nil {
		return errNotOpen
	}
	var err error
	switch r.Op {
	case "add":
		err = w.ix.Add(ctx, r.Docs...)
	case "delete":
		err = w.ix.Delete(ctx, r.IDs...)
	case "search":
		rep.Results, err = w.ix.Search(ctx, r.Q, search.Options{Sort: r.Sort, Limit: r.Limit})
		return err
	case "stats":
	case "mem":
		rep.Bytes, rep.Sys = memory()
		return nil
	default:
		return errors.New("searchworker: unknown op " + r.Op)
	}
	st := w.ix.Stats()
	rep.Stats = &st
	return err
}

// openIndex opens the store and the index kept in it.
func (w *worker) openIndex(ctx context.Context, r request, rep *reply) error {
	s, err := w.open(ctx, r.DB, r.Tables)
	if err != nil {
		return err
	}
	if w.ix, err = search.Open(ctx, s); err != nil {
		return err
	}
	st := w.ix.Stats()
	rep.Stats = &st
	return nil
}

// memory collects garbage and returns the live heap and the memory the
// Go runtime holds (in wasm, about the size of its linear memory).
func memory() (heap, sys uint64) {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc, ms.Sys
}
