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
	for _, r := range s {
		r = t.fold(r)
		switch {
		case isHan(r):
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
		case isWordRune(r):
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
