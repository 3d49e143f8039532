package parser

import (
	"net/url"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// walker turns the tree of a story into blocks in one pass. Text and inline
// elements gather into an inlineBuilder; a block element or a <br> ends the
// paragraph being gathered (so text sitting directly in <div>s becomes
// paragraphs too). Headings, list items and captions gather their whole
// content as one text, whatever block elements they hold.
type walker struct {
	blocks []Block // the container being filled: body, a quote, the footer
	footer []Block
	in     inlineBuilder
	m      marks
	inline int     // > 0 inside a heading, list item or caption
	pre    int     // > 0 inside preformatted text: a newline breaks the line
	bol    bool    // in preformatted text, at the beginning of a line
	indent int     // the columns of white space that began that line
	after  []Block // figures met inside a heading or item, emitted after it
	fig    int     // index in blocks of a figure awaiting its caption, or -1
	altCap bool    // that figure's caption is only its alt text so far
	credit *strings.Builder
	cut    *html.Node // stop walking this element: the rest is furniture
	inFoot bool       // blocks is the footer
	warn   *warnings
	rules  *furniture
	base   *url.URL // the article's address, for relative links; may be nil
}

func newWalker(warn *warnings, rules *furniture, base *url.URL) *walker {
	return &walker{fig: -1, warn: warn, rules: rules, base: base}
}

// walk visits the children of n.
func (w *walker) walk(n *html.Node) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		switch c.Type {
		case html.TextNode:
			w.text(c.Data)
		case html.ElementNode:
			w.element(c)
		}
		if w.cut == n {
			w.cut = nil
			return
		}
	}
}

func (w *walker) text(s string) {
	if w.fig >= 0 && w.inline == 0 && !isBlank(s) {
		w.fig = -1
	}
	if w.credit != nil {
		w.credit.WriteString(s)
		return
	}
	for w.pre > 0 && w.inline == 0 {
		if w.bol {
			s = w.indentation(s)
		}
		i := strings.IndexByte(s, '\n')
		if i < 0 {
			break
		}
		w.in.text(s[:i], w.m)
		w.flush()
		w.bol = true
		s = s[i+1:]
	}
	w.in.text(s, w.m)
}

// indentation counts the spaces and tabs that begin a line of
// preformatted text (a tab to the next multiple of 8 columns, as a
// browser shows it), up to maxIndent, and returns the rest of s.
func (w *walker) indentation(s string) string {
	i := 0
	for ; i < len(s); i++ {
		switch s[i] {
		case ' ':
			w.indent++
		case '\t':
			w.indent += 8 - w.indent%8
		default:
			w.bol = s[i] == '\n'
			w.indent = min(w.indent, maxIndent)
			return s[i:]
		}
	}
	w.indent = min(w.indent, maxIndent)
	return ""
}

// maxIndent bounds the indentation kept of a line of preformatted text.
const maxIndent = 40

// element dispatches one element: the sanitiser and the furniture rules
// first, then the element's kind.
func (w *walker) element(n *html.Node) {
	if isMedia(n.DataAtom) {
		w.media(n)
		return
	}
	if n.DataAtom == atom.Iframe && w.embed(n) {
		return
	}
	if dropped(n, w.warn) {
		return
	}
	switch w.rules.classify(n) {
	case roleFurniture:
		return
	case roleFooter:
		w.intoFooter(n)
		return
	case roleCopyright:
		if w.fig >= 0 && w.inline == 0 {
			w.figureCredit(n)
		} else {
			w.intoFooter(n)
		}
		return
	case roleCaption:
		if w.fig >= 0 && w.inline == 0 {
			w.caption(n)
			return
		}
	case roleCredit:
		if w.fig >= 0 && w.inline == 0 {
			w.figureCredit(n)
			return
		}
	}
	w.kind(n)
}

