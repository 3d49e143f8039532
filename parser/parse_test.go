package parser

import (
	"bytes"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
)

// Fixture texts written for these tests.
const (
	hansArticle = "<!--1595206541000-->\n[港口新航线开通 首班货轮顺利靠泊](https://port.example.com/news/2020/0720/new-route)\n------\n\n" +
		"<div><p>港口集团周一宣布，通往东南亚的新航线正式开通，这是今年开通的第三条国际航线。</p><p>首班货轮当天下午顺利靠泊，装载了三百多个集装箱。</p></div>\n"
	hantArticle = "<!--1595206541000-->\n[颱風逼近東部海域 氣象局發布海上警報](https://radio.example.tw/news/view/id/3000001)\n------\n\n" +
		"<div><p>氣象局今天上午發布海上颱風警報，預計颱風將在明天清晨最接近東部海域。</p><p>氣象專家提醒，東半部及恆春半島可能出現豪雨，民眾應該做好防颱準備。</p></div>\n"
	savedAt2020 = "2020-07-20T00:55:41Z"
)

// docCase is one input and what the document stage must make of it.
type docCase struct {
	name     string
	in       string
	title    string
	url      string
	id       string
	savedAt  string // RFC 3339, "" for none
	lang     string
	encoding string
	warning  string // a warning that must be present
	bodyText string // a substring of PlainText
}

