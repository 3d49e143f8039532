package parser

import (
	"strings"
	"time"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// splitAuthors splits a byline into names on the separators feeds use:
// "," "，" "、" " and " " & " and "和". The "more" of "A, B & more" and
// "et al." are no names.
func splitAuthors(s string) []string {
	s = foldText(s)
	for _, sep := range []string{"，", "、", " and ", " AND ", " & ", "和"} {
		s = strings.ReplaceAll(s, sep, ",")
	}
	var names []string
	for _, name := range strings.Split(s, ",") {
		if name = strings.TrimSpace(name); name != "" && !notName(strings.ToLower(name)) {
			names = append(names, name)
		}
	}
	return names
}

// notName reports the words that end a byline's list of names.
func notName(s string) bool {
	switch s {
	case "more", "others", "et al.", "et al", "等", "等人":
		return true
	}
	return false
}

// civilLayouts are the date forms found in feed bylines and <time>
// attributes, most common first.
var civilLayouts = []string{
	"2006-01-02 15:04:05",
	"2006-01-02T15:04:05",
	"2006-01-02T15:04:05Z07:00",
	"2006-01-02T15:04:05.999999999Z07:00",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05Z07:00",
	"2006-01-02 15:04",
	"2006-01-02T15:04",
	time.RFC1123,
	time.RFC1123Z,
	"Mon, 2 Jan 2006 15:04:05 MST",
	"Mon, 2 Jan 2006 15:04:05 -0700",
	"02/01/2006 - 15:04",
	"2006/01/02 15:04:05",
	"2006/01/02 15:04",
	"2006-01-02",
	"2006/01/02",
	"2006年1月2日",
	"2006年1月2日15:04",
	"2006年1月2日15:04:05",
	"2006年01月02日 15:04",
}

// civilTime reads a date as written in a byline and returns it as civil
// time, YYYY-MM-DDTHH:MM:SS, keeping the wall clock of the source (a zone,
// when given, is dropped, not applied). Dates without a time get 00:00:00.
func civilTime(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if len(s) < 8 || len(s) > 40 || !startsWithDigitOrDay(s) || !hasYear(s) {
		return "", false
	}
	if strings.Contains(s, "年") {
		s = strings.ReplaceAll(s, " ", "")
	}
	for _, layout := range civilLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t.Format("2006-01-02T15:04:05"), true
		}
	}
	return "", false
}

// hasYear reports three digits in a row: every layout has a year, which
// time.Parse reads as four digits or a sign and three. Most lines of text
// fail here, without trying the layouts.
func hasYear(s string) bool {
	run := 0
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= '0' && c <= '9' {
			if run++; run == 3 {
				return true
			}
		} else {
			run = 0
		}
	}
	return false
}

// startsWithDigitOrDay cheaply rules out text that cannot be a date.
func startsWithDigitOrDay(s string) bool {
	c := s[0]
	return c >= '0' && c <= '9' || c >= 'A' && c <= 'Z'
}

// timeAttr returns the machine-readable time of a <time> element.
func timeAttr(pudate, datetime string) string {
	for _, s := range []string{pudate, datetime} {
		if t, ok := civilTime(s); ok {
			return t
		}
	}
	return ""
}

// byline is what a byline element says.
type byline struct {
	authors   []string
	published string
	dateText  string
}

// findByline reads the byline that older feed shapes put first:
// <div><i>AUTHORS<br>DATE</i></div>, or a <div> holding only a date. The
// byline is detached from the tree. It returns nil when the fragment does
// not open with one.
func findByline(top *html.Node) *byline {
	div := firstElement(top)
	if div == nil || div.DataAtom != atom.Div {
		return nil
	}
	holder := div
	if i := firstElement(div); i != nil && i.DataAtom == atom.I && i.NextSibling == nil && onlyChild(div, i) {
		holder = i
	} else if firstElement(div) != nil {
		return nil
	}
	lines := strings.Split(textOf(holder), "\n")
	by, date := bylineDate(lines)
	if by == nil {
		return nil // italic text without a date is a lead, not a byline
	}
	for i, line := range lines {
		if line = foldText(line); line != "" && i != date {
			by.authors = append(by.authors, splitAuthors(line)...)
		}
	}
	div.Parent.RemoveChild(div)
	return by
}

// bylineDate finds the first line that is a date, and returns a byline
// with that date and the line's index, or nil.
func bylineDate(lines []string) (*byline, int) {
	for i, line := range lines {
		if !hasYear(line) { // folding white space makes no digits
			continue
		}
		line = foldText(line)
		if t, ok := civilTime(line); ok {
			return &byline{published: t, dateText: line}, i
		}
	}
	return nil, -1
}

// firstElement returns n's first child element, skipping blank text and
// comments, or nil when the first thing in n is text.
func firstElement(n *html.Node) *html.Node {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		switch {
		case c.Type == html.ElementNode:
			return c
		case c.Type == html.TextNode && !isBlank(c.Data):
			return nil
		}
	}
	return nil
}

// onlyChild reports whether c is the only non-blank child of n.
func onlyChild(n, c *html.Node) bool {
	for x := n.FirstChild; x != nil; x = x.NextSibling {
		if x != c && !(x.Type == html.TextNode && isBlank(x.Data)) && x.Type != html.CommentNode {
			return false
		}
	}
	return true
}
