package library

import (
	"encoding/json"
	"errors"
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
	if v, _ := s.Get(ctx, tInfo, keySchema); string(v) != "1" {
		t.Errorf("schema after upgrade = %q, want 1", v)
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
	if v, err := s.Get(ctx, tInfo, keySchema); err != nil || string(v) != "1" {
		t.Errorf("schema of a new library = %q, %v, want 1", v, err)
	}
	if _, err := Open(ctx, store.NewMemory("info")); !errors.Is(err, store.ErrUnknownTable) {
		t.Errorf("Open(store without the tables) = %v, want ErrUnknownTable", err)
	}
}