var docCases = []docCase{
	{name: "current shape", in: hansArticle, title: "港口新航线开通 首班货轮顺利靠泊",
		url: "https://port.example.com/news/2020/0720/new-route", id: "port.example.com/news/2020/0720/new-route",
		savedAt: savedAt2020, lang: LangSimplified, encoding: EncodingUTF8, bodyText: "首班货轮当天下午"},
	{name: "no timestamp", in: "[无时间戳的文章](https://a.example.com/x)\n------\n\n<p>正文内容在这里。</p>",
		title: "无时间戳的文章", url: "https://a.example.com/x", id: "a.example.com/x", lang: LangSimplified, bodyText: "正文内容"},
	{name: "NaN timestamp", in: "<!--NaN-->\n[时间戳是NaN](https://a.example.com/nan)\n------\n\n<p>正文。</p>",
		title: "时间戳是NaN", id: "a.example.com/nan"},
	{name: "equals underline", in: "<!--1595206541000-->\n[等号下划线](https://a.example.com/eq)\n======\n\n<p>正文。</p>",
		title: "等号下划线", savedAt: savedAt2020, bodyText: "正文"},
	{name: "CRLF", in: strings.ReplaceAll(hansArticle, "\n", "\r\n"), title: "港口新航线开通 首班货轮顺利靠泊",
		savedAt: savedAt2020, bodyText: "三百多个集装箱"},
	{name: "lone CR", in: strings.ReplaceAll(hansArticle, "\n", "\r"), title: "港口新航线开通 首班货轮顺利靠泊",
		savedAt: savedAt2020},
	{name: "UTF-8 BOM", in: "\uFEFF" + hansArticle, title: "港口新航线开通 首班货轮顺利靠泊",
		savedAt: savedAt2020, encoding: EncodingUTF8},
	{name: "nested brackets", in: "[[兩岸] 論壇延期 [更新]](https://radio.example.tw/news/view/id/1)\n------\n\n<p>內容。</p>",
		title: "[兩岸] 論壇延期 [更新]", url: "https://radio.example.tw/news/view/id/1"},
	{name: "bracket pair inside title", in: "[See [x](y) now](https://a.example.com/z)\n------\n",
		title: "See [x](y) now", url: "https://a.example.com/z"},
	{name: "URL with parentheses, // and escapes",
		in:    "[判决(二审)](http://www.example.fr//cn/20200727-%E8%80%81(%E4%BA%8C)/?utm_source=x#top)\n------\n\n<p>正文。</p>",
		title: "判决(二审)", url: "http://www.example.fr//cn/20200727-%E8%80%81(%E4%BA%8C)/?utm_source=x#top",
		id: "example.fr/cn/20200727-老(二)"},
	{name: "protocol-relative URL", in: "[标题](//news.example.com/a/b/)\n------\n",
		url: "https://news.example.com/a/b/", id: "news.example.com/a/b"},
	{name: "angle-bracket URL with link title", in: "[标题](<https://news.example.com/a> \"t\")\n------\n",
		url: "https://news.example.com/a"},
	{name: "angle-bracket URL with a space", in: "[标题](<https://news.example.com/a b.html> \"t\")\n------\n",
		url: "https://news.example.com/a%20b.html"},
	{name: "escaped brackets and entities in title", in: "[A \\[draft\\] &amp;amp; more](https://a.example.com/e)\n------\n",
		title: "A [draft] & more"},
	{name: "tags in title are text", in: "[<b>粗</b>标题<script>x()</script>](https://a.example.com/t)\n------\n",
		title: "粗标题"},
	{name: "javascript URL dropped", in: "[标题](javascript:alert(1))\n------\n\n<p>正文。</p>",
		title: "标题", url: "", warning: "dropped title link that is not http(s)"},
	{name: "blank lines before preamble", in: "\n\n  \n<!--1595206541000-->\n\n[标题](https://a.example.com/b)\n---\n<p>正文。</p>",
		title: "标题", savedAt: savedAt2020},
	{name: "seconds timestamp", in: "<!--1595206541-->\n[标题](https://a.example.com/s)\n------\n", savedAt: savedAt2020},
	{name: "title only", in: "<!--1595206541000-->\n[只有标题](https://a.example.com/only)\n------\n",
		title: "只有标题", id: "a.example.com/only"},
	{name: "title link line alone", in: "[只有标题](https://a.example.com/only)", title: "只有标题"},
	{name: "front matter around preamble", in: "---\nlayout: post\ntitle: \"前置标题\"\ndate: 2020-07-28T06:16:57.000Z\n" +
		"author: 示例台\nfrom: https://radio.example.tw/news/view/id/9\ntags: [ 示例台 ]\ncategories: [ news, 示例台 ]\n---\n" +
		"[正文标题](https://radio.example.tw/news/view/id/9)\n------\n\n<p>內容。</p>",
		title: "正文标题", savedAt: "2020-07-28T06:16:57Z", id: "radio.example.tw/news/view/id/9"},
	{name: "front matter, HTML body", in: "---\ntitle: '花园 - 周刊'\nauthor: 周刊\nfrom: https://www.oasis.example.org/garden/\n" +
		"categories: [周刊]\n---\n\n<article><div class=\"entry-content\"><p>清晨的社区花园里已经有人在浇水。</p></div></article>",
		title: "花园", url: "https://www.oasis.example.org/garden/", id: "oasis.example.org/garden", bodyText: "浇水"},
	{name: "front matter, Markdown body", in: "---\ntitle: River notes\nfrom: https://blog.example.com/river\n---\n\n" +
		"The ferry leaves at dawn and the **delta** opens around it.\n\n## On the water\n\nThe channel is narrow here.\n",
		title: "River notes", lang: LangEnglish, warning: "rendered Markdown body", bodyText: "On the water"},
	{name: "front matter title with entities and tags", in: "---\ntitle: \"<em>A</em> &amp;amp; B\"\nfrom: https://a.example.com/fm\n---\n\n<p>Body.</p>",
		title: "A & B", url: "https://a.example.com/fm"},
	{name: "HTML page", in: "<!DOCTYPE html><html><head><title>港口擴建 | 日報</title><meta property=\"og:title\" content=\"港口擴建計畫通過\">" +
		"<link rel=\"canonical\" href=\"https://daily.example.hk/port\"></head><body><p>港口擴建計畫昨日通過環境評估。</p></body></html>",
		title: "港口擴建計畫通過", url: "https://daily.example.hk/port", lang: LangTraditional},
	{name: "Traditional Chinese", in: hantArticle, lang: LangTraditional},
	{name: "English", in: "[Council approves bike lanes](https://times.example.com/a)\n------\n\n<p>The city council voted on Tuesday to approve twelve miles of new lanes, the largest expansion of the network in a decade.</p>",
		lang: LangEnglish},
	{name: "no URL gets a content hash id", in: "[无链接](#)\n------\n\n<p>正文。</p>", url: ""},
	{name: "ATX title link", in: "<!--1595206541000-->\n# [井号标题链接](https://a.example.com/atx)\n\n<p>正文在标题下面。</p>",
		title: "井号标题链接", url: "https://a.example.com/atx", savedAt: savedAt2020, bodyText: "正文在标题下面"},
	{name: "ATX title link with closing hashes", in: "## [两个井号](https://a.example.com/atx2) ##\n<p>正文。</p>",
		title: "两个井号", url: "https://a.example.com/atx2"},
	{name: "ATX plain title over feed HTML", in: "# 没有链接的标题\n\n<section><p>水库今年第一次开闸泄洪。</p></section>\n",
		title: "没有链接的标题", url: "", bodyText: "开闸泄洪"},
	{name: "setext plain title over feed HTML", in: "Council opens the new bridge\n===\n\n<p>The bridge opened to traffic on Monday morning after two years of work.</p>\n<p>Cyclists were first across.</p>",
		title: "Council opens the new bridge", url: "", lang: LangEnglish, bodyText: "Cyclists"},
	{name: "ATX title in front matter file keeps the front matter title", in: "---\ntitle: 前置标题为准\nfrom: https://a.example.com/fm2\n---\n\n# 正文里的标题\n\n<p>正文。</p>",
		title: "前置标题为准", url: "https://a.example.com/fm2"},
}

