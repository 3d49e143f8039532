package library

import (
	"context"
	"errors"
	"slices"
	"sync"

	"github.com/broadsheet/broadsheet/app/store"
)

// An import's write reads, besides the stored copies of its articles
// (their IDs looked up a site at a time), the count records it changes
// and the last batch number. Each read is a round trip to the browser's
// database (tens of ms under load), and none depends on the lookups for
// a write of new articles: so they are read while the IDs are looked up
// (prefetch), and commit reads only the counts the lookups added (those
// of the stored copies an update replaces).

// prefetched is the count records and the batch number read for a
// write ahead of its commit.
type prefetched struct {
	done   chan struct{}
	counts map[string][]byte // by key; nil value: no record
	batch  []byte            // nil: no batch number yet
	err    error
}

// prefetch starts reading the count records the candidates add to and
// the batch number.
func (l *Library) prefetch(ctx context.Context, cands []*candidate) *prefetched {
	seen := map[string]bool{}
	var keys []string
	for _, cd := range cands {
		for _, k := range cd.rec.meta.countKeys() {
			if !seen[k] {
				seen[k] = true
				keys = append(keys, k)
			}
		}
	}
	slices.Sort(keys)
	p := &prefetched{done: make(chan struct{}), counts: map[string][]byte{}}
	if len(keys) == 0 { // nothing to store: nothing to read
		close(p.done)
		return p
	}
	go func() {
		defer close(p.done)
		var wg sync.WaitGroup
		var batchErr error
		wg.Go(func() {
			p.batch, batchErr = l.s.Get(ctx, tInfo, keyBatch)
			if errors.Is(batchErr, store.ErrNotFound) {
				p.batch, batchErr = nil, nil
			}
		})
		values, err := l.s.GetMany(ctx, tCount, keys)
		wg.Wait()
		if p.err = errors.Join(err, batchErr); p.err != nil {
			return
		}
		for i, k := range keys {
			p.counts[k] = values[i]
		}
	}()
	return p
}

// wait waits for the reads and returns their error.
func (p *prefetched) wait() error {
	<-p.done
	return p.err
}

// countValues returns the stored count records of keys (sorted), nil
// for one not stored: those p read, the others read now.
func (l *Library) countValues(ctx context.Context, keys []string, p *prefetched) ([][]byte, error) {
	if p == nil {
		return l.s.GetMany(ctx, tCount, keys)
	}
	if err := p.wait(); err != nil {
		return nil, err
	}
	var missing []string
	for _, k := range keys {
		if _, ok := p.counts[k]; !ok {
			missing = append(missing, k)
		}
	}
	more, err := l.s.GetMany(ctx, tCount, missing)
	if err != nil {
		return nil, err
	}
	values := make([][]byte, len(keys))
	j := 0
	for i, k := range keys {
		if v, ok := p.counts[k]; ok {
			values[i] = v
			continue
		}
		values[i] = more[j]
		j++
	}
	return values, nil
}
