package library

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/broadsheet/broadsheet/app/store"
)

// idGets counts the keys of table "ids" read by GetMany.
type idGets struct {
	store.Store
	keys int
}

func (s *idGets) GetMany(ctx context.Context, table string, keys []string) ([][]byte, error) {
	if table == tIDs {
		s.keys += len(keys)
	}
	return s.Store.GetMany(ctx, table, keys)
}

// TestIDRecords: idRecords answers as GetMany does, by a Scan of a
// site's range when it holds few other IDs, key by key when it holds
// many.
func TestIDRecords(t *testing.T) {
	mem := store.NewMemory(Tables()...)
	var b store.Batch
	stored := map[string]bool{}
	for i := range 400 {
		id := fmt.Sprintf("a.example/%04d", 2*i) // even numbers stored
		if i >= 200 {
			id = fmt.Sprintf("b.example/%04d", 2*i)
		}
		b.Put(tIDs, id, []byte("ok of "+id))
		stored[id] = true
	}
	for i := range 200 { // dated directories
		for _, y := range []string{"2015", "2016"} {
			id := fmt.Sprintf("d.example/%s/%04d", y, i)
			b.Put(tIDs, id, []byte("ok of "+id))
			stored[id] = true
		}
	}
	b.Put(tIDs, "h-1234", []byte("ok of h-1234"))
	if err := mem.Write(ctx, &b); err != nil {
		t.Fatal(err)
	}
	s := &idGets{Store: mem}
	l := &Library{s: s}
	for _, c := range []struct {
		name string
		ids  []string
		gets int // keys read by GetMany
	}{
		{"new site", seq("c.example/%04d", 0, 50, 1), 0},
		{"past a site's stored ids", seq("a.example/%04d", 401, 50, 2), 0},
		{"spread among a site's stored ids", seq("a.example/%04d", 1, 20, 20), 20},
		{"among a site's stored ids, as many", seq("a.example/%04d", 1, 100, 2), 0},
		{"some stored, few others", seq("b.example/%04d", 400, 40, 1), 0},
		{"a few", []string{"h-1234", "a.example/0002", "x.example/1"}, 3},
		{"past each directory's stored ids", append(seq("d.example/2015/%04d", 200, 30, 1), seq("d.example/2016/%04d", 200, 30, 1)...), 0},
		{"a few past a directory's", append(seq("d.example/2015/%04d", 200, 3, 1), seq("d.example/2016/%04d", 190, 30, 1)...), 3},
		{"repeated", append(seq("c.example/%04d", 0, 10, 1), "c.example/0000", "a.example/0000"), 1},
	} {
		s.keys = 0
		got, err := l.idRecords(ctx, c.ids)
		if err != nil {
			t.Fatalf("%s: idRecords = %v", c.name, err)
		}
		for i, id := range c.ids {
			want := []byte(nil)
			if stored[id] || id == "h-1234" {
				want = []byte("ok of " + id)
			}
			if !slices.Equal(got[i], want) {
				t.Errorf("%s: idRecords(%q) = %q, want %q", c.name, id, got[i], want)
			}
		}
		if s.keys != c.gets {
			t.Errorf("%s: %d keys read by GetMany, want %d", c.name, s.keys, c.gets)
		}
	}
}

// seq returns n IDs of format from i, every step.
func seq(format string, i, n, step int) []string {
	var ids []string
	for range n {
		ids = append(ids, fmt.Sprintf(format, i))
		i += step
	}
	return ids
}
