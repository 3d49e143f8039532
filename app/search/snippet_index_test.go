package search

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/broadsheet/broadsheet/app/store"
)

// TestIndexedSnippets checks that the snippets made from the match
// positions the index found are exactly those made by tokenizing the
// text again, for every frozen query over part of the corpus (by
// relevance and by date, two pages).
func TestIndexedSnippets(t *testing.T) {
	docs := loadCorpus(t)
	docs = docs[:min(len(docs), 600)]
	ctx := context.Background()
	ix, err := Open(ctx, store.NewMemory(Tables()...))
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < len(docs); i += 150 {
		if err := ix.Add(ctx, docs[i:min(i+150, len(docs))]...); err != nil {
			t.Fatal(err)
		}
	}
	text, title := map[string]string{}, map[string]string{}
	for _, d := range docs {
		text[d.ID], title[d.ID] = d.Text, d.Title
	}
	checked := 0
	for _, q := range readQueries(t) {
		query := ParseQuery(q.text)
		for _, opt := range []Options{{Limit: 10}, {Sort: ByDate, Offset: 10, Limit: 10}} {
			res, err := ix.Search(ctx, q.text, opt)
			if err != nil {
				t.Fatal(err)
			}
			for _, h := range res.Hits {
				snip, spans := snippet(text[h.ID], &query)
				if h.Snippet != snip || !slices.Equal(h.SnippetMatches, spans) {
					t.Errorf("Search(%q) hit %s: snippet %q %v, want %q %v", q.text, h.ID, h.Snippet, h.SnippetMatches, snip, spans)
				}
				if want := highlight(title[h.ID], &query); !slices.Equal(h.TitleMatches, want) {
					t.Errorf("Search(%q) hit %s: title matches %v, want %v", q.text, h.ID, h.TitleMatches, want)
				}
				checked++
			}
		}
	}
	if checked < 1000 {
		t.Errorf("checked %d snippets, want at least 1000", checked)
	}
}

// TestSkipRunes checks skipRunes against counting characters as range
// does, in valid and invalid UTF-8.
func TestSkipRunes(t *testing.T) {
	for _, s := range []string{"", "abc", "国家与国家，ＡＢＣ会场", "国\xff家\x80\x80与\xe4\xb8a国", "\xed\xa0\x80字\xf0\x8f\xbf\xbf字"} {
		offsets := []int{}
		for i := range s {
			offsets = append(offsets, i)
		}
		offsets = append(offsets, len(s))
		for n, want := range offsets {
			if got := skipRunes(s, n); got != want {
				t.Errorf("skipRunes(%q, %d) = %d, want %d", s, n, got, want)
			}
		}
		if got := skipRunes(s, len(offsets)+3); got != len(s) {
			t.Errorf("skipRunes(%q, %d) = %d, want %d", s, len(offsets)+3, got, len(s))
		}
	}
}

// TestIndexTail checks indexTail against strings.Index.
func TestIndexTail(t *testing.T) {
	s := "国家與國家，会議在ＡＢＣ会场\xff举行；发展与發展。门們门ab"
	for _, pat := range []string{"国", "國", "门", "與", "ab", "b", "\xff", "举行", "a\xff", "展。", "门ab", "x", "ＡＢＣ"} {
		for from := 0; from <= len(s); from++ {
			if got, want := indexTail(s[from:], pat), strings.Index(s[from:], pat); got != want {
				t.Errorf("indexTail(%q, %q) = %d, want %d", s[from:], pat, got, want)
			}
		}
	}
}

// TestCharSpans checks the byte search for one-character parts against
// folding every character: Traditional forms, full-width text and a bad
// byte included.
func TestCharSpans(t *testing.T) {
	text := "國家与国家，會議在ＡＢＣ会场\xff举行；发展與發展。门們门"
	chars := []rune{'国', '会', '发', '门', '与'}
	part := []int{0, 1, 2, 3, 4}
	var want []span
	pos := 0
	for _, r := range text {
		for j, c := range chars {
			if Fold(r) == c {
				want = append(want, span{pos, pos + 1, part[j]})
			}
		}
		pos++
	}
	got := charSpans(text, chars, part, nil)
	slices.SortStableFunc(want, func(a, b span) int { return a.start - b.start })
	if !slices.Equal(got, want) {
		t.Errorf("charSpans(%q) = %v, want %v", text, got, want)
	}
	if len(want) < 10 {
		t.Errorf("the fixture has %d matches, want at least 10", len(want))
	}
}
