package parser

import (
	"testing"
	"unicode/utf8"
)

// TestCP1252Rune checks the table against the code page's published
// mapping at its edges and its undefined bytes.
func TestCP1252Rune(t *testing.T) {
	cases := map[byte]rune{
		'A': 'A', 0x7F: 0x7F, 0x80: '€', 0x85: '…', 0x8A: 'Š', 0x91: '‘', 0x92: '’', 0x93: '“', 0x94: '”',
		0x96: '–', 0x97: '—', 0x99: '™', 0x9F: 'Ÿ', 0xA0: 0xA0, 0xE9: 'é', 0xFF: 'ÿ',
		0x81: utf8.RuneError, 0x8D: utf8.RuneError, 0x8F: utf8.RuneError, 0x90: utf8.RuneError, 0x9D: utf8.RuneError,
	}
	for c, want := range cases {
		if got := cp1252Rune(c); got != want {
			t.Errorf("cp1252Rune(%#x) = %q, want %q", c, got, want)
		}
	}
}

func TestLatinText(t *testing.T) {
	cases := []struct {
		in   string
		want bool
	}{
		{"The caf\xe9 reopened on Friday \x96 its first day.", true},
		{"plain ASCII has no high byte", false},
		{"\xc4\xe3\xba\xc3\xca\xc0\xbd\xe7 ab", false}, // GBK: high bytes outnumber letters
		{"Caf\xe9 \x81 undefined byte in a long enough line of text", false},
	}
	for _, c := range cases {
		if got := latinText([]byte(c.in)); got != c.want {
			t.Errorf("latinText(%q) = %v, want %v", c.in, got, c.want)
		}
	}
}
