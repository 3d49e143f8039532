// Package jsonstr writes Go strings as JSON strings byte for byte as
// encoding/json does (HTML-safe escapes, U+2028 and U+2029 escaped,
// invalid UTF-8 as \ufffd), without reflection: for the hand encoders
// of the archive builder's articles (app/archive) and of the search
// worker's replies (app/searchworker/message).
package jsonstr

import "unicode/utf8"

// The tables are literals, not made by code at init: the page links
// this package through app/searchworker/message without calling Append,
// and code run at init would be linked all the same (476 B of the
// page's gzip).

// escaped marks the ASCII bytes encoding/json escapes: controls, quote,
// backslash, and <, > and & for HTML.
var escaped = [utf8.RuneSelf]bool{
	0x00: true, 0x01: true, 0x02: true, 0x03: true, 0x04: true, 0x05: true, 0x06: true, 0x07: true, 0x08: true, 0x09: true, 0x0A: true, 0x0B: true, 0x0C: true, 0x0D: true, 0x0E: true, 0x0F: true, 0x10: true, 0x11: true, 0x12: true, 0x13: true, 0x14: true, 0x15: true, 0x16: true, 0x17: true, 0x18: true, 0x19: true, 0x1A: true, 0x1B: true, 0x1C: true, 0x1D: true, 0x1E: true, 0x1F: true,
	'"': true, '\\': true, '<': true, '>': true, '&': true,
}

// seq is the length of a UTF-8 sequence and the range of its second
// byte.
type seq struct{ n, lo, hi byte }

// utf8Seq says, for each byte that begins a multi-byte UTF-8 sequence,
// its length and the range of the byte after it (the lead byte's
// restrictions: no overlong forms, no surrogates, nothing past
// U+10FFFF); 0 for a byte that begins none.
var utf8Seq = [256]seq{
	0xC2: {2, 0x80, 0xBF},
	0xC3: {2, 0x80, 0xBF},
	0xC4: {2, 0x80, 0xBF},
	0xC5: {2, 0x80, 0xBF},
	0xC6: {2, 0x80, 0xBF},
	0xC7: {2, 0x80, 0xBF},
	0xC8: {2, 0x80, 0xBF},
	0xC9: {2, 0x80, 0xBF},
	0xCA: {2, 0x80, 0xBF},
	0xCB: {2, 0x80, 0xBF},
	0xCC: {2, 0x80, 0xBF},
	0xCD: {2, 0x80, 0xBF},
	0xCE: {2, 0x80, 0xBF},
	0xCF: {2, 0x80, 0xBF},
	0xD0: {2, 0x80, 0xBF},
	0xD1: {2, 0x80, 0xBF},
	0xD2: {2, 0x80, 0xBF},
	0xD3: {2, 0x80, 0xBF},
	0xD4: {2, 0x80, 0xBF},
	0xD5: {2, 0x80, 0xBF},
	0xD6: {2, 0x80, 0xBF},
	0xD7: {2, 0x80, 0xBF},
	0xD8: {2, 0x80, 0xBF},
	0xD9: {2, 0x80, 0xBF},
	0xDA: {2, 0x80, 0xBF},
	0xDB: {2, 0x80, 0xBF},
	0xDC: {2, 0x80, 0xBF},
	0xDD: {2, 0x80, 0xBF},
	0xDE: {2, 0x80, 0xBF},
	0xDF: {2, 0x80, 0xBF},
	0xE0: {3, 0xA0, 0xBF},
	0xE1: {3, 0x80, 0xBF},
	0xE2: {3, 0x80, 0xBF},
	0xE3: {3, 0x80, 0xBF},
	0xE4: {3, 0x80, 0xBF},
	0xE5: {3, 0x80, 0xBF},
	0xE6: {3, 0x80, 0xBF},
	0xE7: {3, 0x80, 0xBF},
	0xE8: {3, 0x80, 0xBF},
	0xE9: {3, 0x80, 0xBF},
	0xEA: {3, 0x80, 0xBF},
	0xEB: {3, 0x80, 0xBF},
	0xEC: {3, 0x80, 0xBF},
	0xED: {3, 0x80, 0x9F},
	0xEE: {3, 0x80, 0xBF},
	0xEF: {3, 0x80, 0xBF},
	0xF0: {4, 0x90, 0xBF},
	0xF1: {4, 0x80, 0xBF},
	0xF2: {4, 0x80, 0xBF},
	0xF3: {4, 0x80, 0xBF},
	0xF4: {4, 0x80, 0x8F},
}

const hexDigits = "0123456789abcdef"

// Append appends s as a JSON string, as encoding/json writes it, in one
// pass that steps over a multi-byte rune at once, checking it
// is valid; from the first invalid byte on, appendInvalidJSON goes on a
// rune at a time.
func Append(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if escaped[c] {
				b = appendEscape(append(b, s[start:i]...), c)
				start = i + 1
			}
			i++
			continue
		}
		q := utf8Seq[c]
		n := int(q.n)
		if n == 0 || i+n > len(s) || s[i+1] < q.lo || s[i+1] > q.hi || n > 2 && s[i+2]&0xC0 != 0x80 || n > 3 && s[i+3]&0xC0 != 0x80 {
			return appendInvalidJSON(append(b, s[start:i]...), s[i:])
		}
		if c == 0xE2 && s[i+1] == 0x80 && s[i+2]&^1 == 0xA8 { // U+2028, U+2029
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[s[i+2]&0xF])
			start = i + n
		}
		i += n
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// appendEscape appends the escape of an ASCII byte.
func appendEscape(b []byte, c byte) []byte {
	switch c {
	case '\\', '"':
		return append(b, '\\', c)
	case '\b':
		return append(b, '\\', 'b')
	case '\f':
		return append(b, '\\', 'f')
	case '\n':
		return append(b, '\\', 'n')
	case '\r':
		return append(b, '\\', 'r')
	case '\t':
		return append(b, '\\', 't')
	}
	return append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
}

// appendInvalidJSON appends the rest of a string that is not valid
// UTF-8 (its opening quote written already) a rune at a time, each bad
// byte written as \ufffd.
func appendInvalidJSON(b []byte, s string) []byte {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if escaped[c] {
				b = appendEscape(b, c)
			} else {
				b = append(b, c)
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
		default:
			b = append(b, s[i:i+n]...)
		}
		i += n
	}
	return append(b, '"')
}