// kind handles an element by its tag.
func (w *walker) kind(n *html.Node) {
	switch n.DataAtom {
	case atom.A:
		w.link(n)
	case atom.B, atom.Strong:
		w.mark(n, func(m *marks) { m.strong = true })
	case atom.I, atom.Em:
		w.mark(n, func(m *marks) { m.em = true })
	case atom.Cite:
		w.cite(n)
	case atom.Br:
		w.br()
	case atom.Img:
		w.image(n)
	case atom.Small, atom.Figcaption:
		if w.fig >= 0 && w.inline == 0 {
			w.caption(n)
			return
		}
		w.container(n)
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		w.heading(n)
	case atom.Blockquote:
		w.quote(n)
	case atom.Ul, atom.Ol:
		w.list(n)
	case atom.Pre, atom.Listing, atom.Xmp:
		w.preformatted(n)
	case atom.Tr:
		w.row(n)
	case atom.Hr:
		w.flush()
	default:
		w.container(n)
	}
}

// container walks an element that is a block (ending the paragraph before
// and after it) or an inline wrapper (span, font, u, …).
func (w *walker) container(n *html.Node) {
	if !isBlockAtom(n.DataAtom) {
		w.walk(n)
		return
	}
	w.flush()
	w.walk(n)
	w.flush()
}

func (w *walker) link(n *html.Node) {
	raw, has := attr(n, "href")
	href := linkURL(raw)
	if href == "" && w.base != nil {
		href = linkURL(resolveRelative(raw, w.base))
	}
	if strings.Contains(href, "/cdn-cgi/l/email-protection") {
		href = "" // a CDN's stand-in for an address it hid
	}
	if has && href == "" && unsafeScheme(raw) {
		w.warn.add("removed " + schemeOf(raw) + " URL")
	}
	saved := w.m
	w.m.href = href
	w.walk(n)
	w.m = saved
}

func (w *walker) mark(n *html.Node, set func(*marks)) {
	saved := w.m
	set(&w.m)
	w.walk(n)
	w.m = saved
}

// cite inside a caption is the picture's credit; elsewhere it is emphasis.
func (w *walker) cite(n *html.Node) {
	if w.credit == nil && w.inline > 0 && w.fig >= 0 {
		var sb strings.Builder
		w.credit = &sb
		w.walk(n)
		w.credit = nil
		w.addCredit(sb.String())
		return
	}
	w.mark(n, func(m *marks) { m.em = true })
}

func (w *walker) br() {
	if w.inline > 0 {
		w.in.brk()
		return
	}
	w.flush()
	w.bol = w.pre > 0
}

// flush ends the paragraph being gathered. Inside a heading or item it is
// only a word break.
func (w *walker) flush() {
	if w.inline > 0 {
		w.in.brk()
		return
	}
	indent := w.indent
	w.indent = 0
	if w.in.empty() {
		w.in = inlineBuilder{}
		return
	}
	text, inlines := w.in.take()
	p := Block{Type: BlockParagraph, Text: text, Inlines: inlines}
	if w.pre > 0 {
		p.Pre, p.Indent = true, indent
	}
	w.blocks = append(w.blocks, p)
	w.fig = -1
}

// preformatted walks <pre> (and its old forms): its lines are paragraphs
// marked Pre, so that verse and code keep their lines.
func (w *walker) preformatted(n *html.Node) {
	w.flush()
	w.pre++
	w.bol = true
	w.walk(n)
	w.flush()
	w.pre--
	w.bol = w.pre > 0
}

// gather walks n's content as one run of inline text, as a heading, item
// or caption is, and returns it.
func (w *walker) gather(n *html.Node) (string, []Inline) {
	saved := w.in
	w.in = inlineBuilder{}
	w.inline++
	w.walk(n)
	w.inline--
	text, inlines := w.in.take()
	w.in = saved
	return text, inlines
}

// emitAfter appends the figures met inside the block just ended.
func (w *walker) emitAfter() {
	if len(w.after) == 0 {
		return
	}
	w.blocks = append(w.blocks, w.after...)
	w.after = w.after[:0]
}

func (w *walker) heading(n *html.Node) {
	if w.inline > 0 {
		w.walk(n)
		return
	}
	w.flush()
	text, _ := w.gather(n)
	if isSectionLabel(text) {
		w.cut = n.Parent
		w.after = w.after[:0]
		return
	}
	if text != "" {
		w.blocks = append(w.blocks, Block{Type: BlockHeading, Level: headingLevel(n.DataAtom), Text: text})
		w.fig = -1
	}
	w.emitAfter()
}

