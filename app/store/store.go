// Package store is the key-value contract the library and the search index
// are kept behind, with an in-memory implementation. The IndexedDB
// implementation lives in store/indexeddb; storetest holds the contract as a
// test suite run against both.
package store

import "context"

// Store keeps byte values under string keys in a fixed set of named tables
// chosen when it is opened. Keys are ordered by byte-wise comparison.
// Every method takes a context and returns its error; none panics.
type Store interface {
	// Get returns the value of key in table, or an error matching ErrNotFound.
	Get(ctx context.Context, table, key string) ([]byte, error)
	// GetMany returns the values of keys in table, in order, with nil for a
	// key that is not stored (a stored empty value is non-nil). It reads
	// them together: one round trip where the store has round trips.
	GetMany(ctx context.Context, table string, keys []string) ([][]byte, error)
	// Scan calls fn for each key in [start, end) of table in key order
	// (end "" means no upper bound) until fn returns false or limit keys
	// (limit <= 0: no limit) were visited.
	Scan(ctx context.Context, table, start, end string, limit int, fn func(key string, value []byte) bool) error
	// ScanReverse is Scan from the last key of [start, end) down to start.
	ScanReverse(ctx context.Context, table, start, end string, limit int, fn func(key string, value []byte) bool) error
	// Count returns the number of keys in table.
	Count(ctx context.Context, table string) (int, error)
	// Write applies every put and delete of b atomically: all or none.
	Write(ctx context.Context, b *Batch) error
	// Close releases the store.
	Close() error
}

// Op is one change of a Batch: a put of Value, or a delete.
type Op struct {
	Table  string
	Key    string
	Value  []byte
	Delete bool
}

// Batch is a list of changes applied together by Store.Write.
type Batch struct {
	Ops []Op
	// Relaxed allows the store to acknowledge before the data is durable
	// (bulk index data); strict durability is the default.
	Relaxed bool
}

// Put adds a put of value under key in table.
func (b *Batch) Put(table, key string, value []byte) {
	b.Ops = append(b.Ops, Op{Table: table, Key: key, Value: value})
}

// Delete adds a delete of key in table.
func (b *Batch) Delete(table, key string) {
	b.Ops = append(b.Ops, Op{Table: table, Key: key, Delete: true})
}
