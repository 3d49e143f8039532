package library

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"testing"
	"time"

	"github.com/broadsheet/broadsheet/app/store"
)

// TestUpgradeFromVersion0 opens a version 0 library (articles and
// originals only, no version record) and checks it is indexed.
func TestUpgradeFromVersion0(t *testing.T) {
	s := store.NewMemory(Tables()...)
	arts := corpus(450) // more than one rebuild chunk
	var b store.Batch
	for _, a := range arts {
		f := a.file(time.Time{})
		pa, err := jsonParse(f.Data)
		if err != nil {
			t.Fatal(err)
		}
		data, _ := json.Marshal(pa)
		b.Put(tArticle, a.id, data)
		b.Put(tOriginal, a.id, f.Data)
	}
	b.Put(tIndex, "stale", nil) // left over from an interrupted build
	if err := s.Write(ctx, &b); err != nil {
		t.Fatal(err)
	}
	l := openLibrary(t, s, jsonParse)
	if v, _ := s.Get(ctx, tInfo, keySchema); string(v) != strconv.Itoa(Version) {
		t.Errorf("schema after upgrade = %q, want %d", v, Version)
	}
	if n, err := l.Count(ctx); n != len(arts) || err != nil {
		t.Errorf("Count after upgrade = %d, %v, want %d", n, err, len(arts))
	}
	for _, q := range []Query{{}, {Source: "Wire"}, {Author: "Bo", Year: 2022}} {
		checkList(t, l, arts, q)
	}
	checkFacets(t, l, arts)
	if _, err := s.Get(ctx, tIndex, "stale"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("stale index entry survived the upgrade: %v", err)
	}
	m, err := l.Meta(ctx, arts[0].id)
	if err != nil || m.Size == 0 {
		t.Errorf("Meta after upgrade = %+v, %v, want the original's size", m, err)
	}
}

// TestUpgradeFromVersion1 opens a version 1 library, which had no count
// of all articles.
func TestUpgradeFromVersion1(t *testing.T) {
	s := store.NewMemory(Tables()...)
	l := openLibrary(t, s, jsonParse)
	arts := corpus(30)
	importArts(t, l, arts)
	var b store.Batch
	b.Put(tInfo, keySchema, []byte("1"))
	b.Delete(tCount, keyTotal)
	if err := s.Write(ctx, &b); err != nil {
		t.Fatal(err)
	}
	l = openLibrary(t, s, jsonParse)
	if n, err := l.Count(ctx); n != len(arts) || err != nil {
		t.Errorf("Count after upgrade from 1 = %d, %v, want %d", n, err, len(arts))
	}
	checkList(t, l, arts, Query{Limit: 7})
}

func TestOpenNewerVersion(t *testing.T) {
	s := store.NewMemory(Tables()...)
	var b store.Batch
	b.Put(tInfo, keySchema, []byte("99"))
	if err := s.Write(ctx, &b); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(ctx, s); !errors.Is(err, store.ErrVersion) {
		t.Errorf("Open(schema 99) = %v, want ErrVersion", err)
	}
}

func TestOpenNew(t *testing.T) {
	s := store.NewMemory(Tables()...)
	if _, err := Open(ctx, s); err != nil {
		t.Fatalf("Open(empty) = %v", err)
	}
	if v, err := s.Get(ctx, tInfo, keySchema); err != nil || string(v) != strconv.Itoa(Version) {
		t.Errorf("schema of a new library = %q, %v, want %d", v, err, Version)
	}
	if _, err := Open(ctx, store.NewMemory("info")); !errors.Is(err, store.ErrUnknownTable) {
		t.Errorf("Open(store without the tables) = %v, want ErrUnknownTable", err)
	}
}

// readOnly is a store that refuses every write, as a hosted archive's.
type readOnly struct{ store.Store }

var errReadOnly = errors.New("read-only")

func (readOnly) Write(context.Context, *store.Batch) error { return errReadOnly }

