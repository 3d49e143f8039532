package parser

import (
	"strconv"
	"strings"

	"golang.org/x/net/html"
)

// A Markdown body (a Jekyll post with no feed HTML) is turned into HTML
// for the body stage by the small renderer below. It reads the subset that
// article bodies use: paragraphs, ATX and setext headings, block quotes,
// lists, fenced code, rules and raw HTML blocks; inline emphasis, code,
// links, images, autolinks and hard breaks. It is not CommonMark (nested
// lists are flattened, emphasis pairs the nearest delimiters), and it is
// linear in its input. A full library (goldmark) cost 373 KB of gzipped
// WebAssembly for this.
//
// Text outside Markdown syntax is copied as it is, raw HTML included: the
// body stage sanitises all HTML the same way, whether a feed or a Markdown
// body wrote it. Attribute values the renderer writes are escaped.

// maxQuoteDepth bounds nested block quotes; deeper markers stay text.
const maxQuoteDepth = 8

// markdownToHTML renders a Markdown body as HTML.
func markdownToHTML(src string) string {
	var b strings.Builder
	b.Grow(len(src) + len(src)/8)
	renderBlocks(&b, strings.Split(src, "\n"), 0)
	return b.String()
}

// renderBlocks renders a run of lines as blocks.
func renderBlocks(b *strings.Builder, lines []string, depth int) {
	for i := 0; i < len(lines); {
		line := lines[i]
		trimmed := strings.TrimSpace(line)
		switch {
		case trimmed == "":
			i++
		case strings.HasPrefix(trimmed, "```") || strings.HasPrefix(trimmed, "~~~"):
			i = renderFence(b, lines, i)
		case atxLevel(trimmed) > 0:
			level := atxLevel(trimmed)
			renderHeading(b, level, strings.Trim(strings.TrimSpace(trimmed[level:]), "#"))
			i++
		case isRule(trimmed):
			b.WriteString("<hr>\n")
			i++
		case strings.HasPrefix(trimmed, ">") && depth < maxQuoteDepth:
			i = renderQuote(b, lines, i, depth)
		case listMarker(trimmed) > 0:
			i = renderList(b, lines, i)
		case isHTMLLine(trimmed):
			i = renderRawHTML(b, lines, i)
		default:
			i = renderParagraph(b, lines, i)
		}
	}
}

// atxLevel is the level of a "# heading" line, or 0.
func atxLevel(s string) int {
	n := 0
	for n < len(s) && n < 7 && s[n] == '#' {
		n++
	}
	if n == 0 || n > 6 || n < len(s) && s[n] != ' ' && s[n] != '\t' {
		return 0
	}
	return n
}

// isRule reports a thematic break: three or more of one of - * _.
func isRule(s string) bool {
	s = strings.ReplaceAll(s, " ", "")
	return len(s) >= 3 && (strings.Trim(s, "-") == "" || strings.Trim(s, "*") == "" || strings.Trim(s, "_") == "")
}

// setextLevel is 1 or 2 for a "===" or "---" underline, or 0.
func setextLevel(s string) int {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return 0
	case strings.Trim(s, "=") == "":
		return 1
	case strings.Trim(s, "-") == "":
		return 2
	}
	return 0
}

// listMarker is the length of a list marker ("- ", "1. ") at the start
// of s, or 0.
func listMarker(s string) int {
	if len(s) >= 2 && (s[0] == '-' || s[0] == '*' || s[0] == '+') && s[1] == ' ' {
		return 2
	}
	n := 0
	for n < len(s) && n < 9 && s[n] >= '0' && s[n] <= '9' {
		n++
	}
	if n > 0 && n+1 < len(s) && (s[n] == '.' || s[n] == ')') && s[n+1] == ' ' {
		return n + 2
	}
	return 0
}

func renderHeading(b *strings.Builder, level int, text string) {
	tag := "h" + strconv.Itoa(level)
	b.WriteString("<" + tag + ">")
	renderInline(b, strings.TrimSpace(text))
	b.WriteString("</" + tag + ">\n")
}

// renderFence renders a fenced code block from its opening line i.
func renderFence(b *strings.Builder, lines []string, i int) int {
	fence := strings.TrimSpace(lines[i])[:3]
	b.WriteString("<pre><code>")
	for i++; i < len(lines); i++ {
		if strings.HasPrefix(strings.TrimSpace(lines[i]), fence) {
			i++
			break
		}
		b.WriteString(html.EscapeString(lines[i]))
		b.WriteByte('\n')
	}
	b.WriteString("</code></pre>\n")
	return i
}

