package main

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/broadsheet/broadsheet/app/library"
	"github.com/broadsheet/broadsheet/app/store"
)

// testArticle is a small article file of our own, numbered i.
func testArticle(i int) library.File {
	text := fmt.Sprintf("[江城第%d号公告](https://news.example.cn/notice/%d)\n------\n\n市政府今天发布第%d号公告，说明夜间公交的新线路。\n", i, i, i)
	return library.File{Name: fmt.Sprintf("notices/notice-%d.md", i%3), Data: []byte(text), Modified: time.Date(2025, 10, i%28+1, 8, 0, 0, 0, time.UTC)}
}

func TestExportRoundTrip(t *testing.T) {
	ctx := context.Background()
	lib, err := library.Open(ctx, store.NewMemory(library.Tables()...))
	if err != nil {
		t.Fatal(err)
	}
	var files []library.File
	for i := range exportPage + 7 { // more than one page of the list
		files = append(files, testArticle(i))
	}
	res, err := lib.Import(ctx, files)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, r := range res {
		if r.Status != library.Added {
			t.Fatalf("importing %s: %v %v", r.Name, r.Status, r.Err)
		}
		ids = append(ids, r.ID)
	}
	var buf bytes.Buffer
	n, err := exportLibrary(ctx, lib, &buf, time.Now())
	if err != nil || n != len(files) {
		t.Fatalf("exportLibrary = %d files, %v; want %d", n, err, len(files))
	}
	entries, err := library.ExpandZip(library.File{Name: "export.zip", Data: buf.Bytes()})
	if err != nil || len(entries) != len(files) {
		t.Fatalf("ExpandZip(export) = %d entries, %v; want %d", len(entries), err, len(files))
	}
	names := map[string]bool{}
	for _, e := range entries {
		if names[e.Name] {
			t.Errorf("export entry name %q used twice", e.Name)
		}
		names[e.Name] = true
	}
	again, err := library.Open(ctx, store.NewMemory(library.Tables()...))
	if err != nil {
		t.Fatal(err)
	}
	res, err = again.Import(ctx, entries)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range res {
		got = append(got, r.ID)
	}
	slices.Sort(got)
	slices.Sort(ids)
	if !slices.Equal(got, ids) {
		t.Errorf("ids imported from the export = %q, want %q", got, ids)
	}
}

func TestExportName(t *testing.T) {
	used := map[string]bool{}
	for _, c := range []struct{ name, id, want string }{
		{"a/b.md", "x", "a/b.md"},
		{"a/b.md", "y", "a/b-y.md"},
		{"../../etc/c.txt", "z", "etc/c.txt"},
		{"/abs/d.html", "w", "abs/d.html"},
		{`win\e.md`, "v", "win/e.md"},
		{"", "id1", "id1.md"},
	} {
		if got := exportName(c.name, c.id, used); got != c.want {
			t.Errorf("exportName(%q, %q) = %q, want %q", c.name, c.id, got, c.want)
		}
	}
}
