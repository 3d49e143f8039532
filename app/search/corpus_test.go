package search

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/broadsheet/broadsheet/internal/sharedtest"
	"github.com/broadsheet/broadsheet/parser"
)

// docFromArticle is how an article becomes a search document: the plain
// text of its body blocks, one a line.
func docFromArticle(a *parser.Article) Doc {
	var lines []string
	for _, b := range a.Body {
		if b.Text != "" {
			lines = append(lines, b.Text)
		}
	}
	d := Doc{ID: a.ID, Title: a.Title, Text: strings.Join(lines, "\n"), Source: a.Source, Authors: a.Authors}
	if t, err := time.Parse("2006-01-02T15:04:05", a.Published); err == nil {
		d.Date = t
	} else {
		d.Date = a.SavedAt
	}
	return d
}

var (
	corpusOnce sync.Once
	corpusDocs []Doc
	corpusErr  error
)

// loadCorpus parses ../shared/corpus/dev once per test binary; files the
// parser refuses are left out.
func loadCorpus(tb testing.TB) []Doc {
	dir := sharedtest.Need(tb, "corpus", "dev")
	corpusOnce.Do(func() {
		names, err := filepath.Glob(filepath.Join(dir, "*"))
		if err != nil {
			corpusErr = err
			return
		}
		slices.Sort(names)
		seen := map[string]bool{}
		for _, n := range names {
			b, err := os.ReadFile(n)
			if err != nil {
				corpusErr = err
				return
			}
			a, err := parser.Parse(b)
			if err != nil || seen[a.ID] {
				continue
			}
			seen[a.ID] = true
			corpusDocs = append(corpusDocs, docFromArticle(a))
		}
	})
	if corpusErr != nil {
		tb.Fatal(corpusErr)
	}
	if len(corpusDocs) < 1000 {
		tb.Fatalf("corpus: parsed %d documents, want ≥ 1000", len(corpusDocs))
	}
	return corpusDocs
}
