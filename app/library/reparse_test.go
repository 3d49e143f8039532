package library

import (
	"strings"
	"testing"

	"github.com/broadsheet/broadsheet/parser"
)

// TestReparse re-parses a library with a "new parser" that renames a
// source, moves one article to a new ID and one onto an existing ID, and
// fails on one file.
func TestReparse(t *testing.T) {
	l, _ := newJSONLibrary(t)
	arts := corpus(40)
	for i := range arts {
		arts[i].source = "Old"
	}
	importArts(t, l, arts)
	before, err := l.Meta(ctx, arts[3].id)
	if err != nil {
		t.Fatal(err)
	}
	l.parse = func(data []byte) (*parser.Article, error) {
		a, err := jsonParse(data)
		if err != nil {
			return nil, err
		}
		switch a.ID {
		case arts[5].id:
			return nil, parser.ErrNotArticle
		case arts[6].id:
			a.ID = "moved"
		case arts[7].id:
			a.ID = arts[8].id
		}
		a.Source = "New"
		return a, nil
	}
	after, chunks := "", 0
	for {
		next, err := l.Reparse(ctx, after, 7)
		if err != nil {
			t.Fatalf("Reparse(%q) = %v", after, err)
		}
		chunks++
		if next == "" {
			break
		}
		after = next
	}
	if chunks != 6 {
		t.Errorf("Reparse took %d chunks of 7 for 40 articles, want 6", chunks)
	}
	// The expected library: arts[5] unchanged, arts[6] moved, arts[7] dropped.
	var want []art
	for i, a := range arts {
		switch i {
		case 5:
		case 6:
			a.id = "moved"
			a.source = "New"
		case 7:
			continue
		default:
			a.source = "New"
		}
		want = append(want, a)
	}
	checkList(t, l, want, Query{Limit: 9})
	checkList(t, l, want, Query{Source: "New"})
	checkFacets(t, l, want)
	m, err := l.Meta(ctx, arts[3].id)
	if err != nil || m.FileName != before.FileName || !m.Imported.Equal(before.Imported) || m.Source != "New" {
		t.Errorf("Meta after Reparse = %+v, %v, want the file name and import time of %+v", m, err, before)
	}
	a, err := l.Get(ctx, "moved")
	if err != nil || !strings.Contains(a.URL, arts[6].id) {
		t.Errorf("Get(moved) = %v, %v", a, err)
	}
	if n, err := l.Count(ctx); n != len(want) || err != nil {
		t.Errorf("Count after Reparse = %d, %v, want %d", n, err, len(want))
	}
}
