package parser

import (
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// row walks a table row. A row of data (two cells or more, each a few
// words with no blocks inside: a schedule, results, figures) is one
// paragraph, its cells' text joined by " | ", so that a row reads as a
// row; any other row (a layout table's) is walked as blocks, as before.
func (w *walker) row(n *html.Node) {
	if w.inline > 0 || !dataRow(n) {
		w.container(n)
		return
	}
	w.flush()
	w.inline++
	wrote := false
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if !isCell(c) || storyText(c, nil) == 0 {
			continue
		}
		if wrote {
			w.in.text(" | ", marks{})
		}
		w.element(c)
		wrote = true
	}
	w.inline--
	w.flush()
	w.emitAfter()
}

// dataRow reports a row of two cells or more that hold no blocks and,
// together, at most maxRowText visible characters.
func dataRow(n *html.Node) bool {
	cells := 0
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if isCell(c) {
			if holdsBlocks(c) {
				return false
			}
			cells++
		}
	}
	return cells >= 2 && storyText(n, nil) <= maxRowText
}

// maxRowText bounds the text of a row read as one paragraph: a layout
// table's columns hold far more.
const maxRowText = 400

func isCell(n *html.Node) bool {
	return n.Type == html.ElementNode && (n.DataAtom == atom.Td || n.DataAtom == atom.Th)
}

// holdsBlocks reports an element with a block inside it (a paragraph, a
// list, a heading, a table…): a cell of a layout table.
func holdsBlocks(n *html.Node) bool {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != html.ElementNode {
			continue
		}
		switch c.DataAtom {
		case atom.P, atom.Div, atom.Ul, atom.Ol, atom.Dl, atom.Table, atom.Blockquote, atom.Pre,
			atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.Figure, atom.Section,
			atom.Article, atom.Header, atom.Footer, atom.Hr, atom.Form, atom.Video, atom.Audio:
			return true
		}
		if holdsBlocks(c) {
			return true
		}
	}
	return false
}
