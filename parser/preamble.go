package parser

import (
	"net/url"
	"strconv"
	"strings"
	"time"

	"golang.org/x/net/html"
)

// preamble is the head of an article file:
//
//	<!--1739434021000-->            saved-at, Unix milliseconds (or NaN, or absent)
//	[Title text](https://source/url/)
//	------                          setext underline, --- or ===
//
// followed by blank lines and the body. The title line may also be an ATX
// heading ("# [Title](url)"); a title with no link ("# Title", or "Title"
// over an underline) is taken only when feed HTML follows.
type preamble struct {
	savedAt  time.Time
	title    string
	url      string
	body     string // the text after the preamble
	plain    bool   // the title had no link: a heading over feed HTML
	warnings []string
}

// parsePreamble reads the preamble at the start of text (newlines already
// LF). It reports false when text does not start with one; then nothing
// of text was consumed.
func parsePreamble(text string) (preamble, bool) {
	var p preamble
	rest := skipBlankLines(text)
	stamp := false
	if strings.HasPrefix(rest, "<!--") {
		t, ok, after := parseStamp(rest)
		if !ok {
			return preamble{}, false
		}
		p.savedAt, stamp, rest = t, true, skipBlankLines(after)
	}
	line, after := cutLine(rest)
	heading, atx := atxHeading(line)
	title, rawURL, ok := parseTitleLink(heading)
	after, underlined := skipUnderline(after)
	underlined = underlined || atx
	body := skipBlankLines(after)
	switch {
	case !ok && underlined && !strings.HasPrefix(heading, "<") && htmlOnly(body):
		title, p.plain = cleanTitle(heading), true // "# Title" or "Title\n===" over feed HTML
		if title == "" {
			return preamble{}, false
		}
	case !ok:
		return preamble{}, false
	case !underlined && !stamp && body != "" && !strings.HasPrefix(body, "<"):
		return preamble{}, false // a Markdown link line, not a preamble
	}
	p.title, p.body = title, body
	if p.url = cleanArticleURL(rawURL); p.url == "" && strings.TrimSpace(rawURL) != "" {
		p.warnings = append(p.warnings, "dropped title link that is not http(s)")
	}
	return p, true
}

// parseStamp reads "<!--…-->" at the start of s: Unix milliseconds, or
// NaN/empty for none. Other comments are not a stamp.
func parseStamp(s string) (t time.Time, ok bool, rest string) {
	end := strings.Index(s[len("<!--"):], "-->")
	if end < 0 {
		return time.Time{}, false, s
	}
	end += len("<!--")
	inner := strings.TrimSpace(s[len("<!--"):end])
	rest = s[end+len("-->"):]
	switch inner {
	case "", "NaN", "null", "undefined", "0":
		return time.Time{}, true, rest
	}
	n, err := strconv.ParseInt(inner, 10, 64)
	if err != nil {
		return time.Time{}, false, s
	}
	return stampTime(n), true, rest
}

// stampTime reads Unix milliseconds (or seconds, when the number is too
// small to be milliseconds of this era); out-of-range values give zero.
func stampTime(n int64) time.Time {
	if n > 0 && n < 1e11 {
		n *= 1000
	}
	const lo, hi = 315532800000, 4102444800000 // 1980 to 2100
	if n < lo || n > hi {
		return time.Time{}
	}
	return time.UnixMilli(n).UTC()
}

// parseTitleLink reads a line "[title](url)". The title may hold brackets,
// even "](", and the URL may hold balanced parentheses: the split is the
// last "](" after which the URL's parentheses balance.
func parseTitleLink(line string) (title, rawURL string, ok bool) {
	line = strings.TrimSpace(line)
	if len(line) < 4 || line[0] != '[' || line[len(line)-1] != ')' {
		return "", "", false
	}
	inner := line[1 : len(line)-1]
	for i := strings.LastIndex(inner, "]("); i >= 0; i = strings.LastIndex(inner[:i], "](") {
		if u := inner[i+2:]; balancedParens(u) {
			return cleanTitle(inner[:i]), u, true
		}
	}
	return "", "", false
}

// atxHeading returns the text of a Markdown ATX heading line ("# Title",
// "## [Title](url) ##") and true, or the line as it is and false.
func atxHeading(line string) (string, bool) {
	line = strings.TrimSpace(line)
	n := atxLevel(line)
	if n == 0 {
		return line, false
	}
	text := strings.TrimSpace(line[n:])
	if t := strings.TrimRight(text, "#"); t == "" || strings.HasSuffix(t, " ") {
		text = strings.TrimSpace(t) // an optional closing sequence of #
	}
	return text, true
}