func TestParseDocument(t *testing.T) {
	for _, tc := range docCases {
		t.Run(tc.name, func(t *testing.T) {
			a, err := Parse([]byte(tc.in))
			if err != nil {
				t.Fatalf("Parse(%q): %v", tc.in, err)
			}
			checkDocCase(t, tc, a)
		})
	}
}

func checkDocCase(t *testing.T, tc docCase, a *Article) {
	t.Helper()
	check := func(field, got, want string) {
		t.Helper()
		if want != "" && got != want {
			t.Errorf("Parse(%q).%s = %q, want %q", tc.in, field, got, want)
		}
	}
	check("Title", a.Title, tc.title)
	check("ID", a.ID, tc.id)
	check("Lang", a.Lang, tc.lang)
	check("Encoding", a.Encoding, tc.encoding)
	if tc.url != "" || strings.Contains(tc.name, "dropped") || strings.Contains(tc.name, "no URL") {
		check("URL", a.URL, tc.url)
		if tc.url == "" && a.URL != "" {
			t.Errorf("Parse(%q).URL = %q, want none", tc.in, a.URL)
		}
	}
	if tc.url == "" && a.URL == "" && !strings.HasPrefix(a.ID, "h-") {
		t.Errorf("Parse(%q).ID = %q, want a content hash id h-…", tc.in, a.ID)
	}
	if tc.savedAt != "" {
		check("SavedAt", a.SavedAt.Format(time.RFC3339), tc.savedAt)
	}
	if tc.warning != "" && !slices.Contains(a.Warnings, tc.warning) {
		t.Errorf("Parse(%q).Warnings = %q, want %q among them", tc.in, a.Warnings, tc.warning)
	}
	if tc.bodyText != "" && !strings.Contains(a.PlainText(), tc.bodyText) {
		t.Errorf("Parse(%q).PlainText() = %q, want it to hold %q", tc.in, a.PlainText(), tc.bodyText)
	}
}

func TestParseNoSavedAt(t *testing.T) {
	for _, in := range []string{
		"<!--NaN-->\n[标题](https://a.example.com/nan)\n------\n",
		"[标题](https://a.example.com/none)\n------\n",
		"<!--99-->\n[标题](https://a.example.com/tiny)\n------\n",
	} {
		a, err := Parse([]byte(in))
		if err != nil {
			t.Fatalf("Parse(%q): %v", in, err)
		}
		if !a.SavedAt.IsZero() {
			t.Errorf("Parse(%q).SavedAt = %v, want none", in, a.SavedAt)
		}
	}
}

