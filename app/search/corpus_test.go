package search

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/broadsheet/broadsheet/parser"
)

// sharedDir is the third-party text beside the checkout (never copied
// into the project).
var sharedDir = filepath.Join("..", "..", "..", "shared")

// needShared skips (or, under CI, fails) a test when ../shared is absent.
func needShared(tb testing.TB, dir string) {
	tb.Helper()
	if _, err := os.Stat(dir); err != nil {
		if os.Getenv("CI") == "true" {
			tb.Fatalf("corpus missing: %v", err)
		}
		tb.Skipf("corpus missing: %v", err)
	}
}

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
	dir := filepath.Join(sharedDir, "corpus", "dev")
	needShared(tb, dir)
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
