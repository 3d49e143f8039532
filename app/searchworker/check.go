package main

import (
	"context"
	"fmt"
	"slices"

	"github.com/broadsheet/broadsheet/app/library"
)

// A stored article whose document never reached the index is never
// found. An import's library write and its record of the articles to
// index are two transactions (storeAll): a tab closed between them, or
// a record that failed (deferStored reports it and goes on), leaves
// articles stored that nothing waits to index. So after an open, once no
// re-parse is due, the worker counts: when the library holds more
// articles than the index holds documents and waits for, it walks the
// library's IDs, checkChunk at a time when idle (as reparse.go's
// steps, under the write lock), and queues for the index those it
// neither holds nor waits for.

// checkChunk is how many IDs one step checks: a scan of the library's
// IDs and a read of the index's records of as many.
const checkChunk = 500

// indexCheck is the state of the check after an open.
type indexCheck struct {
	due     bool   // a step is to be taken
	walking bool   // the counts differed: the IDs are walked
	after   string // the last ID checked
	found   int    // the articles queued so far
}

// checkStep takes the check's next step: the count, then a chunk of the
// walk. An error ends the check for this open.
func (im *importer) checkStep(ctx context.Context) {
	c := &im.check
	var lost []string
	err := im.w.write(ctx, func() error {
		lib, err := library.Open(ctx, im.w.local)
		if err != nil {
			return err
		}
		waiting, err := im.w.ix.Deferred(ctx)
		if err != nil {
			return err
		}
		if !c.walking {
			n, err := lib.Count(ctx)
			if err != nil {
				return err
			}
			c.walking = n > im.w.ix.Stats().Docs+len(waiting)
			c.due = c.walking
			return nil
		}
		ids, err := lib.IDs(ctx, c.after, checkChunk)
		if err != nil {
			return err
		}
		held, err := im.w.ix.Holds(ctx, ids)
		if err != nil {
			return err
		}
		slices.Sort(waiting)
		for i, id := range ids {
			if _, ok := slices.BinarySearch(waiting, id); !ok && !held[i] {
				lost = append(lost, id)
			}
		}
		if len(ids) < checkChunk {
			c.due = false
		} else {
			c.after = ids[len(ids)-1]
		}
		return nil
	})
	if err == nil && len(lost) > 0 {
		c.found += len(lost)
		err = im.queueStored(ctx, lost)
	}
	if err != nil {
		fmt.Println("searchworker: checking the stored articles against the index:", err)
		c.due = false
	}
	if !c.due && c.walking {
		fmt.Printf("searchworker: %d stored articles were missing from the index, now queued for it\n", c.found)
	}
}
