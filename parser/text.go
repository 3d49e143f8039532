package parser

import "strings"

// PlainText is the text of an article as a search index sees it: title,
// authors, lead caption and credit, body, footer, and the translator when
// the footer does not name them, one part per line.
func (a *Article) PlainText() string {
	var b strings.Builder
	line := func(s string) {
		if s != "" {
			b.WriteString(s)
			b.WriteByte('\n')
		}
	}
	line(a.Title)
	line(strings.Join(a.Authors, ", "))
	if a.Lead != nil {
		line(a.Lead.Caption)
		line(a.Lead.Credit)
	}
	writeBlocks(&b, a.Body)
	writeBlocks(&b, a.Footer)
	if !strings.Contains(b.String(), a.Translator) {
		line(a.Translator)
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// writeBlocks writes the text of each block on its own line: a block's
// Text when it has one (it holds its children's text), else its children;
// a figure's credit follows its caption.
func writeBlocks(b *strings.Builder, blocks []Block) {
	for i := range blocks {
		bl := &blocks[i]
		switch {
		case bl.Text != "":
			b.WriteString(bl.Text)
			b.WriteByte('\n')
		case len(bl.Blocks) > 0:
			writeBlocks(b, bl.Blocks)
		default:
			writeItems(b, bl.Items)
		}
		if bl.Type == BlockFigure && bl.Credit != "" && !strings.Contains(bl.Text, bl.Credit) {
			b.WriteString(bl.Credit)
			b.WriteByte('\n')
		}
	}
}

// writeItems writes list items, one per line.
func writeItems(b *strings.Builder, items []Item) {
	for _, it := range items {
		if it.Text != "" {
			b.WriteString(it.Text)
			b.WriteByte('\n')
		}
	}
}
