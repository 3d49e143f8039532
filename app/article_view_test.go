package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/broadsheet/broadsheet/parser"
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// fixtureArticle is an article of our own text with every block kind.
func fixtureArticle() *parser.Article {
	link := func(text, href string) parser.Inline { return parser.Inline{Text: text, Href: href} }
	return &parser.Article{
		ID:       "news.example/2026/river",
		URL:      "https://news.example/2026/river/",
		Title:    "河边的新图书馆开放",
		Authors:  []string{"李明", "王芳"},
		DateText: "2026年3月1日",
		Source:   "news.example",
		Lang:     "zh-Hans",
		Lead: &parser.Image{Src: "https://img.example/lead.jpg", Width: 1050, Height: 700,
			Caption: "新馆的阅览室。", Credit: "张三/本报"},
		Body: []parser.Block{
			{Type: "p", Text: "周六上午，新馆开门。", Inlines: []parser.Inline{
				{Text: "周六上午，"}, {Text: "新馆", Strong: true}, {Text: "开门", Em: true},
				link("详情", "https://other.example/a"), link("旧闻", "https://news.example/2025/old/"),
				link("坏链接", "javascript:alert(1)"),
			}},
			{Type: "h", Level: 3, Text: "读者怎么说"},
			{Type: "quote", Text: "这里很安静。", Blocks: []parser.Block{{Type: "p", Text: "这里很安静。"}}},
			{Type: "list", Text: "一 二", Items: []parser.Item{{Text: "一"}, {Text: "二"}}},
			{Type: "list", Ordered: true, Text: "甲", Items: []parser.Item{{Text: "甲"}}},
			{Type: "figure", Src: "https://img.example/in.jpg", Width: 600, Height: 400, Caption: "书架。", Credit: "李四"},
			{Type: "figure", Src: "data:image/png;base64,AAAA", Caption: "只剩说明。"},
			{Type: "figure", Src: "http://img.example/poster.jpg", Width: 640, Height: 360,
				Video: "https://media.example/v.mp4", Caption: "开馆视频。", Text: "开馆视频。"},
			{Type: "figure", Audio: "http://media.example/a.mp3", Caption: "馆长的话。", Text: "馆长的话。"},
			{Type: "figure", Video: "javascript:alert(2)", Caption: "坏视频。", Text: "坏视频。"},
			{Type: "figure", Video: "https://www.youtube.com/watch?v=abc123", Caption: "发布会。", Text: "发布会。"},
			{Type: "list", Ordered: true, Start: 7, Text: "七 八", Items: []parser.Item{{Text: "七"}, {Text: "八"}}},
			{Type: "p", Pre: true, Text: "def f():"},
			{Type: "p", Pre: true, Indent: 4, Text: "return 1"},
			{Type: "p", Pre: true, Indent: 1 << 20, Text: "深"},
		},
		Footer:      []parser.Block{{Type: "p", Text: "王芳对本文亦有贡献。"}},
		Translator:  "赵六",
		OriginalURL: "https://news.example/en/2026/river",
	}
}

func renderFixture(t *testing.T, a *parser.Article, local map[string]string) string {
	t.Helper()
	return app.HTMLString(app.Article().ID("reader").Body(articleContent(a, viewOptions{base: "/REPO/", local: local})...))
}

func count(s, sub string) int { return strings.Count(s, sub) }

