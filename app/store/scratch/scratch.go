package scratch

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"sync"

	"github.com/broadsheet/broadsheet/app/store"
)

// inlineMax is the longest value kept in memory rather than in the file.
const inlineMax = 64

// keepBuf is the largest batch buffer kept for the next Write.
const keepBuf = 4 << 20

// Store is a store.Store whose values live in a temporary file.
type Store struct {
	mu     sync.RWMutex
	f      *os.File
	size   int64 // bytes appended so far
	tables map[string]*table
	closed bool
	buf    []byte // a batch's values, reused
}

var _ store.Store = (*Store)(nil)

// table is one table's keys, and their sorted order (rebuilt lazily).
type table struct {
	locs  map[string]loc
	keys  []string
	dirty bool
}

// loc is where a value is: inline (v non-nil), else n bytes at off.
type loc struct {
	v   []byte
	off int64
	n   int
}

// Open creates an empty store with the given tables in a new temporary
// file in dir (os.TempDir() when dir is ""). Close removes the file.
func Open(dir string, tables ...string) (*Store, error) {
	f, err := os.CreateTemp(dir, "broadsheet-scratch-*")
	if err != nil {
		return nil, err
	}
	s := &Store{f: f, tables: make(map[string]*table, len(tables))}
	for _, t := range tables {
		s.tables[t] = &table{locs: map[string]loc{}}
	}
	return s, nil
}

// Size returns the bytes written to the file so far (live or not).
func (s *Store) Size() int64 {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.size
}

// table returns the named table; the caller holds s.mu.
func (s *Store) table(ctx context.Context, name string) (*table, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if s.closed {
		return nil, store.ErrClosed
	}
	t, ok := s.tables[name]
	if !ok {
		return nil, fmt.Errorf("%w: %q", store.ErrUnknownTable, name)
	}
	return t, nil
}

// read returns a copy of the value at l.
func (s *Store) read(l loc) ([]byte, error) {
	if l.v != nil {
		return slices.Clone(l.v), nil
	}
	b := make([]byte, l.n)
	if _, err := s.f.ReadAt(b, l.off); err != nil {
		if errors.Is(err, os.ErrClosed) {
			return nil, store.ErrClosed
		}
		return nil, fmt.Errorf("scratch: reading a value: %w", err)
	}
	return b, nil
}

// Get implements store.Store.
func (s *Store) Get(ctx context.Context, table, key string) ([]byte, error) {
	s.mu.RLock()
	t, err := s.table(ctx, table)
	var l loc
	ok := false
	if err == nil {
		l, ok = t.locs[key]
	}
	s.mu.RUnlock()
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, fmt.Errorf("%w: %s %q", store.ErrNotFound, table, key)
	}
	return s.read(l)
}

// GetMany implements store.Store.
func (s *Store) GetMany(ctx context.Context, table string, keys []string) ([][]byte, error) {
	s.mu.RLock()
	t, err := s.table(ctx, table)
	locs := make([]loc, len(keys))
	found := make([]bool, len(keys))
	if err == nil {
		for i, k := range keys {
			locs[i], found[i] = t.locs[k]
		}
	}
	s.mu.RUnlock()
	if err != nil {
		return nil, err
	}
	values := make([][]byte, len(keys))
	for i := range keys {
		if found[i] {
			if values[i], err = s.read(locs[i]); err != nil {
				return nil, err
			}
		}
	}
	return values, nil
}

// Count implements store.Store.
func (s *Store) Count(ctx context.Context, table string) (int, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	t, err := s.table(ctx, table)
	if err != nil {
		return 0, err
	}
	return len(t.locs), nil
}

// Write implements store.Store: it checks every op, appends the batch's
// values in one write, and only then changes the keys.
func (s *Store) Write(ctx context.Context, b *store.Batch) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, op := range b.Ops {
		if _, err := s.table(ctx, op.Table); err != nil {
			return err
		}
		if !op.Delete && len(op.Value) > inlineMax {
			n += len(op.Value)
		}
	}
	buf := s.buf[:0]
	if cap(buf) < n {
		buf = make([]byte, 0, n)
	}
	for _, op := range b.Ops {
		if !op.Delete && len(op.Value) > inlineMax {
			buf = append(buf, op.Value...)
		}
	}
	if len(buf) > 0 {
		if _, err := s.f.WriteAt(buf, s.size); err != nil {
			return fmt.Errorf("scratch: writing a batch: %w", err)
		}
	}
	off := s.size
	s.size += int64(len(buf))
	if s.buf = buf[:0]; cap(buf) > keepBuf {
		s.buf = nil // a huge batch: give its memory back
	}
	for _, op := range b.Ops {
		t := s.tables[op.Table]
		_, had := t.locs[op.Key]
		if op.Delete {
			delete(t.locs, op.Key)
			t.dirty = t.dirty || had
			continue
		}
		l := loc{v: append([]byte{}, op.Value...)}
		if len(op.Value) > inlineMax {
			l = loc{off: off, n: len(op.Value)}
			off += int64(len(op.Value))
		}
		t.locs[op.Key] = l
		t.dirty = t.dirty || !had
	}
	return nil
}

// Close implements store.Store: it removes the file.
func (s *Store) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	s.closed = true
	s.tables = nil
	err := s.f.Close()
	if rerr := os.Remove(s.f.Name()); err == nil {
		err = rerr
	}
	return err
}
