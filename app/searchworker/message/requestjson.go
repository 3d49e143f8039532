package message

import (
	"encoding/json"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/broadsheet/broadsheet/app/search"
)

// ParseRequest sets r from the JSON of a request, as json.Unmarshal
// would. The requests a page sends most, "open", "search" and "stats",
// are flat objects of strings, numbers, booleans and lists of strings:
// those it reads itself, without reflection (a search worker's first
// json.Unmarshal of a Request, the "open", took ~10 ms of cold wasm code
// in Chromium); any other request (documents, numbers that are not
// integers, keys not in their case, nulls, invalid UTF-8…) it leaves
// to json.Unmarshal. Keys Request does not have are skipped, as
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
	if !p.byte('{') {
		return false
	}
	if p.byte('}') {
		return p.end()
	}
	for {
		key, ok := p.string()
		if !ok || !p.byte(':') {
			return false
		}
		switch key {
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
		default:
			ok = p.skip(key)
		}
		if !ok {
			return false
		}
		if p.byte('}') {
			return p.end()
		}
		if !p.byte(',') {
			return false
		}
	}
}

// known are the keys parseFlat reads.
var known = [...]string{"id", "op", "db", "tables", "archive", "texts", "ids", "q", "sort", "limit", "names", "brief", "last"}

// skip reads the value of a key Request does not have, as json.Unmarshal
// ignores it: a string, a number, true, false or null (anything else is
// left to json.Unmarshal, and so is a key that differs from one of
// Request's in case alone, which json.Unmarshal matches).
func (p *flatParser) skip(key string) bool {
	for _, k := range known {
		if strings.EqualFold(key, k) {
			return false
		}
	}
	p.space()
	if p.i < len(p.data) && p.data[p.i] == '"' {
		_, ok := p.string()
		return ok
	}
	for _, v := range []string{"true", "false", "null"} {
		if len(p.data)-p.i >= len(v) && string(p.data[p.i:p.i+len(v)]) == v {
			p.i += len(v)
			return true
		}
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
	data []byte
	i    int
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
	p.space()
	for _, v := range []string{"true", "false"} {
		if len(p.data)-p.i >= len(v) && string(p.data[p.i:p.i+len(v)]) == v {
			p.i += len(v)
			return v == "true", true
		}
	}
	return false, false
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
	if !p.byte('"') {
		return "", false
	}
	start := p.i
	for p.i < len(p.data) {
		switch c := p.data[p.i]; {
		case c == '"':
			s := p.data[start:p.i]
			p.i++
			return string(s), utf8.Valid(s)
		case c == '\\':
			return p.escaped(start)
		case c < ' ':
			return "", false
		}
		p.i++
	}
	return "", false
}

// escaped reads the rest of a string from its first escape on (the
// string began at start).
func (p *flatParser) escaped(start int) (string, bool) {
	b := append([]byte(nil), p.data[start:p.i]...)
	for p.i < len(p.data) {
		c := p.data[p.i]
		switch {
		case c == '"':
			p.i++
			return string(b), utf8.Valid(b)
		case c < ' ':
			return "", false
		case c != '\\':
			b = append(b, c)
			p.i++
			continue
		}
		if p.i+1 >= len(p.data) {
			return "", false
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
				return "", false
			}
			if utf16.IsSurrogate(r) {
				// a pair, or json.Unmarshal's U+FFFD for a lone half:
				// left to it
				lo := rune(-1)
				if p.i+1 < len(p.data) && p.data[p.i] == '\\' && p.data[p.i+1] == 'u' {
					p.i += 2
					if lo, ok = p.hex4(); !ok {
						return "", false
					}
				}
				if r = utf16.DecodeRune(r, lo); r == utf8.RuneError {
					return "", false
				}
			}
			b = utf8.AppendRune(b, r)
		default:
			return "", false
		}
	}
	return "", false
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
