package main

import (
	"context"
	"time"

	"github.com/broadsheet/broadsheet/app/store"
)

// timedStore is the library's store during an import, adding the time
// of its reads ("get": the stored copies and counts an import looks up)
// and of its writes ("write": the transaction of the articles' records)
// to st, so that an import's "put" stage is split between the two.
type timedStore struct {
	store.Store
	st stages // nil: not timed
}

func (s *timedStore) Get(ctx context.Context, table, key string) ([]byte, error) {
	defer s.st.since("get", time.Now())
	return s.Store.Get(ctx, table, key)
}

func (s *timedStore) GetMany(ctx context.Context, table string, keys []string) ([][]byte, error) {
	defer s.st.since("get", time.Now())
	return s.Store.GetMany(ctx, table, keys)
}

func (s *timedStore) Write(ctx context.Context, b *store.Batch) error {
	defer s.st.since("write", time.Now())
	return s.Store.Write(ctx, b)
}
