//go:build js && wasm

package main

import (
	"syscall/js"
	"testing"

	"github.com/broadsheet/broadsheet/app/search"
)

// TestFillDocs: an add's titles and texts posted beside its JSON reach
// its documents in order, read an array at a time or, when a string
// holds a NUL, a string at a time; arrays of the wrong length are
// refused.
func TestFillDocs(t *testing.T) {
	cases := [][2][]string{
		{{"标题一", "Title 2", ""}, {"正文第一段\n第二段", "café 2025年", "末尾"}},
		{{"一"}, {"只有一篇"}},
		{{"含\x00空字符", "b"}, {"x", "y\x00z"}},
		{{"", ""}, {"", ""}},
	}
	for _, c := range cases {
		r := request{Docs: make([]search.Doc, len(c[0]))}
		in := incoming{titles: jsStrings(c[0]), texts: jsStrings(c[1])}
		if err := in.fillDocs(&r); err != nil {
			t.Fatalf("fillDocs(%q, %q) = %v", c[0], c[1], err)
		}
		for i, d := range r.Docs {
			if d.Title != c[0][i] || d.Text != c[1][i] {
				t.Errorf("fillDocs(%q, %q): document %d = %q, %q, want %q, %q", c[0], c[1], i, d.Title, d.Text, c[0][i], c[1][i])
			}
		}
	}
	r := request{Docs: make([]search.Doc, 3)}
	in := incoming{titles: jsStrings([]string{"a", "b", "c"}), texts: jsStrings([]string{"a", "b"})}
	if err := in.fillDocs(&r); err != errAddTexts {
		t.Errorf("fillDocs of 2 texts for 3 documents = %v, want %v", err, errAddTexts)
	}
}

func jsStrings(s []string) js.Value {
	a := js.Global().Get("Array").New()
	for _, x := range s {
		a.Call("push", x)
	}
	return a
}