// TestParseLegacyEncodings encodes the fixture texts as GB18030 and Big5,
// with no charset declaration, and expects the same article back.
func TestParseLegacyEncodings(t *testing.T) {
	cases := []struct {
		name, text, encoding, warning string
		enc                           encoding.Encoding
	}{
		{"GB18030", hansArticle, EncodingGB18030, "decoded from GB18030", simplifiedchinese.GB18030},
		{"GBK", hansArticle, EncodingGB18030, "decoded from GB18030", simplifiedchinese.GBK},
		{"Big5", hantArticle, EncodingBig5, "decoded from Big5", traditionalchinese.Big5},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			data, err := tc.enc.NewEncoder().Bytes([]byte(tc.text))
			if err != nil {
				t.Fatal(err)
			}
			want, err := Parse([]byte(tc.text))
			if err != nil {
				t.Fatal(err)
			}
			got, err := Parse(data)
			if err != nil {
				t.Fatalf("Parse(%s bytes): %v", tc.name, err)
			}
			if got.Encoding != tc.encoding || !slices.Contains(got.Warnings, tc.warning) {
				t.Errorf("Parse(%s bytes) = encoding %q, warnings %q; want %q with %q", tc.name, got.Encoding, got.Warnings, tc.encoding, tc.warning)
			}
			if got.Title != want.Title || got.PlainText() != want.PlainText() {
				t.Errorf("Parse(%s bytes) = %q, want %q", tc.name, got.PlainText(), want.PlainText())
			}
		})
	}
}

// TestParseWindows1252 reads Western articles that are not UTF-8: found
// by their text, or by a declaration, and never at the cost of Chinese
// text that declares Latin-1 by mistake.
func TestParseWindows1252(t *testing.T) {
	article := "[Caf\xe9 owners \x93hopeful\x94 as the square reopens](https://town.example.com/cafe)\n------\n\n" +
		"<p>The caf\xe9 on the square reopened on Friday \x96 its first day since the flood \x96 and the owners said they were na\xefve to expect a crowd.</p>"
	a, err := Parse([]byte(article))
	if err != nil {
		t.Fatalf("Parse(Windows-1252 article): %v", err)
	}
	wantTitle := "Café owners “hopeful” as the square reopens"
	if a.Title != wantTitle || a.Encoding != EncodingLatin || !slices.Contains(a.Warnings, "decoded from Windows-1252") {
		t.Errorf("Parse(Windows-1252 article) = title %q, encoding %q, warnings %q; want %q, %q, decoded from Windows-1252", a.Title, a.Encoding, a.Warnings, wantTitle, EncodingLatin)
	}
	if !strings.Contains(a.PlainText(), "Friday – its first day") || a.Lang != LangEnglish {
		t.Errorf("Parse(Windows-1252 article) = lang %q, text %q", a.Lang, a.PlainText())
	}

	page := "<html><head><meta charset=\"iso-8859-1\"><title>Stra\xdfe</title></head><body><p>\xdcber die Stra\xdfe.</p></body></html>"
	if a, err := Parse([]byte(page)); err != nil || a.Title != "Straße" || a.Encoding != EncodingLatin {
		t.Errorf("Parse(page declaring ISO-8859-1) = %v, %v; want title Straße read as windows-1252", a, err)
	}

	stale := "<html><head><meta charset=\"iso-8859-1\"><title>短</title></head><body><p>中文内容在这里。</p></body></html>"
	data, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(stale))
	if err != nil {
		t.Fatal(err)
	}
	if a, err := Parse(data); err != nil || a.Encoding != EncodingGB18030 || a.Title != "短" {
		t.Errorf("Parse(GBK page declaring ISO-8859-1) = %v, %v; want title 短 read as gb18030", a, err)
	}

	english := "[Talks in 北京 end without a deal](https://wire.example.com/talks)\n------\n\n<p>Negotiators left the capital on Sunday with no agreement, officials said.</p>"
	data, err = simplifiedchinese.GBK.NewEncoder().Bytes([]byte(english))
	if err != nil {
		t.Fatal(err)
	}
	if a, err := Parse(data); err != nil || a.Encoding != EncodingGB18030 || a.Title != "Talks in 北京 end without a deal" {
		t.Errorf("Parse(GBK English article with two Han characters) = %v, %v; want its title read as gb18030", a, err)
	}
}

