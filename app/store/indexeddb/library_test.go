//go:build js && wasm

package indexeddb

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/broadsheet/broadsheet/app/library"
)

// articleFile is a small article of made-up text in the archive format.
func articleFile(i int) library.File {
	d := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i*37%300) * 24 * time.Hour)
	text := fmt.Sprintf("[测试新闻第%d篇](https://site%d.example.com/news/%d)\n---\n\n<address>记者%d</address><time pudate=%q></time><section><p>这是第%d篇测试新闻的正文。</p></section>\n",
		i, i%3, i, i%4, d.Format("2006-01-02 15:04:05"), i)
	return library.File{Name: fmt.Sprintf("%03d.md", i), Data: []byte(text), Modified: d}
}

// TestLibrary runs the library on IndexedDB: import, pages, neighbours,
// delete, and the data after reopening.
func TestLibrary(t *testing.T) {
	name := newName(t)
	s := open(t, name, library.Tables())
	l, err := library.Open(ctx, s)
	if err != nil {
		t.Fatalf("library.Open = %v", err)
	}
	var files []library.File
	for i := range 120 {
		files = append(files, articleFile(i))
	}
	res, err := l.Import(ctx, files)
	if err != nil {
		t.Fatalf("Import = %v", err)
	}
	for _, r := range res {
		if r.Status != library.Added {
			t.Fatalf("Import(%s) = %v, %v", r.Name, r.Status, r.Err)
		}
	}
	all, total, err := l.List(ctx, library.Query{Limit: 1000})
	if err != nil || total != 120 || len(all) != 120 {
		t.Fatalf("List = %d items, total %d, %v", len(all), total, err)
	}
	var ids []string
	for _, m := range all {
		ids = append(ids, m.ID)
	}
	var paged []string
	for q := (library.Query{Limit: 7}); ; {
		items, _, err := l.List(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		if len(items) == 0 {
			break
		}
		for _, m := range items {
			paged = append(paged, m.ID)
		}
		q.After = items[len(items)-1].ID
	}
	if !slices.Equal(paged, ids) {
		t.Errorf("List paged with After differs from one page:\n%q\n%q", paged, ids)
	}
	prev, next, err := l.Neighbors(ctx, ids[5])
	if err != nil || prev != ids[4] || next != ids[6] {
		t.Errorf("Neighbors(%q) = %q, %q, %v, want %q, %q", ids[5], prev, next, err, ids[4], ids[6])
	}
	if err := l.Delete(ctx, ids[:20]...); err != nil {
		t.Fatalf("Delete = %v", err)
	}
	f, err := l.Facets(ctx)
	if err != nil {
		t.Fatal(err)
	}
	sum := 0
	for _, fc := range f.Sources {
		sum += fc.Count
	}
	if sum != 100 {
		t.Errorf("Facets().Sources after deleting 20 of 120 sum to %d: %v", sum, f.Sources)
	}
	s.Close()
	s = open(t, name, library.Tables())
	defer s.Close()
	if l, err = library.Open(ctx, s); err != nil {
		t.Fatal(err)
	}
	if n, err := l.Count(ctx); n != 100 || err != nil {
		t.Errorf("Count after reopen = %d, %v, want 100", n, err)
	}
	orig, err := l.Original(ctx, ids[50])
	if err != nil || len(orig.Data) == 0 {
		t.Errorf("Original(%q) = %d bytes, %v", ids[50], len(orig.Data), err)
	}
}
