package search

import (
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/broadsheet/broadsheet/app/store"
)

// TestBulkOrderedSameAsBulk: documents built in BulkOrder's order (in
// batches of other sizes than they came in) and merged by FinishOrdered
// write the tables that building them in the batches they came in and
// Finish write, byte for byte, runs cut within batches too (a small
// limit of records).
func TestBulkOrderedSameAsBulk(t *testing.T) {
	for _, c := range []struct{ n, size, limit, built int }{
		{1, 1, 0, 1}, {300, 300, 0, 100}, {1200, 250, 0, 333}, {2000, 90, 0, 500},
		{2000, 400, 20_000, 170}, {1200, 250, 3_000, 1200},
	} {
		t.Run(fmt.Sprintf("%d/%d/%d/%d", c.n, c.size, c.limit, c.built), func(t *testing.T) {
			batches := bulkDocs(c.n, c.size)
			want := bulkLoad(t, c.limit, func(bk *Bulk) error {
				buildBatches(t, bk, batches)
				return bk.Finish(bulkCtx)
			})
			got := bulkLoad(t, c.limit, func(bk *Bulk) error {
				queued := queuedOf(bk, batches)
				var all []Doc
				for _, b := range batches {
					all = append(all, b...)
				}
				var ordered []Doc
				for _, i := range BulkOrder(slices.Concat(queued...)) {
					ordered = append(ordered, all[i])
				}
				buildBatches(t, bk, slices.Collect(slices.Chunk(ordered, c.built)))
				return bk.FinishOrdered(bulkCtx, queued)
			})
			for _, table := range []string{tableMeta, tablePages, tableIDs} {
				if w, g := dumpTable(t, want, table), dumpTable(t, got, table); w != g {
					t.Errorf("table %s: FinishOrdered wrote %d bytes of records, Finish %d, not the same", table, len(g), len(w))
				}
			}
		})
	}
}

// TestFinishOrderedChecksOrder: runs built in the order the documents
// came in are refused.
func TestFinishOrderedChecksOrder(t *testing.T) {
	batches := bulkDocs(300, 100)
	st := bulkLoad(t, 0, func(bk *Bulk) error {
		buildBatches(t, bk, batches)
		if err := bk.FinishOrdered(bulkCtx, queuedOf(bk, batches)); err == nil {
			t.Errorf("FinishOrdered of runs in the order the documents came in: no error")
		}
		return nil
	})
	if got := dumpTable(t, st, tableIDs); got != "" {
		t.Errorf("FinishOrdered failed but wrote %d bytes of IDs", len(got))
	}
}

// newShippedBulk returns a new shipped index's store and a Bulk loading
// it, its runs in a temporary folder.
func newShippedBulk(tb testing.TB) (*store.Memory, *Bulk) {
	tb.Helper()
	st := store.NewMemory(Tables()...)
	ix, err := OpenShipped(bulkCtx, st)
	if err != nil {
		tb.Fatal(err)
	}
	bk, err := ix.NewBulk(tb.TempDir())
	if err != nil {
		tb.Fatal(err)
	}
	return st, bk
}

// bulkLoad loads a new shipped index by load, runs full at limit records
// (0: maxRecords), and returns its store.
func bulkLoad(t *testing.T, limit int, load func(*Bulk) error) *store.Memory {
	st, bk := newShippedBulk(t)
	defer bk.Close()
	bk.rangeBytes = 2 << 10
	bk.maxRecords = limit
	if err := load(bk); err != nil {
		t.Fatal(err)
	}
	return st
}

// buildBatches builds the batches on goroutines at once and adds their
// runs in order.
func buildBatches(t *testing.T, bk *Bulk, batches [][]Doc) {
	runs := make([][]*Run, len(batches))
	errs := make([]error, len(batches))
	var wg sync.WaitGroup
	for i, b := range batches {
		wg.Go(func() { runs[i], errs[i] = bk.Build(b) })
	}
	wg.Wait()
	for i := range runs {
		if errs[i] != nil {
			t.Fatal(errs[i])
		}
		bk.Add(runs[i]...)
	}
}

// queuedOf describes batches for FinishOrdered: the records of the
// documents that are not the last of their ID counted.
func queuedOf(bk *Bulk, batches [][]Doc) [][]Queued {
	last := map[string]*Doc{}
	for _, b := range batches {
		for i := range b {
			last[b[i].ID] = &b[i]
		}
	}
	var out [][]Queued
	for _, b := range batches {
		var qs []Queued
		for i := range b {
			q := Queued{ID: b[i].ID, Date: b[i].Date, Size: len(b[i].Title) + len(b[i].Text)}
			if last[b[i].ID] != &b[i] {
				q.Records = bk.Records(&b[i])
			}
			qs = append(qs, q)
		}
		out = append(out, qs)
	}
	return out
}
