package library

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/broadsheet/broadsheet/app/store"
	"github.com/broadsheet/broadsheet/parser"
)

var ctx = context.Background()

// jsonParse stands in for parser.Parse in the tests of the library's own
// rules: a test file holds the parser.Article as JSON.
func jsonParse(data []byte) (*parser.Article, error) {
	if len(data) == 0 {
		return nil, parser.ErrEmpty
	}
	a := new(parser.Article)
	if err := json.Unmarshal(data, a); err != nil {
		return nil, fmt.Errorf("%w: %v", parser.ErrNotArticle, err)
	}
	return a, nil
}

// openLibrary opens a library on s that parses with parse.
func openLibrary(t testing.TB, s store.Store, parse func([]byte) (*parser.Article, error)) *Library {
	t.Helper()
	l, err := Open(ctx, s)
	if err != nil {
		t.Fatalf("Open = %v", err)
	}
	l.parse = parse
	l.now = func() time.Time { return time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC) }
	return l
}

func newJSONLibrary(t testing.TB) (*Library, *store.Memory) {
	t.Helper()
	s := store.NewMemory(Tables()...)
	return openLibrary(t, s, jsonParse), s
}

// art is a test article.
type art struct {
	id, published string
	saved         time.Time
	source        string
	authors       []string
}

// file returns a as an import file holding its JSON.
func (a art) file(modified time.Time) File {
	data, err := json.Marshal(&parser.Article{
		ID: a.id, Title: "Title of " + a.id, URL: "https://example.com/" + a.id,
		Published: a.published, SavedAt: a.saved, Source: a.source, Authors: a.authors,
		Body: []parser.Block{{Type: parser.BlockParagraph, Text: "正文 " + a.id}},
	})
	if err != nil {
		panic(err)
	}
	return File{Name: a.id + ".md", Data: data, Modified: modified}
}

func importOK(t testing.TB, l *Library, files ...File) []Result {
	t.Helper()
	res, err := l.Import(ctx, files)
	if err != nil {
		t.Fatalf("Import(%d files) = %v", len(files), err)
	}
	return res
}

func statuses(res []Result) []Status {
	var s []Status
	for _, r := range res {
		s = append(s, r.Status)
	}
	return s
}

// readTestdata returns the files of testdata.
func readTestdata(t *testing.T) []File {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join("testdata", "*"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("testdata: %v, %d files", err, len(paths))
	}
	var files []File
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, File{Name: filepath.Base(p), Data: data, Modified: time.Unix(1700000000, 0)})
	}
	return files
}

// TestImportFixtures imports the testdata files with the real parser.
func TestImportFixtures(t *testing.T) {
	l := openLibrary(t, store.NewMemory(Tables()...), parser.Parse)
	files := readTestdata(t)
	res := importOK(t, l, files...)
	added := 0
	for i, r := range res {
		f := files[i]
		want, perr := parser.Parse(f.Data)
		if perr != nil {
			if r.Status != Failed || r.Err == nil || r.Err.Error() != perr.Error() {
				t.Errorf("Import(%s) = %v, %v, want Failed with %v", f.Name, r.Status, r.Err, perr)
			}
			continue
		}
		if r.Status != Added || r.ID != want.ID {
			t.Errorf("Import(%s) = %v, %q (%v), want Added, %q", f.Name, r.Status, r.ID, r.Err, want.ID)
			continue
		}
		added++
		a, err := l.Get(ctx, r.ID)
		if err != nil || a.Title != want.Title {
			t.Errorf("Get(%q) = %v, want title %q", r.ID, err, want.Title)
		}
		orig, err := l.Original(ctx, r.ID)
		if err != nil || !bytes.Equal(orig.Data, f.Data) || orig.Name != f.Name {
			t.Errorf("Original(%q) = %q, %d bytes, %v, want %q, %d bytes", r.ID, orig.Name, len(orig.Data), err, f.Name, len(f.Data))
		}
	}
	if added != 4 {
		t.Errorf("Import(testdata) added %d articles, want 4 (results %v)", added, statuses(res))
	}
	for _, name := range []string{"notes.md", "empty.txt"} {
		i := slices.IndexFunc(files, func(f File) bool { return f.Name == name })
		if res[i].Status != Failed || res[i].Reason() == "" {
			t.Errorf("Import(%s) = %v (%q), want Failed with a reason", name, res[i].Status, res[i].Reason())
		}
	}
	if n, _ := l.Count(ctx); n != added {
		t.Errorf("Count = %d, want %d", n, added)
	}
	again := importOK(t, l, files...)
	for i, r := range again {
		if res[i].Status == Added && r.Status != Unchanged {
			t.Errorf("re-Import(%s) = %v, want Unchanged", files[i].Name, r.Status)
		}
	}
}