// renderQuote renders the "> " lines from i as a block quote.
func renderQuote(b *strings.Builder, lines []string, i, depth int) int {
	var inner []string
	for ; i < len(lines); i++ {
		t := strings.TrimSpace(lines[i])
		if !strings.HasPrefix(t, ">") {
			break
		}
		inner = append(inner, strings.TrimPrefix(t[1:], " "))
	}
	b.WriteString("<blockquote>\n")
	renderBlocks(b, inner, depth+1)
	b.WriteString("</blockquote>\n")
	return i
}

// renderList renders list items from i; indented lines continue an item,
// nested markers become items of the same list.
func renderList(b *strings.Builder, lines []string, i int) int {
	first := strings.TrimSpace(lines[i])
	ordered := first[0] >= '0' && first[0] <= '9'
	tag, open := "ul", "<ul>\n"
	if ordered {
		tag, open = "ol", "<ol>\n"
		if n, err := strconv.Atoi(first[:strings.IndexAny(first, ".)")]); err == nil && n != 1 {
			open = "<ol start=\"" + strconv.Itoa(n) + "\">\n"
		}
	}
	b.WriteString(open)
	var item []string
	flush := func() {
		if len(item) > 0 {
			b.WriteString("<li>")
			renderInline(b, strings.Join(item, "\n"))
			b.WriteString("</li>\n")
			item = item[:0]
		}
	}
	for ; i < len(lines); i++ {
		t := strings.TrimSpace(lines[i])
		if t == "" {
			break
		}
		if n := listMarker(t); n > 0 {
			flush()
			item = append(item, t[n:])
			continue
		}
		if lines[i][0] != ' ' && lines[i][0] != '\t' && len(item) == 0 {
			break
		}
		item = append(item, t)
	}
	flush()
	b.WriteString("</" + tag + ">\n")
	return i
}

// isHTMLLine reports a line that starts with a tag or comment, not an
// autolink.
func isHTMLLine(s string) bool {
	if len(s) < 2 || s[0] != '<' || strings.HasPrefix(s, "<http://") || strings.HasPrefix(s, "<https://") {
		return false
	}
	c := s[1]
	return c == '/' || c == '!' || c|0x20 >= 'a' && c|0x20 <= 'z'
}

// renderRawHTML copies an HTML block up to the next blank line.
func renderRawHTML(b *strings.Builder, lines []string, i int) int {
	for ; i < len(lines) && strings.TrimSpace(lines[i]) != ""; i++ {
		b.WriteString(lines[i])
		b.WriteByte('\n')
	}
	return i
}

// renderParagraph renders lines up to a blank line or another block; a
// setext underline makes the lines a heading.
func renderParagraph(b *strings.Builder, lines []string, i int) int {
	start := i
	for i < len(lines) {
		t := strings.TrimSpace(lines[i])
		if i > start && (t == "" || atxLevel(t) > 0 || strings.HasPrefix(t, ">") ||
			strings.HasPrefix(t, "```") || listMarker(t) > 0 && !isRule(t)) {
			break
		}
		if i > start && setextLevel(t) > 0 {
			renderHeading(b, setextLevel(t), strings.Join(trimAll(lines[start:i]), " "))
			return i + 1
		}
		if t == "" {
			break
		}
		i++
	}
	b.WriteString("<p>")
	renderInline(b, strings.Join(trimAll(lines[start:i]), "\n"))
	b.WriteString("</p>\n")
	return max(i, start+1)
}

// trimAll trims the white space around each line; a hard break (two
// trailing spaces) becomes <br>.
func trimAll(lines []string) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		hard := strings.HasSuffix(l, "  ")
		out[i] = strings.TrimSpace(l)
		if hard {
			out[i] += "<br>"
		}
	}
	return out
}

// Delimiters the inline renderer searches for, as indexes into delims.
const (
	dStrongStar = iota
	dStrongUnder
	dEmStar
	dEmUnder
	dCode
	dLinkMid
	dLinkEnd
	numDelims
)

var delims = [numDelims]string{"**", "__", "*", "_", "`", "](", ")"}

// emphasis are the emphasis delimiters, longest first, and their tags.
var emphasis = []struct {
	delim int
	tag   string
}{
	{dStrongStar, "strong"}, {dStrongUnder, "strong"}, {dEmStar, "em"}, {dEmUnder, "em"},
}

// maxInlineDepth bounds nested inline spans.
const maxInlineDepth = 4

// inlineState renders one string's inline syntax. For each delimiter it
// remembers the next occurrence found, so that no part of the string is
// searched twice for the same delimiter: rendering stays linear.
type inlineState struct {
	s     string
	depth int
	next  [numDelims]int // index of the next occurrence; -1 none; -2 not searched
}

// renderInline renders the inline syntax of a paragraph's text.
func renderInline(b *strings.Builder, s string) {
	renderInlineDepth(b, s, 0)
}

