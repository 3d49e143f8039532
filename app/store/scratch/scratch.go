package scratch

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"sync"

	"github.com/broadsheet/broadsheet/app/store"
)

// inlineMax is the longest value kept in memory rather than in the file.
const inlineMax = 64

// keepBuf is the largest batch buffer kept for the next Write.
const keepBuf = 4 << 20

// Store is a store.Store whose values live in a temporary file. Its keys
// are kept by a store.Memory, each with where its value is (a loc), so
// the order, bounds and limits of reads are Memory's own.
type Store struct {
	mu     sync.Mutex // serialises writes: the file's end and the keys
	keys   *store.Memory
	f      *os.File
	size   int64  // bytes appended so far
	buf    []byte // a batch's values, reused
	closed bool
}

var _ store.Store = (*Store)(nil)

// A loc, as the keys store holds it, is where a value is: 0 then the
// value itself (a short one), or 1 then the uvarint offset and length of
// its bytes in the file.
const (
	locInline = 0
	locFile   = 1
)

// Open creates an empty store with the given tables in a new temporary
// file in dir (os.TempDir() when dir is ""). Close removes the file.
func Open(dir string, tables ...string) (*Store, error) {
	f, err := os.CreateTemp(dir, "broadsheet-scratch-*")
	if err != nil {
		return nil, err
	}
	return &Store{f: f, keys: store.NewMemory(tables...)}, nil
}

// Size returns the bytes written to the file so far (live or not).
func (s *Store) Size() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.size
}

// read returns the value a loc points to (a new slice).
func (s *Store) read(l []byte) ([]byte, error) {
	if len(l) == 0 {
		return nil, errors.New("scratch: an empty value location")
	}
	if l[0] == locInline {
		return l[1:], nil // l is Memory's copy: ours to give
	}
	off, n1 := binary.Uvarint(l[1:])
	size, n2 := binary.Uvarint(l[1+max(n1, 0):])
	if n1 <= 0 || n2 <= 0 {
		return nil, errors.New("scratch: a corrupt value location")
	}
	b := make([]byte, size)
	if _, err := s.f.ReadAt(b, int64(off)); err != nil {
		if errors.Is(err, os.ErrClosed) {
			return nil, store.ErrClosed
		}
		return nil, fmt.Errorf("scratch: reading a value: %w", err)
	}
	return b, nil
}

// Get implements store.Store.
func (s *Store) Get(ctx context.Context, table, key string) ([]byte, error) {
	l, err := s.keys.Get(ctx, table, key)
	if err != nil {
		return nil, err
	}
	return s.read(l)
}

// GetMany implements store.Store.
func (s *Store) GetMany(ctx context.Context, table string, keys []string) ([][]byte, error) {
	locs, err := s.keys.GetMany(ctx, table, keys)
	if err != nil {
		return nil, err
	}
	for i, l := range locs {
		if l != nil {
			if locs[i], err = s.read(l); err != nil {
				return nil, err
			}
		}
	}
	return locs, nil
}

// Scan implements store.Store.
func (s *Store) Scan(ctx context.Context, table, start, end string, limit int, fn func(key string, value []byte) bool) error {
	return s.scan(s.keys.Scan, ctx, table, start, end, limit, fn)
}

// ScanReverse implements store.Store.
func (s *Store) ScanReverse(ctx context.Context, table, start, end string, limit int, fn func(key string, value []byte) bool) error {
	return s.scan(s.keys.ScanReverse, ctx, table, start, end, limit, fn)
}

// scan runs a scan of the keys, reading each value for fn.
func (s *Store) scan(keys func(context.Context, string, string, string, int, func(string, []byte) bool) error,
	ctx context.Context, table, start, end string, limit int, fn func(string, []byte) bool) error {
	var rerr error
	err := keys(ctx, table, start, end, limit, func(k string, l []byte) bool {
		v, err := s.read(l)
		if err != nil {
			rerr = err
			return false
		}
		return fn(k, v)
	})
	if err != nil {
		return err
	}
	return rerr
}

// Count implements store.Store.
func (s *Store) Count(ctx context.Context, table string) (int, error) {
	return s.keys.Count(ctx, table)
}

// Write implements store.Store: it appends the batch's long values in one
// write, then changes the keys in one Memory write (which checks every op
// before changing any), so a failed write changes nothing readable.
func (s *Store) Write(ctx context.Context, b *store.Batch) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := ctx.Err(); err != nil {
		return err
	}
	buf := s.buf[:0]
	for _, op := range b.Ops {
		if !op.Delete && len(op.Value) > inlineMax {
			buf = append(buf, op.Value...)
		}
	}
	if len(buf) > 0 {
		if _, err := s.f.WriteAt(buf, s.size); err != nil {
			if errors.Is(err, os.ErrClosed) {
				return store.ErrClosed
			}
			return fmt.Errorf("scratch: writing a batch: %w", err)
		}
	}
	off := s.size
	locs := store.Batch{Ops: make([]store.Op, len(b.Ops)), Relaxed: b.Relaxed}
	for i, op := range b.Ops {
		locs.Ops[i] = store.Op{Table: op.Table, Key: op.Key, Delete: op.Delete}
		switch {
		case op.Delete:
		case len(op.Value) > inlineMax:
			l := binary.AppendUvarint([]byte{locFile}, uint64(off))
			locs.Ops[i].Value = binary.AppendUvarint(l, uint64(len(op.Value)))
			off += int64(len(op.Value))
		default:
			locs.Ops[i].Value = append([]byte{locInline}, op.Value...)
		}
	}
	if err := s.keys.Write(ctx, &locs); err != nil {
		return err // the appended bytes stay unreferenced, as replaced values do
	}
	s.size += int64(len(buf))
	if s.buf = buf[:0]; cap(buf) > keepBuf {
		s.buf = nil // a huge batch: give its memory back
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
	s.keys.Close()     // a Memory's Close cannot fail
	err := s.f.Close() // a read still under way gets os.ErrClosed: ErrClosed
	if rerr := os.Remove(s.f.Name()); err == nil {
		err = rerr
	}
	return err
}
