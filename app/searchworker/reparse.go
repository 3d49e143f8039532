package main

import (
	"context"
	"fmt"
	"time"

	"github.com/broadsheet/broadsheet/app/library"
	"github.com/broadsheet/broadsheet/app/search"
	"github.com/broadsheet/broadsheet/parser"
)

// After an upgrade whose parser makes something else of some files
// (parser.Revision), the articles stored by the older one are parsed
// again from their originals (library.ReparseNext) while the worker is
// idle: reparseChunk articles at a time, each chunk one write under the
// database's write lock that also records how far the work got, so that
// it resumes where it stopped, in this tab's worker or another's. The
// articles whose parse changed are recorded as to be indexed (Defer) in
// the same turn and indexed as imported ones are; those that moved to
// another ID leave the index.

// reparseChunk is how many articles one step parses again: about 0.1 s
// of parsing, which a request that arrives meanwhile waits at most.
const reparseChunk = 32

// reparseIdle is how long the worker waits for a request before its
// next step.
const reparseIdle = 50 * time.Millisecond

// checkReparse, after an "open", notes whether the library holds
// articles an older parser stored, and that its articles are to be
// checked against the index once they are parsed (check.go).
func (im *importer) checkReparse(ctx context.Context) {
	im.reparsing, im.reparseDue, im.check = false, false, indexCheck{}
	if im.w.ix == nil || im.w.local == nil {
		return
	}
	im.check.due = true
	lib, err := library.Open(ctx, im.w.local)
	if err == nil {
		im.reparseDue, err = lib.ReparseDue(ctx)
	}
	if err != nil {
		fmt.Println("searchworker: checking the articles' parser revision:", err)
	}
	im.reparsing = true
}

// reparseStep takes the next step of the work on stored articles: it
// parses the next chunk again while that is due, then checks them
// against the index (checkStep).
func (im *importer) reparseStep(ctx context.Context) {
	if im.reparseDue {
		im.reparseDue = im.reparseNext(ctx)
	} else {
		im.checkStep(ctx)
	}
	im.reparsing = im.reparseDue || im.check.due
}

// reparseNext parses the next chunk again and queues the changed
// articles for the index, and reports whether articles are left; the
// work stops for this worker on an error (the next open tries again).
func (im *importer) reparseNext(ctx context.Context) bool {
	var changed []string
	done := false
	err := im.w.write(ctx, func() error {
		lib, err := library.Open(ctx, im.w.local)
		if err != nil {
			return err
		}
		var gone []string
		if changed, gone, done, err = lib.ReparseNext(ctx, reparseChunk); err != nil {
			return err
		}
		if len(gone) > 0 {
			if err := im.w.ix.Delete(ctx, gone...); err != nil {
				return err
			}
		}
		if len(changed) > 0 {
			return im.w.ix.Defer(ctx, changed...)
		}
		return nil
	})
	if err == nil && len(changed) > 0 {
		err = im.queueStored(ctx, changed)
	}
	if err != nil {
		fmt.Printf("searchworker: parsing stored articles again with parser revision %d: %v\n", parser.Revision, err)
	}
	return err == nil && !done
}

// queueStored queues the documents of the stored articles ids for the
// index.
func (im *importer) queueStored(ctx context.Context, ids []string) error {
	docs, err := im.storedDocs(ctx, ids)
	for _, d := range docs {
		if d != nil {
			im.queue(*d)
		}
	}
	return err
}

// storedDocs reads the documents of the stored articles ids where the
// open says their texts are kept (Request.Texts), else from the library:
// nil for an article no longer there.
func (im *importer) storedDocs(ctx context.Context, ids []string) ([]*search.Doc, error) {
	texts := im.w.texts
	if texts == nil {
		lib, err := library.Open(ctx, im.w.local)
		if err != nil {
			return nil, err
		}
		texts = lib.SearchDocs
	}
	return texts(ctx, ids)
}
