package search

import (
	"cmp"
	"context"
	"errors"
	"slices"
	"time"
)

// A Bulk may be given its documents in their final order instead of the
// order they came in: the last of each ID only, by date, ties in the
// order they came in (BulkOrder). Its runs then hold consecutive ranges
// of the segment's documents, so a term's lists from several runs are
// only put one after another (no renumbering, no bitmap or sort), and
// FinishOrdered writes what Finish would have written had the documents
// been built in the batches they came in (Queued): the same segment, its
// number and its text bytes, which depend on those batches' runs.

// Queued is a document as it came to be indexed, in a batch that Build
// would have been given: its ID, date and text bytes (Title and Text);
// for one that is not the last of its ID (not built), its records
// (Bulk.Records).
type Queued struct {
	ID      string
	Date    time.Time
	Size    int
	Records int
}

// BulkOrder returns the indexes, in queued (flattened), of the documents
// to build, in the order to build them: the last of each ID, by date
// (to the second, as a segment numbers them), ties in queued order.
func BulkOrder(queued []Queued) []int {
	last := make(map[string]int, len(queued))
	for i, q := range queued {
		last[q.ID] = i
	}
	order := make([]int, 0, len(last))
	for i, q := range queued {
		if last[q.ID] == i {
			order = append(order, i)
		}
	}
	slices.SortStableFunc(order, func(a, b int) int {
		return cmp.Compare(unixDate(queued[a].Date), unixDate(queued[b].Date))
	})
	return order
}

// unixDate is a document's date as docInfo keeps it.
func unixDate(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.Unix()
}

// Records returns the records a run holds for d (what makes a run full).
func (bk *Bulk) Records(d *Doc) int {
	b := bk.builder()
	defer bk.putBuilder(b)
	b.reset()
	b.add(d)
	n := b.n
	b.reset()
	return n
}

// FinishOrdered is Finish for runs built, and added, from the documents
// in the order BulkOrder gives; queued are the batches the documents came
// in. It fails, writing nothing, when the runs' documents are not the
// ones BulkOrder gives in that order.
func (bk *Bulk) FinishOrdered(ctx context.Context, queued [][]Queued) error {
	ix := bk.ix
	ix.mu.Lock()
	defer ix.mu.Unlock()
	bk.dropBuilders()
	if len(bk.runs) == 0 {
		return nil
	}
	// the order is checked, and the batches counted, while the runs
	// merge (finish waits for it before it writes)
	type counted struct {
		runs int
		text int64
		err  error
	}
	check := make(chan counted, 1)
	go func() {
		records, err := bk.checkOrder(queued)
		if err != nil {
			check <- counted{err: err}
			return
		}
		runs, text := bk.limit().asBuilt(queued, records)
		check <- counted{runs, text, nil}
	}()
	var inputs []mergeInput
	var docs []docInfo
	var ids []string
	for _, r := range bk.runs {
		in := mergeInput{base: len(docs), newDoc: make([]uint32, len(r.docs))}
		for i := range r.docs {
			in.newDoc[i] = uint32(len(docs))
			docs = append(docs, r.docs[i])
			ids = append(ids, r.docs[i].id)
		}
		inputs = append(inputs, in)
	}
	bk.ordered = true
	return bk.finishAs(ctx, inputs, docs, ids, func() (int, int64, error) {
		c := <-check
		if c.runs > 1 {
			for i := range docs {
				// as merged segments' documents read back (renumber)
				docs[i].length, docs[i].titleEnd, docs[i].leadEnd = 0, 0, 0
			}
		}
		return c.runs, c.text, c.err
	})
}

// checkOrder checks that the runs hold the documents of queued in
// BulkOrder's order, and returns the records of each.
func (bk *Bulk) checkOrder(queued [][]Queued) (map[string]int, error) {
	var all []Queued
	for _, b := range queued {
		all = append(all, b...)
	}
	order := BulkOrder(all)
	records := make(map[string]int, len(order))
	k := 0
	for _, r := range bk.runs {
		for i := range r.docs {
			if k >= len(order) || r.docs[i].id != all[order[k]].ID || r.docs[i].date != unixDate(all[order[k]].Date) {
				return nil, errOrder
			}
			records[r.docs[i].id] = int(r.records[i])
			k++
		}
	}
	if k != len(order) {
		return nil, errOrder
	}
	return records, nil
}

var errOrder = errors.New("search: the runs do not hold the queued documents in BulkOrder's order")

// runLimit is when a run is full: maxRecords (tests make it smaller).
type runLimit int

func (bk *Bulk) limit() runLimit {
	if bk.maxRecords > 0 {
		return runLimit(bk.maxRecords)
	}
	return maxRecords
}

// asBuilt returns how many runs Build would have made of the batches of
// queued (each the last of its ID in its batch, cut where a run is
// full), and the text bytes Finish would have counted for their live
// documents (the last of each ID): each run's, times its share of live
// documents. records holds the records of the live documents.
func (lim runLimit) asBuilt(queued [][]Queued, records map[string]int) (runs int, text int64) {
	last := map[string]int{}
	at := 0
	for _, b := range queued {
		for _, q := range b {
			last[q.ID] = at
			at++
		}
	}
	at = 0
	for _, b := range queued {
		inBatch := make(map[string]int, len(b))
		for i, q := range b {
			inBatch[q.ID] = i
		}
		var n, docs, live, size int
		for i, q := range b {
			if inBatch[q.ID] != i {
				continue // lastByID
			}
			docs++
			size += q.Size
			if last[q.ID] == at+i {
				live++
				n += records[q.ID]
			} else {
				n += q.Records
			}
			if n >= int(lim) || docs >= 1<<16 || i == len(b)-1 {
				runs++
				text += int64(size) * int64(live) / int64(docs)
				n, docs, live, size = 0, 0, 0, 0
			}
		}
		at += len(b)
	}
	return runs, text
}
