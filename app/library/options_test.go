package library

import (
	"bytes"
	"errors"
	"testing"
	"time"

	"github.com/broadsheet/broadsheet/app/store"
)

// TestOpenWith checks the options a builder uses: a fixed clock, no
// originals and its own parse function give records that depend on the
// files alone.
func TestOpenWith(t *testing.T) {
	dump := func() map[string][]byte {
		s := store.NewMemory(Tables()...)
		l, err := OpenWith(ctx, s, Options{Now: func() time.Time { return time.Time{} }, NoOriginals: true, Parse: jsonParse})
		if err != nil {
			t.Fatalf("OpenWith = %v", err)
		}
		f := art{id: "a", published: "2025-01-02T03:04:05", source: "s.example"}.file(time.Time{})
		if _, err := l.Import(ctx, []File{f}); err != nil {
			t.Fatalf("Import = %v", err)
		}
		if n, _ := s.Count(ctx, tOriginal); n != 0 {
			t.Errorf("with NoOriginals, the original table holds %d records, want 0", n)
		}
		if _, err := l.Original(ctx, "a"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("Original with NoOriginals = %v, want ErrNotFound", err)
		}
		got := map[string][]byte{}
		for _, tb := range Tables() {
			s.Scan(ctx, tb, "", "", 0, func(k string, v []byte) bool { got[tb+"/"+k] = v; return true })
		}
		return got
	}
	a, b := dump(), dump()
	if len(a) == 0 || len(a) != len(b) {
		t.Fatalf("two builds hold %d and %d records, want the same, > 0", len(a), len(b))
	}
	for k, v := range a {
		if !bytes.Equal(v, b[k]) {
			t.Errorf("record %s differs between two builds: %q, %q", k, v, b[k])
		}
		if bytes.Contains(v, []byte("imported")) {
			t.Errorf("record %s = %q, want no imported time with a zero clock", k, v)
		}
	}
}
