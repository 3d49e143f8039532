package parser

import (
	"errors"
	"fmt"
	"net/url"
	"path"
	"strings"
	"time"
)

// Errors for inputs that are not articles; match them with errors.Is. The
// returned errors wrap these with the reason.
var (
	ErrEmpty      = errors.New("parser: empty file")
	ErrBinary     = errors.New("parser: binary file, not text")
	ErrTooLarge   = errors.New("parser: file too large")
	ErrNotArticle = errors.New("parser: not an article")
	ErrEncoding   = errors.New("parser: unreadable text encoding")
)

// MaxSize is the largest input Parse accepts by default.
const MaxSize = 16 << 20

// Option changes how ParseWithOptions reads a file.
type Option func(*options)

type options struct {
	name    string
	maxSize int
}

// WithName gives the file's name. An HTML page that names no title of its
// own is then titled after the file, and errors mention the name.
func WithName(name string) Option {
	return func(o *options) { o.name = name }
}

// WithMaxSize replaces MaxSize as the largest input accepted.
func WithMaxSize(n int) Option {
	return func(o *options) { o.maxSize = n }
}

// Parse reads one article file with the default options.
func Parse(data []byte) (*Article, error) {
	return ParseWithOptions(data)
}

// ParseWithOptions reads one article file: it decodes the bytes, reads
// the front matter and preamble, hands the feed HTML to the body stage,
// and fills in the id, source and language. Errors wrap ErrEmpty,
// ErrBinary, ErrTooLarge, ErrEncoding or ErrNotArticle.
func ParseWithOptions(data []byte, opts ...Option) (*Article, error) {
	o := options{maxSize: MaxSize}
	for _, opt := range opts {
		opt(&o)
	}
	a, err := parse(data, o)
	if err != nil && o.name != "" {
		return nil, fmt.Errorf("%s: %w", o.name, err)
	}
	return a, err
}

// parse runs the stages in order.
func parse(data []byte, o options) (*Article, error) {
	if len(data) > o.maxSize {
		return nil, fmt.Errorf("%w: %d bytes, the limit is %d", ErrTooLarge, len(data), o.maxSize)
	}
	d, err := decode(data)
	if err != nil {
		return nil, err
	}
	text := normalizeNewlines(d.text)
	if strings.TrimSpace(text) == "" {
		return nil, fmt.Errorf("%w: %d bytes of white space", ErrEmpty, len(data))
	}
	doc, err := readDocument(text, o.name)
	if err != nil {
		return nil, err
	}
	a := doc.article(d)
	u, err := url.Parse(a.URL) // parsed once, for the body stage and finish
	if err != nil {
		u = nil
	}
	a.addBody(parseBodyAt(doc.bodyHTML(), httpBase(u)))
	a.finish(text, doc.fm, u)
	return a, nil
}

// normalizeNewlines turns CRLF and lone CR into LF.
func normalizeNewlines(s string) string {
	if !strings.Contains(s, "\r") {
		return s
	}
	return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
}

// document is a file split into its head (front matter, preamble or HTML
// head) and its body.
type document struct {
	title    string
	url      string
	savedAt  time.Time
	fm       frontMatter
	body     string
	markdown bool // body is Markdown, not HTML
	warnings []string
}

// readDocument finds the article's head. The shapes, tried in order:
// front matter (with or without a preamble after it), a preamble, an HTML
// page with a title. Anything else is not an article.
func readDocument(text, name string) (document, error) {
	fm, rest, hasFM := splitFrontMatter(text)
	if p, ok := parsePreamble(rest); ok && !(p.plain && hasFM && fm.title != "") {
		return preambleDocument(p, fm), nil
	}
	if hasFM && fm.title != "" {
		return frontMatterDocument(fm, rest), nil
	}
	if looksLikeHTML(rest) {
		return htmlDocument(rest, fm, name)
	}
	if hasFM {
		return document{}, fmt.Errorf("%w: front matter with no title, and no title link", ErrNotArticle)
	}
	return document{}, fmt.Errorf("%w: no title link and no article HTML", ErrNotArticle)
}

// preambleDocument is the usual shape: the preamble names the title, URL
// and save time; front matter, when present, fills the gaps.
func preambleDocument(p preamble, fm frontMatter) document {
	d := document{title: p.title, url: p.url, savedAt: p.savedAt, fm: fm, body: p.body, warnings: p.warnings}
	if d.title == "" {
		d.title = fm.title
	}
	if d.url == "" {
		d.url = cleanArticleURL(fm.from)
	}
	if d.savedAt.IsZero() {
		d.savedAt = fm.date
	}
	d.markdown = strings.TrimSpace(d.body) != "" && !looksLikeHTML(d.body)
	return d
}

