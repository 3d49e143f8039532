//go:build js && wasm

package indexeddb

import (
	"context"
	"syscall/js"
)

// Scan batch sizes: the first batch is small (a page of a list), later
// ones larger (a long scan); a scan of a limit up to maxBatch reads it
// in one batch (each batch is a transaction: a round trip).
const (
	firstBatch = 64
	maxBatch   = 1024
)

type pair struct {
	key   string
	value []byte
}

// Scan implements store.Store. It reads with getAllKeys and getAll in
// batches, each batch its own transaction.
func (s *Store) Scan(ctx context.Context, table, start, end string, limit int, fn func(key string, value []byte) bool) error {
	return s.scan(ctx, table, start, end, limit, false, fn)
}

// ScanReverse implements store.Store with a cursor going backwards.
func (s *Store) ScanReverse(ctx context.Context, table, start, end string, limit int, fn func(key string, value []byte) bool) error {
	return s.scan(ctx, table, start, end, limit, true, fn)
}

func (s *Store) scan(ctx context.Context, table, start, end string, limit int, reverse bool, fn func(string, []byte) bool) error {
	if err := s.check(ctx, table); err != nil {
		return err
	}
	if end != "" && start >= end {
		return nil
	}
	seen, n := 0, firstBatch
	if limit > 0 && limit <= maxBatch {
		n = limit
	}
	openStart, openEnd := false, true
	for {
		if limit > 0 {
			n = min(n, limit-seen)
		}
		var r js.Value
		if err := try(func() { r = bound(start, end, openStart, openEnd) }); err != nil {
			return err
		}
		batch, err := s.batch(ctx, table, r, n, reverse)
		if err != nil {
			return err
		}
		for _, p := range batch {
			if !fn(p.key, p.value) {
				return nil
			}
		}
		seen += len(batch)
		if len(batch) < n || (limit > 0 && seen >= limit) {
			return nil
		}
		if err := s.check(ctx); err != nil {
			return err
		}
		last := batch[len(batch)-1].key
		if reverse {
			if last == start { // the lowest key of the range was read
				return nil
			}
			end = last // the range stays open at its upper end
		} else {
			start, openStart = last, true
		}
		n = min(2*n, maxBatch)
	}
}

// bound returns the key range [start, end) (open at start if openStart,
// unbounded above if end is "").
func bound(start, end string, openStart, openEnd bool) js.Value {
	if end == "" {
		return keyRange.Call("lowerBound", jsKey(start), openStart)
	}
	return keyRange.Call("bound", jsKey(start), jsKey(end), openStart, openEnd)
}

// batch reads up to n pairs of the range.
func (s *Store) batch(ctx context.Context, table string, r js.Value, n int, reverse bool) ([]pair, error) {
	tx, err := s.transaction("readonly", false, table)
	if err != nil {
		return nil, err
	}
	if reverse {
		return cursor(ctx, tx, table, r, n)
	}
	var keysReq, valuesReq js.Value
	err = try(func() {
		os := tx.Call("objectStore", table)
		keysReq = os.Call("getAllKeys", r, n)
		valuesReq = os.Call("getAll", r, n)
	})
	if err != nil {
		return nil, err
	}
	kv, err := awaitAll(ctx, []js.Value{keysReq, valuesReq})
	if err != nil {
		return nil, err
	}
	return pairs(kv[0], kv[1])
}

// pairs copies the arrays of keys and values into Go.
func pairs(keys, values js.Value) ([]pair, error) {
	out := make([]pair, keys.Length())
	for i := range out {
		k, err := goBytes(keys.Index(i))
		if err != nil {
			return nil, err
		}
		v, err := goBytes(values.Index(i))
		if err != nil {
			return nil, err
		}
		out[i] = pair{string(k), v}
	}
	return out, nil
}

// cursor reads up to n pairs of the range from its end down.
func cursor(ctx context.Context, tx js.Value, table string, r js.Value, n int) ([]pair, error) {
	var req js.Value
	if err := try(func() { req = tx.Call("objectStore", table).Call("openCursor", r, "prev") }); err != nil {
		return nil, err
	}
	var out []pair
	ch, release := handlers(req, map[string]func(js.Value) *outcome{
		"onsuccess": func(js.Value) *outcome {
			c := req.Get("result")
			if c.IsNull() {
				return &outcome{}
			}
			k, err := goBytes(c.Get("key"))
			if err != nil {
				return &outcome{err: err}
			}
			v, err := goBytes(c.Get("value"))
			if err != nil {
				return &outcome{err: err}
			}
			if out = append(out, pair{string(k), v}); len(out) < n {
				if err := try(func() { c.Call("continue") }); err != nil {
					return &outcome{err: err}
				}
				return nil // more to come
			}
			return &outcome{}
		},
		"onerror": func(ev js.Value) *outcome {
			ev.Call("preventDefault")
			return &outcome{err: domError(req.Get("error"))}
		},
	})
	select {
	case o := <-ch:
		release()
		if o.err != nil {
			return nil, o.err
		}
		return out, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}
