package archive

import (
	"context"
	"errors"
	"iter"
	"sync"

	"github.com/broadsheet/broadsheet/app/store"
)

// overlay is a store.Store that reads through to a read-only base (the
// previous build) and keeps every change in top: a rebuild changes a few
// records of a large archive without copying the rest. A key deleted
// while it is only in base is remembered in gone.
type overlay struct {
	base, top store.Store
	mu        sync.RWMutex
	gone      map[string]map[string]bool // table -> keys deleted from base
}

var _ store.Store = (*overlay)(nil)

func newOverlay(base, top store.Store) *overlay {
	return &overlay{base: base, top: top, gone: map[string]map[string]bool{}}
}

func (o *overlay) isGone(table, key string) bool {
	o.mu.RLock()
	defer o.mu.RUnlock()
	return o.gone[table][key]
}

// baseErr turns a table the base lacks into an empty table.
func baseErr(err error) error {
	if errors.Is(err, store.ErrUnknownTable) {
		return nil
	}
	return err
}

// Get implements store.Store.
func (o *overlay) Get(ctx context.Context, table, key string) ([]byte, error) {
	v, err := o.top.Get(ctx, table, key)
	if !errors.Is(err, store.ErrNotFound) || o.isGone(table, key) {
		return v, err
	}
	v, berr := o.base.Get(ctx, table, key)
	if berr == nil || baseErr(berr) != nil {
		return v, berr
	}
	return nil, err
}

// GetMany implements store.Store.
func (o *overlay) GetMany(ctx context.Context, table string, keys []string) ([][]byte, error) {
	values, err := o.top.GetMany(ctx, table, keys)
	if err != nil {
		return nil, err
	}
	var rest []string
	var at []int
	for i, v := range values {
		if v == nil && !o.isGone(table, keys[i]) {
			rest, at = append(rest, keys[i]), append(at, i)
		}
	}
	if len(rest) == 0 {
		return values, nil
	}
	bv, err := o.base.GetMany(ctx, table, rest)
	if err != nil {
		return nil, baseErr(err)
	}
	for j, i := range at {
		values[i] = bv[j]
	}
	return values, nil
}

// Count implements store.Store by a scan: the builder never needs it on
// a large table.
func (o *overlay) Count(ctx context.Context, table string) (int, error) {
	n := 0
	err := o.Scan(ctx, table, "", "", 0, func(string, []byte) bool { n++; return true })
	return n, err
}

// Write implements store.Store: top applies the batch (atomically), then
// the deletes are remembered.
func (o *overlay) Write(ctx context.Context, b *store.Batch) error {
	if err := o.top.Write(ctx, b); err != nil {
		return err
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	for _, op := range b.Ops {
		g := o.gone[op.Table]
		switch {
		case op.Delete && g == nil:
			o.gone[op.Table] = map[string]bool{op.Key: true}
		case op.Delete:
			g[op.Key] = true
		default:
			delete(g, op.Key)
		}
	}
	return nil
}

// Close implements store.Store: it closes both stores.
func (o *overlay) Close() error {
	err := o.top.Close()
	if berr := o.base.Close(); err == nil {
		err = berr
	}
	return err
}

// Scan implements store.Store.
func (o *overlay) Scan(ctx context.Context, table, start, end string, limit int, fn func(key string, value []byte) bool) error {
	return o.scan(ctx, table, start, end, limit, false, fn)
}

// ScanReverse implements store.Store.
func (o *overlay) ScanReverse(ctx context.Context, table, start, end string, limit int, fn func(key string, value []byte) bool) error {
	return o.scan(ctx, table, start, end, limit, true, fn)
}

// scan merges the scans of top and base: top's value wins, keys gone
// from base are left out.
func (o *overlay) scan(ctx context.Context, table, start, end string, limit int, reverse bool, fn func(string, []byte) bool) error {
	var topErr, bErr error
	nextTop, stopTop := iter.Pull2(scanSeq(ctx, o.top, table, start, end, reverse, &topErr))
	defer stopTop()
	nextBase, stopBase := iter.Pull2(scanSeq(ctx, o.base, table, start, end, reverse, &bErr))
	defer stopBase()
	before := func(a, b string) bool { return a < b != reverse }
	tk, tv, tok := nextTop()
	bk, bv, bok := o.nextBase(table, nextBase)
	for seen := 0; (tok || bok) && (limit <= 0 || seen < limit); seen++ {
		var k string
		var v []byte
		switch {
		case tok && (!bok || tk == bk || before(tk, bk)):
			k, v = tk, tv
			if bok && tk == bk {
				bk, bv, bok = o.nextBase(table, nextBase)
			}
			tk, tv, tok = nextTop()
		default:
			k, v = bk, bv
			bk, bv, bok = o.nextBase(table, nextBase)
		}
		if !fn(k, v) {
			break
		}
	}
	stopTop()
	stopBase()
	if topErr != nil {
		return topErr
	}
	return baseErr(bErr)
}

// nextBase returns the next key of the base scan that was not deleted.
func (o *overlay) nextBase(table string, next func() (string, []byte, bool)) (string, []byte, bool) {
	for {
		k, v, ok := next()
		if !ok || !o.isGone(table, k) {
			return k, v, ok
		}
	}
}

// scanSeq is a scan of s as an iterator; its error is left in *err.
func scanSeq(ctx context.Context, s store.Store, table, start, end string, reverse bool, err *error) iter.Seq2[string, []byte] {
	return func(yield func(string, []byte) bool) {
		if reverse {
			*err = s.ScanReverse(ctx, table, start, end, 0, yield)
		} else {
			*err = s.Scan(ctx, table, start, end, 0, yield)
		}
	}
}
