package message

import (
	"bytes"
	"encoding/json"
	"slices"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
	"unsafe"

	"github.com/broadsheet/broadsheet/app/search"
)

// ParseRequest sets r from the JSON of a request, as json.Unmarshal
// would. The requests a page sends most, "open", "search" and "stats",
// are flat objects of strings, numbers, booleans and lists of strings:
// those it reads itself, without reflection (a search worker's first
// json.Unmarshal of a Request, the "open", took ~10 ms of cold wasm code
// in Chromium), and so the documents of an "add" (docs) as json.Marshal
// writes a search.Doc (json.Unmarshal of the IDs alone of an add of
// 1,000 documents took 3 ms in wasm); any other request (numbers that
// are not integers, keys not in their case, nulls, invalid UTF-8…) it
// leaves to json.Unmarshal. Keys Request does not have are skipped, as
// json.Unmarshal skips them, when their values are simple.
func ParseRequest(data []byte, r *Request) error {
	q := *r
	if !q.parseFlat(data) {
		return json.Unmarshal(data, r)
	}
	*r = q
	return nil
}

// parseFlat reads a flat request into q, and reports whether it could.
func (q *Request) parseFlat(data []byte) bool {
	p := flatParser{data: data}
	return p.object(func(key []byte) (ok bool) {
		switch string(key) {
		case "id":
			ok = p.int(&q.ID)
		case "op":
			q.Op, ok = p.string()
		case "db":
			q.DB, ok = p.string()
		case "tables":
			q.Tables, ok = p.strings()
		case "archive":
			q.Archive, ok = p.string()
		case "texts":
			q.Texts, ok = p.string()
		case "ids":
			q.IDs, ok = p.strings()
		case "q":
			q.Q, ok = p.string()
		case "sort":
			var s int
			ok = p.int(&s)
			q.Sort = search.Sort(s)
		case "limit":
			ok = p.int(&q.Limit)
		case "names":
			q.Names, ok = p.strings()
		case "brief":
			q.Brief, ok = p.bool()
		case "last":
			q.Last, ok = p.bool()
		case "docs":
			// json.Unmarshal decodes a second "docs" into the first's
			// documents: left to it
			ok = q.Docs == nil
			if ok {
				q.Docs, ok = p.docs()
			}
		default:
			ok = p.skip(key, known[:])
		}
		return ok
	}) && p.end()
}

// known are the keys parseFlat reads.
var known = [...]string{"id", "op", "db", "tables", "archive", "texts", "ids", "q", "sort", "limit", "names", "brief", "last", "docs"}

// docs reads an array of documents (search.Doc) as json.Unmarshal
// writes them (json.Marshal of a search.Doc), or its fields in any
// order and any of them left out: an add's. Each is an object of
// strings, a list of strings (Authors: or null) and a time (Date, read
// by time.Time.UnmarshalJSON as json.Unmarshal reads it); a key that
// differs from a field's in case alone, a null elsewhere, a Date it
// refuses… are left to json.Unmarshal.
func (p *flatParser) docs() ([]search.Doc, bool) {
	if !p.byte('[') {
		return nil, false
	}
	out := []search.Doc{}
	if p.byte(']') {
		return out, true
	}
	for {
		start := p.i
		out = append(out, search.Doc{})
		if !p.doc(&out[len(out)-1]) {
			return nil, false
		}
		if len(out) == 1 {
			// an add's documents are alike: room for as many as the
			// first one's length gives (within maxDocsGuess), not
			// growing by doubling (1,000 of 112 bytes)
			out = slices.Grow(out, min((len(p.data)-p.i)/(p.i-start+1), maxDocsGuess))
		}
		if p.byte(']') {
			return out, true
		}
		if !p.byte(',') {
			return nil, false
		}
	}
}

// maxDocsGuess bounds the documents docs makes room for at once.
const maxDocsGuess = 4096

// docKeys are search.Doc's fields, the keys doc reads.
var docKeys = [...]string{"ID", "Title", "Text", "Source", "Authors", "Date"}

