package search

import (
	"math"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"
)

// Snippets and highlights find matches by tokenizing the text with the
// same tokenizer and phrase check as the index, so what is marked is
// exactly what was found.
const (
	snippetLen   = 120 // characters
	snippetSlack = 30  // how far a snippet's ends may move to a sentence end
)

// span is a match: [start, end) character positions and the part.
type span struct{ start, end, part int }

// Highlight returns the [start, end) byte offsets of the matches of the
// query q in text, in order, for the reader.
func Highlight(text, q string) [][2]int {
	query := ParseQuery(q)
	return highlight(text, &query)
}

func highlight(text string, q *Query) [][2]int {
	return byteSpans(text, matchSpans(text, q), 0)
}

// matchSpans returns the matches of q's parts in text, sorted, overlaps
// kept.
func matchSpans(text string, q *Query) []span {
	if len(q.Parts) == 0 {
		return nil
	}
	ts := newTermSet(q)
	var tz tokenizer
	tz.run(text, 0, ts.see)
	var out []span
	for i, p := range q.Parts {
		lists := make([][]uint32, len(p.toks))
		for j, t := range p.toks {
			lists[j] = ts.pos[ts.index(t)]
		}
		for _, s := range phraseStarts(lists, p.toks, nil) {
			end := int(s) + p.span
			if last := p.toks[len(p.toks)-1]; last.prefix {
				end = wordEnd(text, int(s)+last.off)
			}
			out = append(out, span{int(s), end, i})
		}
	}
	slices.SortFunc(out, func(a, b span) int { return a.start - b.start })
	return out
}

// termSet collects the positions of a query's terms in a text without
// allocating per token: Han terms are keyed by packed characters, and a
// token whose first character is in no query term is skipped at once.
type termSet struct {
	han      map[uint64]int
	words    map[string]int
	prefixes []int // term indexes of word prefixes
	terms    []qtoken
	chars    []rune
	pos      [][]uint32
}

func hanKey(kind tokenKind, a, b rune) uint64 { return uint64(kind)<<42 | uint64(a)<<21 | uint64(b) }

func newTermSet(q *Query) *termSet {
	ts := &termSet{han: map[uint64]int{}, words: map[string]int{}}
	for _, p := range q.Parts {
		for _, t := range p.toks {
			if ts.index(t) >= 0 {
				continue
			}
			i := len(ts.terms)
			ts.terms = append(ts.terms, t)
			ts.pos = append(ts.pos, nil)
			switch {
			case t.isWord && t.prefix:
				ts.prefixes = append(ts.prefixes, i)
			case t.isWord:
				ts.words[t.term] = i
			default:
				k, a := ts.key(t)
				ts.han[k] = i
				if !slices.Contains(ts.chars, a) {
					ts.chars = append(ts.chars, a)
				}
			}
		}
	}
	return ts
}

// key packs a Han query term as the tokenizer's token would be.
func (ts *termSet) key(t qtoken) (uint64, rune) {
	rs := []rune(strings.TrimPrefix(t.term, edgeMark))
	switch {
	case t.perDoc:
		return hanKey(tokChar, rs[0], 0), rs[0]
	case strings.HasPrefix(t.term, edgeMark):
		return hanKey(tokEdge, rs[0], 0), rs[0]
	case len(rs) == 2:
		return hanKey(tokBigram, rs[0], rs[1]), rs[0]
	}
	return hanKey(tokChar, 0, 0), 0
}

// index returns the term index of t, or -1.
func (ts *termSet) index(t qtoken) int {
	for i, x := range ts.terms {
		if x.term == t.term && x.prefix == t.prefix && x.perDoc == t.perDoc {
			return i
		}
	}
	return -1
}

func (ts *termSet) see(t token) {
	if t.kind == tokWord {
		if i, ok := ts.words[string(t.word)]; ok {
			ts.pos[i] = append(ts.pos[i], uint32(t.pos))
		}
		for _, i := range ts.prefixes {
			if strings.HasPrefix(string(t.word), ts.terms[i].term) {
				ts.pos[i] = append(ts.pos[i], uint32(t.pos))
			}
		}
		return
	}
	if !slices.Contains(ts.chars, t.a) {
		return
	}
	b := t.b
	if t.kind != tokBigram {
		b = 0
	}
	if i, ok := ts.han[hanKey(t.kind, t.a, b)]; ok {
		ts.pos[i] = append(ts.pos[i], uint32(t.pos))
	}
}

// wordEnd returns the position after the word starting at character pos.
func wordEnd(text string, pos int) int {
	i := 0
	for _, r := range text {
		if i > pos && !isWordRune(Fold(r)) {
			return i
		}
		i++
	}
	return i
}

