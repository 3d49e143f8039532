package library

import (
	"context"
	"fmt"
	"iter"
	"strings"
	"time"

	"github.com/broadsheet/broadsheet/app/search"
	"github.com/broadsheet/broadsheet/app/store"
	"github.com/broadsheet/broadsheet/parser"
)

// SearchDoc is article a as a search document: its title, the plain text
// of its body blocks one a line (quotes and lists included, a figure by
// its caption), its source, authors and date. The browser's indexer and
// the archive builder both index through it, so they cannot disagree.
func SearchDoc(a *parser.Article) search.Doc {
	var lines []string
	searchLines(a.Body, func(line string) bool {
		lines = append(lines, line)
		return true
	})
	return search.Doc{
		ID:      a.ID,
		Title:   a.Title,
		Text:    strings.Join(lines, "\n"),
		Source:  a.Source,
		Authors: a.Authors,
		Date:    ArticleDate(a),
	}
}

// SearchLines yields the lines of the text of a's search document
// (SearchDoc's Text is them joined by newlines): for a builder that
// writes the text where it goes without making the string.
func SearchLines(a *parser.Article) iter.Seq[string] {
	return func(yield func(string) bool) { searchLines(a.Body, yield) }
}

// searchLines yields the lines of blocks; false when yield stopped.
func searchLines(blocks []parser.Block, yield func(string) bool) bool {
	for _, b := range blocks {
		switch {
		case len(b.Blocks) > 0:
			if !searchLines(b.Blocks, yield) {
				return false
			}
		case len(b.Items) > 0:
			for _, it := range b.Items {
				if !yield(it.Text) {
					return false
				}
			}
		case b.Text != "":
			if !yield(b.Text) {
				return false
			}
		case b.Caption != "":
			if !yield(b.Caption) {
				return false
			}
		}
	}
	return true
}

// SearchDocs reads the articles ids in one read and returns them as
// search documents (SearchDoc), nil for an ID not stored: the texts a
// search index shows its hits with when it keeps none of its own (a
// hosted archive's, search.Index.UseTexts).
func (l *Library) SearchDocs(ctx context.Context, ids []string) ([]*search.Doc, error) {
	raws, err := l.s.GetMany(ctx, tArticle, ids)
	if err != nil {
		return nil, err
	}
	out := make([]*search.Doc, len(ids))
	for i, raw := range raws {
		if raw == nil {
			continue
		}
		data, _, err := splitArticle(raw)
		var a parser.Article
		if err == nil {
			err = unmarshalArticle(data, &a)
		}
		if err != nil {
			return nil, fmt.Errorf("library: article %q: %w", ids[i], err)
		}
		d := SearchDoc(&a)
		out[i] = &d
	}
	return out, nil
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

// HostedIndex opens the search index of a hosted archive kept in s (see
// app/archive), beside its library: the index ships no texts of its own,
// and the hits' texts are read from the library's articles.
func HostedIndex(ctx context.Context, s store.Store) (*search.Index, error) {
	l, err := Open(ctx, s)
	if err != nil {
		return nil, err
	}
	ix, err := search.Open(ctx, s)
	if err != nil {
		return nil, err
	}
	ix.UseTexts(l.SearchDocs)
	return ix, nil
}

// HostedOpenTables are the tables HostedIndex reads before it returns,
// one after the other (the library's schema, the index's manifest): a
// store that fetches each table's records from afar may start reading
// them at once (static.Store.Warm).
func HostedOpenTables() []string { return []string{tInfo, search.MetaTable} }

// HostedIndexTables are the tables a search through HostedIndex reads:
// the index's, but its empty text table, and the articles. A store that
// fetches each table's records from afar may fetch what it needs to find
// them ahead (static.Options.Preload), so that a first query costs no
// round trip for it.
func HostedIndexTables() []string {
	var out []string
	for _, t := range search.Tables() {
		if t != search.TextTable {
			out = append(out, t)
		}
	}
	return append(out, tArticle)
}