func TestParseMetaCharset(t *testing.T) {
	text := "<!DOCTYPE html><html><head><meta charset=\"gbk\"><title>短</title></head><body><p>中文</p></body></html>"
	data, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	a, err := Parse(data)
	if err != nil {
		t.Fatalf("Parse(GBK page with meta charset): %v", err)
	}
	if a.Encoding != EncodingGB18030 || a.Title != "短" {
		t.Errorf("Parse(GBK page with meta charset) = encoding %q, title %q; want %q, %q", a.Encoding, a.Title, EncodingGB18030, "短")
	}
}

func TestParseUTF16(t *testing.T) {
	le := []byte{0xFF, 0xFE}
	for _, r := range "[标题](https://a.example.com/u)\n------\n\n<p>正文。</p>" {
		le = append(le, byte(r), byte(r>>8))
	}
	a, err := Parse(le)
	if err != nil {
		t.Fatalf("Parse(UTF-16LE): %v", err)
	}
	if a.Title != "标题" || a.Encoding != EncodingUTF16 {
		t.Errorf("Parse(UTF-16LE) = title %q, encoding %q; want %q, %q", a.Title, a.Encoding, "标题", EncodingUTF16)
	}
}

func TestParseDamagedUTF8(t *testing.T) {
	in := []byte(hansArticle)
	in = append(in[:len(in)-5:len(in)-5], 0xE6, 0x96) // cut in the middle of a character
	a, err := Parse(in)
	if err != nil {
		t.Fatalf("Parse(damaged UTF-8): %v", err)
	}
	if a.Encoding != EncodingUTF8 || a.Title != "港口新航线开通 首班货轮顺利靠泊" {
		t.Errorf("Parse(damaged UTF-8) = encoding %q, title %q; want UTF-8 and the title", a.Encoding, a.Title)
	}
}

func TestParseErrors(t *testing.T) {
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10")
	cases := []struct {
		name string
		in   []byte
		want error
	}{
		{"empty", nil, ErrEmpty},
		{"white space", []byte(" \n\t\r\n "), ErrEmpty},
		{"BOM only", []byte("\uFEFF\n"), ErrEmpty},
		{"PNG", png, ErrBinary},
		{"NUL bytes", []byte("[标题](https://a.example.com/)\n\x00\x00\x00"), ErrBinary},
		{"README", []byte("# Notes\n\nThis folder holds notes.\n\n- [Home](https://example.com/)\n"), ErrNotArticle},
		{"link line then prose", []byte("[Home](https://example.com/)\nWelcome to the notes.\n"), ErrNotArticle},
		{"badge line", []byte("[![CI](https://ci.example.com/b.svg)](https://ci.example.com/)\n\nA tool.\n"), ErrNotArticle},
		{"front matter without title", []byte("---\nlayout: page\n---\n\nJust text.\n"), ErrNotArticle},
		{"HTML without title", []byte("<html><body><p>no title here</p></body></html>"), ErrNotArticle},
		{"Latin-1 prose", []byte("caf\xe9 cr\xe8me br\xfbl\xe9e \xe0 la carte, d\xe9j\xe0 vu, na\xefve \xfcber"), ErrNotArticle},
		{"neither Chinese nor Western", bytes.Repeat([]byte("\x81\x8d\x8f\x90\x9d abc "), 20), ErrEncoding},
		{"heading over HTML then Markdown", []byte("# Project\n\n<p align=\"center\"><img src=\"logo.png\"></p>\n\nA tool that does things.\n"), ErrNotArticle},
		{"heading over Markdown", []byte("# 说明\n\n这个目录放的是笔记。\n"), ErrNotArticle},
		{"17 MiB", bytes.Repeat([]byte("<p>长</p>"), 17<<20/10+1), ErrTooLarge},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a, err := Parse(tc.in)
			if !errors.Is(err, tc.want) {
				t.Fatalf("Parse(%.40q) = %v, %v; want error %v", tc.in, a, err, tc.want)
			}
			if a != nil {
				t.Errorf("Parse(%.40q) returned an article with error %v", tc.in, err)
			}
			if err.Error() == tc.want.Error() {
				t.Errorf("Parse(%.40q) error %q says no why", tc.in, err)
			}
		})
	}
}

