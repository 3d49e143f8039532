package parser

import (
	"testing"
	"unicode"
)

// TestLetterOf compares letterOf with the unicode package on the blocks
// it reads from its own table and around them.
func TestLetterOf(t *testing.T) {
	for _, base := range punctBlocks {
		for r := base - 64; r < base+128; r++ {
			want := notLetter
			switch {
			case unicode.IsLetter(r) && unicode.Is(unicode.Latin, r):
				want = latinLetter
			case unicode.IsLetter(r):
				want = otherLetter
			}
			if got := letterOf(r); got != want {
				t.Errorf("letterOf(%U) = %d, want %d", r, got, want)
			}
		}
	}
}
