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
	seen := 0
	for {
		n := scanChunk
		if limit > 0 {
			n = min(n, limit-seen)
		}
		chunk, err := m.chunk(ctx, table, start, end, n, reverse)
		if err != nil {
			return err
		}
		for _, p := range chunk {
			if !fn(p.key, p.value) {
				return nil
			}
		}
		seen += len(chunk)
		if len(chunk) < n || (limit > 0 && seen >= limit) {
			return nil
		}
		last := chunk[len(chunk)-1].key
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
