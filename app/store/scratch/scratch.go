package scratch

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"slices"
	"sync"

	"github.com/broadsheet/broadsheet/app/store"
)

// inlineMax is the longest value kept in memory rather than in the file.
const inlineMax = 64

// keepBuf is the size of the buffer that gathers a batch's values into
// few writes; a value of a quarter of it or more is written on its own.
const keepBuf = 1 << 20

// scanChunk is how many pairs a scan copies under the lock before it
// calls fn without the lock held (so fn may call the store).
const scanChunk = 256

// dropEvery is how many values ScanNoCopy takes from its mapping of the
// file before it lets go of the pages they touched (a few MB).
const dropEvery = 512

// Store is a store.Store whose values live in a temporary file. Its keys
// are kept by one keyTable per table (keys.go), each with where its value
// is.
type Store struct {
	mu     sync.RWMutex // the keys; writers also hold it for the file's end
	tables map[string]*keyTable
	f      *os.File
	size   int64  // bytes appended so far
	buf    []byte // gathers a batch's values, reused
	closed bool
}

var _ store.Store = (*Store)(nil)

// Open creates an empty store with the given tables in a new temporary
// file in dir (os.TempDir() when dir is ""). Close removes the file.
func Open(dir string, tables ...string) (*Store, error) {
	f, err := os.CreateTemp(dir, "broadsheet-scratch-*")
	if err != nil {
		return nil, err
	}
	s := &Store{f: f, tables: make(map[string]*keyTable, len(tables))}
	for _, t := range tables {
		s.tables[t] = newKeyTable()
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
func (s *Store) table(ctx context.Context, name string) (*keyTable, error) {
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

// read returns the value at l (a new slice).
func (s *Store) read(l loc) ([]byte, error) {
	if !l.file {
		if l.inline == nil {
			return []byte{}, nil
		}
		return l.inline, nil // a copy: ours to give
	}
	b := make([]byte, l.n)
	if err := s.readAt(b, l.off); err != nil {
		return nil, err
	}
	return b, nil
}

// readAt reads len(b) bytes at off of the file into b.
func (s *Store) readAt(b []byte, off int64) error {
	if _, err := s.f.ReadAt(b, off); err != nil {
		if errors.Is(err, os.ErrClosed) {
			return store.ErrClosed
		}
		return fmt.Errorf("scratch: reading a value: %w", err)
	}
	return nil
}

// Get implements store.Store.
func (s *Store) Get(ctx context.Context, table, key string) ([]byte, error) {
	s.mu.RLock()
	t, err := s.table(ctx, table)
	var l loc
	if err == nil {
		if i := t.find(key); i < 0 {
			err = fmt.Errorf("%w: %s %q", store.ErrNotFound, table, key)
		} else {
			l = t.loc(i)
		}
	}
	s.mu.RUnlock()
	if err != nil {
		return nil, err
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
		for j, k := range keys {
			if i := t.find(k); i >= 0 {
				locs[j], found[j] = t.loc(i), true
			}
		}
	}
	s.mu.RUnlock()
	if err != nil {
		return nil, err
	}
	values := make([][]byte, len(keys))
	for j := range keys {
		if found[j] {
			if values[j], err = s.read(locs[j]); err != nil {
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
	return t.live, nil
}

// Scan implements store.Store.
func (s *Store) Scan(ctx context.Context, table, start, end string, limit int, fn func(key string, value []byte) bool) error {
	return s.scan(ctx, table, start, end, limit, false, s.read, fn)
}

// ScanReverse implements store.Store.
func (s *Store) ScanReverse(ctx context.Context, table, start, end string, limit int, fn func(key string, value []byte) bool) error {
	return s.scan(ctx, table, start, end, limit, true, s.read, fn)
}

// ScanNoCopy is Scan with values that are valid only until fn returns.
// It is for a caller that copies what it keeps, such as a writer of the
// table elsewhere: a scan of a gigabyte of values then allocates none of
// it. Where it can (unix), it maps the file for the scan and gives fn
// the values where they lie, with no system call and no copy each (the
// pages touched let go every dropEvery values, so that the process's
// resident memory does not grow by the table's bytes); otherwise (or
// for a value written since it began) it reads them into one buffer,
// reused.
func (s *Store) ScanNoCopy(ctx context.Context, table, start, end string, limit int, fn func(key string, value []byte) bool) error {
	var buf []byte
	var mapped []byte
	s.mu.RLock()
	if !s.closed {
		mapped = mapFile(s.f, s.size)
	}
	s.mu.RUnlock()
	defer unmapFile(mapped)
	taken := 0
	return s.scan(ctx, table, start, end, limit, false, func(l loc) ([]byte, error) {
		switch {
		case !l.file:
			return s.read(l)
		case l.off+int64(l.n) <= int64(len(mapped)):
			if taken++; taken%dropEvery == 0 { // fn is done with the last value
				dropMapped(mapped)
			}
			return mapped[l.off : l.off+int64(l.n) : l.off+int64(l.n)], nil
		}
		buf = slices.Grow(buf[:0], l.n)[:l.n]
		return buf, s.readAt(buf, l.off)
	}, fn)
}

// scan visits the keys a chunk at a time, copied under the lock, and
// reads each value for fn without it, by get.
func (s *Store) scan(ctx context.Context, table, start, end string, limit int, reverse bool, get func(loc) ([]byte, error), fn func(string, []byte) bool) error {
	return store.ScanChunked(start, end, limit, scanChunk, reverse,
		func(start, end string, n int) ([]pair, error) { return s.chunk(ctx, table, start, end, n, reverse) },
		func(p pair) string { return p.key },
		func(p pair) (bool, error) {
			v, err := get(p.loc)
			if err != nil {
				return false, err
			}
			return fn(p.key, v), nil
		})
}

// chunk copies up to n pairs of [start, end) in order, or from the end.
func (s *Store) chunk(ctx context.Context, table, start, end string, n int, reverse bool) ([]pair, error) {
	s.mu.Lock() // sorting the keys may write the table
	defer s.mu.Unlock()
	t, err := s.table(ctx, table)
	if err != nil {
		return nil, err
	}
	return t.chunk(start, end, n, reverse), nil
}

// Write implements store.Store: it appends the batch's long values to
// the file, then changes the keys, having checked every op's table first,
// so a failed write changes nothing readable: the bytes appended stay
// unreferenced, and the next write overwrites them.
func (s *Store) Write(ctx context.Context, b *store.Batch) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, op := range b.Ops {
		if _, err := s.table(ctx, op.Table); err != nil {
			return err
		}
		if len(op.Value) > math.MaxInt32 {
			return fmt.Errorf("scratch: a value of %d bytes", len(op.Value))
		}
	}
	offs, end, err := s.append(b.Ops)
	if err != nil {
		return err
	}
	for i, op := range b.Ops {
		t := s.tables[op.Table]
		switch {
		case op.Delete:
			t.delete(op.Key)
		case offs[i] < 0:
			t.put(op.Key, op.Value, 0, true)
		default:
			t.put(op.Key, op.Value, offs[i], false)
		}
	}
	s.size = end
	return nil
}

// append writes the long values of ops after the file's end, gathering
// short runs of them into one write. It returns each op's value offset
// (-1: kept inline, or a delete) and the file's new end.
func (s *Store) append(ops []store.Op) ([]int64, int64, error) {
	offs := make([]int64, len(ops))
	off, start := s.size, s.size // start: where s.buf goes
	buf := s.buf[:0]
	flush := func() error {
		if len(buf) == 0 {
			return nil
		}
		err := s.writeAt(buf, start)
		start, buf = start+int64(len(buf)), buf[:0]
		return err
	}
	for i, op := range ops {
		offs[i] = -1
		switch {
		case op.Delete || len(op.Value) <= inlineMax:
			continue
		case len(op.Value) >= keepBuf/4: // large: written from where it is
			if err := flush(); err != nil {
				return nil, 0, err
			}
			if err := s.writeAt(op.Value, start); err != nil {
				return nil, 0, err
			}
			start += int64(len(op.Value))
		default:
			if len(buf)+len(op.Value) > keepBuf {
				if err := flush(); err != nil {
					return nil, 0, err
				}
			}
			buf = append(buf, op.Value...)
		}
		offs[i] = off
		off += int64(len(op.Value))
	}
	err := flush()
	s.buf = buf[:0]
	return offs, off, err
}

// writeAt writes b at off in the file.
func (s *Store) writeAt(b []byte, off int64) error {
	if _, err := s.f.WriteAt(b, off); err != nil {
		if errors.Is(err, os.ErrClosed) {
			return store.ErrClosed
		}
		return fmt.Errorf("scratch: writing a batch: %w", err)
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
	err := s.f.Close() // a read still under way gets os.ErrClosed: ErrClosed
	if rerr := os.Remove(s.f.Name()); err == nil {
		err = rerr
	}
	return err
}