func TestParseWithOptions(t *testing.T) {
	_, err := ParseWithOptions([]byte("plain words"), WithName("notes/README.md"))
	if !errors.Is(err, ErrNotArticle) || !strings.Contains(err.Error(), "notes/README.md") {
		t.Errorf("ParseWithOptions(README, WithName) error = %v, want ErrNotArticle naming the file", err)
	}
	a, err := ParseWithOptions([]byte("<html><body><p>正文。</p></body></html>"), WithName("archive/港口新闻.html"))
	if err != nil || a.Title != "港口新闻" {
		t.Errorf("ParseWithOptions(untitled page, WithName) = %v, %v; want title %q", a, err, "港口新闻")
	}
	_, err = ParseWithOptions([]byte(hansArticle), WithMaxSize(100))
	if !errors.Is(err, ErrTooLarge) {
		t.Errorf("ParseWithOptions(%d bytes, WithMaxSize(100)) error = %v, want ErrTooLarge", len(hansArticle), err)
	}
}

func TestFrontMatter(t *testing.T) {
	in := "---\nlayout: post\ntitle: \"[財經] \\\"引號\\\" 標題\"\ndate: 2020-07-28 06:16:57 +0800\nauthor: 'O''Brien'\n" +
		"from: https://radio.example.tw/a # comment\ntags: [ \"a, b\", c ,, 'd' ]\ncategories:\n  - news\n  - 示例台\nextra: |\n  ignored\n---\nBODY"
	fm, rest, ok := splitFrontMatter(in)
	if !ok || rest != "BODY" {
		t.Fatalf("splitFrontMatter(%q) = ok %v, rest %q; want ok, %q", in, ok, rest, "BODY")
	}
	checks := []struct{ field, got, want string }{
		{"title", fm.title, `[財經] "引號" 標題`},
		{"date", fm.date.Format(time.RFC3339), "2020-07-27T22:16:57Z"},
		{"author", fm.author, "O'Brien"},
		{"from", fm.from, "https://radio.example.tw/a"},
		{"tags", strings.Join(fm.tags, "|"), "a, b|c|d"},
		{"categories", strings.Join(fm.categories, "|"), "news|示例台"},
		{"source", fm.source(""), "示例台"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("splitFrontMatter(…).%s = %q, want %q", c.field, c.got, c.want)
		}
	}
	for _, notFM := range []string{"---\nno closing\n", "--- \n\n---\nx", "----\ntitle: x\n---\n", "text\n---\ntitle: x\n---\n"} {
		if _, _, ok := splitFrontMatter(notFM); ok {
			t.Errorf("splitFrontMatter(%q) = ok, want no front matter", notFM)
		}
	}
}

func TestSource(t *testing.T) {
	cases := []struct {
		fm   frontMatter
		url  string
		want string
	}{
		{frontMatter{categories: []string{"news", "中国数字时代"}}, "https://a.example.com/", "中国数字时代"},
		{frontMatter{categories: []string{"news"}, tags: []string{"法广"}}, "https://a.example.com/", "法广"},
		{frontMatter{}, "https://WWW.Example.COM/x", "example.com"},
		{frontMatter{}, "", ""},
		{frontMatter{}, "https://cn.nytimes.com/asia-pacific/20250101/x/", "纽约时报中文网"},
		{frontMatter{categories: []string{"纽约时报"}}, "https://cn.nytimes.com/x/", "纽约时报中文网"},
		{frontMatter{categories: []string{"Huli"}}, "https://medium.com/@huli/x", "Huli"},
	}
	for _, c := range cases {
		if got := c.fm.source(c.url); got != c.want {
			t.Errorf("%+v.source(%q) = %q, want %q", c.fm, c.url, got, c.want)
		}
	}
}

