package library

import (
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
