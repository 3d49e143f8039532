// Package searchtest is the ground truth search results are checked
// against: plain substring matching over folded text, written without the
// engine's tokenizer or index so that the two cannot share a mistake. The
// engine's correctness test and the browser benchmark both use it.
package searchtest

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Matches reports whether every space-separated part of the folded query
// q occurs in the folded title or text. A part's letters or digits at
// either end must not continue a word of the document ("cat" is not found
// in "concatenate"; Han characters have no such boundary).
func Matches(title, text, q string) bool {
	parts := strings.Fields(q)
	if len(parts) == 0 {
		return false
	}
	for _, p := range parts {
		if !Contains(title, p) && !Contains(text, p) {
			return false
		}
	}
	return true
}

// Contains reports whether s holds p at least once with word boundaries
// at p's word-character ends.
func Contains(s, p string) bool {
	first, _ := utf8.DecodeRuneInString(p)
	last, _ := utf8.DecodeLastRuneInString(p)
	for off := 0; ; {
		i := strings.Index(s[off:], p)
		if i < 0 {
			return false
		}
		i += off
		before, _ := utf8.DecodeLastRuneInString(s[:i])
		after, _ := utf8.DecodeRuneInString(s[i+len(p):])
		joinsBefore := wordRune(first) && i > 0 && wordRune(before)
		joinsAfter := wordRune(last) && i+len(p) < len(s) && wordRune(after)
		if !joinsBefore && !joinsAfter {
			return true
		}
		_, n := utf8.DecodeRuneInString(s[i:])
		off = i + n
	}
}

// wordRune is a letter or digit of a word: Latin, digits and other
// alphabets, not Han.
func wordRune(r rune) bool {
	return !unicode.Is(unicode.Han, r) && (unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r))
}
