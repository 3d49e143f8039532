package library

import (
	"strings"
	"time"

	"github.com/broadsheet/broadsheet/app/search"
	"github.com/broadsheet/broadsheet/parser"
)

// SearchDoc is article a as a search document: its title, the plain text
// of its body blocks one a line (quotes and lists included, a figure by
// its caption), its source, authors and date. The browser's indexer and
// the archive builder both index through it, so they cannot disagree.
func SearchDoc(a *parser.Article) search.Doc {
	var lines []string
	var walk func(blocks []parser.Block)
	walk = func(blocks []parser.Block) {
		for _, b := range blocks {
			switch {
			case len(b.Blocks) > 0:
				walk(b.Blocks)
			case len(b.Items) > 0:
				for _, it := range b.Items {
					lines = append(lines, it.Text)
				}
			case b.Text != "":
				lines = append(lines, b.Text)
			case b.Caption != "":
				lines = append(lines, b.Caption)
			}
		}
	}
	walk(a.Body)
	return search.Doc{
		ID:      a.ID,
		Title:   a.Title,
		Text:    strings.Join(lines, "\n"),
		Source:  a.Source,
		Authors: a.Authors,
		Date:    ArticleDate(a),
	}
}

// ArticleDate is the publication time of a, else the time it was saved.
func ArticleDate(a *parser.Article) time.Time {
	for _, layout := range []string{time.RFC3339, "2006-01-02T15:04:05", "2006-01-02"} {
		if len(a.Published) >= len("2006-01-02") {
			if t, err := time.Parse(layout, a.Published); err == nil {
				return t
			}
		}
	}
	return a.SavedAt
}