// headingLevel maps h1–h6 onto the model's levels 2–4: an <h1> inside a
// story is a section heading, not the article's title.
func headingLevel(a atom.Atom) int {
	switch a {
	case atom.H1, atom.H2:
		return 2
	case atom.H3:
		return 3
	}
	return 4
}

func (w *walker) quote(n *html.Node) {
	if w.inline > 0 {
		w.walk(n)
		return
	}
	w.flush()
	outer := w.blocks
	w.blocks = nil
	w.fig = -1
	w.walk(n)
	w.flush()
	inner := w.blocks
	w.blocks = outer
	w.fig = -1
	if len(inner) > 0 {
		w.blocks = append(w.blocks, Block{Type: BlockQuote, Text: joinText(inner), Blocks: inner})
	}
}

func (w *walker) list(n *html.Node) {
	if w.inline > 0 {
		w.walk(n)
		return
	}
	w.flush()
	list := Block{Type: BlockList, Ordered: n.DataAtom == atom.Ol}
	if list.Ordered {
		list.Start = listStart(n)
	}
	w.listItems(n, &list)
	w.fig = -1
	if len(list.Items) > 0 {
		parts := make([]string, len(list.Items))
		for i, it := range list.Items {
			parts[i] = it.Text
		}
		list.Text = strings.Join(parts, " ")
		w.blocks = append(w.blocks, list)
	}
	w.emitAfter()
}

// listItems gathers the items of list n into list. The items of a list
// inside an item follow that item's own text as items of the same list
// (the model's lists are flat): before, they ran into its text.
func (w *walker) listItems(n *html.Node, list *Block) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && (dropped(c, w.warn) || w.rules.classify(c) == roleFurniture) {
			continue
		}
		if c.Type != html.ElementNode && c.Type != html.TextNode {
			continue
		}
		var nested []*html.Node
		if c.Type == html.ElementNode {
			nested = innerLists(c, nil)
		}
		kinds := make([]atom.Atom, len(nested))
		for i, l := range nested { // a line break in the item's text, for a moment
			kinds[i], l.DataAtom = l.DataAtom, atom.Br
		}
		text, inlines := w.gatherNode(c)
		for i, l := range nested {
			l.DataAtom = kinds[i]
		}
		if text != "" {
			list.Items = append(list.Items, Item{Text: text, Inlines: inlines})
		}
		for _, l := range nested {
			if !dropped(l, w.warn) && w.rules.classify(l) != roleFurniture {
				w.listItems(l, list)
			}
		}
	}
}

// innerLists appends to out the lists inside n that are in no other list
// inside n.
func innerLists(n *html.Node, out []*html.Node) []*html.Node {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != html.ElementNode {
			continue
		}
		if c.DataAtom == atom.Ul || c.DataAtom == atom.Ol {
			out = append(out, c)
			continue
		}
		out = innerLists(c, out)
	}
	return out
}

// gatherNode is gather for one child of a list, which may be bare text.
func (w *walker) gatherNode(c *html.Node) (string, []Inline) {
	if c.Type == html.TextNode {
		saved := w.in
		w.in = inlineBuilder{}
		w.in.text(c.Data, w.m)
		text, inlines := w.in.take()
		w.in = saved
		return text, inlines
	}
	return w.gather(c)
}

// intoFooter walks n into the footer blocks.
func (w *walker) intoFooter(n *html.Node) {
	if w.inline > 0 {
		return
	}
	if w.inFoot {
		w.container(n)
		return
	}
	w.flush()
	outer := w.blocks
	w.blocks, w.fig, w.inFoot = w.footer, -1, true
	w.walk(n)
	w.flush()
	w.footer = w.blocks
	w.blocks, w.fig, w.inFoot = outer, -1, false
}

// joinText joins the non-empty texts of blocks with spaces.
func joinText(blocks []Block) string {
	var sb strings.Builder
	for _, b := range blocks {
		if b.Text == "" {
			continue
		}
		if sb.Len() > 0 {
			sb.WriteByte(' ')
		}
		sb.WriteString(b.Text)
	}
	return sb.String()
}

func isBlank(s string) bool {
	for _, r := range s {
		if !isSpace(r) {
			return false
		}
	}
	return true
}

