package parser

import (
	"cmp"
	"slices"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// The tree stage builds the node tree of a body fragment straight from
// the lexer's tokens. It follows html.ParseFragment's rules for the
// content of a <body> (implied end tags of p, li, dd/dt and headings,
// void elements, raw text, stray end tags) and builds the same tree; the
// differential tests compare the two on the corpus and under fuzzing.
//
// The rules it does not carry are those of constructs that feeds rarely
// hold: tables, forms and their controls, SVG and MathML, templates,
// ruby, and formatting elements (b, i, a, …) closed out of order or by an
// enclosing element, which the HTML parser repairs by reopening them (the
// adoption agency algorithm). On meeting one it gives up, and
// parseFragment hands the whole fragment to html.ParseFragment instead,
// so that every input gets the HTML5 tree. On the development corpus it
// gives up on 42 bodies of 3,055.
//
// Its nodes and attributes are allocated in blocks, and its strings are
// substrings of the source unless a character reference or a name's case
// changes them.

// parseFragment parses src as the content of a <body> and returns a root
// element holding it.
func parseFragment(src string) *html.Node {
	if root, ok := buildTree(src); ok {
		return root
	}
	return parseFragmentHTML(src)
}

// parseFragmentHTML is parseFragment by html.ParseFragment.
func parseFragmentHTML(src string) *html.Node {
	ctx := &html.Node{Type: html.ElementNode, DataAtom: atom.Body, Data: "body"}
	nodes, err := html.ParseFragment(strings.NewReader(src), ctx)
	if err != nil {
		return nil
	}
	root := &html.Node{Type: html.ElementNode, DataAtom: atom.Div, Data: "div"}
	for _, n := range nodes {
		root.AppendChild(n)
	}
	return root
}

// treeBuilder holds the open elements and the node blocks.
type treeBuilder struct {
	lx     lexer
	stack  []*html.Node // open elements; stack[0] is the root, which stands for <html>
	nodes  []html.Node  // the current block of nodes
	attrs  []html.Attribute
	block  int  // nodes per block
	inText bool // the top element takes raw text (script, style, title, …)
}

// buildTree builds the tree of src, or reports false for a fragment it
// leaves to html.ParseFragment.
func buildTree(src string) (*html.Node, bool) {
	if strings.IndexByte(src, 0) >= 0 || strings.IndexByte(src, '\r') >= 0 {
		return nil, false
	}
	b := &treeBuilder{lx: lexer{src: src}}
	b.block = strings.Count(src, "<") + 2
	root := b.node()
	root.Type, root.DataAtom, root.Data = html.ElementNode, atom.Div, "div"
	b.stack = append(make([]*html.Node, 0, 32), root)
	for {
		k := b.lx.next()
		if k == tokEOF {
			return root, true
		}
		if !b.token(k) {
			return nil, false
		}
	}
}

// node allocates a node from the current block.
func (b *treeBuilder) node() *html.Node {
	if len(b.nodes) == cap(b.nodes) {
		b.nodes = make([]html.Node, 0, b.block)
	}
	b.nodes = b.nodes[:len(b.nodes)+1]
	return &b.nodes[len(b.nodes)-1]
}

func (b *treeBuilder) top() *html.Node { return b.stack[len(b.stack)-1] }

// token adds one token to the tree; false means give up.
func (b *treeBuilder) token(k tokenKind) bool {
	switch k {
	case tokText:
		b.text()
	case tokComment:
		n := b.node()
		n.Type, n.Data = html.CommentNode, unescapeText(b.lx.data)
		b.top().AppendChild(n)
	case tokStartTag:
		if b.inText {
			return false // the lexer ends raw text only at an end tag
		}
		return b.startTag()
	case tokEndTag:
		if b.inText {
			b.inText = false
			b.pop()
			return true
		}
		return b.endTag()
	}
	return true
}

// text adds a text token, merged with a text node just before it.
func (b *treeBuilder) text() {
	d := b.lx.data
	if !b.lx.rawText {
		d = unescapeText(d)
	}
	t := b.top()
	if !b.inText && (t.DataAtom == atom.Pre || t.DataAtom == atom.Listing) && t.FirstChild == nil {
		d = strings.TrimPrefix(d, "\n")
	}
	if d == "" {
		return
	}
	if last := t.LastChild; last != nil && last.Type == html.TextNode {
		last.Data += d
		return
	}
	n := b.node()
	n.Type, n.Data = html.TextNode, d
	t.AppendChild(n)
}

// element adds an element for the current start tag and returns it; it
// stays open unless void.
func (b *treeBuilder) element(a atom.Atom, name string, void bool) *html.Node {
	n := b.node()
	n.Type, n.DataAtom, n.Data = html.ElementNode, a, name
	if len(b.lx.attrs) > 0 {
		n.Attr = b.attributes()
	}
	b.top().AppendChild(n)
	if !void {
		b.stack = append(b.stack, n)
	}
	return n
}

// attributes converts the lexer's attributes.
func (b *treeBuilder) attributes() []html.Attribute {
	raw := b.lx.attrs
	if cap(b.attrs)-len(b.attrs) < len(raw) {
		b.attrs = make([]html.Attribute, 0, max(64, len(raw)))
	}
	start := len(b.attrs)
	for _, a := range raw {
		b.attrs = append(b.attrs, html.Attribute{Key: attrKey(a.key), Val: unescapeAttr(a.val)})
	}
	return b.attrs[start:len(b.attrs):len(b.attrs)]
}

// attrKey returns the atom's own string for a known attribute name.
func attrKey(k string) string {
	if a := atom.Lookup([]byte(k)); a != 0 {
		return a.String()
	}
	return k
}

// tagName returns the atom and the lower-case name of the current tag.
func (b *treeBuilder) tagName() (atom.Atom, string) {
	name := b.lx.data
	var buf [32]byte
	if len(name) <= len(buf) {
		lower := buf[:len(name)]
		for i := 0; i < len(name); i++ {
			c := name[i]
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			lower[i] = c
		}
		if a := atom.Lookup(lower); a != 0 {
			return a, a.String()
		}
	}
	return 0, asciiLower(name)
}

// startTag adds a start tag as the body insertion mode does.
func (b *treeBuilder) startTag() bool {
	a, name := b.tagName()
	switch a {
	case atom.Html, atom.Body, atom.Frameset, atom.Head, atom.Caption, atom.Col, atom.Colgroup,
		atom.Frame, atom.Tbody, atom.Td, atom.Tfoot, atom.Th, atom.Thead, atom.Tr:
		return true // ignored in a body
	case atom.Address, atom.Article, atom.Aside, atom.Blockquote, atom.Center, atom.Details,
		atom.Dialog, atom.Dir, atom.Div, atom.Dl, atom.Fieldset, atom.Figcaption, atom.Figure,
		atom.Footer, atom.Header, atom.Hgroup, atom.Main, atom.Menu, atom.Nav, atom.Ol, atom.P,
		atom.Search, atom.Section, atom.Summary, atom.Ul, atom.Pre, atom.Listing:
		if !b.closeP() {
			return false
		}
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		if !b.closeP() {
			return false
		}
		if isHeading(b.top().DataAtom) {
			b.pop()
		}
	case atom.Li, atom.Dd, atom.Dt:
		if !b.closeItem(a) || !b.closeP() {
			return false
		}
	case atom.A:
		if b.open(atom.A, "a") >= 0 {
			return false // an <a> inside an <a>: the adoption agency's
		}
		b.formatting(a, name)
		return true
	case atom.B, atom.Big, atom.Code, atom.Em, atom.Font, atom.I, atom.S, atom.Small,
		atom.Strike, atom.Strong, atom.Tt, atom.U:
		b.formatting(a, name)
		return true
	case atom.Area, atom.Br, atom.Embed, atom.Img, atom.Keygen, atom.Wbr, atom.Input,
		atom.Param, atom.Source, atom.Track, atom.Base, atom.Basefont, atom.Bgsound,
		atom.Link, atom.Meta:
		b.element(a, name, true)
		return true
	case atom.Image:
		b.element(atom.Img, "img", true)
		return true
	case atom.Hr:
		if !b.closeP() {
			return false
		}
		b.element(a, name, true)
		return true
	case atom.Xmp:
		if !b.closeP() {
			return false
		}
		b.rawElement(a, name)
		return true
	case atom.Iframe, atom.Noembed, atom.Noscript, atom.Noframes, atom.Style, atom.Script, atom.Title:
		b.rawElement(a, name)
		return true
	case atom.Form, atom.Plaintext, atom.Button, atom.Nobr, atom.Applet, atom.Marquee,
		atom.Object, atom.Table, atom.Textarea, atom.Select, atom.Option, atom.Optgroup,
		atom.Rb, atom.Rtc, atom.Rp, atom.Rt, atom.Math, atom.Svg, atom.Template:
		return false
	}
	if rawTextElement(name) {
		return false // a raw text element the rules above do not know
	}
	b.element(a, name, false)
	return true
}

// rawElement opens an element whose content is raw text.
func (b *treeBuilder) rawElement(a atom.Atom, name string) {
	b.element(a, name, false)
	b.inText = true
}

// formatting opens a formatting element; its attributes are sorted, as
// the HTML parser sorts them to compare formatting elements.
func (b *treeBuilder) formatting(a atom.Atom, name string) {
	n := b.element(a, name, false)
	if len(n.Attr) > 1 {
		slices.SortFunc(n.Attr, func(x, y html.Attribute) int {
			return cmp.Or(cmp.Compare(x.Namespace, y.Namespace), cmp.Compare(x.Key, y.Key), cmp.Compare(x.Val, y.Val))
		})
	}
}

// endTag closes elements as the body insertion mode does for an end tag.
func (b *treeBuilder) endTag() bool {
	a, name := b.tagName()
	switch a {
	case atom.Address, atom.Article, atom.Aside, atom.Blockquote, atom.Button, atom.Center,
		atom.Details, atom.Dialog, atom.Dir, atom.Div, atom.Dl, atom.Fieldset, atom.Figcaption,
		atom.Figure, atom.Footer, atom.Header, atom.Hgroup, atom.Listing, atom.Main, atom.Menu,
		atom.Nav, atom.Ol, atom.Pre, atom.Search, atom.Section, atom.Select, atom.Summary, atom.Ul:
		i := b.open(a, "")
		if i < 0 {
			return true
		}
		b.impliedEnds()
		return b.popTo(i)
	case atom.P:
		i := b.open(atom.P, "")
		if i < 0 {
			b.element(atom.P, "p", true) // </p> alone is an empty paragraph
			return true
		}
		return b.popTo(i)
	case atom.Li:
		return b.popTo(b.openItem())
	case atom.Dd, atom.Dt:
		return b.popTo(b.open(a, ""))
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		return b.popTo(b.openHeading())
	case atom.A, atom.B, atom.Big, atom.Code, atom.Em, atom.Font, atom.I, atom.Nobr, atom.S,
		atom.Small, atom.Strike, atom.Strong, atom.Tt, atom.U:
		if b.top().DataAtom == a {
			b.pop()
			return true
		}
		return b.open(a, "") < 0 // misnested: the adoption agency's
	case atom.Br:
		b.lx.attrs = b.lx.attrs[:0]
		b.element(atom.Br, "br", true)
		return true
	case atom.Body, atom.Html, atom.Form, atom.Applet, atom.Marquee, atom.Object, atom.Template:
		return true // none is ever open here
	}
	return b.endOther(a, name)
}

// endOther closes the element an end tag names when no special element
// stands between it and the top.
func (b *treeBuilder) endOther(a atom.Atom, name string) bool {
	for i := len(b.stack) - 1; i > 0; i-- {
		n := b.stack[i]
		if n.DataAtom == a && (a != 0 || n.Data == name) {
			return b.popTo(i)
		}
		if isSpecial(n.DataAtom) {
			return true
		}
	}
	return true
}

// open returns the index of the topmost open element a (named name, when
// a is 0), or -1.
func (b *treeBuilder) open(a atom.Atom, name string) int {
	for i := len(b.stack) - 1; i > 0; i-- {
		if n := b.stack[i]; n.DataAtom == a && (a != 0 || n.Data == name) {
			return i
		}
	}
	return -1
}

// openItem returns the index of the open <li> in list item scope, or -1.
func (b *treeBuilder) openItem() int {
	for i := len(b.stack) - 1; i > 0; i-- {
		switch b.stack[i].DataAtom {
		case atom.Li:
			return i
		case atom.Ol, atom.Ul:
			return -1
		}
	}
	return -1
}

func (b *treeBuilder) openHeading() int {
	for i := len(b.stack) - 1; i > 0; i-- {
		if isHeading(b.stack[i].DataAtom) {
			return i
		}
	}
	return -1
}

// closeP closes an open <p>.
func (b *treeBuilder) closeP() bool {
	return b.popTo(b.open(atom.P, ""))
}

// closeItem closes an open item before a new <li>, <dd> or <dt>: the
// nearest one, unless a special element other than address, div and p
// stands between.
func (b *treeBuilder) closeItem(a atom.Atom) bool {
	for i := len(b.stack) - 1; i > 0; i-- {
		switch t := b.stack[i].DataAtom; {
		case t == atom.Li && a == atom.Li, (t == atom.Dd || t == atom.Dt) && a != atom.Li:
			return b.popTo(i)
		case t == atom.Address || t == atom.Div || t == atom.P:
		case isSpecial(t):
			return true
		}
	}
	return true
}

// impliedEnds closes the elements whose end tags are implied.
func (b *treeBuilder) impliedEnds() {
	for len(b.stack) > 1 {
		switch b.top().DataAtom {
		case atom.Dd, atom.Dt, atom.Li, atom.P:
			b.pop()
			continue
		}
		return
	}
}

func (b *treeBuilder) pop() { b.stack = b.stack[:len(b.stack)-1] }

// popTo closes the element at index i and all above it; i < 0 is a
// no-op. It gives up when that closes a formatting element other than
// by its own end tag: the HTML parser would open it again.
func (b *treeBuilder) popTo(i int) bool {
	if i < 0 {
		return true
	}
	for _, n := range b.stack[i:] {
		if isFormatting(n.DataAtom) {
			return false
		}
	}
	b.stack = b.stack[:i]
	return true
}

func isHeading(a atom.Atom) bool {
	switch a {
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		return true
	}
	return false
}

// isFormatting reports the formatting elements, which the HTML parser
// reopens when something else closes them.
func isFormatting(a atom.Atom) bool {
	switch a {
	case atom.A, atom.B, atom.Big, atom.Code, atom.Em, atom.Font, atom.I, atom.Nobr,
		atom.S, atom.Small, atom.Strike, atom.Strong, atom.Tt, atom.U:
		return true
	}
	return false
}

// isSpecial reports the HTML parser's special elements (x/net/html's
// list), which stop the search for the element an end tag closes.
func isSpecial(a atom.Atom) bool {
	switch a {
	case atom.Address, atom.Applet, atom.Area, atom.Article, atom.Aside, atom.Base,
		atom.Basefont, atom.Bgsound, atom.Blockquote, atom.Body, atom.Br, atom.Button,
		atom.Caption, atom.Center, atom.Col, atom.Colgroup, atom.Dd, atom.Details, atom.Dir,
		atom.Div, atom.Dl, atom.Dt, atom.Embed, atom.Fieldset, atom.Figcaption, atom.Figure,
		atom.Footer, atom.Form, atom.Frame, atom.Frameset, atom.H1, atom.H2, atom.H3, atom.H4,
		atom.H5, atom.H6, atom.Head, atom.Header, atom.Hgroup, atom.Hr, atom.Html, atom.Iframe,
		atom.Img, atom.Input, atom.Keygen, atom.Li, atom.Link, atom.Listing, atom.Main,
		atom.Marquee, atom.Menu, atom.Meta, atom.Nav, atom.Noembed, atom.Noframes,
		atom.Noscript, atom.Object, atom.Ol, atom.P, atom.Param, atom.Plaintext, atom.Pre,
		atom.Script, atom.Section, atom.Select, atom.Source, atom.Style, atom.Summary,
		atom.Table, atom.Tbody, atom.Td, atom.Template, atom.Textarea, atom.Tfoot, atom.Th,
		atom.Thead, atom.Title, atom.Tr, atom.Track, atom.Ul, atom.Wbr, atom.Xmp:
		return true
	}
	return false
}
