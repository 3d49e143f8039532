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
// token: it puts the records of s's tokens (see runBuilder) and counts its
// Han characters, and returns base plus the number of characters of s
// and the number of its bigrams and words. Positions below titleEnd
// weigh shippedTitle, then below leadEnd shippedLead, as groupShipped
// weighs them. It gives the tokens run gives, in the same order
// (FuzzRunBuilderTokens). The text is folded first (foldAll), then
// tokenized, the characters of a Han run in a loop of their own.
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
	rb.folded = t2s().foldAll(rb.folded[:0], s)
	ents := rb.folded
	raw := rb.raw[:0] // the records, put at the end
	charCount := rb.charCount
	var n uint32
	afterWord := false
	wordStart := -1
	word := rb.tz.word[:0]
	for j := 0; j < len(ents); j++ {
		r := rune(ents[j] & foldMask)
		switch charClass(ents[j] >> classShift) {
		case classHan:
			pos := base + j
			if wordStart >= 0 {
				raw = append(raw, rb.wordKey(word)<<2|w(wordStart))
				n++
				wordStart = -1
				word = word[:0]
			}
			if charCount[r] == 0 {
				rb.charList = append(rb.charList, r)
			}
			charCount[r]++
			x, ok := hanRank(r)
			startEdge := afterWord
			if afterWord {
				key := uint64(tokEdge)<<narrowKind | x<<narrowChar
				if rb.wide || !ok {
					raw, key = rb.slowKey(raw, tokEdge, r, 0)
				}
				raw = append(raw, key<<2|w(pos))
			}
			// the rest of the run: a bigram each
			start := j
			for j+1 < len(ents) && charClass(ents[j+1]>>classShift) == classHan {
				j++
				c := rune(ents[j] & foldMask)
				if charCount[c] == 0 {
					rb.charList = append(rb.charList, c)
				}
				charCount[c]++
				y, cok := hanRank(c)
				key := x<<narrowChar | y // tokBigram is 0
				if rb.wide || !ok || !cok {
					raw, key = rb.slowKey(raw, tokBigram, r, c)
				}
				raw = append(raw, key<<2|w(base+j-1))
				n++
				r, x, ok = c, y, cok
			}
			afterWord = false
			// the run's end edge, if a word follows, unless it is the
			// start's
			if j+1 < len(ents) && charClass(ents[j+1]>>classShift) == classWord && !(startEdge && start == j) {
				key := uint64(tokEdge)<<narrowKind | x<<narrowChar
				if rb.wide || !ok {
					raw, key = rb.slowKey(raw, tokEdge, r, 0)
				}
				raw = append(raw, key<<2|w(base+j))
			}
		case classWord:
			if wordStart < 0 {
				wordStart = base + j
			}
			if len(word)+utf8.RuneLen(r) <= maxWordBytes {
				word = utf8.AppendRune(word, r)
			}
			afterWord = true
		default:
			if wordStart >= 0 {
				raw = append(raw, rb.wordKey(word)<<2|w(wordStart))
				n++
				wordStart = -1
				word = word[:0]
			}
			afterWord = false
		}
	}
	if wordStart >= 0 {
		raw = append(raw, rb.wordKey(word)<<2|w(wordStart))
		n++
	}
	rb.tz.word = word
	rb.raw = raw
	rb.putAll(raw)
	return base + len(ents), n
}