func TestFrontMatterAuthor(t *testing.T) {
	fm := frontMatter{author: "路透", tags: []string{"路透"}, categories: []string{"news", "路透"}}
	if got := fm.byline(fm.source("")); got != "" {
		t.Errorf("byline of publication author = %q, want none", got)
	}
	fm.author = "张弘"
	if got := fm.byline(fm.source("")); got != "张弘" {
		t.Errorf("byline = %q, want %q", got, "张弘")
	}
}

func TestArticleID(t *testing.T) {
	same := []string{
		"https://news.example.com/world/2025/story/",
		"http://news.example.com/world/2025/story",
		"https://NEWS.example.com/world/2025/story?utm_source=rss#comments",
		"https://www.news.example.com//world//2025/story/",
		"https://news.example.com:443/world/2025/story",
	}
	for _, u := range same {
		if got := articleID(u, "x"); got != "news.example.com/world/2025/story" {
			t.Errorf("articleID(%q) = %q, want %q", u, got, "news.example.com/world/2025/story")
		}
	}
	cases := []struct{ url, want string }{
		{"https://www.example.org/%e7%a4%be%e5%8c%ba/", "example.org/社区"},
		{"https://www.example.org/%E7%A4%BE%E5%8C%BA", "example.org/社区"},
		{"https://video.example.com/watch?v=abc&t=10", "video.example.com/watch?v=abc"},
		{"https://a.example.com/news.php?ID=7&from=rss", "a.example.com/news.php?id=7"},
		{"https://a.example.com:8080/x", "a.example.com:8080/x"},
		{"https://a.example.com", "a.example.com"},
	}
	for _, c := range cases {
		if got := articleID(c.url, "x"); got != c.want {
			t.Errorf("articleID(%q) = %q, want %q", c.url, got, c.want)
		}
	}
	h1, h2 := articleID("", "text one"), articleID("", "text two")
	if !strings.HasPrefix(h1, "h-") || h1 == h2 || h1 != articleID("", "text one") {
		t.Errorf("articleID without URL = %q, %q; want distinct stable h- ids", h1, h2)
	}
	long := "https://a.example.com/" + strings.Repeat("长", 400)
	if got := articleID(long, ""); len(got) > maxIDLen || got != articleID(long, "") {
		t.Errorf("articleID(long URL) has %d bytes, want at most %d and stable", len(got), maxIDLen)
	}
}

func TestDetectLang(t *testing.T) {
	cases := []struct{ text, want string }{
		{"这是一篇关于城市交通的新闻报道，记者们采访了很多市民。", LangSimplified},
		{"這是一篇關於城市交通的新聞報導，記者們採訪了很多市民。", LangTraditional},
		{"The council voted to approve the plan for the city and the region.", LangEnglish},
		{"これは日本語の文章です。東京の天気について書きます。", LangJapanese},
		{"이것은 한국어 문장입니다. 서울의 날씨에 대해 씁니다.", LangKorean},
		{"12345 !!! ---", ""},
		{"Der Rat hat heute über den Plan abgestimmt, die Stadt freut sich sehr.", ""},
	}
	for _, c := range cases {
		if got := detectLang(c.text); got != c.want {
			t.Errorf("detectLang(%q) = %q, want %q", c.text, got, c.want)
		}
	}
}

func TestParseTitleLink(t *testing.T) {
	cases := []struct{ line, title, url string }{
		{"[标题](https://a.example.com/)", "标题", "https://a.example.com/"},
		{"[[兩岸] 標題](https://a.example.com/x)", "[兩岸] 標題", "https://a.example.com/x"},
		{"[Wiki](https://en.example.org/wiki/A_(b))", "Wiki", "https://en.example.org/wiki/A_(b)"},
		{"[a](b) c](https://a.example.com/)", "a](b) c", "https://a.example.com/"},
		{"  [标题](https://a.example.com/)  ", "标题", "https://a.example.com/"},
	}
	for _, c := range cases {
		title, u, ok := parseTitleLink(c.line)
		if !ok || title != c.title || u != c.url {
			t.Errorf("parseTitleLink(%q) = %q, %q, %v; want %q, %q", c.line, title, u, ok, c.title, c.url)
		}
	}
	for _, bad := range []string{"", "[]", "no link", "[标题]", "(x)[y]", "[标题](https://a.example.com/"} {
		if _, _, ok := parseTitleLink(bad); ok {
			t.Errorf("parseTitleLink(%q) = ok, want not a title link", bad)
		}
	}
}

