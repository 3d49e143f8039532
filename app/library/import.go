package library

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/broadsheet/broadsheet/parser"
)

// candidate is a parsed file on its way into the store.
type candidate struct {
	result  int // index in the results
	article *parser.Article
	rec     record
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
	return l.storeAll(ctx, cands, results)
}

// storeAll stores the candidates in one Write; should it fail, every
// result that would have been stored is Failed with its error.
func (l *Library) storeAll(ctx context.Context, cands []*candidate, results []Result) ([]Result, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if err := l.store(ctx, cands, results); err != nil {
		for _, cd := range cands {
			if st := &results[cd.result]; st.Status != Unchanged {
				st.Status, st.Err = Failed, err
			}
		}
		return results, err
	}
	return results, nil
}

// store writes the candidates that are new or newer in one Write and sets
// their results.
func (l *Library) store(ctx context.Context, cands []*candidate, results []Result) error {
	ids := make([]string, len(cands))
	for i, cd := range cands {
		ids[i] = cd.rec.meta.ID
	}
	pre := l.prefetch(ctx, cands) // read while the IDs are looked up
	olds, batches, err := l.storedByID(ctx, ids, l.idRecords)
	if err != nil {
		pre.wait()
		return err
	}
	same, err := l.sameOriginals(ctx, cands, olds)
	if err != nil {
		return err
	}
	c := newChanges()
	// An import's write is atomic all the same, but acknowledged before it
	// is on disk (IndexedDB's relaxed durability: no flush to the disk
	// for each of an import's transactions): a power cut can lose the
	// last ones, whose files the user still has; a crash of the browser
	// loses nothing.
	c.b.Relaxed = true
	for i, cd := range cands {
		st := Added
		switch old := olds[i]; {
		case old == nil:
		case same[i] || !newer(&cd.rec.meta, old):
			st = Unchanged
		default:
			st = Updated
			c.remove(old, batches[i], false)
		}
		results[cd.result].Status = st
		if st == Unchanged {
			continue
		}
		results[cd.result].Article = cd.article
		if err := c.put(&cd.rec); err != nil {
			return err
		}
	}
	return l.commitWith(ctx, c, pre)
}

// sameOriginals reports which candidates are newer than their stored copy
// and yet have the same bytes (a file copied again): those change nothing.
func (l *Library) sameOriginals(ctx context.Context, cands []*candidate, olds []*Meta) ([]bool, error) {
	same := make([]bool, len(cands))
	var ids []string
	var which []int
	for i, old := range olds {
		if old != nil && old.Size == cands[i].rec.meta.Size && newer(&cands[i].rec.meta, old) {
			ids = append(ids, old.ID)
			which = append(which, i)
		}
	}
	if len(ids) == 0 {
		return same, nil
	}
	origs, err := l.originals(ctx, ids)
	if err != nil {
		return nil, err
	}
	for j, i := range which {
		same[i] = origs[j] != nil && bytes.Equal(origs[j], cands[i].rec.original)
	}
	return same, nil
}

// parseAll parses each file, filling in results, and returns the articles
// to store, one per ID (the newer of two files with the same ID).
func (l *Library) parseAll(files []File, results []Result) []*candidate {
	now := l.now()
	return l.collect(results, func(i int) (*candidate, error) {
		f := files[i]
		results[i].Name = f.Name
		a, data, err := l.parseFile(f)
		if err != nil {
			return nil, err
		}
		return &candidate{article: a, rec: record{meta: newMeta(a, f, now), article: data, original: f.Data}}, nil
	})
}

// collect makes the candidate of each result's file with cand, fills in
// the results (Failed with cand's error, or the article's ID) and returns
// the candidates to store, one per ID (the newer of two with the same ID).
func (l *Library) collect(results []Result, cand func(i int) (*candidate, error)) []*candidate {
	var cands []*candidate
	byID := map[string]*candidate{}
	for i := range results {
		results[i].Status = Failed
		cd, err := cand(i)
		if err != nil {
			results[i].Err = err
			continue
		}
		cd.result = i
		if l.noOriginals {
			cd.rec.original = nil
		}
		id := cd.rec.meta.ID
		results[i].ID = id
		prev, dup := byID[id]
		switch {
		case !dup:
			byID[id] = cd
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
	parse := l.parse
	if parse == nil {
		parse = parser.Parse // not set by Open: a page that only reads links no parser
	}
	a, err = parse(f.Data)
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