// isBlockAtom reports the elements that end a paragraph.
func isBlockAtom(a atom.Atom) bool {
	switch a {
	case atom.P, atom.Div, atom.Section, atom.Article, atom.Main, atom.Header,
		atom.Footer, atom.Address, atom.Center, atom.Table, atom.Thead, atom.Tbody,
		atom.Tfoot, atom.Tr, atom.Td, atom.Th, atom.Caption, atom.Dl, atom.Dt,
		atom.Dd, atom.Li, atom.Pre, atom.Figure, atom.Figcaption, atom.Details,
		atom.Summary, atom.Hgroup, atom.Fieldset, atom.Legend, atom.Body, atom.Html,
		atom.Picture:
		return true
	}
	return false
}

// attr returns the value of n's attribute key and whether it is present.
func attr(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == key && a.Namespace == "" {
			return a.Val, true
		}
	}
	return "", false
}

// runeCount is utf8.RuneCountInString, named for what the callers measure.
func runeCount(s string) int { return utf8.RuneCountInString(s) }

// image turns an <img> into a figure block (emoji images become their alt
// text, tracking pixels and images without a safe address are dropped). The
// figure then waits for a caption: a <figcaption>, a <small>, or an element
// whose class says caption or credit, before any other text.
func (w *walker) image(n *html.Node) {
	if w.credit != nil {
		return
	}
	if isEmoji(n) {
		alt, _ := attr(n, "alt")
		w.in.text(alt, w.m)
		return
	}
	img, ok := readImage(n, w.base)
	if !ok {
		return
	}
	fig := Block{Type: BlockFigure, Src: img.Src, Original: img.Original,
		Width: img.Width, Height: img.Height, Caption: img.Caption, Text: img.Caption}
	w.addFigure(fig)
}

// addFigure puts a figure in the blocks, where the caption that follows
// it is gathered (caption, figureCredit); inside a heading, item or
// caption it waits for the block's end (emitAfter).
func (w *walker) addFigure(fig Block) {
	if w.inline > 0 {
		w.after = append(w.after, fig)
		return
	}
	w.flush()
	w.blocks = append(w.blocks, fig)
	w.fig = len(w.blocks) - 1
	w.altCap = fig.Caption != ""
}

// caption gathers n as the caption of the waiting figure.
func (w *walker) caption(n *html.Node) {
	text, _ := w.gather(n)
	if text == "" || w.fig < 0 || w.fig >= len(w.blocks) {
		return
	}
	f := &w.blocks[w.fig]
	if w.altCap || f.Caption == "" {
		f.Caption = text
	} else {
		f.Caption += " " + text
	}
	w.altCap = false
	f.Text = f.Caption
}

// figureCredit gathers n as the credit of the waiting figure.
func (w *walker) figureCredit(n *html.Node) {
	fig := w.fig
	text, _ := w.gather(n)
	w.fig = fig
	w.addCredit(text)
}

func (w *walker) addCredit(s string) {
	s = foldText(s)
	if s == "" || w.fig < 0 || w.fig >= len(w.blocks) {
		return
	}
	f := &w.blocks[w.fig]
	if f.Credit == "" {
		f.Credit = s
	} else {
		f.Credit += " " + s
	}
}

// readImage reads an <img>: the first safe address among src and the lazy
// loading attributes, its size, and its title (or a sentence-like alt) as a
// provisional caption.
func readImage(n *html.Node, base *url.URL) (Image, bool) {
	var img Image
	for _, key := range [...]string{"src", "data-src", "data-lazy-src", "data-original", "srcset", "data-srcset"} {
		v, ok := attr(n, key)
		if !ok {
			continue
		}
		if strings.HasSuffix(key, "srcset") {
			v = firstSrcset(v)
		}
		if img.Src = imageAddress(v, base); img.Src != "" {
			break
		}
	}
	if img.Src == "" {
		return img, false
	}
	img.Original = originalImage(img.Src)
	img.Width = dimensionAttr(n, "width", "data-width")
	img.Height = dimensionAttr(n, "height", "data-height")
	if img.Width > 0 && img.Width <= iconSize && img.Height > 0 && img.Height <= iconSize {
		return img, false // a tracking pixel, an icon, an avatar
	}
	if img.Width <= iconSize && img.Height <= iconSize && decorationFile(img.Src) {
		return img, false // no size given, and named like decoration
	}
	img.Caption = altCaption(n)
	return img, true
}

