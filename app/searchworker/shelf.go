package main

import (
	"context"
	"encoding/binary"
	"errors"
	"runtime"

	"github.com/broadsheet/broadsheet/app/search"
	"github.com/broadsheet/broadsheet/app/searchworker/message"
	"github.com/broadsheet/broadsheet/app/store"
)

// A shelf keeps the titles and texts of documents that are nowhere else
// (a benchmark's: "open" with message.TextsTable) in message.DocsTable,
// as the app's library keeps its articles': the index reads its hits'
// texts from it (search.Index.TextsFrom). Each batch is written in a
// relaxed write of its own (stage "library"), before the index writes
// anything that names its documents: the index's store is the shelf's
// gate, whose writes wait for the shelf's.
//
// The app's library is written by the import worker while this one
// indexes; a shelf's write, likewise, goes on in the browser while
// the worker builds the segment of the same documents (start, then
// the Add; the segment's write waits at the gate). Written first and
// waited for, the texts of a flush of 3,000 articles (6 MB) kept the
// worker idle ~60 ms of each ~85 (BenchmarkSearchPeers, 10k: "library"
// 840 ms of a 2.97 s build).
type shelf struct {
	s       store.Store // the database, not the gate
	writing chan error  // the write start began, or nil
}

// errShelf: a record of the shelf is corrupt.
var errShelf = errors.New("searchworker: a text of " + message.DocsTable + " is corrupt")

// put writes the titles and texts of docs and waits for the write; a
// nil shelf writes nothing.
func (sh *shelf) put(ctx context.Context, docs []search.Doc) error {
	sh.start(ctx, docs)
	return sh.wait()
}

// start begins writing the titles and texts of docs and returns before
// the browser has written them (wait waits); a nil shelf writes nothing.
func (sh *shelf) start(ctx context.Context, docs []search.Doc) {
	if sh == nil || len(docs) == 0 {
		return
	}
	if err := sh.wait(); err != nil { // one write at a time: a failed one is told now
		sh.writing = make(chan error, 1)
		sh.writing <- err
		return
	}
	b := store.Batch{Relaxed: true}
	for _, d := range docs {
		v := binary.AppendUvarint(make([]byte, 0, len(d.Title)+len(d.Text)+4), uint64(len(d.Title)))
		v = append(append(v, d.Title...), d.Text...)
		b.Put(message.DocsTable, d.ID, v)
	}
	done := make(chan error, 1)
	sh.writing = done
	go func() { done <- sh.s.Write(ctx, &b) }()
	// the write's requests are queued as it runs, up to its wait for
	// the browser: let it run now, not when the caller next waits
	runtime.Gosched()
}

// wait waits for the write that start began, if any, and returns its
// error.
func (sh *shelf) wait() error {
	if sh == nil || sh.writing == nil {
		return nil
	}
	err := <-sh.writing
	sh.writing = nil
	return err
}

// texts reads the titles and texts of ids (search.Texts).
func (sh *shelf) texts(ctx context.Context, ids []string) ([]*search.Doc, error) {
	vals, err := sh.s.GetMany(ctx, message.DocsTable, ids)
	if err != nil {
		return nil, err
	}
	out := make([]*search.Doc, len(ids))
	for i, v := range vals {
		if v == nil {
			continue
		}
		n, w := binary.Uvarint(v)
		if w <= 0 || n > uint64(len(v)-w) {
			return nil, errShelf
		}
		out[i] = &search.Doc{ID: ids[i], Title: string(v[w : w+int(n)]), Text: string(v[w+int(n):])}
	}
	return out, nil
}

// A shelfGate is the index's store where a shelf keeps the texts: a
// write waits for the shelf's write under way, and fails with it, so
// that no segment or pending record names documents whose texts were
// not written.
type shelfGate struct {
	store.Store
	sh *shelf
}

// Write implements store.Store.
func (g shelfGate) Write(ctx context.Context, b *store.Batch) error {
	if err := g.sh.wait(); err != nil {
		return err
	}
	return g.Store.Write(ctx, b)
}
