package search

import (
	"context"
	"slices"
	"testing"
	"unicode/utf8"

	"github.com/broadsheet/broadsheet/app/store"
)

// FuzzQuery parses, searches and highlights arbitrary query strings over
// a fixed index: no panic, no error, parsing is deterministic, and every
// span lies in its text on character boundaries.
func FuzzQuery(f *testing.F) {
	for _, q := range []string{"习近平", `"new york" -广告 author:王 after:2024`, "g20峰会", "美，中国", "-", `"`, "：：", "before:2025-13-40", "\xff\xfe"} {
		f.Add(q)
	}
	ctx := context.Background()
	ix, err := Open(ctx, store.NewMemory(Tables()...))
	if err != nil {
		f.Fatal(err)
	}
	if err := ix.Add(ctx, fixtures...); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, q string) {
		a, b := describe(ParseQuery(q)), describe(ParseQuery(q))
		if a != b {
			t.Fatalf("ParseQuery(%q) not deterministic: %s vs %s", q, a, b)
		}
		res, err := ix.Search(ctx, q, Options{Limit: 10})
		if err != nil {
			t.Fatalf("Search(%q): %v", q, err)
		}
		for _, h := range res.Hits {
			checkSpans(t, h.Title, h.TitleMatches)
			checkSpans(t, h.Snippet, h.SnippetMatches)
		}
		for _, d := range fixtures {
			checkSpans(t, d.Text, Highlight(d.Text, q))
		}
	})
}

func checkSpans(t *testing.T, text string, spans [][2]int) {
	t.Helper()
	last := 0
	for _, s := range spans {
		if s[0] < last || s[1] <= s[0] || s[1] > len(text) || !utf8.RuneStart(text[s[0]]) || s[1] < len(text) && !utf8.RuneStart(text[s[1]]) {
			t.Fatalf("bad span %v of %q (all: %v)", s, text, spans)
		}
		last = s[1]
	}
	if !slices.IsSortedFunc(spans, func(a, b [2]int) int { return a[0] - b[0] }) {
		t.Fatalf("spans not sorted: %v", spans)
	}
}