// decorationWords reports the words of picture file names that mark
// page decoration: icons, logos, sprites, spacers, loading spinners. (A
// switch, not a map: a map literal is built at init, in every program
// that imports the package, the page's wasm too.)
func decorationWords(s string) bool {
	switch s {
	case "icon", "icons", "favicon", "logo", "sprite", "spacer", "pixel", "blank", "loading",
		"spinner":
		return true
	}
	return false
}

// decorationFile reports a picture address whose file name says it is
// decoration rather than part of the story ("/graphics/icon-zoom.png").
func decorationFile(src string) bool {
	name := src
	if i := strings.IndexAny(name, "?#"); i >= 0 {
		name = name[:i]
	}
	name = name[strings.LastIndexByte(name, '/')+1:]
	for name != "" {
		i := 0
		for i < len(name) && isASCIILetter(name[i]) {
			i++
		}
		if i > 0 && decorationWords(strings.ToLower(name[:i])) {
			return true
		}
		for i < len(name) && !isASCIILetter(name[i]) {
			i++
		}
		name = name[i:]
	}
	return false
}

func isASCIILetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }

// iconSize is the largest width and height of a picture too small to be
// part of a story: tracking pixels, icons, avatars, logos.
const iconSize = 100

func dimensionAttr(n *html.Node, keys ...string) int {
	for _, k := range keys {
		if v, ok := attr(n, k); ok {
			if d := dimension(v); d > 0 {
				return d
			}
		}
	}
	return 0
}

// altCaption returns an image's title, or its alt text when that reads like
// a sentence rather than a file name or a placeholder.
func altCaption(n *html.Node) string {
	if t, _ := attr(n, "title"); t != "" {
		if t = foldText(t); runeCount(t) >= 6 && !looksLikeFileName(t) {
			return t
		}
	}
	alt, _ := attr(n, "alt")
	alt = foldText(alt)
	if runeCount(alt) < 10 || looksLikeFileName(alt) {
		return ""
	}
	return alt
}

func looksLikeFileName(s string) bool {
	if strings.ContainsAny(s, "/\\") {
		return true
	}
	l := strings.ToLower(s)
	for _, ext := range [...]string{".jpg", ".jpeg", ".png", ".gif", ".webp"} {
		if strings.HasSuffix(l, ext) {
			return true
		}
	}
	return false
}

// firstSrcset returns the first address of a srcset list.
func firstSrcset(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexAny(s, " ,"); i >= 0 {
		s = s[:i]
	}
	return s
}

// isEmoji reports emoji pictures (WordPress smileys, Twemoji).
func isEmoji(n *html.Node) bool {
	c, _ := attr(n, "class")
	return strings.Contains(c, "emoji") || strings.Contains(c, "wp-smiley")
}

// droppedKind reports whether elements of kind a are removed with all they
// hold, and whether that is worth a warning: elements that can carry active
// or foreign content leave one, once per kind; document metadata goes
// silently.
func droppedKind(a atom.Atom) (drop, loud bool) {
	switch a {
	case atom.Script, atom.Style, atom.Iframe, atom.Frame, atom.Frameset,
		atom.Svg, atom.Math, atom.Object, atom.Embed, atom.Applet, atom.Form,
		atom.Input, atom.Button, atom.Select, atom.Textarea, atom.Noscript,
		atom.Template, atom.Canvas, atom.Audio, atom.Video, atom.Param, atom.Slot:
		return true, true
	case atom.Link, atom.Meta, atom.Base, atom.Title, atom.Head, atom.Source,
		atom.Track, atom.Map, atom.Rt, atom.Rp:
		return true, false
	}
	return false, false
}

// dropped reports whether element n is removed, and records why.
func dropped(n *html.Node, warn *warnings) bool {
	if n.Namespace != "" { // svg, math and all they hold
		warn.add("removed <" + n.Namespace + ">")
		return true
	}
	drop, loud := droppedKind(n.DataAtom)
	if !drop {
		for _, a := range n.Attr {
			if len(a.Key) > 2 && a.Key[0] == 'o' && a.Key[1] == 'n' {
				warn.add("removed event handler")
				break
			}
		}
		return false
	}
	if loud {
		warn.add("removed <" + n.Data + ">")
	}
	return true
}
