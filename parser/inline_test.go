package parser

import (
	"testing"
	"unicode/utf8"
)

// TestDecodeRune holds decodeRune to utf8.DecodeRuneInString on every
// three-byte string that opens with a lead byte of two or three bytes,
// and on strings cut short.
func TestDecodeRune(t *testing.T) {
	var b [3]byte
	for lead := 0xC0; lead <= 0xF4; lead++ {
		b[0] = byte(lead)
		for c1 := 0; c1 < 256; c1++ {
			b[1] = byte(c1)
			for c2 := 0; c2 < 256; c2++ {
				b[2] = byte(c2)
				for n := 1; n <= 3; n++ {
					s := string(b[:n])
					r, size := decodeRune(s)
					wr, wsize := utf8.DecodeRuneInString(s)
					if r != wr || size != wsize {
						t.Fatalf("decodeRune(%q) = %U, %d, want %U, %d", s, r, size, wr, wsize)
					}
				}
			}
		}
	}
}