func TestImportDedupe(t *testing.T) {
	l, _ := newJSONLibrary(t)
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	v1 := art{id: "a", published: "2025-01-01T00:00:00", saved: t0, source: "Old"}
	v2 := v1
	v2.saved, v2.source = t0.Add(time.Hour), "New"

	// Two copies in one call: the newer is kept, whatever the order.
	res := importOK(t, l, v2.file(t0), v1.file(t0))
	if got, want := statuses(res), []Status{Added, Unchanged}; !slices.Equal(got, want) {
		t.Errorf("Import(newer, older) = %v, want %v", got, want)
	}
	checkSource(t, l, "a", "New")
	// An older copy does not replace a newer one.
	res = importOK(t, l, v1.file(t0.Add(24*time.Hour)))
	if res[0].Status != Unchanged {
		t.Errorf("Import(older savedAt) = %v, want Unchanged", res[0].Status)
	}
	checkSource(t, l, "a", "New")
	// A newer savedAt replaces.
	v3 := v2
	v3.saved, v3.source = t0.Add(2*time.Hour), "Newest"
	if res = importOK(t, l, v3.file(t0)); res[0].Status != Updated {
		t.Errorf("Import(newer savedAt) = %v, want Updated", res[0].Status)
	}
	checkSource(t, l, "a", "Newest")
	if n, _ := l.Count(ctx); n != 1 {
		t.Errorf("Count = %d, want 1", n)
	}
}

func TestImportModifiedFallback(t *testing.T) {
	l, _ := newJSONLibrary(t)
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	v1 := art{id: "b", published: "2024-05-05T10:00:00", source: "One"}
	v2 := v1
	v2.source = "Two"
	importOK(t, l, v1.file(t0))
	if res := importOK(t, l, v2.file(t0.Add(-time.Hour))); res[0].Status != Unchanged {
		t.Errorf("Import(older file, no savedAt) = %v, want Unchanged", res[0].Status)
	}
	if res := importOK(t, l, v2.file(t0.Add(time.Hour))); res[0].Status != Updated {
		t.Errorf("Import(newer file, no savedAt) = %v, want Updated", res[0].Status)
	}
	checkSource(t, l, "b", "Two")
	// The same bytes with a newer file time change nothing.
	if res := importOK(t, l, v2.file(t0.Add(2*time.Hour))); res[0].Status != Unchanged {
		t.Errorf("Import(same bytes, newer file) = %v, want Unchanged", res[0].Status)
	}
	f, _ := l.Facets(ctx)
	if want := []Facet{{"Two", 1}}; !slices.Equal(f.Sources, want) {
		t.Errorf("Facets().Sources = %v, want %v", f.Sources, want)
	}
}

func checkSource(t *testing.T, l *Library, id, want string) {
	t.Helper()
	a, err := l.Get(ctx, id)
	if err != nil || a.Source != want {
		t.Errorf("Get(%q) = %v, source %q, want %q", id, err, a.Source, want)
		return
	}
	m, err := l.Meta(ctx, id)
	if err != nil || m.Source != want {
		t.Errorf("Meta(%q) = %v, source %q, want %q", id, err, m.Source, want)
	}
}

