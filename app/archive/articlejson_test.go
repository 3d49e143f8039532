package archive

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/broadsheet/broadsheet/app/library"
	"github.com/broadsheet/broadsheet/app/store"
	"github.com/broadsheet/broadsheet/internal/sharedtest"
	"github.com/broadsheet/broadsheet/parser"
)

// checkSameJSON fails unless appendArticle writes what json.Marshal does.
func checkSameJSON(t *testing.T, name string, a *parser.Article) {
	t.Helper()
	want, werr := json.Marshal(a)
	got, gerr := appendArticle(nil, a)
	if (werr != nil) != (gerr != nil) {
		t.Fatalf("%s: appendArticle error %v, json.Marshal error %v", name, gerr, werr)
	}
	if werr == nil && !bytes.Equal(got, want) {
		i := 0
		for i < min(len(got), len(want)) && got[i] == want[i] {
			i++
		}
		t.Fatalf("%s: appendArticle differs from json.Marshal at byte %d:\n got %q\nwant %q", name, i, got[max(0, i-40):min(len(got), i+40)], want[max(0, i-40):min(len(want), i+40)])
	}
}

// checkCompact fails unless the library reads the compact record of a
// (appendCompactArticle) back as the very article its full JSON gives,
// and returns the record's size.
func checkCompact(t *testing.T, name string, a *parser.Article) int {
	t.Helper()
	full, err := json.Marshal(a)
	if err != nil {
		return 0 // appendArticle's checks cover it
	}
	want := new(parser.Article)
	if err := json.Unmarshal(full, want); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	rec, err := appendCompactArticle(nil, a)
	if err != nil {
		t.Fatalf("%s: appendCompactArticle: %v", name, err)
	}
	ctx := t.Context()
	lib, err := library.OpenWith(ctx, store.NewMemory(library.Tables()...), library.Options{NoOriginals: true})
	if err != nil {
		t.Fatal(err)
	}
	p := library.ParsedArticle(library.File{Name: "a.md", Data: []byte("x")}, a, rec)
	if _, err := lib.ImportParsed(ctx, []library.Parsed{p}); err != nil {
		t.Fatalf("%s: ImportParsed: %v", name, err)
	}
	for _, get := range []func() (*parser.Article, error){
		func() (*parser.Article, error) { return lib.Get(ctx, a.ID) },
		func() (*parser.Article, error) {
			un := library.NewUnion(library.Part{Lib: lib, Origin: "hosted"})
			got, _, err := un.Get(ctx, a.ID)
			return got, err
		},
	} {
		got, err := get()
		if err != nil {
			t.Fatalf("%s: Get: %v", name, err)
		}
		if !reflect.DeepEqual(got, want) {
			g, _ := json.Marshal(got)
			t.Fatalf("%s: the compact record reads back as\n%s\nwant\n%s", name, g, full)
		}
	}
	docs, err := lib.SearchDocs(ctx, []string{a.ID})
	if err != nil {
		t.Fatalf("%s: SearchDocs: %v", name, err)
	}
	if d := library.SearchDoc(want); !reflect.DeepEqual(*docs[0], d) {
		t.Fatalf("%s: SearchDocs of the compact record = %+v, want %+v", name, *docs[0], d)
	}
	return len(rec)
}

