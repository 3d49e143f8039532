//go:build js && wasm

package indexeddb

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"syscall/js"

	"github.com/broadsheet/broadsheet/app/store"
)

// Store is a store.Store in one IndexedDB database.
type Store struct {
	db     js.Value
	tables map[string]bool

	mu       sync.Mutex
	closed   bool
	done     chan struct{}
	onChange js.Func
}

var _ store.Store = (*Store)(nil)

func newStore(db js.Value, tables []string) *Store {
	s := &Store{db: db, tables: map[string]bool{}, done: make(chan struct{})}
	for _, t := range tables {
		s.tables[t] = true
	}
	s.onChange = js.FuncOf(func(js.Value, []js.Value) any {
		s.Close() // let the other tab upgrade
		return nil
	})
	db.Set("onversionchange", s.onChange)
	db.Set("onclose", s.onChange) // the browser closed it (storage cleared)
	return s
}

// Done is closed when the store is closed, by Close or because another tab
// upgrades the database.
func (s *Store) Done() <-chan struct{} { return s.done }

// Close implements store.Store.
func (s *Store) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	s.closed = true
	close(s.done)
	try(func() {
		s.db.Set("onversionchange", js.Null())
		s.db.Set("onclose", js.Null())
		s.db.Call("close")
	})
	// s.onChange may be running (it called Close): it is not released.
	return nil
}

// check returns the error of a call on table before it starts.
func (s *Store) check(ctx context.Context, tables ...string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	closed := s.closed
	s.mu.Unlock()
	if closed {
		return store.ErrClosed
	}
	for _, t := range tables {
		if !s.tables[t] {
			return fmt.Errorf("%w: %q", store.ErrUnknownTable, t)
		}
	}
	return nil
}

// Transaction options, made once: a JavaScript object built per
// transaction costs several calls across the boundary.
var (
	strictOpts  = js.ValueOf(map[string]any{"durability": "strict"})
	relaxedOpts = js.ValueOf(map[string]any{"durability": "relaxed"})
)

// transaction starts a transaction on tables: mode "readonly" or
// "readwrite", durability strict unless relaxed.
func (s *Store) transaction(mode string, relaxed bool, tables ...string) (tx js.Value, err error) {
	err = try(func() {
		opts := strictOpts
		if relaxed {
			opts = relaxedOpts
		}
		var scope any = tables[0]
		if len(tables) > 1 {
			scope = jsStrings(tables)
		}
		tx = s.db.Call("transaction", scope, mode, opts)
	})
	return tx, err
}

// Get implements store.Store.
func (s *Store) Get(ctx context.Context, table, key string) ([]byte, error) {
	if err := s.check(ctx, table); err != nil {
		return nil, err
	}
	tx, err := s.transaction("readonly", false, table)
	if err != nil {
		return nil, err
	}
	var req js.Value
	if err := try(func() { req = tx.Call("objectStore", table).Call("get", jsKey(key)) }); err != nil {
		return nil, err
	}
	v, err := await(ctx, req)
	if err != nil {
		return nil, err
	}
	if v.IsUndefined() {
		return nil, fmt.Errorf("%w: %s %q", store.ErrNotFound, table, key)
	}
	return goBytes(v)
}

// GetMany implements store.Store: one transaction, every get queued at
// once, and one wait, for the transaction's end (not one per request:
// each event handled in Go costs more than the get itself); the results
// are then read from the requests.
func (s *Store) GetMany(ctx context.Context, table string, keys []string) ([][]byte, error) {
	if err := s.check(ctx, table); err != nil {
		return nil, err
	}
	if len(keys) == 0 {
		return [][]byte{}, nil
	}
	tx, err := s.transaction("readonly", false, table)
	if err != nil {
		return nil, err
	}
	if batchGet != nil {
		if values, done, err := batchGet(ctx, tx, table, keys); done {
			return values, err
		}
	}
	reqs := make([]js.Value, len(keys))
	err = try(func() {
		os := tx.Call("objectStore", table)
		jk := newKeys(keys)
		for i := range keys {
			reqs[i] = os.Call("get", jk.key(i))
		}
	})
	if err != nil {
		try(func() { tx.Call("abort") })
		return nil, err
	}
	if err := awaitTx(ctx, tx); err != nil {
		return nil, err
	}
	values := make([][]byte, len(keys))
	for i, req := range reqs {
		var v js.Value
		if err := try(func() { v = req.Get("result") }); err != nil {
			return nil, err
		}
		if !v.IsUndefined() {
			if values[i], err = goBytes(v); err != nil {
				return nil, err
			}
		}
	}
	return values, nil
}

// Count implements store.Store.
func (s *Store) Count(ctx context.Context, table string) (int, error) {
	if err := s.check(ctx, table); err != nil {
		return 0, err
	}
	tx, err := s.transaction("readonly", false, table)
	if err != nil {
		return 0, err
	}
	var req js.Value
	if err := try(func() { req = tx.Call("objectStore", table).Call("count") }); err != nil {
		return 0, err
	}
	v, err := await(ctx, req)
	if err != nil {
		return 0, err
	}
	return v.Int(), nil
}

// Write implements store.Store: one readwrite transaction holding every op,
// strict durability unless b.Relaxed.
func (s *Store) Write(ctx context.Context, b *store.Batch) error {
	var tables []string
	for _, op := range b.Ops {
		if !slices.Contains(tables, op.Table) {
			tables = append(tables, op.Table)
		}
	}
	if err := s.check(ctx, tables...); err != nil {
		return err
	}
	if len(b.Ops) == 0 {
		return nil
	}
	tx, err := s.transaction("readwrite", b.Relaxed, tables...)
	if err != nil {
		return err
	}
	if err := queue(tx, b.Ops); err != nil {
		try(func() { tx.Call("abort") })
		return err
	}
	return awaitTx(ctx, tx)
}

// queue adds the requests of ops to tx without waiting for any. Keys and
// values cross the boundary together, in staging arrays of up to
// stagingBytes (one copy each, not two calls per key and per value); each
// value is then sliced out into its own buffer (a put clones the whole
// buffer under a view), each key is a view.
func queue(tx js.Value, ops []store.Op) error {
	return try(func() {
		stores := map[string]js.Value{}
		for len(ops) > 0 {
			n, size := 0, 0
			for n < len(ops) && (n == 0 || size+len(ops[n].Key)+len(ops[n].Value) <= stagingBytes) {
				size += len(ops[n].Key) + len(ops[n].Value)
				n++
			}
			queueStaged(tx, stores, ops[:n], size)
			ops = ops[n:]
		}
	})
}

// stagingBytes bounds a staging array of queue.
const stagingBytes = 16 << 20

// queueStaged queues ops, whose keys and values sum to size bytes, from
// one staging array: by one call of putBatch where UseBatchCalls made
// it, else by calls from Go, two or three an op.
func queueStaged(tx js.Value, stores map[string]js.Value, ops []store.Op, size int) {
	buf := make([]byte, 0, size)
	for _, op := range ops {
		buf = append(append(buf, op.Key...), op.Value...)
	}
	staging := jsBytes(buf)
	if batchQueue != nil && batchQueue(tx, stores, ops, staging) {
		return
	}
	off := 0
	for _, op := range ops {
		os, ok := stores[op.Table]
		if !ok {
			os = tx.Call("objectStore", op.Table)
			stores[op.Table] = os
		}
		key := staging.Call("subarray", off, off+len(op.Key))
		off += len(op.Key)
		if op.Delete {
			os.Call("delete", key)
			continue
		}
		os.Call("put", staging.Call("slice", off, off+len(op.Value)), key)
		off += len(op.Value)
	}
}
