package library

import (
	"errors"
	"testing"
	"time"

	"github.com/broadsheet/broadsheet/app/store"
	"github.com/broadsheet/broadsheet/parser"
)

// articleText is an article file of our own text linked to url.
func articleText(url, title string) string {
	return "<!--1772000000000-->\n[" + title + "：河堤加固工程完工](" + url + ")\n------\n\n" +
		"<address>水务局</address><section><p>" + title + "：加固工程提前完工。</p></section>\n"
}

func TestImportParsedMatchesImport(t *testing.T) {
	mod := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	files := []File{
		{Name: "a.md", Data: []byte(articleText("https://parsed.example/a", "甲文章")), Modified: mod},
		{Name: "empty.md"},
		{Name: "b.md", Data: []byte(articleText("https://parsed.example/b", "乙文章"))},
		{Name: "a-copy.md", Data: []byte(articleText("https://parsed.example/a", "甲文章")), Modified: mod.Add(time.Hour)},
	}
	direct := openLibrary(t, store.NewMemory(Tables()...), parser.Parse)
	viaParse := openLibrary(t, store.NewMemory(Tables()...), nil)
	want, err := direct.Import(ctx, files)
	if err != nil {
		t.Fatal(err)
	}
	ps := make([]Parsed, len(files))
	for i, f := range files {
		var a *parser.Article
		ps[i], a = Parse(f)
		if (a == nil) != (ps[i].Err != nil) {
			t.Errorf("Parse(%s) = article %v, err %v; want exactly one", f.Name, a != nil, ps[i].Err)
		}
	}
	got, err := viaParse.ImportParsed(ctx, ps)
	if err != nil {
		t.Fatal(err)
	}
	for i := range want {
		if got[i].Name != want[i].Name || got[i].ID != want[i].ID || got[i].Status != want[i].Status || !errors.Is(got[i].Err, errors.Unwrap(want[i].Err)) && got[i].Err != want[i].Err {
			t.Errorf("ImportParsed result %d = %+v, want %+v as Import gives", i, got[i], want[i])
		}
	}
	for _, id := range []string{got[0].ID, got[2].ID} {
		m1, err1 := direct.Meta(ctx, id)
		m2, err2 := viaParse.Meta(ctx, id)
		m1.Imported, m2.Imported = time.Time{}, time.Time{}
		if err1 != nil || err2 != nil || m1.Title != m2.Title || m1.FileName != m2.FileName || !m1.Modified.Equal(m2.Modified) {
			t.Errorf("Meta(%s) = %+v (%v) via ImportParsed, %+v (%v) via Import", id, m2, err2, m1, err1)
		}
		o, err := viaParse.Original(ctx, id)
		if err != nil || len(o.Data) == 0 {
			t.Errorf("Original(%s) via ImportParsed = %d bytes, %v; want the file", id, len(o.Data), err)
		}
	}
}
