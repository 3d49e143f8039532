package search

import "unicode/utf8"

// tokenKind tells what a token is.
type tokenKind uint8

const (
	// tokBigram is two adjacent Han characters; pos is the first one's.
	tokBigram tokenKind = iota
	// tokEdge is a Han character that touches a word character ("2025年",
	// "G20峰会", "峰会G20"). It lets a one-character Han piece of a mixed
	// query be checked for adjacency.
	tokEdge
	// tokChar is every Han character; the index keeps it per document only
	// (no positions), for one-character queries.
	tokChar
	// tokWord is a run of letters or digits of other scripts, folded.
	tokWord
)

// maxWordBytes caps the length of an indexed word; longer runs are cut.
const maxWordBytes = 64

// token is one unit the indexer stores and the query parser looks up.
// word is only valid during the callback.
type token struct {
	kind tokenKind
	a, b rune // Han characters (b for bigrams)
	word []byte
	pos  int // character position
	end  int // position after the token
}

// edgeMark starts the term of an edge token, keeping it apart from the
// per-document character term.
const edgeMark = "\x01"

// term is the token's key in the term table.
func (t token) term() string {
	switch t.kind {
	case tokBigram:
		return string([]rune{t.a, t.b})
	case tokEdge:
		return edgeMark + string(t.a)
	case tokChar:
		return string(t.a)
	}
	return string(t.word)
}

// tokenizer splits folded text into tokens. It is shared by the indexer,
// the query parser and the highlighter so that they can never disagree.
// Runs break at every character that is neither Han nor a word character
// (space, punctuation, symbols), and at every change between Han and word
// characters: "2025年" is the word "2025" and the Han character "年".
type tokenizer struct {
	word []byte
}

// run tokenizes s, folding each character (see Fold), with positions
// counted from base, and returns base plus the number of characters of s.
// Tokens come in position order of their start, except that a run's end
// edge comes when the run ends.
func (tz *tokenizer) run(s string, base int, emit func(token)) int {
	pos := base
	hanStart := -1 // position of the current Han run's first character
	var prev rune  // previous Han character of the run
	afterWord := false
	startEdge := false
	wordStart := -1
	tz.word = tz.word[:0]
	t := t2s()
	for i := 0; i < len(s); {
		var r rune
		var class charClass
		r, class, i = t.next(s, i)
		switch class {
		case classHan:
			if wordStart >= 0 {
				emit(token{kind: tokWord, word: tz.word, pos: wordStart, end: pos})
				wordStart = -1
				tz.word = tz.word[:0]
			}
			emit(token{kind: tokChar, a: r, pos: pos, end: pos + 1})
			if hanStart < 0 {
				hanStart = pos
				startEdge = afterWord
				if afterWord {
					emit(token{kind: tokEdge, a: r, pos: pos, end: pos + 1})
				}
			} else {
				emit(token{kind: tokBigram, a: prev, b: r, pos: pos - 1, end: pos + 1})
			}
			prev = r
			afterWord = false
		case classWord:
			if hanStart >= 0 && !(startEdge && hanStart == pos-1) {
				emit(token{kind: tokEdge, a: prev, pos: pos - 1, end: pos})
			}
			hanStart = -1
			if wordStart < 0 {
				wordStart = pos
			}
			if len(tz.word)+utf8.RuneLen(r) <= maxWordBytes {
				tz.word = utf8.AppendRune(tz.word, r)
			}
			afterWord = true
		default:
			hanStart = -1
			if wordStart >= 0 {
				emit(token{kind: tokWord, word: tz.word, pos: wordStart, end: pos})
				wordStart = -1
				tz.word = tz.word[:0]
			}
			afterWord = false
		}
		pos++
	}
	if wordStart >= 0 {
		emit(token{kind: tokWord, word: tz.word, pos: wordStart, end: pos})
	}
	return pos
}

// tokens is run for a Bulk's runBuilder (bulkrun.go), without a call per
// token: it appends the records of s's tokens (see runBuilder) and counts
// its Han characters, and returns base plus the number of characters of
// s and the number of its bigrams and words. Positions below titleEnd
// weigh shippedTitle, then below leadEnd shippedLead, as groupShipped
// weighs them. It gives the tokens
// run gives, in the same order (FuzzRunBuilderTokens).
func (rb *runBuilder) tokens(s string, base, titleEnd, leadEnd int) (int, uint32) {
	w := func(pos int) uint64 {
		switch {
		case pos < titleEnd:
			return shippedTitle
		case pos < leadEnd:
			return shippedLead
		}
		return 1
	}
	var n uint32
	pos := base
	hanStart := -1 // position of the current Han run's first character
	var prev rune  // previous Han character of the run
	afterWord := false
	startEdge := false
	wordStart := -1
	word := rb.tz.word[:0]
	t := t2s()
	bmp := t.bmp
	for i := 0; i < len(s); pos++ {
		var r rune
		var class charClass
		if c := s[i]; c < utf8.RuneSelf {
			e := bmp[c]
			r, class = rune(e&foldMask), charClass(e>>classShift)
			i++
		} else if i+2 < len(s) && c&0xF0 == 0xE0 && s[i+1]&0xC0 == 0x80 && s[i+2]&0xC0 == 0x80 &&
			(c != 0xE0 || s[i+1] >= 0xA0) && (c != 0xED || s[i+1] < 0xA0) {
			e := bmp[rune(c&0x0F)<<12|rune(s[i+1]&0x3F)<<6|rune(s[i+2]&0x3F)]
			r, class = rune(e&foldMask), charClass(e>>classShift)
			i += 3
		} else {
			r, class, i = t.nextSlow(s, i)
		}
		switch class {
		case classHan:
			if wordStart >= 0 {
				rb.recs = append(rb.recs, rb.wordKey(word)<<2|w(wordStart))
				n++
				wordStart = -1
				word = word[:0]
			}
			if rb.charCount[r] == 0 {
				rb.charList = append(rb.charList, r)
			}
			rb.charCount[r]++
			if hanStart < 0 {
				hanStart = pos
				startEdge = afterWord
				if afterWord {
					rb.recs = append(rb.recs, rb.hanKey(tokEdge, r, 0)<<2|w(pos))
				}
			} else {
				rb.recs = append(rb.recs, rb.hanKey(tokBigram, prev, r)<<2|w(pos-1))
				n++
			}
			prev = r
			afterWord = false
		case classWord:
			if hanStart >= 0 && !(startEdge && hanStart == pos-1) {
				rb.recs = append(rb.recs, rb.hanKey(tokEdge, prev, 0)<<2|w(pos-1))
			}
			hanStart = -1
			if wordStart < 0 {
				wordStart = pos
			}
			if len(word)+utf8.RuneLen(r) <= maxWordBytes {
				word = utf8.AppendRune(word, r)
			}
			afterWord = true
		default:
			hanStart = -1
			if wordStart >= 0 {
				rb.recs = append(rb.recs, rb.wordKey(word)<<2|w(wordStart))
				n++
				wordStart = -1
				word = word[:0]
			}
			afterWord = false
		}
	}
	if wordStart >= 0 {
		rb.recs = append(rb.recs, rb.wordKey(word)<<2|w(wordStart))
		n++
	}
	rb.tz.word = word
	return pos, n
}