func renderInlineDepth(b *strings.Builder, s string, depth int) {
	st := inlineState{s: s, depth: depth}
	for i := range st.next {
		st.next[i] = -2
	}
	for i := 0; i < len(s); {
		if n := st.span(b, i); n > 0 {
			i += n
			continue
		}
		b.WriteByte(s[i])
		i++
	}
}

// find returns the index of delimiter d at or after pos, or -1.
func (st *inlineState) find(pos, d int) int {
	if n := st.next[d]; n == -1 || n >= pos {
		return n
	}
	i := strings.Index(st.s[pos:], delims[d])
	if i >= 0 {
		i += pos
	}
	st.next[d] = i
	return i
}

// span renders the inline element at s[i:] and returns how many bytes it
// used, or 0 when none starts there.
func (st *inlineState) span(b *strings.Builder, i int) int {
	s := st.s[i:]
	switch s[0] {
	case '\\':
		if len(s) > 1 && isASCIIPunct(s[1]) {
			b.WriteString(html.EscapeString(s[1:2]))
			return 2
		}
	case '`':
		return st.code(b, i)
	case '!':
		if strings.HasPrefix(s, "![") {
			if n := st.link(b, i+1, true); n > 0 {
				return n + 1
			}
		}
	case '[':
		return st.link(b, i, false)
	case '<':
		return autolink(b, s)
	case '*', '_':
		if st.depth < maxInlineDepth {
			return st.emphasis(b, i)
		}
	}
	return 0
}

// code renders `code`.
func (st *inlineState) code(b *strings.Builder, i int) int {
	end := st.find(i+1, dCode)
	if end < 0 {
		return 0
	}
	b.WriteString("<code>" + html.EscapeString(st.s[i+1:end]) + "</code>")
	return end + 1 - i
}

// emphasis renders **strong** or *em* (or with underscores).
func (st *inlineState) emphasis(b *strings.Builder, i int) int {
	s := st.s[i:]
	for _, e := range emphasis {
		d := delims[e.delim]
		if !strings.HasPrefix(s, d) || len(s) <= len(d) || s[len(d)] == ' ' || d[0] == '_' && i > 0 && isWordByte(st.s[i-1]) {
			continue
		}
		end := st.find(i+len(d), e.delim)
		if end <= i+len(d) {
			continue
		}
		b.WriteString("<" + e.tag + ">")
		renderInlineDepth(b, st.s[i+len(d):end], st.depth+1)
		b.WriteString("</" + e.tag + ">")
		return end + len(d) - i
	}
	return 0
}

// isWordByte reports an ASCII letter or digit: "_" inside a word (as in
// snake_case) is not emphasis.
func isWordByte(c byte) bool {
	return c >= '0' && c <= '9' || c|0x20 >= 'a' && c|0x20 <= 'z'
}

// link renders [text](url) or, for an image, ![alt](url); s[i] is "[".
func (st *inlineState) link(b *strings.Builder, i int, image bool) int {
	mid := st.find(i, dLinkMid)
	if mid < 0 {
		return 0
	}
	end := st.find(mid+2, dLinkEnd)
	if end < 0 {
		return 0
	}
	text, dest := st.s[i+1:mid], strings.TrimSpace(st.s[mid+2:end])
	if j := strings.IndexAny(dest, " \t"); j >= 0 {
		dest = dest[:j] // drop a link title
	}
	dest = html.EscapeString(strings.Trim(dest, "<>"))
	if image {
		b.WriteString(`<img src="` + dest + `" alt="` + html.EscapeString(text) + `">`)
	} else if st.depth < maxInlineDepth {
		b.WriteString(`<a href="` + dest + `">`)
		renderInlineDepth(b, text, st.depth+1)
		b.WriteString("</a>")
	} else {
		b.WriteString(`<a href="` + dest + `">` + html.EscapeString(text) + "</a>")
	}
	return end + 1 - i
}

// autolink renders <https://…>; other "<" starts raw HTML, copied as is.
func autolink(b *strings.Builder, s string) int {
	end := strings.IndexByte(s, '>')
	if end < 0 {
		return 0
	}
	u := s[1:end]
	if !strings.HasPrefix(u, "http://") && !strings.HasPrefix(u, "https://") || strings.ContainsAny(u, " <\"") {
		return 0
	}
	b.WriteString(`<a href="` + html.EscapeString(u) + `">` + html.EscapeString(u) + "</a>")
	return end + 1
}

// looksLikeHTML reports whether a body is HTML rather than Markdown: it
// starts with a tag or comment, or its start holds several HTML tags.
func looksLikeHTML(body string) bool {
	s := strings.TrimSpace(body)
	if strings.HasPrefix(s, "<") {
		return true
	}
	head := strings.ToLower(s[:min(len(s), 4096)])
	tags := 0
	for _, t := range []string{"<p>", "<p ", "<div", "<br", "</p>", "</div>", "<img "} {
		tags += strings.Count(head, t)
	}
	return tags >= 3
}