func TestPlainText(t *testing.T) {
	a := &Article{
		Title:   "标题",
		Authors: []string{"甲", "乙"},
		Lead:    &Image{Src: "https://i.example.com/a.jpg", Caption: "图注", Credit: "摄影"},
		Body: []Block{
			{Type: BlockParagraph, Text: "第一段"},
			{Type: BlockFigure, Text: "图二", Caption: "图二", Credit: "作者丙"},
			{Type: BlockQuote, Blocks: []Block{{Type: BlockParagraph, Text: "引文"}}},
			{Type: BlockList, Items: []Item{{Text: "一"}, {Text: "二"}}},
		},
		Footer:     []Block{{Type: BlockParagraph, Text: "翻译：丁"}},
		Translator: "丁",
	}
	want := "标题\n甲, 乙\n图注\n摄影\n第一段\n图二\n作者丙\n引文\n一\n二\n翻译：丁"
	if got := a.PlainText(); got != want {
		t.Errorf("PlainText() = %q, want %q", got, want)
	}
}

func TestMarkdownToHTML(t *testing.T) {
	cases := []struct{ in, want string }{
		{"Hello **bold** and *em* and `a<b`.", "<p>Hello <strong>bold</strong> and <em>em</em> and <code>a&lt;b</code>.</p>\n"},
		{"# Title\n\ntext", "<h1>Title</h1>\n<p>text</p>\n"},
		{"Sub\n---\nmore", "<h2>Sub</h2>\n<p>more</p>\n"},
		{"> quoted\n> > deeper", "<blockquote>\n<p>quoted</p>\n<blockquote>\n<p>deeper</p>\n</blockquote>\n</blockquote>\n"},
		{"1. one\n2. two\n   cont", "<ol>\n<li>one</li>\n<li>two\ncont</li>\n</ol>\n"},
		{"- a\n- b", "<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n"},
		{"3) three\n4) four", "<ol start=\"3\">\n<li>three</li>\n<li>four</li>\n</ol>\n"},
		{"0. zero", "<ol start=\"0\">\n<li>zero</li>\n</ol>\n"},
		{"[link *x*](https://a.example.com/?q=\"1\" \"title\") ![alt\"](https://i.example.com/p.png)",
			"<p><a href=\"https://a.example.com/?q=&#34;1&#34;\">link <em>x</em></a> <img src=\"https://i.example.com/p.png\" alt=\"alt&#34;\"></p>\n"},
		{"<https://a.example.com/x> snake_case_name", "<p><a href=\"https://a.example.com/x\">https://a.example.com/x</a> snake_case_name</p>\n"},
		{"line one  \nline two", "<p>line one<br>\nline two</p>\n"},
		{"```\n<script>x</script>\n```", "<pre><code>&lt;script&gt;x&lt;/script&gt;\n</code></pre>\n"},
		{"<div class=\"raw\">kept</div>\n\n***", "<div class=\"raw\">kept</div>\n<hr>\n"},
		{"\\*not em\\* [unclosed](x **open", "<p>*not em* [unclosed](x **open</p>\n"},
	}
	for _, c := range cases {
		if got := markdownToHTML(c.in); got != c.want {
			t.Errorf("markdownToHTML(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// TestMarkdownLinear renders inputs that would be quadratic for a naive
// delimiter search; it fails by timing out, not by a clock.
func TestMarkdownLinear(t *testing.T) {
	for _, unit := range []string{"[", "*a", "_a ", "a`", "](", "![", "**a", ">", "<a"} {
		in := strings.Repeat(unit, 200000)
		if out := markdownToHTML(in); len(out) < len(in)/2 {
			t.Errorf("markdownToHTML(%q × 200000) gave %d bytes, want about %d", unit, len(out), len(in))
		}
	}
}
