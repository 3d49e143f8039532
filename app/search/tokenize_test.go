package search

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"
)

// tokens renders the tokens of s, one "kind:term@pos" each, tokChar left
// out unless chars is set.
func tokens(s string, chars bool) string {
	var out []string
	var tz tokenizer
	tz.run(s, 0, func(t token) {
		kind := map[tokenKind]string{tokBigram: "bi", tokEdge: "edge", tokChar: "char", tokWord: "word"}[t.kind]
		if t.kind == tokChar && !chars {
			return
		}
		out = append(out, fmt.Sprintf("%s:%s@%d", kind, strings.TrimPrefix(t.term(), edgeMark), t.pos))
	})
	return strings.Join(out, " ")
}

func TestTokenize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"新闻", "bi:新闻@0"},
		{"北京时间", "bi:北京@0 bi:京时@1 bi:时间@2"},
		{"中，美", ""}, // lone characters: per document only
		{"上海。北京", "bi:上海@0 bi:北京@3"},
		{"2025年3月", "word:2025@0 edge:年@4 word:3@5 edge:月@6"},
		{"G20峰会在", "word:g20@0 edge:峰@3 bi:峰会@3 bi:会在@4"},
		{"峰会G20", "bi:峰会@0 edge:会@1 word:g20@2"},
		{"Hello, World!", "word:hello@0 word:world@7"},
		{"ＡＢＣ１２３新闻", "word:abc123@0 edge:新@6 bi:新闻@6"},
		{"習近平", "bi:习近@0 bi:近平@1"},
		{"臺灣　選舉", "bi:台湾@0 bi:选举@3"},
		{"iPhone16發佈", "word:iphone16@0 edge:发@8 bi:发布@8"},
		{"don't", "word:don@0 word:t@4"},
		{"Ünïcode café", "word:ünïcode@0 word:café@8"},
	}
	for _, tt := range tests {
		if got := tokens(tt.in, false); got != tt.want {
			t.Errorf("tokens(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestTokenizeChars(t *testing.T) {
	got := tokens("美中，台", true)
	want := "char:美@0 char:中@1 bi:美中@0 char:台@3"
	if got != want {
		t.Errorf("tokens(%q) = %q, want %q", "美中，台", got, want)
	}
}

func TestNormalize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"習近平", "习近平"},
		{"臺灣選舉結果", "台湾选举结果"},
		{"ＡＢＣ－１２３", "abc-123"},
		{"New York　Times", "new york times"},
		{"简体不变", "简体不变"},
		{"乾隆", "干隆"}, // one to one: the most common form
		{"\xff", "\uFFFD"},
	}
	for _, tt := range tests {
		got := Normalize(tt.in)
		if got != tt.want {
			t.Errorf("Normalize(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if a, b := utf8.RuneCountInString(got), utf8.RuneCountInString(tt.in); a != b {
			t.Errorf("Normalize(%q) has %d characters, want %d", tt.in, a, b)
		}
	}
}

func TestFoldTable(t *testing.T) {
	// every target of the generated table is itself unchanged by folding
	n := 0
	for _, line := range strings.Split(t2sData, "\n") {
		if line == "" || line[0] == '#' {
			continue
		}
		rs := []rune(line)
		if len(rs) != 2 {
			t.Fatalf("t2s.txt: line %q is not one pair", line)
		}
		if got := Fold(rs[0]); got != rs[1] {
			t.Errorf("Fold(%q) = %q, want %q", rs[0], got, rs[1])
		}
		if got := Fold(rs[1]); got != rs[1] {
			t.Errorf("Fold(%q) = %q, want it unchanged", rs[1], got)
		}
		n++
	}
	if n < 4000 {
		t.Errorf("t2s.txt has %d pairs, want ≥ 4000", n)
	}
}

// TestFoldNext: next decodes and folds every character as ranging over
// the string and Fold do, classifying the folded one as isHan and
// isWordRune do, on every BMP character, around the edges of UTF-8's
// ranges and on invalid bytes.
func TestFoldNext(t *testing.T) {
	var b strings.Builder
	for r := rune(0); r < 0x10000; r++ {
		b.WriteRune(r)
	}
	for _, r := range []rune{0x10000, 0x1F600, 0x20000, 0x2A6D6, 0x2F800, 0x3FFFF, 0x40000, 0x10FFFF} {
		b.WriteRune(r)
	}
	b.WriteString("\xe0\x80\x80\xe0\x9f\xbf\xed\xa0\x80\xed\xbf\xbf\xef\xbf\xe4\xb8\xff\xc3\xe4\xb8")
	checkNext(t, b.String())
}

