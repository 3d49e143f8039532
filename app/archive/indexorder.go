package archive

import (
	"context"
	"fmt"

	"github.com/broadsheet/broadsheet/app/search"
)

// indexOrdered builds a new archive's index once every file is imported:
// the documents queued are built into runs in the order of the
// segment's documents (search.BulkOrder: the last of each ID, by date),
// batches of about indexBytes of text on up to Workers goroutines, so
// that search.Bulk's FinishOrdered only puts a term's lists from
// several runs one after another. It writes what building the batches
// in the order the documents came would have (FinishOrdered is told
// those batches).
func (b *builder) indexOrdered(ctx context.Context) error {
	q := b.queue
	q.close()
	all, queued := q.batches()
	order := search.BulkOrder(all)
	if err := b.countReplaced(all, order); err != nil {
		return err
	}
	add, wait := b.indexBatch(ctx)
	var batch []search.Doc
	var buf []byte
	size := 0
	var err error
	for _, i := range order {
		var d search.Doc
		if len(buf) == 0 {
			buf = make([]byte, 0, indexBytes+indexBytes/8) // the batch's documents are views of it
		}
		if d, buf, err = q.readDoc(i, buf); err != nil {
			break
		}
		batch, size = append(batch, d), size+len(d.Title)+len(d.Text)
		if size >= indexBytes {
			if err = add(batch); err != nil {
				break
			}
			batch, buf, size = nil, nil, 0
		}
	}
	if err == nil && len(batch) > 0 {
		err = add(batch)
	}
	if werr := wait(); err == nil {
		err = werr
	}
	if err != nil {
		return fmt.Errorf("archive: indexing: %w", err)
	}
	b.stage("indexed")
	if err := b.bulk.FinishOrdered(ctx, queued); err != nil {
		return fmt.Errorf("archive: compacting the index: %w", err)
	}
	return nil
}

// countReplaced counts the records of the documents queued that a later
// one of their ID replaces (rare: not built, but they shaped the batches
// FinishOrdered is told of).
func (b *builder) countReplaced(all []search.Queued, order []int) error {
	if len(order) == len(all) {
		return nil
	}
	built := make([]bool, len(all))
	for _, i := range order {
		built[i] = true
	}
	for i := range all {
		if built[i] {
			continue
		}
		d, _, err := b.queue.readDoc(i, nil)
		if err != nil {
			return err
		}
		all[i].Records = b.bulk.Records(&d)
	}
	return nil
}