// TestVersion2OriginalsApart: a version 2 library (each original in a
// record of its own) opens as it is, even read-only; imports then keep
// each original in its article's record and write version 3 with it;
// originals of both forms are read, and an update or a delete leaves no
// original of the old form behind.
func TestVersion2OriginalsApart(t *testing.T) {
	s := store.NewMemory(Tables()...)
	arts := corpus(6)
	var b store.Batch
	b.Put(tInfo, keySchema, []byte("2"))
	if err := s.Write(ctx, &b); err != nil {
		t.Fatal(err)
	}
	l := openLibrary(t, s, jsonParse)
	importArts(t, l, arts[:3])
	// what version 2 wrote: the originals apart
	b = store.Batch{}
	for _, a := range arts[:3] {
		f := a.file(time.Time{})
		b.Put(tArticle, a.id, mustJSON(t, f.Data))
		b.Put(tOriginal, a.id, f.Data)
	}
	b.Put(tInfo, keySchema, []byte("2"))
	if err := s.Write(ctx, &b); err != nil {
		t.Fatal(err)
	}

	if _, err := Open(ctx, readOnly{s}); err != nil {
		t.Fatalf("Open(version 2, read-only) = %v, want it opened as it is", err)
	}
	l = openLibrary(t, s, jsonParse)
	if v, _ := s.Get(ctx, tInfo, keySchema); string(v) != "2" {
		t.Errorf("schema after opening version 2 = %q, want 2 until a record of version 3 is written", v)
	}
	importArts(t, l, arts[3:])
	if v, _ := s.Get(ctx, tInfo, keySchema); string(v) != strconv.Itoa(Version) {
		t.Errorf("schema after an import = %q, want %d (records of versions 3 and 4 written)", v, Version)
	}
	for _, a := range arts {
		want := a.file(time.Time{}).Data
		f, err := l.Original(ctx, a.id)
		if err != nil || string(f.Data) != string(want) {
			t.Errorf("Original(%s) = %q, %v, want %q", a.id, f.Data, err, want)
		}
		if got, err := l.Get(ctx, a.id); err != nil || got.ID != a.id {
			t.Errorf("Get(%s) = %+v, %v", a.id, got, err)
		}
	}
	if n, _ := s.Count(ctx, tOriginal); n != 3 {
		t.Errorf("%d records in table original, want the 3 of version 2", n)
	}

	// an update of an article of version 2, a delete of another
	a0 := arts[0]
	if !a0.saved.IsZero() {
		a0.saved = a0.saved.Add(time.Hour)
	}
	newer := a0.file(time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC))
	newer.Data = append(newer.Data, ' ')
	if res := importOK(t, l, newer); res[0].Status != Updated {
		t.Fatalf("Import(newer %s) = %v, %v, want Updated", arts[0].id, res[0].Status, res[0].Err)
	}
	if err := l.Delete(ctx, arts[1].id); err != nil {
		t.Fatal(err)
	}
	if f, err := l.Original(ctx, arts[0].id); err != nil || string(f.Data) != string(newer.Data) {
		t.Errorf("Original(%s) after the update = %q, %v, want the newer file", arts[0].id, f.Data, err)
	}
	if n, _ := s.Count(ctx, tOriginal); n != 1 {
		t.Errorf("%d records in table original after an update and a delete, want 1", n)
	}
	docs, err := l.SearchDocs(ctx, []string{arts[0].id, arts[4].id})
	if err != nil || docs[0] == nil || docs[1] == nil || docs[1].ID != arts[4].id {
		t.Errorf("SearchDocs = %v, %v", docs, err)
	}
}

// mustJSON is the article JSON jsonParse makes of a test file.
func mustJSON(t *testing.T, data []byte) []byte {
	t.Helper()
	a, err := jsonParse(data)
	if err != nil {
		t.Fatal(err)
	}
	out, _ := json.Marshal(a)
	return out
}

// TestSplitArticle: a record of a JSON alone and one of JSON and file
// come apart as they were joined; a cut record is an error.
func TestSplitArticle(t *testing.T) {
	for _, tc := range []struct{ article, original string }{{`{"id":"a"}`, ""}, {`{"id":"b"}`, "原文\x00\x01"}, {`{}`, "x"}} {
		var orig []byte
		if tc.original != "" {
			orig = []byte(tc.original)
		}
		rec := joinArticle([]byte(tc.article), orig)
		a, o, err := splitArticle(rec)
		if err != nil || string(a) != tc.article || string(o) != tc.original || (o == nil) != (orig == nil) {
			t.Errorf("splitArticle(joinArticle(%q, %q)) = %q, %q, %v", tc.article, tc.original, a, o, err)
		}
	}
	rec := joinArticle([]byte(`{"id":"long"}`), []byte("file"))
	if _, _, err := splitArticle(rec[:5]); err == nil {
		t.Errorf("splitArticle(a cut record %q) = nil error, want one", rec[:5])
	}
}
