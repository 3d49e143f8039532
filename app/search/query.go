package search

import (
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Query is a parsed query string. Every part must match, no excluded part
// may match, and the filters must hold.
type Query struct {
	Parts   []Part
	Exclude []Part
	// Authors and Sources filter by folded substring of any author or of
	// the source; After and Before by date (After ≤ date < Before).
	Authors, Sources []string
	After, Before    time.Time
}

// Part is one thing to find: a word, a Han string or a quoted phrase,
// matched as an exact substring of the folded text (Latin words whole,
// the last word of the query by prefix while it is being typed).
type Part struct {
	// Text is the part as written, folded.
	Text string
	toks []qtoken
	// span is the number of characters from the first token's start to
	// the last token's end.
	span int
	// alone are single Han characters of the part between spaces or
	// punctuation ("美 、中国"): required in the document, without
	// adjacency.
	alone []rune
	// fill are the bigrams of the part's Han runs that toks skip (the
	// odd offsets of a run of four and more). A shipped segment, which
	// has no positions to check adjacency with, requires them too: they
	// cost a list each in the same round trip, and drop most candidates
	// that hold the phrase's bigrams apart before they are verified.
	fill []qtoken
}

// tokens returns the tokens a segment requires for the part: toks, and
// fill in a shipped segment.
func (p *Part) tokens(s *segment) []qtoken {
	if s.hdr.shipped() && len(p.fill) > 0 {
		return append(p.toks[:len(p.toks):len(p.toks)], p.fill...)
	}
	return p.toks
}

// qtoken is one term of a part at its character offset from the part's
// first token.
type qtoken struct {
	term   string
	off    int
	perDoc bool // the one-character Han term: no positions
	prefix bool // word prefix: every term starting with term
	isWord bool
}

// positional reports whether the part is checked with positions.
func (p *Part) positional() bool { return len(p.toks) > 0 && !p.toks[0].perDoc }

// ParseQuery parses a query string:
//
//	word 词语          every part must match (AND)
//	"exact phrase"    a phrase (also “…”); spaces inside are kept
//	-word  -"phrase"  the part must not match
//	author:X source:X documents whose author or source contains X
//	after:2024 before:2025-03-01
//	                  date filters (YYYY, YYYY-MM or YYYY-MM-DD; after is
//	                  inclusive, before exclusive)
//
// A Han string of any length is found as an exact substring. If the query
// does not end with a space, its last word is a prefix. Anything else,
// including malformed syntax, is searched as text: parsing never fails.
func ParseQuery(q string) Query {
	var out Query
	fields := splitFields(q)
	typing := q != "" && !unicode.IsSpace(lastRune(q))
	for i, f := range fields {
		last := i == len(fields)-1 && typing && !f.quoted
		if !f.quoted && out.filter(f.text) {
			continue
		}
		exclude := false
		text := f.text
		if f.neg {
			exclude = true
		}
		p := newPart(text, last && !exclude)
		if len(p.toks) == 0 {
			continue
		}
		if exclude {
			out.Exclude = append(out.Exclude, p)
			continue
		}
		out.Parts = append(out.Parts, p)
		for _, r := range p.alone {
			out.Parts = append(out.Parts, Part{Text: string(r), span: 1,
				toks: []qtoken{{term: string(r), perDoc: true}}})
		}
	}
	return out
}

// distinct returns q without the parts that ask what one before them
// asks (a word repeated, a text pasted twice), or q itself when none
// does: each part is a list read and intersected, and 4,000 parts of
// two words took 4.7 s over 2,000 articles where one of each takes a
// millisecond. The same matches are found either way. Two parts of the
// same folded text ask the same, but a word's prefix (the word being
// typed) asks more. Search calls it, not ParseQuery: the page parses
// queries too (Highlight), and its wasm has no room for this.
func (q *Query) distinct() *Query {
	parts, excl := distinctParts(q.Parts), distinctParts(q.Exclude)
	if len(parts) == len(q.Parts) && len(excl) == len(q.Exclude) {
		return q
	}
	c := *q
	c.Parts, c.Exclude = parts, excl
	return &c
}

// distinctParts returns parts without the repeated ones: parts itself
// when none is, else a copy.
func distinctParts(parts []Part) []Part {
	var out []Part
	for i := range parts {
		p := &parts[i]
		repeated := false
		for j := range i {
			q := &parts[j]
			if q.Text == p.Text && q.span == p.span && len(q.toks) == len(p.toks) && (len(p.toks) == 0 || q.toks[len(q.toks)-1].prefix == p.toks[len(p.toks)-1].prefix) {
				repeated = true
				break
			}
		}
		switch {
		case repeated && out == nil:
			out = append(make([]Part, 0, len(parts)), parts[:i]...)
		case !repeated && out != nil:
			out = append(out, *p)
		}
	}
	if out == nil {
		return parts
	}
	return out
}

func lastRune(s string) rune {
	r, _ := utf8.DecodeLastRuneInString(s)
	return r
}

type field struct {
	text   string
	quoted bool
	neg    bool
}

// splitFields splits q at spaces outside quotes; a leading '-' (before a
// word or a quote) marks an exclusion.
func splitFields(q string) []field {
	var out []field
	rs := []rune(q)
	for i := 0; i < len(rs); {
		if unicode.IsSpace(rs[i]) || rs[i] == '\u3000' {
			i++
			continue
		}
		f := field{}
		if rs[i] == '-' && i+1 < len(rs) && !unicode.IsSpace(rs[i+1]) {
			f.neg = true
			i++
		}
		if isQuote(rs[i]) {
			j := i + 1
			for j < len(rs) && !isQuote(rs[j]) {
				j++
			}
			f.text, f.quoted = string(rs[i+1:j]), true
			i = j + 1
		} else {
			j := i
			for j < len(rs) && !unicode.IsSpace(rs[j]) && rs[j] != '\u3000' {
				j++
			}
			f.text = string(rs[i:j])
			i = j
		}
		out = append(out, f)
	}
	return out
}

func isQuote(r rune) bool { return r == '"' || r == '“' || r == '”' || r == '＂' }

// filter applies a field:value filter and reports whether f was one.
func (q *Query) filter(f string) bool {
	name, value, ok := strings.Cut(f, ":")
	if !ok || value == "" {
		return false
	}
	switch strings.ToLower(name) {
	case "author":
		q.Authors = append(q.Authors, Normalize(value))
	case "source":
		q.Sources = append(q.Sources, Normalize(value))
	case "after":
		t, ok := parseDate(value)
		if !ok {
			return false
		}
		q.After = t
	case "before":
		t, ok := parseDate(value)
		if !ok {
			return false
		}
		q.Before = t
	default:
		return false
	}
	return true
}

func parseDate(s string) (time.Time, bool) {
	for _, layout := range []string{"2006-01-02", "2006-01", "2006"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// newPart tokenizes one part. A Han run of one character alone is the
// per-document term; in a longer part it is an edge term. A Han run of L
// characters is covered by the bigrams at offsets 0, 2, 4, … and L−2,
// which checked for adjacency is the same as all L−1 bigrams.
func newPart(text string, prefix bool) Part {
	p := Part{Text: Normalize(text)}
	var toks, fill []token
	var chars []token
	var tz tokenizer
	n := tz.run(text, 0, func(t token) {
		switch t.kind {
		case tokChar:
			chars = append(chars, t)
		case tokWord:
			t.word = append([]byte(nil), t.word...)
			toks = append(toks, t)
		}
	})
	words := len(toks)
	if words == 0 && len(chars) == 1 {
		c := chars[0]
		p.toks = []qtoken{{term: string(c.a), perDoc: true}}
		p.span = 1
		return p
	}
	rs := []rune(p.Text)
	for s := 0; s < len(chars); {
		e := s + 1
		for e < len(chars) && chars[e].pos == chars[e-1].pos+1 {
			e++
		}
		if e-s == 1 && !touchesWord(rs, chars[s].pos) {
			// a lone character between spaces or punctuation: no term
			// holds its position, so it is checked per document
			p.alone = append(p.alone, chars[s].a)
		} else {
			cover, rest := runTokens(chars[s:e])
			toks, fill = append(toks, cover...), append(fill, rest...)
		}
		s = e
	}
	if len(toks) == 0 && len(p.alone) > 0 {
		c := p.alone[0]
		p.alone = p.alone[1:]
		p.toks = []qtoken{{term: string(c), perDoc: true}}
		p.span = 1
		return p
	}
	slices.SortStableFunc(toks, func(a, b token) int { return a.pos - b.pos })
	for i, t := range toks {
		first := toks[0].pos
		q := qtoken{term: t.term(), off: t.pos - first, isWord: t.kind == tokWord}
		if q.isWord {
			q.prefix = prefix && i == len(toks)-1 && t.end == n
		}
		p.toks = append(p.toks, q)
		p.span = max(p.span, t.end-first)
	}
	for _, t := range fill {
		p.fill = append(p.fill, qtoken{term: t.term(), off: t.pos - toks[0].pos})
	}
	return p
}

// runTokens returns the tokens that stand for one Han run of a part:
// its cover (see newPart), and the bigrams the cover skips.
func runTokens(run []token) (cover, rest []token) {
	if len(run) == 1 {
		return []token{{kind: tokEdge, a: run[0].a, pos: run[0].pos, end: run[0].end}}, nil
	}
	bigram := func(i int) token {
		return token{kind: tokBigram, a: run[i].a, b: run[i+1].a, pos: run[i].pos, end: run[i].pos + 2}
	}
	for i := 0; i+1 < len(run); i++ {
		if i%2 == 0 || i == len(run)-2 {
			cover = append(cover, bigram(i))
		} else {
			rest = append(rest, bigram(i))
		}
	}
	return cover, rest
}

// touchesWord reports whether the character at i has a word character
// beside it.
func touchesWord(rs []rune, i int) bool {
	return i > 0 && isWordRune(rs[i-1]) || i+1 < len(rs) && isWordRune(rs[i+1])
}