// doc reads a document into d, which is zero.
func (p *flatParser) doc(d *search.Doc) bool {
	return p.object(func(key []byte) (ok bool) {
		switch string(key) {
		case "ID":
			d.ID, ok = p.string()
		case "Title":
			d.Title, ok = p.text()
		case "Text":
			d.Text, ok = p.text()
		case "Source":
			d.Source, ok = p.string()
		case "Authors":
			if ok = p.literal("null"); ok {
				d.Authors = nil
			} else {
				d.Authors, ok = p.strings()
			}
		case "Date":
			p.space()
			start := p.i
			if _, ok = p.raw(nil); ok {
				ok = d.Date.UnmarshalJSON(p.data[start:p.i]) == nil
			}
		default:
			ok = p.skip(key, docKeys[:])
		}
		return ok
	})
}

// object reads an object: member reads the value of each key (after its
// colon) and reports whether it could.
func (p *flatParser) object(member func(key []byte) bool) bool {
	if !p.byte('{') {
		return false
	}
	if p.byte('}') {
		return true
	}
	for {
		key, ok := p.raw(nil)
		if !ok || !p.byte(':') || !member(key) {
			return false
		}
		if p.byte('}') {
			return true
		}
		if !p.byte(',') {
			return false
		}
	}
}

// literal reads v (true, false or null), after spaces.
func (p *flatParser) literal(v string) bool {
	p.space()
	if len(p.data)-p.i >= len(v) && string(p.data[p.i:p.i+len(v)]) == v {
		p.i += len(v)
		return true
	}
	return false
}

// skip reads the value of a key the object read does not have (known
// are those it has), as json.Unmarshal ignores it: a string, a number,
// true, false or null (anything else is left to json.Unmarshal, and so
// is a key that differs from a known one in case alone, which
// json.Unmarshal matches).
func (p *flatParser) skip(key []byte, known []string) bool {
	for _, k := range known {
		if bytes.EqualFold(key, []byte(k)) {
			return false
		}
	}
	p.space()
	if p.i < len(p.data) && p.data[p.i] == '"' {
		_, ok := p.string()
		return ok
	}
	if p.literal("true") || p.literal("false") || p.literal("null") {
		return true
	}
	return p.number()
}

// number reads a JSON number.
func (p *flatParser) number() bool {
	digits := func() int {
		start := p.i
		for p.i < len(p.data) && p.data[p.i] >= '0' && p.data[p.i] <= '9' {
			p.i++
		}
		return p.i - start
	}
	if p.i < len(p.data) && p.data[p.i] == '-' {
		p.i++
	}
	first := p.i
	if n := digits(); n == 0 || n > 1 && p.data[first] == '0' {
		return false
	}
	if p.i < len(p.data) && p.data[p.i] == '.' {
		p.i++
		if digits() == 0 {
			return false
		}
	}
	if p.i < len(p.data) && (p.data[p.i] == 'e' || p.data[p.i] == 'E') {
		p.i++
		if p.i < len(p.data) && (p.data[p.i] == '+' || p.data[p.i] == '-') {
			p.i++
		}
		if digits() == 0 {
			return false
		}
	}
	return true
}

// flatParser reads the values of a flat JSON object; each method
// reports false for what it does not read exactly as json.Unmarshal
// would.
type flatParser struct {
	data  []byte
	i     int
	texts []byte // the documents' titles and texts (text)
}

func (p *flatParser) space() {
	for p.i < len(p.data) && (p.data[p.i] == ' ' || p.data[p.i] == '\t' || p.data[p.i] == '\n' || p.data[p.i] == '\r') {
		p.i++
	}
}

// byte reads c, after spaces.
func (p *flatParser) byte(c byte) bool {
	p.space()
	if p.i < len(p.data) && p.data[p.i] == c {
		p.i++
		return true
	}
	return false
}

// end reports whether only spaces are left.
func (p *flatParser) end() bool {
	p.space()
	return p.i == len(p.data)
}

func (p *flatParser) bool() (bool, bool) {
	if p.literal("true") {
		return true, true
	}
	return false, p.literal("false")
}

// int reads an integer that fits in an int (JSON: no leading zeros, no
// fraction or exponent).
func (p *flatParser) int(v *int) bool {
	p.space()
	start := p.i
	if p.i < len(p.data) && p.data[p.i] == '-' {
		p.i++
	}
	digits := p.i
	for p.i < len(p.data) && p.data[p.i] >= '0' && p.data[p.i] <= '9' {
		p.i++
	}
	if p.i == digits || p.data[digits] == '0' && p.i > digits+1 {
		return false
	}
	if p.i < len(p.data) && (p.data[p.i] == '.' || p.data[p.i] == 'e' || p.data[p.i] == 'E') {
		return false
	}
	n, err := strconv.ParseInt(string(p.data[start:p.i]), 10, strconv.IntSize)
	*v = int(n)
	return err == nil
}

