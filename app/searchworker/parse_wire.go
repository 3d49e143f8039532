package main

import (
	"encoding/binary"
	"errors"
	"time"

	"github.com/broadsheet/broadsheet/app/library"
	"github.com/broadsheet/broadsheet/app/search"
)

// A parse worker answers with its parsed files in one buffer, transferred
// (not copied) to the import worker: per file its name and modification
// time, then either its error (code and text) or its library.Meta, its
// search.Doc, its article JSON and its original bytes. Strings and byte
// slices are a uvarint length and the bytes, times time.Time's binary
// form (zone offset kept) the same way, numbers uvarints. JSON took 1.2
// ms an article in Chromium (encoding in the parse worker, decoding in the
// import worker, whose thread is an import's bottleneck), and one buffer
// per reply replaces two typed arrays per file.

// errWire is the error of a parse reply that cannot be read.
var errWire = errors.New("searchworker: a damaged parse reply")

// encodeParsed encodes parsed files and their search documents: a
// uvarint count, then each file as appendParsed writes it.
func encodeParsed(ps []library.Parsed, docs []search.Doc) []byte {
	size := binary.MaxVarintLen64
	for i, p := range ps {
		m := &p.Meta
		size += 512 + len(p.Name) + len(m.ID) + len(m.Title) + len(m.Source) + len(m.Published) + len(m.FileName) +
			len(p.Article) + len(p.Original) + len(docs[i].Title) + len(docs[i].Text) + len(docs[i].Source)
		for _, a := range m.Authors {
			size += 2 * (len(a) + 1)
		}
	}
	b := binary.AppendUvarint(make([]byte, 0, size), uint64(len(ps)))
	for i, p := range ps {
		b = appendParsed(b, p, docs[i])
	}
	return b
}

// decodeParsedWire reads what encodeParsed wrote.
func decodeParsedWire(b []byte) ([]library.Parsed, []search.Doc, error) {
	r := wireReader{b: b}
	n := r.uvarint()
	if n > uint64(len(r.b)) {
		return nil, nil, errWire
	}
	ps := make([]library.Parsed, n)
	docs := make([]search.Doc, n)
	for i := range ps {
		ps[i], docs[i] = r.parsed()
	}
	return ps, docs, r.err
}

// appendParsed appends parsed file p and its search document d.
func appendParsed(b []byte, p library.Parsed, d search.Doc) []byte {
	b = appendString(b, p.Name)
	b = appendTime(b, p.Modified)
	if p.Err != nil {
		b = append(b, 0)
		b = appendString(b, library.ErrorCode(p.Err))
		return appendString(b, p.Err.Error())
	}
	b = append(b, 1)
	b = appendMeta(b, &p.Meta)
	b = appendDoc(b, &d)
	b = appendBytes(b, p.Article)
	return appendBytes(b, p.Original)
}

func appendMeta(b []byte, m *library.Meta) []byte {
	b = appendString(b, m.ID)
	b = appendString(b, m.Title)
	b = appendString(b, m.Source)
	b = appendStrings(b, m.Authors)
	b = appendString(b, m.Published)
	b = appendTime(b, m.SavedAt)
	b = appendString(b, m.Lang)
	b = appendString(b, m.FileName)
	b = binary.AppendUvarint(b, uint64(m.Size))
	b = appendTime(b, m.Modified)
	return appendTime(b, m.Imported)
}

func appendDoc(b []byte, d *search.Doc) []byte {
	b = appendString(b, d.ID)
	b = appendString(b, d.Title)
	b = appendString(b, d.Text)
	b = appendString(b, d.Source)
	b = appendStrings(b, d.Authors)
	return appendTime(b, d.Date)
}

func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

func appendBytes(b, v []byte) []byte {
	b = binary.AppendUvarint(b, uint64(len(v)))
	return append(b, v...)
}

func appendStrings(b []byte, ss []string) []byte {
	b = binary.AppendUvarint(b, uint64(len(ss)))
	for _, s := range ss {
		b = appendString(b, s)
	}
	return b
}

// appendTime appends t's binary form (time.Time.AppendBinary), or an
// empty one for the zero time.
func appendTime(b []byte, t time.Time) []byte {
	if t.IsZero() {
		return append(b, 0)
	}
	tb, err := t.AppendBinary(nil)
	if err != nil { // an offset that is not whole minutes: kept in UTC
		tb, _ = t.UTC().AppendBinary(nil)
	}
	return appendBytes(b, tb)
}

// wireReader reads what the append functions wrote. Byte slices it
// returns share the buffer.
type wireReader struct {
	b   []byte
	err error
}

// parsed reads one file appended by appendParsed.
func (r *wireReader) parsed() (library.Parsed, search.Doc) {
	p := library.Parsed{Name: r.string(), Modified: r.time()}
	var d search.Doc
	if r.byte() == 0 {
		code, text := r.string(), r.string()
		p.Err = library.CodedError(code, text)
		return p, d
	}
	r.meta(&p.Meta)
	r.doc(&d)
	p.Article, p.Original = r.bytes(), r.bytes()
	return p, d
}

func (r *wireReader) meta(m *library.Meta) {
	m.ID, m.Title, m.Source = r.string(), r.string(), r.string()
	m.Authors = r.strings()
	m.Published, m.SavedAt = r.string(), r.time()
	m.Lang, m.FileName = r.string(), r.string()
	m.Size = int(r.uvarint())
	m.Modified, m.Imported = r.time(), r.time()
}

func (r *wireReader) doc(d *search.Doc) {
	d.ID, d.Title, d.Text, d.Source = r.string(), r.string(), r.string(), r.string()
	d.Authors = r.strings()
	d.Date = r.time()
}

func (r *wireReader) uvarint() uint64 {
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.fail()
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *wireReader) byte() byte {
	if len(r.b) == 0 {
		r.fail()
		return 0
	}
	c := r.b[0]
	r.b = r.b[1:]
	return c
}

func (r *wireReader) bytes() []byte {
	n := r.uvarint()
	if n > uint64(len(r.b)) {
		r.fail()
		return nil
	}
	v := r.b[:n:n]
	r.b = r.b[n:]
	return v
}

func (r *wireReader) string() string { return string(r.bytes()) }

func (r *wireReader) strings() []string {
	n := r.uvarint()
	if n > uint64(len(r.b)) { // each string takes a byte at least
		r.fail()
		return nil
	}
	var ss []string
	for range n {
		ss = append(ss, r.string())
	}
	return ss
}

func (r *wireReader) time() time.Time {
	var t time.Time
	if b := r.bytes(); len(b) > 0 && t.UnmarshalBinary(b) != nil {
		r.fail()
	}
	return t
}

// fail records a damaged buffer and empties it.
func (r *wireReader) fail() {
	if r.err == nil {
		r.err = errWire
	}
	r.b = nil
}
