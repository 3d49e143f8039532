package e2e

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/broadsheet/broadsheet/parser"
)

func TestFirstVisitShowsSamples(t *testing.T) {
	b := newBrowser(t, serveSite(t), browserOptions{})
	ids, titles := map[string]bool{}, map[string]bool{}
	for _, name := range sampleFiles(t) {
		data, err := os.ReadFile(filepath.Join(siteDir, "web", "samples", filepath.FromSlash(name)))
		if err != nil {
			t.Fatalf("reading sample %s: %v", name, err)
		}
		if a, err := parser.Parse(data); err == nil {
			ids[a.ID], titles[a.Title] = true, true
		}
	}
	if len(ids) == 0 {
		t.Fatalf("the site's web/samples holds no article that parses")
	}

	b.navigate("")
	n := b.settle()
	if n != len(ids) {
		t.Errorf("first visit: #library-count = %d, want the %d sample articles", n, len(ids))
	}
	items := b.items()
	if len(items) == 0 {
		t.Fatalf("first visit: ol#article-list shows no article")
	}
	for _, it := range items {
		if !titles[it.Title] {
			t.Errorf("first visit: the library lists %q, which is not a sample's title", it.Title)
		}
	}
	if lang := eval[string](b, `document.documentElement.lang`); !slices.Contains([]string{"zh", "en"}, lang) {
		t.Errorf("html[lang] = %q, want zh or en", lang)
	}
	b.screenshot("first-visit")

	// A second visit does not import the samples again.
	b.reload()
	if n2 := b.settle(); n2 != n {
		t.Errorf("second visit: #library-count = %d, want %d as on the first", n2, n)
	}
	if st := b.status(); st.State == "running" {
		t.Errorf("second visit: an import runs: %+v", st)
	}
	r := b.openReader(items[0].ID)
	if r.Status != "loaded" || !slices.Equal(r.H1s, []string{items[0].Title}) || len(r.Paragraphs) == 0 {
		t.Errorf("reader of sample %q: status %q, h1s %q, %d paragraphs; want loaded, the title and text", items[0].ID, r.Status, r.H1s, len(r.Paragraphs))
	}
	b.screenshot("sample-reader")
}