// TestAppendArticleCorpus encodes every article of the real corpus (and
// the sample) both ways, and checks that its compact record reads back
// as the article its JSON gives.
func TestAppendArticleCorpus(t *testing.T) {
	shared := sharedtest.Dir(t)
	n, fullBytes, compactBytes := 0, 0, 0
	for _, sub := range []string{"corpus/dev", "corpus/dev-frontmatter", "samples"} {
		dir := sharedtest.Need(t, filepath.FromSlash(sub))
		err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			if a, err := parser.Parse(data); err == nil {
				name := strings.TrimPrefix(p, shared)
				checkSameJSON(t, name, a)
				full, _ := json.Marshal(a)
				fullBytes += len(full)
				compactBytes += checkCompact(t, name, a)
				n++
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if n < 3000 {
		t.Errorf("encoded %d articles of the corpus, want at least 3,000", n)
	}
	t.Logf("%d articles: JSON %d bytes, compact records %d (%.3f)", n, fullBytes, compactBytes, float64(compactBytes)/float64(fullBytes))
}

// tricky are strings that every escape rule of encoding/json meets.
var tricky = []string{
	"", "plain", "中文，标点。", "<b>&amp;</b>", `quote " and \ backslash`,
	"\b\f\n\r\t\x00\x01\x1f\x7f", "line\u2028para\u2029end", "\u2027\u202a\u20ac€",
	"bad \xff byte", "cut \xe2\x80", "\xe2\x80\xa8 at start", "end \xe2", "\xed\xa0\x80 surrogate",
	"emoji 😀 and \U0010ffff", "mixed \xc3\x28 <\u2028> \t",
}

// TestAppendArticleStrings encodes articles whose every field holds
// tricky strings, and every byte value.
func TestAppendArticleStrings(t *testing.T) {
	all := make([]byte, 256)
	for i := range all {
		all[i] = byte(i)
	}
	strs := append(tricky, string(all))
	for i, s := range strs {
		s2 := strs[(i+1)%len(strs)]
		a := fullArticle(s, s2)
		checkSameJSON(t, "full "+strings.ToValidUTF8(s, "?"), a)
		checkCompact(t, "compact "+strings.ToValidUTF8(s, "?"), a)
	}
	checkSameJSON(t, "zero", &parser.Article{})
	checkSameJSON(t, "empty slices", &parser.Article{Authors: []string{}, Body: []parser.Block{}, Lead: &parser.Image{}})
	checkSameJSON(t, "year 10000", &parser.Article{ID: "x", SavedAt: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)})
}

// fullArticle sets every field of an article, a and b alternating.
func fullArticle(a, b string) *parser.Article {
	ins := []parser.Inline{{Text: a}, {Text: b, Href: a, Strong: true}, {Text: a, Em: true}, {Text: b, Strong: true, Em: true}}
	leaf := []parser.Block{
		{Type: parser.BlockParagraph, Text: a, Inlines: ins},
		{Type: parser.BlockParagraph, Text: b, Inlines: []parser.Inline{{Text: b}}},
		{Type: parser.BlockParagraph, Text: a, Inlines: []parser.Inline{{Text: a, Href: b}}},
		{Type: parser.BlockParagraph, Text: b, Inlines: []parser.Inline{{Text: a}}},
		{Type: parser.BlockParagraph, Text: a, Inlines: []parser.Inline{{Text: a}, {Text: a}}},
		{Type: parser.BlockParagraph, Inlines: []parser.Inline{{Text: b}}},
		{Type: parser.BlockParagraph, Inlines: []parser.Inline{{}}},
		{Type: parser.BlockHeading, Level: 3, Text: b},
		{Type: parser.BlockFigure, Src: a, Original: b, Width: 640, Height: -1, Caption: a, Credit: b, Text: a},
		{Type: parser.BlockList, Ordered: true, Text: b, Items: []parser.Item{{Text: a, Inlines: ins}, {Text: b}, {Text: a, Inlines: []parser.Inline{{Text: a}}}, {Inlines: []parser.Inline{{Text: b}}}}},
		{Type: parser.BlockList, Items: []parser.Item{{}}},
		{Type: parser.BlockFigure, Src: b, Video: a, Caption: b},
		{Type: parser.BlockFigure, Audio: b, Credit: a},
		{Type: parser.BlockParagraph, Text: a, Pre: true, Indent: 4},
		{Type: parser.BlockParagraph, Text: b, Pre: true},
		{Type: parser.BlockList, Ordered: true, Start: 7, Items: []parser.Item{{Text: b}}},
	}
	return &parser.Article{
		ID: a, URL: b, Title: a,
		SavedAt:   time.Date(2025, 2, 13, 8, 7, 1, 500, time.UTC),
		Published: b, DateText: a, Authors: []string{a, b}, Source: b, Tags: []string{b},
		Lang: a, Lead: &parser.Image{Src: b, Original: a, Width: 1050, Height: 700, Caption: b, Credit: a},
		Body:       append(leaf, parser.Block{Type: parser.BlockQuote, Text: a, Blocks: leaf}),
		Footer:     leaf[:2],
		Translator: b, OriginalURL: a, Encoding: b, Warnings: []string{a, b, a},
	}
}

// TestAppendArticleFields fails when a type of parser.Article gains,
// loses or renames a field: appendArticle writes exactly these, in this
// order, and must be changed with them.
func TestAppendArticleFields(t *testing.T) {
	want := map[reflect.Type]string{
		reflect.TypeFor[parser.Article](): "id url,omitempty title savedAt,omitzero published,omitempty dateText,omitempty authors,omitempty source,omitempty tags,omitempty lang,omitempty lead,omitempty body,omitempty footer,omitempty translator,omitempty originalUrl,omitempty encoding,omitempty warnings,omitempty",
		reflect.TypeFor[parser.Image]():   "src original,omitempty width,omitempty height,omitempty caption,omitempty credit,omitempty",
		reflect.TypeFor[parser.Block]():   "type level,omitempty text,omitempty inlines,omitempty src,omitempty original,omitempty width,omitempty height,omitempty caption,omitempty credit,omitempty video,omitempty audio,omitempty pre,omitempty indent,omitempty blocks,omitempty ordered,omitempty start,omitempty items,omitempty",
		reflect.TypeFor[parser.Inline]():  "text href,omitempty strong,omitempty em,omitempty",
		reflect.TypeFor[parser.Item]():    "text inlines,omitempty",
	}
	for typ, w := range want {
		var tags []string
		for f := range typ.Fields() {
			tags = append(tags, f.Tag.Get("json"))
		}
		if got := strings.Join(tags, " "); got != w {
			t.Errorf("parser.%s's JSON fields are %q, appendArticle writes %q: change articlejson.go with them", typ.Name(), got, w)
		}
	}
}

// BenchmarkAppendArticle encodes the corpus's articles by hand and by
// encoding/json.
func BenchmarkAppendArticle(b *testing.B) {
	dir := sharedtest.Need(b, "corpus", "dev")
	entries, err := os.ReadDir(dir)
	if err != nil {
		b.Fatal(err)
	}
	var arts []*parser.Article
	size := 0
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			b.Fatal(err)
		}
		if a, err := parser.Parse(data); err == nil {
			arts = append(arts, a)
			j, _ := json.Marshal(a)
			size += len(j)
		}
	}
	b.Run("hand", func(b *testing.B) {
		b.SetBytes(int64(size))
		var buf []byte
		for b.Loop() {
			for _, a := range arts {
				buf, _ = appendArticle(buf[:0], a)
			}
		}
	})
	b.Run("encoding-json", func(b *testing.B) {
		b.SetBytes(int64(size))
		for b.Loop() {
			for _, a := range arts {
				json.Marshal(a)
			}
		}
	})
}
