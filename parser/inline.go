package parser

import (
	"strings"
	"unicode/utf8"
)

// marks are the emphasis and link that apply to a run of text.
type marks struct {
	href   string
	strong bool
	em     bool
}

// inlineBuilder gathers the text of one block into runs of inlines. It folds
// white space as it goes: runs of white space become one space, leading and
// trailing space is dropped, and a line break in the source between two wide
// (Han, kana, full-width) characters leaves no space at all, since it is an
// artefact of pretty-printed HTML rather than a word break. Adjacent runs
// with the same marks merge.
//
// The block's text is written once, to one buffer; the runs are
// consecutive spans of it, so that the text of each inline is a substring
// of the block's text and no run is copied twice.
type inlineBuilder struct {
	runs  []Inline // the closed runs; their Text is set by take
	ends  runEnds  // where each closed run ends in cur
	cur   strings.Builder
	m     marks
	from  int  // where the open run starts in cur
	open  bool // a run with marks m is open
	space bool // white space is pending
	nl    bool // the pending white space holds a line break
	zw    bool // the pending white space is only zero-width spaces
	last  rune // the last rune written, 0 at the start
	hint  int  // bytes left in the text being written: room to reserve
}

// runEnds holds the end offsets of the runs: most blocks have a few runs,
// kept in the array (copied with the builder, never shared); more go to
// the slice.
type runEnds struct {
	few  [6]int
	more []int
}

func (e *runEnds) set(i, end int) {
	switch {
	case i < len(e.few):
		e.few[i] = end
	case i-len(e.few) < len(e.more):
		e.more[i-len(e.few)] = end
	default:
		e.more = append(e.more, end)
	}
}

func (e *runEnds) get(i int) int {
	if i < len(e.few) {
		return e.few[i]
	}
	return e.more[i-len(e.few)]
}

// text appends s with marks m. It works a word (a run of non-space
// characters) at a time.
func (b *inlineBuilder) text(s string, m marks) {
	s = dropInvisible(s)
	b.hint = len(s)
	for len(s) > 0 {
		b.hint = len(s)
		i := b.skipSpace(s)
		s = s[i:]
		if s == "" {
			return
		}
		j := wordEnd(s)
		b.word(s[:j], m)
		s = s[j:]
	}
}

