package parser

import (
	"bytes"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/renderer/html"
)

// markdownRenderer turns a Markdown body into HTML for the body stage. Raw
// HTML is passed through: the body stage sanitises all HTML the same way,
// whether a feed or a Markdown body wrote it.
var markdownRenderer = goldmark.New(goldmark.WithRendererOptions(html.WithUnsafe()))

// markdownToHTML renders a Markdown body; on failure the text is kept as
// one escaped paragraph per block of lines.
func markdownToHTML(src string) string {
	var b bytes.Buffer
	if err := markdownRenderer.Convert([]byte(src), &b); err != nil {
		return "<p>" + strings.ReplaceAll(escapeText(src), "\n\n", "</p><p>") + "</p>"
	}
	return b.String()
}

// escapeText escapes the characters that HTML text must not hold raw.
func escapeText(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
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
