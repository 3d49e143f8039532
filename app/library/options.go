package library

import (
	"context"
	"time"

	"github.com/broadsheet/broadsheet/app/store"
	"github.com/broadsheet/broadsheet/parser"
)

// Options change how OpenWith opens a library. The zero value gives the
// library Open gives.
type Options struct {
	// Now is the clock of Meta.Imported (default time.Now). A fixed clock
	// (or one returning the zero time, which Meta leaves out) makes the
	// records a function of the files alone: a build of the same files
	// gives the same bytes.
	Now func() time.Time
	// NoOriginals leaves the original file bytes out of the store: the
	// "original" table stays empty and Original fails with an error
	// matching store.ErrNotFound. For archives built from files the reader
	// can fetch elsewhere.
	NoOriginals bool
	// Parse replaces parser.Parse (default). It must be a pure function of
	// the bytes, e.g. parser.Parse behind a cache of results parsed ahead
	// on several cores.
	Parse func([]byte) (*parser.Article, error)
}

// OpenWith is Open with options.
func OpenWith(ctx context.Context, s store.Store, o Options) (*Library, error) {
	l := &Library{s: s, parse: o.Parse, now: time.Now, noOriginals: o.NoOriginals}
	if o.Now != nil {
		l.now = o.Now
	}
	if err := l.upgrade(ctx); err != nil {
		return nil, err
	}
	return l, nil
}