// frontMatterDocument is a Jekyll post with no preamble: title, URL and
// date from the front matter, then an HTML page or a Markdown body.
func frontMatterDocument(fm frontMatter, body string) document {
	d := document{title: fm.title, url: cleanArticleURL(fm.from), savedAt: fm.date, fm: fm, body: body}
	d.markdown = strings.TrimSpace(body) != "" && !looksLikeHTML(body)
	return d
}

// htmlDocument is a saved HTML page: its head names the title and URL.
func htmlDocument(body string, fm frontMatter, name string) (document, error) {
	h := readHTMLHead(body)
	title := h.bestTitle()
	if title == "" && name != "" {
		title = strings.TrimSuffix(path.Base(name), path.Ext(name))
	}
	if title == "" {
		return document{}, fmt.Errorf("%w: HTML with no title (no preamble, front matter, <title> or <h1>)", ErrNotArticle)
	}
	return document{title: title, url: h.bestURL(), fm: fm, body: body}, nil
}

// bodyHTML is the body as HTML for the body stage.
func (d *document) bodyHTML() string {
	if d.markdown {
		return markdownToHTML(d.body)
	}
	return d.body
}

// article starts the Article from the document's head.
func (d *document) article(dec decoded) *Article {
	a := &Article{
		URL:      d.url,
		Title:    d.title,
		SavedAt:  d.savedAt,
		Encoding: dec.encoding,
	}
	a.Warnings = append(a.Warnings, dec.warnings...)
	a.Warnings = append(a.Warnings, d.warnings...)
	if d.markdown {
		a.Warnings = append(a.Warnings, "rendered Markdown body")
	}
	return a
}

// addBody takes what the body stage found.
func (a *Article) addBody(p bodyParts) {
	a.Authors = p.Authors
	a.Published = p.Published
	a.DateText = p.DateText
	a.Lead = p.Lead
	a.Body = p.Body
	a.Footer = p.Footer
	a.Translator = p.Translator
	a.OriginalURL = p.OriginalURL
	a.Warnings = append(a.Warnings, p.Warnings...)
}

// finish fills what depends on everything else: source, tags, authors
// from front matter, language, title fallback and id. u is the parsed
// a.URL, nil when it does not parse.
func (a *Article) finish(text string, fm frontMatter, u *url.URL) {
	a.Source = fm.sourceOf(u)
	a.Tags = fm.tagList()
	if len(a.Authors) == 0 {
		if by := fm.byline(a.Source); by != "" {
			a.Authors = splitAuthors(by)
		}
	}
	var names []string
	if u != nil {
		names = knownPublications().names(u)
	}
	names = append(names[:len(names):len(names)], a.Source, fm.author)
	a.Title = trimSiteSuffix(a.Title, names...)
	if a.Title == "" {
		a.Title = titleFallback(a)
	}
	a.Body = dropLabel(a.Body, a.Title, names...)
	a.Lang = articleLang(a)
	a.ID = articleIDOf(u, text)
}

// titleSeparators stand between a page title and its site's name.
var titleSeparators = []string{" - ", " – ", " — ", " | ", " _ "}

// trimSiteSuffix removes trailing " - Site" parts from a title when Site
// is one of names: the source, the front matter author, the names of the
// publication ("… - iYouPort", "… – 法国国际广播电台 - RFI").
func trimSiteSuffix(title string, names ...string) string {
	for {
		t := trimOneSuffix(title, names)
		if t == title {
			return title
		}
		title = t
	}
}

// trimOneSuffix removes one trailing " - Site".
func trimOneSuffix(title string, names []string) string {
	for _, sep := range titleSeparators {
		i := strings.LastIndex(title, sep)
		if i <= 0 {
			continue
		}
		suffix := strings.TrimSpace(title[i+len(sep):])
		for _, n := range names {
			if n != "" && strings.EqualFold(suffix, n) {
				return strings.TrimSpace(title[:i])
			}
		}
	}
	return title
}

// titleFallback names an article whose title link had no text: its first
// heading or paragraph, else its URL.
func titleFallback(a *Article) string {
	for _, b := range a.Body {
		if b.Text != "" && (b.Type == BlockHeading || b.Type == BlockParagraph) {
			return truncateRunes(b.Text, 80)
		}
	}
	return a.URL
}

// truncateRunes cuts s to at most n runes, adding "…" when cut.
func truncateRunes(s string, n int) string {
	i := 0
	for j := range s {
		if i == n {
			return s[:j] + "…"
		}
		i++
	}
	return s
}