// htmlOnly reports whether a body under a plain (link-less) title is feed
// HTML: it starts with a tag and every line of it does, so a README whose
// heading is followed by Markdown is still not an article.
func htmlOnly(body string) bool {
	if !strings.HasPrefix(body, "<") {
		return false
	}
	for line := range strings.Lines(body) {
		if t := strings.TrimSpace(line); t != "" && t[0] != '<' {
			return false
		}
	}
	return true
}

// balancedParens reports whether the parentheses of s balance.
func balancedParens(s string) bool {
	depth := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '(':
			depth++
		case ')':
			depth--
			if depth < 0 {
				return false
			}
		}
	}
	return depth == 0
}

// cleanTitle undoes Markdown backslash escapes and HTML entities (feeds
// sometimes escape twice: "&amp;#21328;"), and folds white space.
func cleanTitle(s string) string {
	return cleanText(unescapeMarkdown(s))
}

// cleanText is the text of a title-like string that may hold tags and
// entities (escaped once or twice), with white space folded.
func cleanText(s string) string {
	if strings.Contains(s, "<") {
		s = stripTags(s)
	}
	for i := 0; i < 2 && strings.Contains(s, "&"); i++ {
		s = html.UnescapeString(s)
	}
	return foldSpace(s)
}

// stripTags keeps the text of an HTML fragment, without the content of
// script and style elements; text that holds no tag is returned as is.
func stripTags(s string) string {
	z := html.NewTokenizer(strings.NewReader(s))
	var b strings.Builder
	tags, skip := 0, false
	for {
		switch z.Next() {
		case html.ErrorToken:
			if tags == 0 {
				return s
			}
			return b.String()
		case html.TextToken:
			if !skip {
				b.WriteString(html.EscapeString(string(z.Text())))
			}
		case html.StartTagToken:
			tags++
			name, _ := z.TagName()
			skip = string(name) == "script" || string(name) == "style"
		case html.EndTagToken, html.SelfClosingTagToken, html.CommentToken:
			tags++
			skip = false
		}
	}
}

// unescapeMarkdown removes the backslash before ASCII punctuation.
func unescapeMarkdown(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) && isASCIIPunct(s[i+1]) {
			i++
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func isASCIIPunct(c byte) bool {
	return c > ' ' && c < 0x7F && !(c >= '0' && c <= '9' || c|0x20 >= 'a' && c|0x20 <= 'z')
}

// foldSpace replaces runs of white space with one space and trims.
func foldSpace(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// cleanArticleURL returns the URL of a title link or front matter as an
// absolute http(s) URL, or "" when it is not one. Angle brackets and a
// link title (`url "title"`) are removed (spaces inside angle brackets
// are escaped); "//host/…" gains "https:".
func cleanArticleURL(raw string) string {
	s := strings.TrimSpace(raw)
	if j := strings.IndexByte(s, '>'); strings.HasPrefix(s, "<") && j > 0 {
		s = strings.ReplaceAll(s[1:j], " ", "%20") // <…> may hold spaces
	} else if i := strings.IndexAny(s, " \t"); i >= 0 {
		s = s[:i]
	}
	s = strings.TrimSuffix(strings.TrimPrefix(s, "<"), ">")
	if strings.HasPrefix(s, "//") {
		s = "https:" + s
	}
	u, err := url.Parse(s)
	if err != nil || u.Host == "" {
		return ""
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https":
		return s
	}
	return ""
}

// skipUnderline skips a setext underline line ("---…" or "===…").
func skipUnderline(s string) (string, bool) {
	line, rest := cutLine(s)
	line = strings.TrimSpace(line)
	if len(line) < 2 || strings.Trim(line, "-") != "" && strings.Trim(line, "=") != "" {
		return s, false
	}
	return rest, true
}

// cutLine splits s after its first line; the line has no newline.
func cutLine(s string) (line, rest string) {
	line, rest, _ = strings.Cut(s, "\n")
	return line, rest
}

// skipBlankLines drops leading lines that hold only white space.
func skipBlankLines(s string) string {
	for {
		line, rest, found := strings.Cut(s, "\n")
		if !found || strings.TrimSpace(line) != "" {
			if !found && strings.TrimSpace(line) == "" {
				return ""
			}
			return s
		}
		s = rest
	}
}