// skipSpace records the white space that opens s and returns its length.
func (b *inlineBuilder) skipSpace(s string) int {
	i := 0
	for i < len(s) {
		if c := s[i]; c < utf8.RuneSelf {
			if !isASCIISpace(c) {
				return i
			}
			b.space, b.zw = true, false
			if c == '\n' || c == '\r' {
				b.nl = true
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if !isSpace(r) {
			return i
		}
		// A zero-width space (or a stray BOM) alone is no space: it only
		// lets a line break there ("因\u200b此" is 因此, a long URL's
		// parts are one word).
		b.zw = (r == 0x200B || r == 0xFEFF) && (!b.space || b.zw)
		b.space = true
		i += size
	}
	return i
}

// wordEnd returns the length of the word that opens s. Only a few lead
// bytes can start a non-ASCII space (U+0085, U+00A0, U+1680, U+2000–U+205F,
// U+3000, U+FEFF); other bytes are stepped over without decoding.
func wordEnd(s string) int {
	j := 0
	for j < len(s) {
		if n := wordStep[s[j]]; n != 0 {
			j += int(n)
			continue
		}
		if s[j] < utf8.RuneSelf {
			return j // ASCII white space
		}
		r, size := decodeRune(s[j:])
		if isSpace(r) {
			return j
		}
		j += size
	}
	return min(j, len(s))
}

// decodeRune is utf8.DecodeRuneInString with the three-byte sequences of
// CJK text (lead bytes E1–EC, EE, EF, which take any continuation bytes)
// decoded inline.
func decodeRune(s string) (rune, int) {
	if len(s) > 2 {
		if c := s[0]; c >= 0xE1 && c <= 0xEF && c != 0xED && s[1]&0xC0 == 0x80 && s[2]&0xC0 == 0x80 {
			return rune(c&0x0F)<<12 | rune(s[1]&0x3F)<<6 | rune(s[2]&0x3F), 3
		}
	}
	return utf8.DecodeRuneInString(s)
}

// wordStep gives, for each byte, how far wordEnd may step over it without
// a closer look: 0 for ASCII white space and for the lead bytes that can
// start a non-ASCII space, else the length of the sequence it leads.
var wordStep = func() (t [256]uint8) {
	for c := range t {
		switch {
		case c < 0xC0:
			t[c] = 1
		case c < 0xE0:
			t[c] = 2
		case c < 0xF0:
			t[c] = 3
		default:
			t[c] = 4
		}
	}
	for _, c := range [...]byte{' ', '\t', '\n', '\r', '\f', '\v', 0xC2, 0xE1, 0xE2, 0xE3, 0xEF} {
		t[c] = 0
	}
	return t
}()

// word writes one word, w, with marks m.
func (b *inlineBuilder) word(w string, m marks) {
	first, size := utf8.DecodeRuneInString(w)
	b.put(first, m)
	if rest := w[size:]; rest != "" {
		b.cur.WriteString(rest)
		b.last, _ = utf8.DecodeLastRuneInString(rest)
	}
}

// brk records a soft break (a <br> inside a heading, item or caption).
func (b *inlineBuilder) brk() { b.space, b.zw = true, false }

// put writes one visible rune with marks m.
func (b *inlineBuilder) put(r rune, m marks) {
	if b.space && b.last != 0 && !b.zw && !(b.nl && isWide(b.last) && isWide(r)) {
		if b.open && b.m.href != "" && m != b.m {
			b.start(m)
		}
		b.cur.WriteByte(' ')
	}
	b.space, b.nl, b.zw = false, false, false
	if !b.open || m != b.m {
		b.start(m)
	}
	b.cur.WriteRune(r)
	b.last = r
}

// start closes the current run and opens one with marks m.
func (b *inlineBuilder) start(m marks) {
	b.close()
	b.m, b.open, b.from = m, true, b.cur.Len()
	if b.cur.Cap() == 0 {
		b.cur.Grow(b.hint + 1)
	}
}

// close ends the current run.
func (b *inlineBuilder) close() {
	if !b.open {
		return
	}
	b.open = false
	end := b.cur.Len()
	if end == b.from {
		return
	}
	n := len(b.runs)
	if n > 0 && sameMarks(b.runs[n-1], b.m) && b.ends.get(n-1) == b.from {
		b.ends.set(n-1, end)
		return
	}
	b.runs = append(b.runs, Inline{Href: b.m.href, Strong: b.m.strong, Em: b.m.em})
	b.ends.set(n, end)
}

// empty reports whether nothing visible was written.
func (b *inlineBuilder) empty() bool { return b.last == 0 }

// take returns the block's plain text and its inlines, and resets b.
func (b *inlineBuilder) take() (string, []Inline) {
	b.close()
	text, runs := b.cur.String(), b.runs
	start := 0
	for i := range runs {
		end := b.ends.get(i)
		runs[i].Text = text[start:end]
		start = end
	}
	*b = inlineBuilder{}
	return text, runs
}

func sameMarks(in Inline, m marks) bool {
	return in.Href == m.href && in.Strong == m.strong && in.Em == m.em
}

// isSpace reports white space, including the no-break, zero-width and
// ideographic spaces that feeds use as padding.
func isSpace(r rune) bool {
	switch {
	case r < utf8.RuneSelf:
		return isASCIISpace(byte(r))
	case r < 0x2000:
		return r == 0x85 || r == 0xA0 || r == 0x1680
	case r <= 0x200B:
		return true
	case r < 0x3000:
		return r == 0x2028 || r == 0x2029 || r == 0x202F || r == 0x205F
	}
	return r == 0x3000 || r == 0xFEFF
}

func isASCIISpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'
}

// isWide reports characters written without spaces between them: Han,
// kana, Hangul syllables, CJK and full-width punctuation.
func isWide(r rune) bool {
	switch {
	case r < 0x2E80:
		return r >= 0x2000 && r <= 0x206F && r != ' ' // general punctuation: “ ” — …
	case r <= 0x9FFF, r >= 0xAC00 && r <= 0xD7AF,
		r >= 0xF900 && r <= 0xFAFF, r >= 0xFE30 && r <= 0xFE4F,
		r >= 0xFF00 && r <= 0xFFEF, r >= 0x20000 && r <= 0x3FFFF:
		return true
	}
	return false
}

// dropInvisible removes the characters that only say where a word may
// be broken and are never seen: soft hyphens (U+00AD) and word joiners
// (U+2060). Left in, they split words and phrases for search.
func dropInvisible(s string) string {
	if strings.Contains(s, "\u00ad") {
		s = strings.ReplaceAll(s, "\u00ad", "")
	}
	if strings.Contains(s, "\u2060") {
		s = strings.ReplaceAll(s, "\u2060", "")
	}
	return s
}

// foldText returns s with white space folded and trimmed, as block text is.
func foldText(s string) string {
	var b inlineBuilder
	b.text(s, marks{})
	t, _ := b.take()
	return t
}
