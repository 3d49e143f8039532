package parser

import "unicode/utf8"

// validUTF8 is utf8.Valid, faster on Chinese text: utf8.Valid looks each
// lead byte up in its tables, and here a run of the three-byte sequences
// that need no range check beyond their continuation bytes (the lead
// bytes E1-EC and EE-EF: all of the CJK ideographs and punctuation) is
// checked in a loop of its own; ASCII goes eight bytes at a time, and the
// rest to utf8.DecodeRune.
func validUTF8(p []byte) bool {
	i := 0
	for i < len(p) {
		c := p[i]
		if c < utf8.RuneSelf {
			i++
			for i+8 <= len(p) {
				b := p[i : i+8]
				x := uint64(b[0]) | uint64(b[1])<<8 | uint64(b[2])<<16 | uint64(b[3])<<24 |
					uint64(b[4])<<32 | uint64(b[5])<<40 | uint64(b[6])<<48 | uint64(b[7])<<56
				if x&0x8080808080808080 != 0 {
					break
				}
				i += 8
			}
			continue
		}
		for i+2 < len(p) {
			c := p[i]
			if c < 0xE1 || c > 0xEF || c == 0xED || p[i+1]&0xC0 != 0x80 || p[i+2]&0xC0 != 0x80 {
				break
			}
			i += 3
		}
		if i == len(p) || p[i] < utf8.RuneSelf {
			continue
		}
		r, size := utf8.DecodeRune(p[i:])
		if r == utf8.RuneError && size == 1 {
			return false
		}
		i += size
	}
	return true
}
