package main

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/broadsheet/broadsheet/app/library"
	"github.com/broadsheet/broadsheet/app/search"
	"github.com/broadsheet/broadsheet/parser"
)

// filled sets every field of the struct v points to a value that is not
// zero, so that a field added later and left out of the wire format
// fails the round trip.
func filled(t *testing.T, v any, seed int) {
	t.Helper()
	s := reflect.ValueOf(v).Elem()
	for i := range s.NumField() {
		f := s.Field(i)
		switch f.Interface().(type) {
		case string:
			f.SetString("第" + string(rune('A'+seed+i)) + "字段·field")
		case int:
			f.SetInt(int64(1000*seed + i + 1))
		case []string:
			f.Set(reflect.ValueOf([]string{"甲", "乙" + string(rune('a'+i))}))
		case time.Time:
			f.Set(reflect.ValueOf(time.Date(2020+seed, 3, i+1, 8, 30, 15, 123456789, time.UTC)))
		default:
			t.Fatalf("%s.%s: a field of type %s the test cannot fill", s.Type(), s.Type().Field(i).Name, f.Type())
		}
	}
}

func TestWireRoundTrip(t *testing.T) {
	var meta library.Meta
	var doc search.Doc
	filled(t, &meta, 1)
	filled(t, &doc, 2)
	parsed, a := library.Parse(library.File{Name: "a.md", Data: article(5), Modified: time.UnixMilli(1772000000000)})
	if a == nil {
		t.Fatalf("Parse(a.md).Err = %v", parsed.Err)
	}
	ps := []library.Parsed{
		{Name: "all.md", Modified: time.Date(2024, 5, 6, 7, 8, 9, 0, time.FixedZone("", 8*3600)), Meta: meta, Article: []byte(`{"id":"x"}`), Original: []byte("原文")},
		parsed,
		{Name: "empty.md", Err: parser.ErrEmpty},
		{Name: "empty-original.md", Meta: library.Meta{ID: "e"}, Article: []byte("{}")},
	}
	docs := []search.Doc{doc, library.SearchDoc(a), {}, {ID: "e"}}
	b := encodeParsed(ps, docs)
	if _, _, err := decodeParsedWire(b); err != nil {
		t.Fatalf("decodeParsedWire: %v", err)
	}
	r := wireReader{b: b}
	if n := r.uvarint(); n != uint64(len(ps)) {
		t.Fatalf("count %d, want %d", n, len(ps))
	}
	for i := range ps {
		p, d := r.parsed()
		want := ps[i]
		if want.Err != nil {
			if p.Name != want.Name || !errors.Is(p.Err, parser.ErrEmpty) || p.Err.Error() != want.Err.Error() {
				t.Errorf("file %d = %+v, want %+v", i, p, want)
			}
			continue
		}
		if !reflect.DeepEqual(p.Meta, want.Meta) || p.Name != want.Name || !p.Modified.Equal(want.Modified) {
			t.Errorf("file %d: %q %v %+v, want %q %v %+v", i, p.Name, p.Modified, p.Meta, want.Name, want.Modified, want.Meta)
		}
		if _, off := p.Modified.Zone(); !want.Modified.IsZero() && off != func() int { _, o := want.Modified.Zone(); return o }() {
			t.Errorf("file %d: Modified zone offset %d, want that of %v", i, off, want.Modified)
		}
		if string(p.Article) != string(want.Article) || string(p.Original) != string(want.Original) {
			t.Errorf("file %d: article %q original %q, want %q %q", i, p.Article, p.Original, want.Article, want.Original)
		}
		if !reflect.DeepEqual(d, docs[i]) {
			t.Errorf("file %d: doc %+v, want %+v", i, d, docs[i])
		}
	}
	if r.err != nil || len(r.b) != 0 {
		t.Errorf("reader after every file: err %v, %d bytes left", r.err, len(r.b))
	}
	// a cut buffer is an error, never a panic
	for n := range len(b) - 1 {
		if _, _, err := decodeParsedWire(b[:n]); err == nil {
			t.Fatalf("reading %d of %d bytes: no error", n, len(b))
		}
	}
}
