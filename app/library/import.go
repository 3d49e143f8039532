package library

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/broadsheet/broadsheet/app/store"
	"github.com/broadsheet/broadsheet/parser"
)

// candidate is a parsed file on its way into the store.
type candidate struct {
	result int // index in the results
	rec    record
}

// Import parses files and stores the articles in one store.Write: a file
// is stored whole or not at all. It returns one Result per file, in order.
// An article already stored under the same ID is replaced only by a newer
// copy (later savedAt, else later file modification time); two files of
// one call with the same ID keep the newer. The error is set only when the
// store failed; then nothing was stored and every Result that would have
// been is Failed with that error. Callers chunk big imports (about 50 files
// per call) and yield between calls.
func (l *Library) Import(ctx context.Context, files []File) ([]Result, error) {
	results := make([]Result, len(files))
	cands := l.parseAll(files, results)
	l.mu.Lock()
	defer l.mu.Unlock()
	c := newChanges()
	var stored []int
	for _, cd := range cands {
		st, err := l.stage(ctx, c, &cd.rec)
		if err != nil {
			return failAll(results, stored, err), err
		}
		results[cd.result].Status = st
		if st != Unchanged {
			stored = append(stored, cd.result)
		}
	}
	if err := l.commit(ctx, c); err != nil {
		return failAll(results, stored, err), err
	}
	return results, nil
}

// parseAll parses each file, filling in results, and returns the articles
// to store, one per ID (the newer of two files with the same ID).
func (l *Library) parseAll(files []File, results []Result) []*candidate {
	var cands []*candidate
	byID := map[string]*candidate{}
	now := l.now()
	for i, f := range files {
		results[i] = Result{Name: f.Name, Status: Failed}
		a, data, err := l.parseFile(f)
		if err != nil {
			results[i].Err = err
			continue
		}
		results[i].ID = a.ID
		cd := &candidate{result: i, rec: record{meta: newMeta(a, f, now), article: data, original: f.Data}}
		prev, dup := byID[a.ID]
		switch {
		case !dup:
			byID[a.ID] = cd
			cands = append(cands, cd)
		case newer(&cd.rec.meta, &prev.rec.meta):
			results[prev.result].Status = Unchanged
			*prev = *cd
		default:
			results[i].Status = Unchanged
		}
	}
	return cands
}

// ErrParser is wrapped by the error of a file the parser crashed on: a bug
// of the parser, reported for that file rather than stopping the import.
var ErrParser = errors.New("library: the parser failed on this file")

// parseFile parses f and returns the article and its JSON.
func (l *Library) parseFile(f File) (a *parser.Article, data []byte, err error) {
	defer func() {
		if r := recover(); r != nil {
			a, data, err = nil, nil, fmt.Errorf("%w: %v", ErrParser, r)
		}
	}()
	if f.Err != nil {
		return nil, nil, f.Err
	}
	if len(f.Data) > parser.MaxSize {
		return nil, nil, fmt.Errorf("%w: %d bytes", parser.ErrTooLarge, len(f.Data))
	}
	a, err = l.parse(f.Data)
	if err != nil {
		return nil, nil, err
	}
	if a.ID == "" {
		return nil, nil, fmt.Errorf("%w: no id", parser.ErrNotArticle)
	}
	data, err = json.Marshal(a)
	if err != nil {
		return nil, nil, err
	}
	return a, data, nil
}

// newer reports whether a is a newer copy of the article than b: by savedAt
// when both have it, else by file modification time.
func newer(a, b *Meta) bool {
	if !a.SavedAt.IsZero() && !b.SavedAt.IsZero() {
		return a.SavedAt.After(b.SavedAt)
	}
	return a.Modified.After(b.Modified)
}

// stage adds the writes for r to c and says what they do.
func (l *Library) stage(ctx context.Context, c *changes, r *record) (Status, error) {
	old, err := l.meta(ctx, r.meta.ID)
	if errors.Is(err, store.ErrNotFound) {
		return Added, c.put(r)
	}
	if err != nil {
		return Failed, err
	}
	if !newer(&r.meta, old) {
		return Unchanged, nil
	}
	if old.Size == r.meta.Size {
		orig, err := l.s.Get(ctx, tOriginal, old.ID)
		if err == nil && bytes.Equal(orig, r.original) {
			return Unchanged, nil
		}
	}
	c.remove(old, false)
	return Updated, c.put(r)
}

// failAll marks the results that were to be stored as Failed with err.
func failAll(results []Result, stored []int, err error) []Result {
	for _, i := range stored {
		results[i].Status = Failed
		results[i].Err = err
	}
	return results
}
