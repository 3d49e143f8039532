package main

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/broadsheet/broadsheet/parser"
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// viewOptions are what article rendering needs beyond the article.
type viewOptions struct {
	// base is the site's base path ("/" or "/REPO/"), for reader links.
	base string
	// local maps a link's href to the id of an article in the library;
	// such links open the reader instead of a new tab.
	local map[string]string
	// query is the search whose matches are marked (search_mark.go).
	query string
}

// articleContent is the inside of article#reader for a loaded article:
// header with the only h1, lead picture, body, footer. It never emits raw
// HTML: every string becomes a text node or an attribute value.
func articleContent(a *parser.Article, o viewOptions) []app.UI {
	return []app.UI{
		articleHeader(a, o),
		leadFigure(a.Lead),
		app.Div().Class("article-body").Body(blocksView(a.Body, o)...),
		articleFooter(a, o),
	}
}

// articleHeader is the title (the page's only h1) and the byline.
func articleHeader(a *parser.Article, o viewOptions) app.UI {
	title := a.Title
	if title == "" {
		title = T(msgUntitled)
	}
	return app.Header().Class("article-header").Body(
		app.H1().Class("article-heading").Body(o.text(title)...),
		byline(a),
	)
}

// byline shows authors, the date text and the source.
func byline(a *parser.Article) app.UI {
	var parts []app.UI
	if len(a.Authors) > 0 {
		parts = append(parts, app.Span().Class("byline-authors").Text(joinNames(a.Authors, a.Lang)))
	}
	if d := dateText(a); d != "" {
		parts = append(parts, app.Time().Class("byline-date").DateTime(a.Published).Text(d))
	}
	if a.Source != "" {
		parts = append(parts, app.Span().Class("byline-source").Text(a.Source))
	}
	return app.P().Class("byline").Body(parts...)
}

// dateText is the source's own date text, else the published date.
func dateText(a *parser.Article) string {
	if a.DateText != "" {
		return a.DateText
	}
	if len(a.Published) >= 10 {
		return a.Published[:10]
	}
	if !a.SavedAt.IsZero() {
		return a.SavedAt.Format("2006-01-02")
	}
	return ""
}

// joinNames joins author names the way the text's language does:
// "、" for Chinese, ", " otherwise.
func joinNames(names []string, lang string) string {
	if lang == "zh" || strings.HasPrefix(lang, "zh-") {
		return strings.Join(names, "、")
	}
	return strings.Join(names, ", ")
}

// leadFigure is figure.lead: the lead picture with caption and credit.
func leadFigure(img *parser.Image) app.UI {
	if img == nil || safeImageSrc(img.Src) == "" {
		return nil
	}
	return app.Figure().Class("lead").Body(
		picture(img.Src, img.Width, img.Height),
		caption(img.Caption, img.Credit),
	)
}

// picture is an img with its size (no layout jump), lazy loading and a
// class added when it fails to load, so that only the caption remains.
func picture(src string, width, height int) app.UI {
	img := app.Img().
		Src(safeImageSrc(src)).
		Alt("").
		Attr("loading", "lazy").
		Attr("decoding", "async").
		Attr("referrerpolicy", "no-referrer").
		OnError(markBroken)
	if width > 0 && height > 0 {
		img = img.Width(width).Height(height)
	}
	return img
}

// markBroken hides a picture that could not load; its caption stays.
func markBroken(ctx app.Context, e app.Event) {
	ctx.JSSrc().Get("classList").Call("add", "broken")
}

// caption is a figcaption with the credit in span.credit, or nothing.
func caption(text, credit string) app.UI {
	if text == "" && credit == "" {
		return nil
	}
	var body []app.UI
	if text != "" {
		body = append(body, app.Span().Class("caption").Text(text))
	}
	if credit != "" {
		body = append(body, app.Span().Class("credit").Text(credit))
	}
	return app.FigCaption().Body(body...)
}

// blocksView renders a list of blocks.
func blocksView(blocks []parser.Block, o viewOptions) []app.UI {
	out := make([]app.UI, 0, len(blocks))
	for _, b := range blocks {
		if ui := blockView(b, o); ui != nil {
			out = append(out, ui)
		}
	}
	return out
}