// byteSpans turns character spans into byte offsets of text, shifted by
// shift bytes, merging overlapping spans.
func byteSpans(text string, spans []span, shift int) [][2]int {
	if len(spans) == 0 {
		return nil
	}
	var out [][2]int
	i, ci := 0, 0 // byte and character index
	at := func(pos int) int {
		for ci < pos && i < len(text) {
			_, n := utf8.DecodeRuneInString(text[i:])
			i += n
			ci++
		}
		return i
	}
	// spans are sorted by start; overlapping ones are merged
	for _, s := range spans {
		b := at(s.start)
		save, saveC := i, ci
		e := at(s.end)
		i, ci = save, saveC
		if n := len(out); n > 0 && b-shift <= out[n-1][1] {
			out[n-1][1] = max(out[n-1][1], e+shift)
			continue
		}
		out = append(out, [2]int{b + shift, e + shift})
	}
	return out
}

// snippet returns the window of about snippetLen characters of text with
// the most distinct parts matched (then the most matches), its ends moved
// to sentence ends where one is near, and the matches in it as byte
// offsets of the snippet.
func snippet(text string, q *Query) (string, [][2]int) {
	return snippetOf(text, matchSpans(text, q), q)
}

// snippetOf is snippet given the matches of q in text. Only the
// characters around the window are decoded.
func snippetOf(text string, spans []span, q *Query) (string, [][2]int) {
	m, first := 0, -1
	if len(spans) > 0 {
		first = bestWindow(spans, q)
		m = spans[first].start
	}
	// rs holds the characters [lo, m+snippetLen] of text (fewer at its end)
	lo := max(0, m-snippetSlack)
	rs := runesAt(text, lo, m+snippetLen+1-lo)
	start, end := 0, min(len(rs), snippetLen) // relative to lo
	if first >= 0 {
		start = sentenceStart(rs, m-lo, m)
		end = sentenceEnd(rs, start)
	}
	var in []span
	for _, s := range spans {
		if s.start >= lo+start && s.end <= lo+end {
			in = append(in, span{s.start - lo - start, s.end - lo - start, s.part})
		}
	}
	body := string(rs[start:end])
	prefix, suffix := "", ""
	if lo+start > 0 {
		prefix = "…"
	}
	if end < len(rs) {
		suffix = "…"
	}
	return prefix + body + suffix, byteSpans(body, in, len(prefix))
}

// runesAt returns n characters of s from character from (fewer at its
// end). The characters before from are skipped by their bytes, not
// decoded: a match deep in a long text made its snippet the costliest
// step of a query.
func runesAt(s string, from, n int) []rune {
	i := skipRunes(s, from)
	rs := make([]rune, 0, min(n, len(s)-i))
	for _, r := range s[i:] {
		if len(rs) == n {
			break
		}
		rs = append(rs, r)
	}
	return rs
}

// skipRunes returns the byte offset of character n of s, as range
// counts characters (len(s) if s has fewer): by the bytes that start a
// character, checked to be valid UTF-8 (an invalid byte is a character
// of its own), else decoded.
func skipRunes(s string, n int) int {
	i, left := 0, n
	for ; i < len(s); i++ {
		if s[i]&0xC0 != 0x80 {
			if left == 0 {
				break
			}
			left--
		}
	}
	if utf8.ValidString(s[:i]) {
		return i
	}
	for i = 0; n > 0 && i < len(s); n-- {
		_, w := utf8.DecodeRuneInString(s[i:])
		i += w
	}
	return i
}

// indexedSpans returns the matches of q in a document's title or text
// from the match positions the index found (starts, per part; positions
// counted from the title's start: the title's in [0, titleEnd), the
// text's from titleEnd+1), and a scan of the title or text for the parts
// kept per document. ok is false when they cannot give exactly what
// matchSpans would (a word prefix, or positions not kept).
func indexedSpans(s string, inTitle bool, titleEnd uint32, starts [][]uint32, q *Query) (out []span, ok bool) {
	if starts == nil || len(starts) != len(q.Parts) {
		return nil, false
	}
	base, end := titleEnd+1, uint32(math.MaxUint32)
	if inTitle {
		base, end = 0, titleEnd
	}
	var chars []rune // the one-character parts
	var charPart []int
	for i := range q.Parts {
		p := &q.Parts[i]
		if !p.positional() {
			chars = append(chars, []rune(p.toks[0].term)[0])
			charPart = append(charPart, i)
			continue
		}
		if p.toks[len(p.toks)-1].prefix {
			return nil, false
		}
		for _, at := range starts[i] {
			if at >= base && at < end {
				out = append(out, span{int(at - base), int(at-base) + p.span, i})
			}
		}
	}
	if len(chars) > 0 {
		out = charSpans(s, chars, charPart, out)
	}
	slices.SortFunc(out, func(a, b span) int { return a.start - b.start })
	return out, true
}