// strings reads an array of strings.
func (p *flatParser) strings() ([]string, bool) {
	if !p.byte('[') {
		return nil, false
	}
	out := []string{}
	if p.byte(']') {
		return out, true
	}
	for {
		s, ok := p.string()
		if !ok {
			return nil, false
		}
		out = append(out, s)
		if p.byte(']') {
			return out, true
		}
		if !p.byte(',') {
			return nil, false
		}
	}
}

// string reads a string of valid UTF-8, its escapes decoded.
func (p *flatParser) string() (string, bool) {
	b, ok := p.raw(nil)
	return string(b), ok
}

// text reads a string as string does, into p.texts, made as long as
// the JSON: the titles and texts of an add's documents are slices of
// one allocation (each no longer than its JSON, the whole fits), not
// each its own, grown as its escapes are decoded.
func (p *flatParser) text() (string, bool) {
	if p.texts == nil {
		p.texts = make([]byte, 0, len(p.data))
	}
	n := len(p.texts)
	b, ok := p.raw(p.texts)
	if !ok || len(b) == n {
		return "", ok
	}
	p.texts = b
	return unsafe.String(&b[n], len(b)-n), true
}

// raw reads a string of valid UTF-8, its escapes decoded, and returns
// it appended to dst; when dst is nil and the string has no escapes,
// its bytes in data (a key compared as string(b) is not copied).
func (p *flatParser) raw(dst []byte) ([]byte, bool) {
	if !p.byte('"') {
		return nil, false
	}
	start := p.i
	for p.i < len(p.data) {
		switch c := p.data[p.i]; {
		case c == '"':
			s := p.data[start:p.i]
			p.i++
			if dst != nil {
				s = append(dst, s...)
			}
			return s, utf8.Valid(s[len(dst):])
		case c == '\\':
			return p.escaped(start, dst)
		case c < ' ':
			return nil, false
		}
		p.i++
	}
	return nil, false
}

// escaped reads the rest of a string from its first escape on (the
// string began at start), appended to dst.
func (p *flatParser) escaped(start int, dst []byte) ([]byte, bool) {
	b := append(dst, p.data[start:p.i]...)
	for p.i < len(p.data) {
		c := p.data[p.i]
		switch {
		case c == '"':
			p.i++
			return b, utf8.Valid(b[len(dst):])
		case c < ' ':
			return nil, false
		case c != '\\':
			b = append(b, c)
			p.i++
			continue
		}
		if p.i+1 >= len(p.data) {
			return nil, false
		}
		e := p.data[p.i+1]
		p.i += 2
		switch e {
		case '"', '\\', '/':
			b = append(b, e)
		case 'b':
			b = append(b, '\b')
		case 'f':
			b = append(b, '\f')
		case 'n':
			b = append(b, '\n')
		case 'r':
			b = append(b, '\r')
		case 't':
			b = append(b, '\t')
		case 'u':
			r, ok := p.hex4()
			if !ok {
				return nil, false
			}
			if utf16.IsSurrogate(r) {
				// a pair, or json.Unmarshal's U+FFFD for a lone half:
				// left to it
				lo := rune(-1)
				if p.i+1 < len(p.data) && p.data[p.i] == '\\' && p.data[p.i+1] == 'u' {
					p.i += 2
					if lo, ok = p.hex4(); !ok {
						return nil, false
					}
				}
				if r = utf16.DecodeRune(r, lo); r == utf8.RuneError {
					return nil, false
				}
			}
			b = utf8.AppendRune(b, r)
		default:
			return nil, false
		}
	}
	return nil, false
}

// hex4 reads the four hex digits of a \u escape.
func (p *flatParser) hex4() (rune, bool) {
	if len(p.data)-p.i < 4 {
		return 0, false
	}
	var r rune
	for _, c := range p.data[p.i : p.i+4] {
		switch {
		case c >= '0' && c <= '9':
			r = r<<4 | rune(c-'0')
		case c >= 'a' && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case c >= 'A' && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			return 0, false
		}
	}
	p.i += 4
	return r, true
}
