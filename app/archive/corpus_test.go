package archive

import (
	"testing"
	"unicode"

	"github.com/broadsheet/broadsheet/app/library"
	"github.com/broadsheet/broadsheet/internal/sharedtest"
)

// TestCorpus builds the real corpus: no error, no parser failure, every
// file an article or listed, and each article found by a piece of its
// title.
func TestCorpus(t *testing.T) {
	if testing.Short() {
		t.Skip("builds 1,961 real articles")
	}
	dir := sharedtest.Need(t, "corpus", "dev")
	out := t.TempDir()
	r := build(t, dir, out)
	t.Log(r.Summary())
	if r.ParserErrors != 0 {
		t.Errorf("%d parser errors: %+v", r.ParserErrors, r.Skipped)
	}
	if r.Articles < r.Files*9/10 {
		t.Errorf("%d articles of %d files, want at least 90%%", r.Articles, r.Files)
	}
	l, ix, _ := hosted(t, out)
	items, _, err := l.List(ctx, library.Query{Limit: 5000})
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for i, m := range items {
		q := hanPiece(m.Title)
		if i%10 != 0 || q == "" {
			continue
		}
		checked++
		found := false
		for _, id := range searchAll(t, ix, q) {
			found = found || id == m.ID
		}
		if !found {
			t.Errorf("Search(%q) misses %s (title %q)", q, m.ID, m.Title)
		}
	}
	if checked < 50 {
		t.Errorf("checked %d titles, want at least 50", checked)
	}
}

// hanPiece returns four Han characters in a row from s, or "".
func hanPiece(s string) string {
	run := []rune{}
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			if run = append(run, r); len(run) == 4 {
				return string(run)
			}
			continue
		}
		run = run[:0]
	}
	return ""
}