func checkNext(t *testing.T, s string) {
	t.Helper()
	ft := t2s()
	all := ft.foldAll(nil, s)
	i := 0
	for j, want := range s {
		if len(all) == 0 {
			t.Fatalf("foldAll(%q) ended before byte %d", s, j)
		}
		if w := Fold(want); all[0] != uint32(w)|uint32(classOf(w))<<classShift {
			t.Fatalf("foldAll(%q) at byte %d = %x, want %q class %d", s, j, all[0], w, classOf(w))
		}
		all = all[1:]
		if i != j {
			t.Fatalf("next(%q) stopped at byte %d, want %d", s, i, j)
		}
		var r rune
		var c charClass
		r, c, i = ft.next(s, i)
		want = Fold(want)
		if r != want || c != classOf(want) {
			t.Fatalf("next(%q) at byte %d = %q class %d, want %q class %d", s, j, r, c, want, classOf(want))
		}
	}
	if i != len(s) {
		t.Fatalf("next(%q) ended at byte %d, want %d", s, i, len(s))
	}
	if len(all) != 0 {
		t.Fatalf("foldAll(%q) has %d characters too many", s, len(all))
	}
}

// refRun is the tokenizer as it was written first, over Fold, isHan and
// isWordRune character by character: tokenizer.run must give the same
// tokens (FuzzTokenizer).
func refRun(s string, base int, emit func(token)) int {
	var word []byte
	pos := base
	hanStart := -1
	var prev rune
	afterWord, startEdge := false, false
	wordStart := -1
	for _, r := range s {
		r = Fold(r)
		switch {
		case isHan(r):
			if wordStart >= 0 {
				emit(token{kind: tokWord, word: word, pos: wordStart, end: pos})
				wordStart, word = -1, word[:0]
			}
			emit(token{kind: tokChar, a: r, pos: pos, end: pos + 1})
			if hanStart < 0 {
				hanStart, startEdge = pos, afterWord
				if afterWord {
					emit(token{kind: tokEdge, a: r, pos: pos, end: pos + 1})
				}
			} else {
				emit(token{kind: tokBigram, a: prev, b: r, pos: pos - 1, end: pos + 1})
			}
			prev, afterWord = r, false
		case isWordRune(r):
			if hanStart >= 0 && !(startEdge && hanStart == pos-1) {
				emit(token{kind: tokEdge, a: prev, pos: pos - 1, end: pos})
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
				emit(token{kind: tokWord, word: word, pos: wordStart, end: pos})
				wordStart, word = -1, word[:0]
			}
			afterWord = false
		}
		pos++
	}
	if wordStart >= 0 {
		emit(token{kind: tokWord, word: word, pos: wordStart, end: pos})
	}
	return pos
}

// dumpTokens renders every token a tokenizer gives for s from base 3,
// and the position it returns.
func dumpTokens(run func(string, int, func(token)) int, s string) string {
	var b strings.Builder
	end := run(s, 3, func(t token) {
		fmt.Fprintf(&b, "%d:%q:%q:%q@%d-%d ", t.kind, t.a, t.b, t.word, t.pos, t.end)
	})
	fmt.Fprintf(&b, "end %d", end)
	return b.String()
}

func FuzzTokenizer(f *testing.F) {
	for _, s := range []string{"", "新闻", "2025年3月", "G20峰会在", "峰会G20", "ＡＢＣ１２３新闻", "臺灣　選舉", "Ünïcode café", "𠮷野家の牛丼", "\xff\xe4\xb8", "\xed\xa0\x80", strings.Repeat("x", 70) + "中"} {
		f.Add(s)
	}
	var tz tokenizer
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := dumpTokens(tz.run, s), dumpTokens(refRun, s); got != want {
			t.Fatalf("tokenizer.run(%q) = %s, want %s", s, got, want)
		}
		checkNext(t, s)
	})
}