// charSpans appends a span for each character of text that folds to one
// of chars: each character that folds to one is searched for as bytes,
// and the offsets found turned into character positions in one pass (in
// valid UTF-8, by counting the bytes that start a character: decoding
// each character of a long text cost more than ranking a common one).
func charSpans(text string, chars []rune, part []int, out []span) []span {
	type hit struct{ at, part int }
	var hits []hit
	var buf [utf8.UTFMax]byte
	for j, c := range chars {
		for _, v := range foldingTo(c) {
			pat := string(buf[:utf8.EncodeRune(buf[:], v)])
			for i := 0; ; {
				k := indexTail(text[i:], pat)
				if k < 0 {
					break
				}
				hits = append(hits, hit{i + k, part[j]})
				i += k + len(pat)
			}
		}
	}
	slices.SortStableFunc(hits, func(a, b hit) int { return a.at - b.at })
	count := utf8.RuneCountInString
	if utf8.ValidString(text) {
		count = countStarts
	}
	pos, last := 0, 0
	for _, h := range hits {
		pos += count(text[last:h.at])
		last = h.at
		out = append(out, span{pos, pos + 1, h.part})
	}
	return out
}

// indexTail is strings.Index for a short pat, scanning for its last
// byte: the first byte of a Han character's UTF-8 is one of a few, its
// last one of 64.
func indexTail(s, pat string) int {
	n := len(pat)
	if n == 0 {
		return 0
	}
	tail := pat[n-1]
	for i := n - 1; i < len(s); {
		k := strings.IndexByte(s[i:], tail)
		if k < 0 {
			return -1
		}
		i += k
		if s[i-n+1:i+1] == pat {
			return i - n + 1
		}
		i++
	}
	return -1
}

// countStarts counts the characters of valid UTF-8 s.
func countStarts(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i]&0xC0 != 0x80 {
			n++
		}
	}
	return n
}

var (
	foldOnce sync.Once
	unfold   map[rune][]rune // a character -> the others that fold to it
)

// foldingTo returns the characters that Fold maps to c.
func foldingTo(c rune) []rune {
	foldOnce.Do(func() {
		t := t2s()
		unfold = map[rune][]rune{}
		for i, f := range t.dense {
			if f != 0 {
				unfold[f] = append(unfold[f], denseLo+rune(i))
			}
		}
		for r, f := range t.other {
			unfold[f] = append(unfold[f], r)
		}
	})
	out := unfold[c]
	if t2s().fold(c) == c {
		out = append([]rune{c}, out...)
	}
	return out
}

// bestWindow returns the index of the span that starts the best window.
func bestWindow(spans []span, q *Query) int {
	best, bestScore := 0, -1
	seen := make([]bool, len(q.Parts))
	for i := range spans {
		clear(seen)
		distinct, count := 0, 0
		for j := i; j < len(spans) && spans[j].end <= spans[i].start+snippetLen-snippetSlack; j++ {
			if !seen[spans[j].part] {
				seen[spans[j].part] = true
				distinct++
			}
			count++
		}
		if score := distinct*1000 + count; score > bestScore {
			best, bestScore = i, score
		}
	}
	return best
}

func isSentenceEnd(r rune) bool {
	switch r {
	case '。', '！', '？', '；', '!', '?', ';', '\n', '…':
		return true
	}
	return false
}

// sentenceStart moves back from the first match (at rel in rs, at abs in
// the text) to just after a sentence end within snippetSlack characters,
// else to a few characters before it; rs must hold the snippetSlack
// characters before the match, or start the text.
func sentenceStart(rs []rune, rel, abs int) int {
	for i := rel - 1; i >= 0 && i >= rel-snippetSlack; i-- {
		if isSentenceEnd(rs[i]) {
			return skipSpace(rs, i+1)
		}
	}
	if abs <= snippetSlack {
		return rel - abs
	}
	return rel - snippetSlack/3
}

// sentenceEnd returns the end of a window starting at start: after the
// last sentence end in its final snippetSlack characters, else its length.
func sentenceEnd(rs []rune, start int) int {
	end := min(len(rs), start+snippetLen)
	if end == len(rs) {
		return end
	}
	for i := end - 1; i >= end-snippetSlack && i > start; i-- {
		if isSentenceEnd(rs[i]) {
			return i + 1
		}
	}
	return end
}

func skipSpace(rs []rune, i int) int {
	for i < len(rs) && (rs[i] == ' ' || rs[i] == '\n') {
		i++
	}
	return i
}
