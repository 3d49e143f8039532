package parser

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// sharedDir is ../shared beside the repository (the parser sits one level
// down). Tests that need it fail under CI=true and skip elsewhere.
func sharedDir(t testing.TB) string {
	dir := filepath.Join("..", "..", "shared")
	if _, err := os.Stat(dir); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("shared test data missing: %v", err)
		}
		t.Skipf("shared test data missing: %v", err)
	}
	return dir
}

// readSample reads the real sample article.
func readSample(t testing.TB) []byte {
	data, err := os.ReadFile(filepath.Join(sharedDir(t), "samples", "000_a16f1ea5465b3bd6.txt"))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// The sample is third-party text: its sentences (title, caption) are
// checked by length and SHA-256 prefix, not copied here. Names, dates and
// URLs are checked as they are.
func TestSample(t *testing.T) {
	data := readSample(t)
	a, err := Parse(data)
	if err != nil {
		t.Fatalf("Parse(sample): %v", err)
	}
	fields := []struct{ name, got, want string }{
		{"ID", a.ID, "cn.nytimes.com/world/20250213/trump-putin-call-russia-ukraine-war"},
		{"URL", a.URL, "https://cn.nytimes.com/world/20250213/trump-putin-call-russia-ukraine-war/"},
		{"SavedAt", a.SavedAt.Format(time.RFC3339), "2025-02-13T08:07:01Z"},
		{"Published", a.Published, "2025-02-13T03:56:11"},
		{"DateText", a.DateText, "2025年2月13日"},
		{"Authors", strings.Join(a.Authors, "|"), "MAGGIE HABERMAN|ZOLAN KANNO-YOUNGS|ANTON TROIANOVSKI"},
		{"Lang", a.Lang, "zh-Hans"},
		{"Source", a.Source, "纽约时报中文网"},
		{"Encoding", a.Encoding, "utf-8"},
		{"Translator", a.Translator, "晋其角"},
		{"OriginalURL", a.OriginalURL, "https://www.nytimes.com/2025/02/12/us/politics/trump-putin-call-russia-ukraine-war.html"},
		{"Title", digest(a.Title), "20:e9e210598d898c29"},
	}
	for _, f := range fields {
		if f.got != f.want {
			t.Errorf("Parse(sample).%s = %q, want %q", f.name, f.got, f.want)
		}
	}
	if a.SavedAt.Location() != time.UTC {
		t.Errorf("Parse(sample).SavedAt is in %v, want UTC", a.SavedAt.Location())
	}
	checkSampleLead(t, a.Lead)
	checkSampleBody(t, a, string(data))
	checkSampleFooter(t, a)
}

// digest is "runes:sha256-prefix" of s.
func digest(s string) string {
	sum := sha256.Sum256([]byte(s))
	return strconv.Itoa(utf8.RuneCountInString(s)) + ":" + hex.EncodeToString(sum[:8])
}

func checkSampleLead(t *testing.T, lead *Image) {
	t.Helper()
	if lead == nil {
		t.Fatal("Parse(sample).Lead = nil, want the lead picture")
	}
	const img = "static01.nyt.com/images/2025/03/10/multimedia/live-blog-20250212-trump-news-gabbard-rfk-header-jtlc/live-blog-20250212-trump-news-gabbard-rfk-header-jtlc-master1050.jpg"
	fields := []struct{ name, got, want string }{
		{"Src", lead.Src, "https://images.weserv.nl/?url=" + img},
		{"Original", lead.Original, "https://" + img},
		{"Credit", lead.Credit, "Gavriil Grigorov/Sputnik"},
		{"Caption", digest(lead.Caption), "63:90f5cfbf6974e8f8"},
	}
	for _, f := range fields {
		if f.got != f.want {
			t.Errorf("Parse(sample).Lead.%s = %q, want %q", f.name, f.got, f.want)
		}
	}
	if lead.Width != 1050 || lead.Height != 700 {
		t.Errorf("Parse(sample).Lead size = %dx%d, want 1050x700", lead.Width, lead.Height)
	}
}

// checkSampleBody compares the body with the <p> elements of the file's
// <section>, counted here independently of the parser.
func checkSampleBody(t *testing.T, a *Article, src string) {
	t.Helper()
	start, end := strings.Index(src, "<section>"), strings.Index(src, "</section>")
	if start < 0 || end < start {
		t.Fatal("sample has no <section>")
	}
	want := strings.Count(src[start:end], "<p>")
	if len(a.Body) != want {
		t.Errorf("len(Parse(sample).Body) = %d, want %d (the <p> of <section>)", len(a.Body), want)
	}
	links := 0
	for _, b := range a.Body {
		if b.Type != BlockParagraph || b.Text == "" {
			t.Errorf("Parse(sample).Body has a %q block with text %q, want non-empty paragraphs", b.Type, b.Text)
		}
		for _, in := range b.Inlines {
			if in.Href != "" {
				links++
			}
		}
	}
	if want := strings.Count(src[start:end], "<a "); links != want {
		t.Errorf("Parse(sample).Body has %d links, want %d", links, want)
	}
}

func checkSampleFooter(t *testing.T, a *Article) {
	t.Helper()
	if len(a.Footer) != 6 {
		t.Fatalf("len(Parse(sample).Footer) = %d, want 6", len(a.Footer))
	}
	if got := a.Footer[4].Text; got != "翻译：晋其角" {
		t.Errorf("Parse(sample).Footer[4].Text = %q, want %q", got, "翻译：晋其角")
	}
	if !strings.HasPrefix(a.Footer[0].Text, "Farnaz Fassihi、Julian E. Barnes") {
		t.Errorf("Parse(sample).Footer[0].Text = %q, want the contributors", a.Footer[0].Text)
	}
	last := a.Footer[5]
	if len(last.Inlines) != 1 || last.Inlines[0].Href != a.OriginalURL {
		t.Errorf("Parse(sample).Footer[5].Inlines = %+v, want one link to %s", last.Inlines, a.OriginalURL)
	}
}
