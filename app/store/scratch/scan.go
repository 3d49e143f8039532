package scratch

import (
	"context"
	"slices"
	"sort"
)

// scanChunk is how many keys a scan takes under the lock before it reads
// their values and calls fn without the lock held (so fn may call the
// store).
const scanChunk = 256

type keyLoc struct {
	key string
	loc loc
}

// Scan implements store.Store.
func (s *Store) Scan(ctx context.Context, table, start, end string, limit int, fn func(key string, value []byte) bool) error {
	return s.scan(ctx, table, start, end, limit, false, fn)
}

// ScanReverse implements store.Store.
func (s *Store) ScanReverse(ctx context.Context, table, start, end string, limit int, fn func(key string, value []byte) bool) error {
	return s.scan(ctx, table, start, end, limit, true, fn)
}

func (s *Store) scan(ctx context.Context, table, start, end string, limit int, reverse bool, fn func(string, []byte) bool) error {
	seen := 0
	for {
		n := scanChunk
		if limit > 0 {
			n = min(n, limit-seen)
		}
		chunk, err := s.chunk(ctx, table, start, end, n, reverse)
		if err != nil {
			return err
		}
		for _, kl := range chunk {
			v, err := s.read(kl.loc)
			if err != nil {
				return err
			}
			if !fn(kl.key, v) {
				return nil
			}
		}
		seen += len(chunk)
		if len(chunk) < n || (limit > 0 && seen >= limit) {
			return nil
		}
		last := chunk[len(chunk)-1].key
		if reverse {
			if last == "" {
				return nil
			}
			end = last
		} else {
			start = last + "\x00"
		}
	}
}

// chunk returns up to n keys of [start, end) and where their values are,
// in order, or from the end.
func (s *Store) chunk(ctx context.Context, table, start, end string, n int, reverse bool) ([]keyLoc, error) {
	s.mu.Lock() // sorting the keys may write the table
	defer s.mu.Unlock()
	t, err := s.table(ctx, table)
	if err != nil {
		return nil, err
	}
	if t.dirty {
		t.keys = t.keys[:0]
		for k := range t.locs {
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
	out := make([]keyLoc, 0, min(n, hi-lo))
	for i := range min(n, hi-lo) {
		k := t.keys[lo+i]
		if reverse {
			k = t.keys[hi-1-i]
		}
		out = append(out, keyLoc{k, t.locs[k]})
	}
	return out, nil
}
