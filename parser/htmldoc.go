package parser

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// An HTML page saved without preamble or front matter is an article when
// its head names a title. htmlHead reads the title and the canonical URL
// with the tokenizer, before the body stage parses the page.

// maxHeadTokens bounds the scan for title, canonical link and first h1.
const maxHeadTokens = 20000

// htmlHead is what the head of an HTML page says about the article.
type htmlHead struct {
	title, ogTitle, h1 string
	canonical, ogURL   string
}

// readHTMLHead scans an HTML page for its title and URL.
func readHTMLHead(src string) htmlHead {
	var h htmlHead
	z := html.NewTokenizer(strings.NewReader(src))
	var in atom.Atom // title or h1 while inside one
	var text strings.Builder
	for n := 0; n < maxHeadTokens && h.h1 == ""; n++ {
		switch z.Next() {
		case html.ErrorToken:
			return h
		case html.StartTagToken, html.SelfClosingTagToken:
			t := z.Token()
			if t.DataAtom == atom.Title && h.title == "" || t.DataAtom == atom.H1 {
				in = t.DataAtom
				text.Reset()
			}
			h.readTag(t)
		case html.TextToken:
			if in != 0 {
				text.Write(z.Text())
			}
		case html.EndTagToken:
			if t := z.Token(); t.DataAtom == in && in != 0 {
				h.setText(in, foldSpace(text.String()))
				in = 0
			}
		}
	}
	return h
}

// setText keeps the text of a title or h1 element.
func (h *htmlHead) setText(a atom.Atom, s string) {
	if a == atom.Title {
		h.title = s
	} else {
		h.h1 = s
	}
}

// readTag keeps og:title, og:url and the canonical link.
func (h *htmlHead) readTag(t html.Token) {
	attr := func(name string) string {
		for _, a := range t.Attr {
			if a.Key == name {
				return strings.TrimSpace(a.Val)
			}
		}
		return ""
	}
	switch t.DataAtom {
	case atom.Meta:
		switch strings.ToLower(attr("property") + attr("name")) {
		case "og:title", "twitter:title":
			if h.ogTitle == "" {
				h.ogTitle = foldSpace(attr("content"))
			}
		case "og:url":
			h.ogURL = attr("content")
		}
	case atom.Link:
		if strings.EqualFold(attr("rel"), "canonical") {
			h.canonical = attr("href")
		}
	}
}

// bestTitle prefers og:title, then the first h1, then the title element.
func (h htmlHead) bestTitle() string {
	for _, s := range []string{h.ogTitle, h.h1, h.title} {
		if s != "" {
			return s
		}
	}
	return ""
}

// bestURL prefers the canonical link, then og:url.
func (h htmlHead) bestURL() string {
	if u := cleanArticleURL(h.canonical); u != "" {
		return u
	}
	return cleanArticleURL(h.ogURL)
}
