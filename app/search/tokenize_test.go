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
