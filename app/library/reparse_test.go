package library

import (
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/broadsheet/broadsheet/app/store"
	"github.com/broadsheet/broadsheet/parser"
)

// TestReparse re-parses a library with a "new parser" that renames a
// source, moves one article to a new ID and one onto an existing ID, and
// fails on one file.
func TestReparse(t *testing.T) {
	l, _ := newJSONLibrary(t)
	arts := corpus(40)
	for i := range arts {
		arts[i].source = "Old"
	}
	importArts(t, l, arts)
	before, err := l.Meta(ctx, arts[3].id)
	if err != nil {
		t.Fatal(err)
	}
	l.parse = func(data []byte) (*parser.Article, error) {
		a, err := jsonParse(data)
		if err != nil {
			return nil, err
		}
		switch a.ID {
		case arts[5].id:
			return nil, parser.ErrNotArticle
		case arts[6].id:
			a.ID = "moved"
		case arts[7].id:
			a.ID = arts[8].id
		}
		a.Source = "New"
		return a, nil
	}
	after, chunks := "", 0
	for {
		next, err := l.Reparse(ctx, after, 7)
		if err != nil {
			t.Fatalf("Reparse(%q) = %v", after, err)
		}
		chunks++
		if next == "" {
			break
		}
		after = next
	}
	if chunks != 6 {
		t.Errorf("Reparse took %d chunks of 7 for 40 articles, want 6", chunks)
	}
	// The expected library: arts[5] unchanged, arts[6] moved, arts[7] dropped.
	var want []art
	for i, a := range arts {
		switch i {
		case 5:
		case 6:
			a.id = "moved"
			a.source = "New"
		case 7:
			continue
		default:
			a.source = "New"
		}
		want = append(want, a)
	}
	checkList(t, l, want, Query{Limit: 9})
	checkList(t, l, want, Query{Source: "New"})
	checkFacets(t, l, want)
	m, err := l.Meta(ctx, arts[3].id)
	if err != nil || m.FileName != before.FileName || !m.Imported.Equal(before.Imported) || m.Source != "New" {
		t.Errorf("Meta after Reparse = %+v, %v, want the file name and import time of %+v", m, err, before)
	}
	a, err := l.Get(ctx, "moved")
	if err != nil || !strings.Contains(a.URL, arts[6].id) {
		t.Errorf("Get(moved) = %v, %v", a, err)
	}
	if n, err := l.Count(ctx); n != len(want) || err != nil {
		t.Errorf("Count after Reparse = %d, %v, want %d", n, err, len(want))
	}
}

// TestReparseNext brings a library parsed by no recorded revision to
// this parser's, in chunks and across an interruption: it answers the
// articles whose parse changed and those that moved away, leaves the
// others unwritten, and is then done.
func TestReparseNext(t *testing.T) {
	l, s := newJSONLibrary(t)
	if due, err := l.ReparseDue(ctx); due || err != nil {
		t.Fatalf("ReparseDue on an empty library = %v, %v, want false: it is marked as parsed by this parser", due, err)
	}
	s2 := store.NewMemory(Tables()...)
	l = openLibrary(t, s2, jsonParse)
	s = s2
	arts := corpus(40)
	importArts(t, l, arts) // by no recorded revision: an older app's library
	if due, err := l.ReparseDue(ctx); !due || err != nil {
		t.Fatalf("ReparseDue on a library of no recorded revision = %v, %v, want true", due, err)
	}
	l.parse = func(data []byte) (*parser.Article, error) {
		a, err := jsonParse(data)
		if err == nil && a.ID == arts[9].id {
			a.ID = "moved"
		}
		if err == nil && strings.HasSuffix(a.ID, "3") {
			a.Source = "New"
		}
		return a, err
	}
	var changed, gone []string
	step := func(l *Library) bool {
		c, g, done, err := l.ReparseNext(ctx, 7)
		if err != nil {
			t.Fatalf("ReparseNext: %v", err)
		}
		changed, gone = append(changed, c...), append(gone, g...)
		return done
	}
	step(l)
	step(l)
	// Another tab's library goes on from where this one stopped.
	l2 := openLibrary(t, s, l.parse)
	steps := 2
	for done := false; !done; steps++ {
		done = step(l2)
	}
	if steps != 6 {
		t.Errorf("ReparseNext took %d chunks of 7 for 40 articles, want 6", steps)
	}
	want := []string{arts[3].id, "moved", arts[13].id, arts[23].id, arts[33].id}
	slices.Sort(want)
	slices.Sort(changed)
	if !slices.Equal(changed, want) {
		t.Errorf("ReparseNext changed %q, want %q (each once, no unchanged article)", changed, want)
	}
	if !slices.Equal(gone, []string{arts[9].id}) {
		t.Errorf("ReparseNext gone %q, want [%s]", gone, arts[9].id)
	}
	if m, err := l2.Meta(ctx, arts[13].id); err != nil || m.Source != "New" {
		t.Errorf("Meta(%s) after ReparseNext = %+v, %v, want source New", arts[13].id, m, err)
	}
	if due, err := l2.ReparseDue(ctx); due || err != nil {
		t.Errorf("ReparseDue when done = %v, %v", due, err)
	}
	if c, g, done, err := l2.ReparseNext(ctx, 7); len(c)+len(g) != 0 || !done || err != nil {
		t.Errorf("ReparseNext when done = %q, %q, %v, %v", c, g, done, err)
	}

	// A re-parse toward an older revision starts again from the start.
	var b store.Batch
	b.Put(tInfo, keyParsed, []byte(strconv.Itoa(parser.Revision-1)+"\t"+arts[30].id))
	if err := s.Write(ctx, &b); err != nil {
		t.Fatal(err)
	}
	before := l2.parse
	l2.parse = func(data []byte) (*parser.Article, error) {
		a, err := before(data)
		if err == nil && a.ID == arts[0].id {
			a.Source = "Newer"
		}
		return a, err
	}
	changed = nil
	for !step(l2) {
	}
	if !slices.Equal(changed, []string{arts[0].id}) {
		t.Errorf("ReparseNext from an older revision's cursor changed %q, want [%s]", changed, arts[0].id)
	}
}
