package parser

import (
	"bytes"
	"testing"
	"unicode/utf8"
)

// TestValidUTF8 compares validUTF8 with utf8.Valid on every prefix and
// suffix of texts with valid and invalid sequences of each length.
func TestValidUTF8(t *testing.T) {
	texts := []string{
		"plain ASCII text, longer than eight bytes",
		"新闻报道：市政府宣布增加夜间公交线路。",
		"é ü ß 𝄞 \u2028 \uFFFD \uFEFF 한국어 かな",
		"\xed\xa0\x80 surrogate", "\xe0\x80\x80 overlong", "\xf4\x90\x80\x80 too big",
		"\xc0\xaf", "cut \xe4\xb8", "\x80 stray", "abc\xff",
		"订阅\xe8\xae", "ascii then 中文 then \xef\xbf\xbd",
	}
	for _, text := range texts {
		p := []byte(text + text)
		for i := range len(p) + 1 {
			for _, b := range [][]byte{p[:i], p[i:]} {
				if got, want := validUTF8(b), utf8.Valid(b); got != want {
					t.Errorf("validUTF8(%q) = %v, want %v", b, got, want)
				}
			}
		}
	}
}

func FuzzValidUTF8(f *testing.F) {
	f.Add([]byte("新闻 news \xe4\xb8"))
	f.Fuzz(func(t *testing.T, b []byte) {
		if got, want := validUTF8(b), utf8.Valid(b); got != want {
			t.Errorf("validUTF8(%q) = %v, want %v", b, got, want)
		}
	})
}

// BenchmarkValidUTF8 compares validUTF8 with utf8.Valid on the dev corpus.
func BenchmarkValidUTF8(b *testing.B) {
	files := readCorpus(b)
	all := bytes.Join(files, nil)
	for _, c := range []struct {
		name  string
		valid func([]byte) bool
	}{{"validUTF8", validUTF8}, {"utf8.Valid", utf8.Valid}} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(all)))
			for b.Loop() {
				c.valid(all)
			}
		})
	}
}
