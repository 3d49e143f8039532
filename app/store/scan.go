package store

import (
	"context"
	"slices"
	"sort"
)

// scanChunk is how many pairs a Memory scan copies under its lock before it
// calls fn without the lock held (so fn may call the store).
const scanChunk = 256

type pair struct {
	key   string
	value []byte
}

// Scan implements Store.
func (m *Memory) Scan(ctx context.Context, table, start, end string, limit int, fn func(key string, value []byte) bool) error {
	return m.scan(ctx, table, start, end, limit, false, fn)
}

// ScanReverse implements Store.
func (m *Memory) ScanReverse(ctx context.Context, table, start, end string, limit int, fn func(key string, value []byte) bool) error {
	return m.scan(ctx, table, start, end, limit, true, fn)
}

func (m *Memory) scan(ctx context.Context, table, start, end string, limit int, reverse bool, fn func(string, []byte) bool) error {
	return ScanChunked(start, end, limit, scanChunk, reverse,
		func(start, end string, n int) ([]pair, error) { return m.chunk(ctx, table, start, end, n, reverse) },
		func(p pair) string { return p.key },
		func(p pair) (bool, error) { return fn(p.key, p.value), nil })
}

// ScanChunked runs a scan of [start, end), from the end when reverse, of
// at most limit keys (0: all), a chunk of at most size keys at a time:
// next copies the next chunk (under the store's lock), and visit handles
// each of its pairs without the lock, reporting whether to go on. A store
// scans so when fn may call the store again.
func ScanChunked[P any](start, end string, limit, size int, reverse bool, next func(start, end string, n int) ([]P, error), key func(P) string, visit func(P) (bool, error)) error {
	seen := 0
	for {
		n := size
		if limit > 0 {
			n = min(n, limit-seen)
		}
		chunk, err := next(start, end, n)
		if err != nil {
			return err
		}
		for _, p := range chunk {
			if ok, err := visit(p); err != nil || !ok {
				return err
			}
		}
		seen += len(chunk)
		if len(chunk) < n || (limit > 0 && seen >= limit) {
			return nil
		}
		last := key(chunk[len(chunk)-1])
		if reverse {
			if last == "" { // the smallest key: nothing is left below it
				return nil
			}
			end = last
		} else {
			start = last + "\x00"
		}
	}
}

// chunk copies up to n pairs of [start, end) in order, or from the end.
func (m *Memory) chunk(ctx context.Context, table, start, end string, n int, reverse bool) ([]pair, error) {
	m.mu.Lock() // sorting the keys may write the table
	defer m.mu.Unlock()
	t, err := m.table(ctx, table)
	if err != nil {
		return nil, err
	}
	if t.dirty {
		t.keys = t.keys[:0]
		for k := range t.values {
			t.keys = append(t.keys, k)
		}
		slices.Sort(t.keys)
		t.dirty = false
	}
	lo := sort.SearchStrings(t.keys, start)
	hi := len(t.keys)
	if end != "" {
		hi = sort.SearchStrings(t.keys, end)
	}
	if lo >= hi {
		return nil, nil
	}
	out := make([]pair, 0, min(n, hi-lo))
	for i := range min(n, hi-lo) {
		k := t.keys[lo+i]
		if reverse {
			k = t.keys[hi-1-i]
		}
		out = append(out, pair{k, slices.Clone(t.values[k])})
	}
	return out, nil
}