func TestImportFailures(t *testing.T) {
	l, _ := newJSONLibrary(t)
	bad := errors.New("unreadable entry")
	files := []File{
		{Name: "empty"},
		{Name: "junk", Data: []byte("not json")},
		{Name: "big", Data: make([]byte, parser.MaxSize+1)},
		{Name: "zip entry", Err: fmt.Errorf("%w: %w", ErrZip, bad)},
		{Name: "crash", Data: []byte("crash")},
		art{id: "ok"}.file(time.Time{}),
	}
	l.parse = func(data []byte) (*parser.Article, error) {
		if string(data) == "crash" {
			var a []int
			_ = a[len(data)] // a parser bug
		}
		return jsonParse(data)
	}
	res := importOK(t, l, files...)
	for i, want := range []error{parser.ErrEmpty, parser.ErrNotArticle, parser.ErrTooLarge, bad, ErrParser} {
		if res[i].Status != Failed || !errors.Is(res[i].Err, want) || res[i].Reason() == "" {
			t.Errorf("Import(%s) = %v, %v, %q, want Failed, %v", files[i].Name, res[i].Status, res[i].Err, res[i].Reason(), want)
		}
	}
	if res[5].Status != Added || res[5].ID != "ok" {
		t.Errorf("Import(ok) = %v, %q, want Added", res[5].Status, res[5].ID)
	}
}

// failingStore fails every Write.
type failingStore struct {
	store.Store
}

var errDisk = errors.New("disk on fire")

func (failingStore) Write(context.Context, *store.Batch) error { return errDisk }

func TestImportAtomic(t *testing.T) {
	mem := store.NewMemory(Tables()...)
	openLibrary(t, mem, jsonParse) // writes the schema version
	l := openLibrary(t, failingStore{mem}, jsonParse)
	files := []File{
		art{id: "x", published: "2025-01-01T00:00:00", source: "S", authors: []string{"A"}}.file(time.Time{}),
		{Name: "junk", Data: []byte("junk")},
		art{id: "y"}.file(time.Time{}),
	}
	res, err := l.Import(ctx, files)
	if !errors.Is(err, errDisk) {
		t.Fatalf("Import on a failing store = %v, want %v", err, errDisk)
	}
	for i, r := range res {
		if r.Status != Failed || r.Err == nil {
			t.Errorf("Import(%s) on a failing store = %v, %v, want Failed", files[i].Name, r.Status, r.Err)
		}
	}
	for _, table := range Tables() {
		n, err := mem.Count(ctx, table)
		if want := map[bool]int{true: 1}[table == tInfo]; err != nil || n != want {
			t.Errorf("Count(%q) after failed import = %d, %v, want %d", table, n, err, want)
		}
	}
}

func TestStatusReason(t *testing.T) {
	for _, c := range []struct {
		r    Result
		str  string
		want string
	}{
		{Result{Status: Added}, "added", "added"},
		{Result{Status: Updated}, "updated", "replaced an older copy"},
		{Result{Status: Unchanged}, "unchanged", "already in the library"},
		{Result{Status: Failed, Err: parser.ErrNotArticle}, "failed", "not a saved article"},
		{Result{Status: Failed, Err: fmt.Errorf("x: %w", store.ErrQuota)}, "failed", "the browser's storage for this site is full"},
	} {
		if got := c.r.Status.String(); got != c.str {
			t.Errorf("%d.String() = %q, want %q", int(c.r.Status), got, c.str)
		}
		if got := c.r.Reason(); got != c.want {
			t.Errorf("Result{%v, %v}.Reason() = %q, want %q", c.r.Status, c.r.Err, got, c.want)
		}
	}
	if got := Status(9).String(); got != "Status(9)" {
		t.Errorf("Status(9).String() = %q", got)
	}
}

// TestIDs: IDs pages through the stored articles in ID order, and a
// deleted article is no longer among them.
func TestIDs(t *testing.T) {
	l := openLibrary(t, store.NewMemory(Tables()...), jsonParse)
	want := []string{"a1", "b2", "c3", "d4", "e5"}
	var files []File
	for _, id := range []string{"d4", "a1", "e5", "c3", "b2"} {
		files = append(files, art{id: id}.file(time.Time{}))
	}
	if _, err := l.Import(ctx, files); err != nil {
		t.Fatal(err)
	}
	all := func() []string {
		var got []string
		after := ""
		for {
			ids, err := l.IDs(ctx, after, 2)
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, ids...)
			if len(ids) < 2 {
				return got
			}
			after = ids[len(ids)-1]
		}
	}
	if got := all(); !slices.Equal(got, want) {
		t.Fatalf("IDs in pages of 2 = %q, want %q", got, want)
	}
	if err := l.Delete(ctx, "c3"); err != nil {
		t.Fatal(err)
	}
	if got := all(); !slices.Equal(got, []string{"a1", "b2", "d4", "e5"}) {
		t.Errorf("IDs after deleting c3 = %q", got)
	}
}
