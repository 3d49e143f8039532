package library

import (
	"context"
	"errors"
	"sync"

	"github.com/broadsheet/broadsheet/app/store"
	"github.com/broadsheet/broadsheet/parser"
)

// Library is the set of imported articles kept in a store. Its methods are
// safe for concurrent use; its writes are serialised.
type Library struct {
	s  store.Store
	mu sync.Mutex // serialises read-modify-write of index records
}

// Tables returns the tables a store must be opened with for Open.
func Tables() []string {
	return []string{tInfo, tIDs, tOrder, tArticle, tOriginal, tIndex, tCount}
}

// Open checks the schema of the library kept in s and upgrades it if it was
// written by an older version. It fails with an error matching
// store.ErrVersion if a newer version wrote it.
func Open(ctx context.Context, s store.Store) (*Library, error) {
	l := &Library{s: s}
	if err := l.upgrade(ctx); err != nil {
		return nil, err
	}
	return l, nil
}

var errTODO = errors.New("library: not implemented yet")

// Import parses files and stores the articles in one store.Write. It returns
// one Result per file, in order. The error is set only when nothing could be
// stored (the store failed); then every Result that would have been stored
// is Failed with that error. Callers chunk big imports (about 50 files per
// call) and yield between calls.
func (l *Library) Import(ctx context.Context, files []File) ([]Result, error) {
	return nil, errTODO
}

// Get returns the parsed article id, or an error matching store.ErrNotFound.
func (l *Library) Get(ctx context.Context, id string) (*parser.Article, error) {
	return nil, errTODO
}

// Has reports whether article id is stored.
func (l *Library) Has(ctx context.Context, id string) (bool, error) {
	return false, errTODO
}

// Original returns the file article id was imported from.
func (l *Library) Original(ctx context.Context, id string) (File, error) {
	return File{}, errTODO
}

// Count returns the number of articles.
func (l *Library) Count(ctx context.Context) (int, error) {
	return 0, errTODO
}

// Delete removes the articles ids; unknown ids are ignored.
func (l *Library) Delete(ctx context.Context, ids ...string) error {
	return errTODO
}