func TestArticleContentStructure(t *testing.T) {
	html := renderFixture(t, fixtureArticle(), map[string]string{"https://news.example/2025/old/": "news.example/2025/old"})
	checks := []struct {
		what string
		sub  string
		want int
	}{
		{"h1", "<h1", 1},
		{"authors joined for Chinese", "李明、王芳", 1},
		{"byline", `class="byline"`, 1},
		{"lead figure", `<figure class="lead">`, 1},
		{"inline figures: a picture, two videos, an audio", `<figure class="inline-figure">`, 4},
		{"credits", `class="credit"`, 2},
		{"h3", "<h3>", 1},
		{"blockquote", "<blockquote>", 1},
		{"ul", "<ul>", 1},
		{"ol", "<ol>", 1},
		{"ol that starts at 7", `<ol start="7">`, 1},
		{"no player in the page", "<video", 0},
		{"no audio player", "<audio", 0},
		{"recordings linked", `class="media-link"`, 3},
		{"a video site's page is named by its site", "youtube.com", 2},
		{"a recording with no poster is named by its file (and linked)", "a.mp3", 2},
		{"media captions", "开馆视频。", 1},
		{"bad video keeps only its caption", `<p class="figure-caption-only">坏视频。</p>`, 1},
		{"preformatted lines", `<p class="pre">`, 3},
		{"indentation bounded", strings.Repeat("\u00a0", maxPreIndent+1), 0},
		{"indentation bounded at its most", strings.Repeat("\u00a0", maxPreIndent), 1},
		{"strong", "<strong>新馆</strong>", 1},
		{"em", "<em>开门</em>", 1},
		{"footer", `<footer class="article-footer">`, 1},
		{"translator", "翻译：赵六", 0}, // natively the UI is English
		{"translated by", "Translated by 赵六", 1},
		{"original link", `class="original-link"`, 1},
		{"original-language link", `class="original-language-link"`, 1},
		{"lazy images", `loading="lazy"`, 3},
		{"caption only", "只剩说明。", 1},
		{"script", "<script", 0},
		{"javascript URL", "javascript:", 0},
		{"data URL", "data:image", 0},
		{"reader link", `href="/REPO/read?id=news.example%2F2025%2Fold"`, 1},
	}
	for _, c := range checks {
		if got := count(html, c.sub); got != c.want {
			t.Errorf("articleContent: %s: count(%q) = %d, want %d", c.what, c.sub, got, c.want)
		}
	}
	if !regexp.MustCompile(`<p class="pre">\s*\x{a0}{4}\s*return 1`).MatchString(html) {
		t.Errorf("articleContent: no line of preformatted text indented by 4")
	}
	for _, want := range [][]string{
		{`href="https://media.example/v.mp4"`, `src="https://img.example/poster.jpg"`, `width="640"`},
		{`href="https://media.example/a.mp3"`, "a.mp3"}, // http upgraded to https
	} {
		link := regexp.MustCompile(`(?s)<a [^>]*` + regexp.QuoteMeta(want[0]) + `[^>]*>.*?</a>`).FindString(html)
		for _, w := range want {
			if !strings.Contains(link, w) {
				t.Errorf("articleContent: the link to a recording %q lacks %s", link, w)
			}
		}
	}
	if !strings.Contains(html, "坏链接") {
		t.Errorf("articleContent dropped the text of a link with a bad scheme")
	}
}

// anchorRE finds opening anchor tags.
var anchorRE = regexp.MustCompile(`<a [^>]*>`)

func TestExternalLinksAreSafe(t *testing.T) {
	html := renderFixture(t, fixtureArticle(), nil)
	anchors := anchorRE.FindAllString(html, -1)
	if len(anchors) == 0 {
		t.Fatal("articleContent rendered no links")
	}
	for _, a := range anchors {
		if strings.Contains(a, "/read?id=") {
			continue
		}
		if !strings.Contains(a, `target="_blank"`) || !strings.Contains(a, `rel="noopener noreferrer"`) {
			t.Errorf("external link %s lacks target=_blank rel=\"noopener noreferrer\"", a)
		}
	}
}

func TestImagesHaveSize(t *testing.T) {
	html := renderFixture(t, fixtureArticle(), nil)
	for _, img := range regexp.MustCompile(`<img [^>]*>`).FindAllString(html, -1) {
		for _, attr := range []string{"width=", "height=", `loading="lazy"`, `decoding="async"`} {
			if !strings.Contains(img, attr) {
				t.Errorf("image %s lacks %s", img, attr)
			}
		}
	}
}

func TestSafeImageSrc(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"https://img.example.com/a.jpg", "https://img.example.com/a.jpg"},
		{"http://img.example.com/a.jpg?w=640", "https://img.example.com/a.jpg?w=640"},
		{"HTTP://img.example.com/b.png", "https://img.example.com/b.png"},
		{"javascript:alert(1)", ""},
		{"data:image/svg+xml,<svg onload=alert(1)>", ""},
		{"//img.example.com/c.jpg", ""},
		{"/local.jpg", ""},
		{"", ""},
	} {
		if got := safeImageSrc(c.in); got != c.want {
			t.Errorf("safeImageSrc(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestSamplesRender(t *testing.T) {
	names, err := filepath.Glob(filepath.Join("..", "web", "samples", "*.md"))
	if err != nil || len(names) < 4 {
		t.Fatalf("sample articles: %v, %d files, want at least 4", err, len(names))
	}
	langs := map[string]bool{}
	for _, name := range names {
		data, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		a, err := parser.Parse(data)
		if err != nil {
			t.Errorf("Parse(%s): %v", name, err)
			continue
		}
		langs[a.Lang] = true
		html := renderFixture(t, a, nil)
		if got := count(html, "<h1"); got != 1 {
			t.Errorf("%s: %d h1, want 1", name, got)
		}
		if len(a.Body) == 0 {
			t.Errorf("%s: empty body", name)
		}
	}
	for _, l := range []string{"zh-Hans", "zh-Hant", "en"} {
		if !langs[l] {
			t.Errorf("no sample article in %s (have %v)", l, langs)
		}
	}
}

func TestReaderHref(t *testing.T) {
	for _, c := range []struct{ base, id, want string }{
		{"/", "a.example/x", "/read?id=a.example%2Fx"},
		{"/REPO/", "a.example/新闻?id=1", "/REPO/read?id=a.example%2F%E6%96%B0%E9%97%BB%3Fid%3D1"},
	} {
		if got := readerHref(c.base, c.id); got != c.want {
			t.Errorf("readerHref(%q, %q) = %q, want %q", c.base, c.id, got, c.want)
		}
	}
}
