package archive

import (
	"context"
	"fmt"
	"slices"
	"sync"

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
	var free batchBufs
	var batch []search.Doc
	var buf []byte    // the batch's documents are views of its buffers
	var bufs [][]byte // given back once it is built
	size := 0
	var err error
	handOn := func() error {
		held := bufs
		err := add(batch, func() { free.put(held) })
		batch, buf, bufs, size = nil, nil, nil, 0
		return err
	}
	for _, i := range order {
		if n := q.docSize(i); cap(buf)-len(buf) < n {
			buf = free.get(max(n, indexBytes+indexBytes/8))
			bufs = append(bufs, buf)
		}
		var d search.Doc
		if d, buf, err = q.readDoc(i, buf); err != nil {
			break
		}
		batch, size = append(batch, d), size+len(d.Title)+len(d.Text)
		if size >= indexBytes {
			if err = handOn(); err != nil {
				break
			}
		}
	}
	if err == nil && len(batch) > 0 {
		err = handOn()
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

// batchBufs are the buffers a new index's batches are read into, each
// given back once its batch is built (the Workers batches being built
// and the one being read hold them all): not a new one a batch, whose
// pages the kernel zeroed, 340 MB of them at 100k articles.
type batchBufs struct {
	mu   sync.Mutex
	free [][]byte
}

// get returns an empty buffer of at least n bytes.
func (p *batchBufs) get(n int) []byte {
	p.mu.Lock()
	defer p.mu.Unlock()
	for i, b := range p.free {
		if cap(b) >= n {
			p.free = slices.Delete(p.free, i, i+1)
			return b[:0]
		}
	}
	return make([]byte, 0, n)
}

// put gives back the buffers of a batch built.
func (p *batchBufs) put(bufs [][]byte) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.free = append(p.free, bufs...)
}
