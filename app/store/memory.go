package store

import (
	"context"
	"slices"
	"sync"
)

// Memory is a Store kept in memory, for native builds and tests. Scans see
// the keys in order; a change made while a scan runs may or may not be seen.
type Memory struct {
	mu     sync.RWMutex
	tables map[string]*memTable
	closed bool
}

var _ Store = (*Memory)(nil)

// memTable is one table: the values, and their keys sorted (rebuilt lazily
// after keys were added or removed).
type memTable struct {
	values map[string][]byte
	keys   []string
	dirty  bool
}

// NewMemory returns an empty in-memory store with the given tables.
func NewMemory(tables ...string) *Memory {
	m := &Memory{tables: make(map[string]*memTable, len(tables))}
	for _, t := range tables {
		m.tables[t] = &memTable{values: map[string][]byte{}}
	}
	return m
}

// table returns the named table; the caller holds m.mu.
func (m *Memory) table(ctx context.Context, name string) (*memTable, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if m.closed {
		return nil, ErrClosed
	}
	t, ok := m.tables[name]
	if !ok {
		return nil, unknownTable(name)
	}
	return t, nil
}

// Get implements Store.
func (m *Memory) Get(ctx context.Context, table, key string) ([]byte, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	t, err := m.table(ctx, table)
	if err != nil {
		return nil, err
	}
	v, ok := t.values[key]
	if !ok {
		return nil, notFound(table, key)
	}
	return slices.Clone(v), nil
}

// GetMany implements Store.
func (m *Memory) GetMany(ctx context.Context, table string, keys []string) ([][]byte, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	t, err := m.table(ctx, table)
	if err != nil {
		return nil, err
	}
	values := make([][]byte, len(keys))
	for i, k := range keys {
		if v, ok := t.values[k]; ok {
			values[i] = append([]byte{}, v...)
		}
	}
	return values, nil
}

// Count implements Store.
func (m *Memory) Count(ctx context.Context, table string) (int, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	t, err := m.table(ctx, table)
	if err != nil {
		return 0, err
	}
	return len(t.values), nil
}

// Write implements Store: it checks every op before applying any.
func (m *Memory) Write(ctx context.Context, b *Batch) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, op := range b.Ops {
		if _, err := m.table(ctx, op.Table); err != nil {
			return err
		}
	}
	for _, op := range b.Ops {
		t := m.tables[op.Table]
		_, had := t.values[op.Key]
		if op.Delete {
			delete(t.values, op.Key)
			t.dirty = t.dirty || had
			continue
		}
		v := slices.Clone(op.Value)
		if v == nil {
			v = []byte{}
		}
		t.values[op.Key] = v
		t.dirty = t.dirty || !had
	}
	return nil
}

// Close implements Store.
func (m *Memory) Close() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.closed = true
	m.tables = nil
	return nil
}
