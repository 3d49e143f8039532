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

// keepBuf is the size of the buffer that gathers a batch's values into
// few writes; a value of a quarter of it or more is written on its own.
const keepBuf = 1 << 20

// Store is a store.Store whose values live in a temporary file. Its keys
// are kept by a store.Memory, each with where its value is (a loc), so
// the order, bounds and limits of reads are Memory's own.
type Store struct {
	mu     sync.Mutex // serialises writes: the file's end and the keys
	keys   *store.Memory
	f      *os.File
	size   int64  // bytes appended so far
	buf    []byte // gathers a batch's values, reused
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

// Write implements store.Store: it appends the batch's long values to
// the file, then changes the keys in one Memory write (which checks every
// op before changing any), so a failed write changes nothing readable:
// the bytes appended stay unreferenced, and the next write overwrites them.
func (s *Store) Write(ctx context.Context, b *store.Batch) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := ctx.Err(); err != nil {
		return err
	}
	locs := store.Batch{Ops: make([]store.Op, len(b.Ops)), Relaxed: b.Relaxed}
	off, err := s.append(b.Ops, locs.Ops)
	if err != nil {
		return err
	}
	if err := s.keys.Write(ctx, &locs); err != nil {
		return err
	}
	s.size = off
	return nil
}

// append writes the long values of ops after the file's end, gathering
// short runs of them into one write, and sets locs to the ops with each
// value replaced by its loc. It returns the file's new end.
func (s *Store) append(ops, locs []store.Op) (int64, error) {
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
		locs[i] = store.Op{Table: op.Table, Key: op.Key, Delete: op.Delete}
		switch {
		case op.Delete:
			continue
		case len(op.Value) <= inlineMax:
			locs[i].Value = append([]byte{locInline}, op.Value...)
			continue
		case len(op.Value) >= keepBuf/4: // large: written from where it is
			if err := flush(); err != nil {
				return 0, err
			}
			if err := s.writeAt(op.Value, start); err != nil {
				return 0, err
			}
			start += int64(len(op.Value))
		default:
			if len(buf)+len(op.Value) > keepBuf {
				if err := flush(); err != nil {
					return 0, err
				}
			}
			buf = append(buf, op.Value...)
		}
		l := binary.AppendUvarint([]byte{locFile}, uint64(off))
		locs[i].Value = binary.AppendUvarint(l, uint64(len(op.Value)))
		off += int64(len(op.Value))
	}
	err := flush()
	s.buf = buf[:0]
	return off, err
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
	s.keys.Close()     // a Memory's Close cannot fail
	err := s.f.Close() // a read still under way gets os.ErrClosed: ErrClosed
	if rerr := os.Remove(s.f.Name()); err == nil {
		err = rerr
	}
	return err
}
