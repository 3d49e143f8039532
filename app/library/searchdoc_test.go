package library

import (
	"context"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/broadsheet/broadsheet/app/search"
	"github.com/broadsheet/broadsheet/app/store"
	"github.com/broadsheet/broadsheet/parser"
)

func TestSearchDoc(t *testing.T) {
	a := &parser.Article{
		ID: "x", Title: "江城试行夜间公交", Source: "news.example.cn", Authors: []string{"林晓"},
		Published: "2025-10-09T08:30:00",
		Body: []parser.Block{
			{Type: parser.BlockParagraph, Text: "第一段。"},
			{Type: parser.BlockQuote, Text: "引文合并", Blocks: []parser.Block{{Type: parser.BlockParagraph, Text: "引文一"}, {Type: parser.BlockParagraph, Text: "引文二"}}},
			{Type: parser.BlockList, Text: "甲 乙", Items: []parser.Item{{Text: "甲"}, {Text: "乙"}}},
			{Type: parser.BlockFigure, Caption: "图片说明"},
		},
	}
	d := SearchDoc(a)
	if want := "第一段。\n引文一\n引文二\n甲\n乙\n图片说明"; d.Text != want {
		t.Errorf("SearchDoc(…).Text = %q, want %q", d.Text, want)
	}
	if d.ID != "x" || d.Title != a.Title || d.Source != a.Source || strings.Join(d.Authors, ",") != "林晓" {
		t.Errorf("SearchDoc(…) = %+v, want the article's id, title, source and authors", d)
	}
	if want := time.Date(2025, 10, 9, 8, 30, 0, 0, time.UTC); !d.Date.Equal(want) {
		t.Errorf("SearchDoc(…).Date = %v, want %v", d.Date, want)
	}
	saved := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	if got := ArticleDate(&parser.Article{Published: "soon", SavedAt: saved}); !got.Equal(saved) {
		t.Errorf("ArticleDate(unparsable published) = %v, want the saved time %v", got, saved)
	}
}

// TestSearchDocs reads stored articles as search documents in one read,
// nil for an ID not stored.
func TestSearchDocs(t *testing.T) {
	l, _ := newJSONLibrary(t)
	a := art{id: "news.example.cn/a", published: "2025-10-09T08:30:00", source: "江城日报", authors: []string{"林晓"}}
	if _, err := l.Import(ctx, []File{a.file(time.Time{})}); err != nil {
		t.Fatal(err)
	}
	stored, err := l.Get(ctx, a.id)
	if err != nil {
		t.Fatal(err)
	}
	docs, err := l.SearchDocs(ctx, []string{"missing", a.id})
	if err != nil {
		t.Fatal(err)
	}
	want := SearchDoc(stored)
	if len(docs) != 2 || docs[0] != nil || docs[1] == nil || docs[1].ID != want.ID || docs[1].Title != want.Title || docs[1].Text != want.Text || !docs[1].Date.Equal(want.Date) {
		t.Errorf("SearchDocs = %+v, want [nil, %+v]", docs, want)
	}
}

// tableReads records the tables read through a store.
type tableReads struct {
	store.Store
	read map[string]bool
}

func (r *tableReads) Get(ctx context.Context, table, key string) ([]byte, error) {
	r.read[table] = true
	return r.Store.Get(ctx, table, key)
}

func (r *tableReads) GetMany(ctx context.Context, table string, keys []string) ([][]byte, error) {
	r.read[table] = true
	return r.Store.GetMany(ctx, table, keys)
}

func (r *tableReads) Scan(ctx context.Context, table, start, end string, limit int, fn func(string, []byte) bool) error {
	r.read[table] = true
	return r.Store.Scan(ctx, table, start, end, limit, fn)
}

func (r *tableReads) ScanReverse(ctx context.Context, table, start, end string, limit int, fn func(string, []byte) bool) error {
	r.read[table] = true
	return r.Store.ScanReverse(ctx, table, start, end, limit, fn)
}

func (r *tableReads) Count(ctx context.Context, table string) (int, error) {
	r.read[table] = true
	return r.Store.Count(ctx, table)
}

// TestHostedOpenTables: HostedIndex reads the tables HostedOpenTables
// names and no other (a hosted archive's store warms exactly those).
func TestHostedOpenTables(t *testing.T) {
	mem := store.NewMemory(append(Tables(), search.Tables()...)...)
	l, err := Open(ctx, mem)
	if err != nil {
		t.Fatal(err)
	}
	importOK(t, l, art{id: "a1"}.file(time.Now()))
	ix, err := search.Open(ctx, mem)
	if err != nil {
		t.Fatal(err)
	}
	if err := ix.Add(ctx, search.Doc{ID: "a1", Title: "Title of a1", Text: "正文 a1"}); err != nil {
		t.Fatal(err)
	}
	r := &tableReads{Store: mem, read: map[string]bool{}}
	if _, err := HostedIndex(ctx, r); err != nil {
		t.Fatal(err)
	}
	got := slices.Sorted(maps.Keys(r.read))
	want := slices.Sorted(slices.Values(HostedOpenTables()))
	if !slices.Equal(got, want) {
		t.Errorf("HostedIndex read the tables %q, HostedOpenTables says %q", got, want)
	}
}