// blockView renders one block by kind; unknown kinds become paragraphs.
func blockView(b parser.Block, o viewOptions) app.UI {
	switch b.Type {
	case parser.BlockHeading:
		return headingView(b, o)
	case parser.BlockFigure:
		return figureView(b)
	case parser.BlockQuote:
		return quoteView(b, o)
	case parser.BlockList:
		return listView(b, o)
	default:
		return paragraphView(b, o)
	}
}

// paragraphView is a p with its inline runs. A line of preformatted text
// (verse, code) is a p of class pre, in a fixed-width font, after its
// indentation in no-break spaces.
func paragraphView(b parser.Block, o viewOptions) app.UI {
	if b.Text == "" && len(b.Inlines) == 0 {
		return nil
	}
	body := inlinesView(b.Inlines, b.Text, o)
	p := app.P()
	if b.Pre {
		p = p.Class("pre")
		if n := min(b.Indent, maxPreIndent); n > 0 {
			body = append([]app.UI{app.Text(noBreakSpaces[:n*len("\u00a0")])}, body...)
		}
	}
	return p.Body(body...)
}

// maxPreIndent bounds the indentation drawn before a line of
// preformatted text, whatever a stored record says: the number of
// no-break spaces in noBreakSpaces (a constant, not strings.Repeat,
// whose code the page's wasm does not otherwise need).
const (
	maxPreIndent  = 40
	noBreakSpaces = "\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0" +
		"\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0"
)

// headingView is h2, h3 or h4 (h1 is the title's alone).
func headingView(b parser.Block, o viewOptions) app.UI {
	text := o.text(b.Text)
	switch {
	case b.Level >= 4:
		return app.H4().Body(text...)
	case b.Level == 3:
		return app.H3().Body(text...)
	default:
		return app.H2().Body(text...)
	}
}

// figureView is an inline picture with its caption.
func figureView(b parser.Block) app.UI {
	if b.Video != "" || b.Audio != "" {
		return mediaView(b)
	}
	if safeImageSrc(b.Src) == "" {
		if b.Caption == "" {
			return nil
		}
		return app.P().Class("figure-caption-only").Text(b.Caption)
	}
	return app.Figure().Class("inline-figure").Body(
		picture(b.Src, b.Width, b.Height),
		caption(b.Caption, b.Credit),
	)
}

// mediaView is a story's video or audio: a link that plays the recording
// in a new tab, from its own https address (so only online), over its
// caption. A video shows its poster under a play mark (a.media-link's
// ::before); a recording with none shows the mark and its file name. A link, not a player in the
// page: the page's policy loads no media, and a player's element would
// add to the page's wasm.
func mediaView(b parser.Block) app.UI {
	href, face := safeImageSrc(b.Video), app.UI(nil)
	if poster := safeImageSrc(b.Src); poster != "" && href != "" {
		face = picture(poster, b.Width, b.Height)
	} else if href == "" {
		href = safeImageSrc(b.Audio)
	}
	if href == "" {
		return figureView(parser.Block{Type: b.Type, Caption: b.Caption, Credit: b.Credit})
	}
	if face == nil {
		face = app.Text(mediaName(href))
	}
	return app.Figure().Class("inline-figure").Body(
		externalLink(href, face).Class("media-link"),
		caption(b.Caption, b.Credit),
	)
}

// mediaName is the file name of a recording's address ("clip.mp3"), or
// its site ("youtube.com") when it names no file (a video site's page).
func mediaName(href string) string {
	u, err := url.Parse(href)
	if err != nil {
		return href
	}
	if name := u.Path[strings.LastIndexByte(u.Path, '/')+1:]; strings.Contains(name, ".") {
		return name
	}
	return strings.TrimPrefix(u.Host, "www.")
}

// quoteView is a blockquote of blocks, or of its text.
func quoteView(b parser.Block, o viewOptions) app.UI {
	if len(b.Blocks) == 0 {
		return app.Blockquote().Body(app.P().Body(inlinesView(b.Inlines, b.Text, o)...))
	}
	return app.Blockquote().Body(blocksView(b.Blocks, o)...)
}

// listView is ul or ol.
func listView(b parser.Block, o viewOptions) app.UI {
	items := make([]app.UI, 0, len(b.Items))
	for _, it := range b.Items {
		items = append(items, app.Li().Body(inlinesView(it.Inlines, it.Text, o)...))
	}
	if b.Ordered {
		ol := app.Ol()
		if b.Start > 1 {
			ol = ol.Start(b.Start)
		}
		return ol.Body(items...)
	}
	return app.Ul().Body(items...)
}

