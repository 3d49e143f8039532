package parser

import (
	"strings"
	"unicode/utf8"
)

// Windows-1252 is how English and other Western articles saved by older
// tools are encoded when they are not UTF-8. It is Latin-1 with printable
// characters in 0x80–0x9F. The table is written here rather than taken
// from golang.org/x/text/encoding/charmap, whose tables (both directions,
// every code page referenced) would weigh on the page's wasm for 32 runes.

// cp1252High maps the bytes 0x80–0x9F; 0 marks the five undefined ones.
var cp1252High = [32]rune{
	'€', 0, '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', 0, 'Ž', 0,
	0, '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', 0, 'ž', 'Ÿ',
}

// cp1252Rune is the character of one Windows-1252 byte; undefined bytes
// become U+FFFD.
func cp1252Rune(c byte) rune {
	switch {
	case c < 0x80 || c >= 0xA0:
		return rune(c)
	case cp1252High[c-0x80] != 0:
		return cp1252High[c-0x80]
	}
	return utf8.RuneError
}

// latinText reports whether a file that reads as neither UTF-8 nor Chinese
// is Western text in a single-byte encoding: its non-ASCII bytes stand
// mostly alone between ASCII (accented letters in words, curly quotes,
// dashes; the multi-byte encodings come in runs of two or more), ASCII
// letters outnumber them, and none is undefined in Windows-1252.
func latinText(b []byte) bool {
	letters, high, alone := 0, 0, 0
	for i, c := range b {
		switch {
		case c|0x20 >= 'a' && c|0x20 <= 'z':
			letters++
		case c >= 0x80:
			if cp1252Rune(c) == utf8.RuneError {
				return false
			}
			high++
			if (i == 0 || b[i-1] < 0x80) && (i+1 == len(b) || b[i+1] < 0x80) {
				alone++
			}
		}
	}
	return high > 0 && letters >= 2*high && alone*5 >= high*4
}

// decodeWindows1252 reads the whole file as Windows-1252.
func decodeWindows1252(data []byte) decoded {
	var b strings.Builder
	b.Grow(len(data) + len(data)/8)
	for _, c := range data {
		b.WriteRune(cp1252Rune(c))
	}
	return decoded{text: b.String(), encoding: EncodingLatin, warnings: []string{"decoded from Windows-1252"}}
}
