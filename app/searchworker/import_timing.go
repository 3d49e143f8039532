package main

import (
	"context"
	"sync"
	"time"

	"github.com/broadsheet/broadsheet/app/store"
)

// timedStore is the library's store during an import, adding the time
// of its reads ("get": the stored copies, IDs and counts an import looks
// up, by GetMany or Scan; the Scans of a lookup run at once, so that
// their times overlap) and of its writes ("write": the transaction of
// the articles' records) to st, so that an import's "put" stage is split
// between the two.
type timedStore struct {
	store.Store
	mu sync.Mutex // st is added to by concurrent reads
	st stages     // nil: not timed
}

// add adds the time since start to stage name.
func (s *timedStore) add(name string, start time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.since(name, start)
}

// addTable adds the time since start to stage name and to name-table.
func (s *timedStore) addTable(name, table string, start time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.since(name+"-"+table, start)
	s.st.since(name, start)
}

func (s *timedStore) Get(ctx context.Context, table, key string) ([]byte, error) {
	defer s.addTable("get", table, time.Now())
	return s.Store.Get(ctx, table, key)
}

func (s *timedStore) GetMany(ctx context.Context, table string, keys []string) ([][]byte, error) {
	defer s.addTable("get", table, time.Now())
	return s.Store.GetMany(ctx, table, keys)
}

func (s *timedStore) Scan(ctx context.Context, table, start, end string, limit int, fn func(string, []byte) bool) error {
	defer s.addTable("get", table, time.Now())
	return s.Store.Scan(ctx, table, start, end, limit, fn)
}

func (s *timedStore) Write(ctx context.Context, b *store.Batch) error {
	defer s.add("write", time.Now())
	return s.Store.Write(ctx, b)
}