// inlinesView renders inline runs, or text when there are none.
func inlinesView(runs []parser.Inline, text string, o viewOptions) []app.UI {
	if len(runs) == 0 {
		return o.text(text)
	}
	out := make([]app.UI, 0, len(runs))
	for _, r := range runs {
		out = append(out, inlineView(r, o))
	}
	return out
}

// inlineView is one run: text, wrapped in em, strong and a as marked.
func inlineView(r parser.Inline, o viewOptions) app.UI {
	parts := o.text(r.Text)
	ui := parts[0]
	if len(parts) > 1 {
		ui = app.Span().Body(parts...)
	}
	if r.Em {
		ui = app.Em().Body(ui)
	}
	if r.Strong {
		ui = app.Strong().Body(ui)
	}
	if r.Href != "" {
		ui = linkView(r.Href, o, ui)
	}
	return ui
}

// linkView links to the reader when href is an article in the library,
// else to the outside in a new tab without opener or referrer. A URL
// with another scheme than http, https or mailto stays plain text.
func linkView(href string, o viewOptions, body app.UI) app.UI {
	if id, ok := o.local[href]; ok {
		return app.A().Class("library-link").Href(readerHref(o.base, id)).Body(body)
	}
	if !safeLink(href) {
		return body
	}
	return externalLink(href, body)
}

// externalLink is an anchor that opens in a new tab, safely.
func externalLink(href string, body ...app.UI) app.HTMLA {
	return app.A().Href(href).Target("_blank").Rel("noopener noreferrer").Body(body...)
}

// articleFooter holds the footer blocks, the translator and the links to
// the original and to the original-language version.
func articleFooter(a *parser.Article, o viewOptions) app.UI {
	body := blocksView(a.Footer, o)
	if a.Translator != "" && !footerMentions(a.Footer, a.Translator) {
		body = append(body, app.P().Class("translator").Text(fmt.Sprintf(T(msgTranslator), a.Translator)))
	}
	var links []app.UI
	if safeLink(a.URL) {
		links = append(links, externalLink(a.URL, app.Text(T(msgOriginal))).Class("original-link"))
	}
	if safeLink(a.OriginalURL) {
		links = append(links, externalLink(a.OriginalURL, app.Text(T(msgOriginalLanguage))).Class("original-language-link"))
	}
	if len(links) > 0 {
		body = append(body, app.P().Class("article-links").Body(links...))
	}
	return app.Footer().Class("article-footer").Body(body...)
}

// footerMentions reports whether a footer block already names s.
func footerMentions(blocks []parser.Block, s string) bool {
	for _, b := range blocks {
		if strings.Contains(b.Text, s) {
			return true
		}
	}
	return false
}

// readerHref is the reader's address for an article id under base.
func readerHref(base, id string) string {
	return base + "read?id=" + url.QueryEscape(id)
}

// safeLink reports whether href may be a link target: http, https, mailto.
func safeLink(href string) bool {
	u, err := url.Parse(href)
	if err != nil {
		return false
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https":
		return u.Host != ""
	case "mailto":
		return true
	}
	return false
}

// safeImageSrc returns src when it is an https URL, an http URL made
// https (the page's policy loads images over https only, as a browser
// upgrades an https page's http images anyway), else "".
func safeImageSrc(src string) string {
	u, err := url.Parse(src)
	if err != nil || u.Host == "" {
		return ""
	}
	switch strings.ToLower(u.Scheme) {
	case "https":
		return src
	case "http":
		u.Scheme = "https"
		return u.String()
	}
	return ""
}

// articleHrefs lists the link targets of an article's body and footer.
func articleHrefs(a *parser.Article) []string {
	var hrefs []string
	var walk func(blocks []parser.Block)
	addRuns := func(runs []parser.Inline) {
		for _, r := range runs {
			if r.Href != "" {
				hrefs = append(hrefs, r.Href)
			}
		}
	}
	walk = func(blocks []parser.Block) {
		for _, b := range blocks {
			addRuns(b.Inlines)
			for _, it := range b.Items {
				addRuns(it.Inlines)
			}
			walk(b.Blocks)
		}
	}
	walk(a.Body)
	walk(a.Footer)
	return hrefs
}
