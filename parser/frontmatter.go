package parser

import (
	"net/url"
	"strconv"
	"strings"
	"time"
)

// frontMatter is the Jekyll header some archives wrap around an article:
//
//	---
//	layout: post
//	title: "[財經] 標題"
//	date: 2020-07-28T06:16:57.000Z
//	author: RTI 中央廣播電臺
//	from: https://www.rti.org.tw/news/view/id/2073776
//	tags: [ RTI 中央廣播電臺 ]
//	categories: [ news, RTI 中央廣播電臺 ]
//	---
//
// Only this flat subset of YAML is read: scalars (plain, "double" or
// 'single' quoted, or folded over indented lines), flow lists [a, b] and
// block lists of "- item" lines. Unknown keys are ignored.
type frontMatter struct {
	title      string
	date       time.Time
	author     string
	from       string
	tags       []string
	categories []string
}

// maxFrontMatter bounds how far the closing "---" is looked for.
const maxFrontMatter = 64 << 10

// splitFrontMatter reads front matter at the very start of text. It
// reports false, consuming nothing, when there is none.
func splitFrontMatter(text string) (frontMatter, string, bool) {
	first, rest := cutLine(text)
	if strings.TrimRight(first, " \t") != "---" {
		return frontMatter{}, text, false
	}
	lines, body, ok := frontMatterLines(rest)
	if !ok {
		return frontMatter{}, text, false
	}
	fields := parseYAMLMap(lines)
	if len(fields) == 0 {
		return frontMatter{}, text, false
	}
	return fields.frontMatter(), body, true
}

// frontMatterLines collects the lines up to the closing "---" or "...".
func frontMatterLines(s string) (lines []string, rest string, ok bool) {
	for read := 0; read < maxFrontMatter; {
		line, after, found := strings.Cut(s, "\n")
		read += len(line) + 1
		if t := strings.TrimRight(line, " \t"); t == "---" || t == "..." {
			return lines, after, true
		}
		if !found {
			return nil, "", false
		}
		lines, s = append(lines, line), after
	}
	return nil, "", false
}

// yamlValue is a scalar or a list.
type yamlValue struct {
	scalar string
	list   []string
	isList bool
}

type yamlMap map[string]yamlValue

// parseYAMLMap reads top-level "key: value" lines with their continuation
// lines (indented scalars or "- item" lists).
func parseYAMLMap(lines []string) yamlMap {
	m := yamlMap{}
	for i := 0; i < len(lines); {
		key, value, ok := yamlKey(lines[i])
		i++
		if !ok {
			continue
		}
		var cont []string
		for i < len(lines) && isContinuation(lines[i]) {
			cont = append(cont, lines[i])
			i++
		}
		m[key] = yamlParseValue(value, cont)
	}
	return m
}

// yamlKey splits a top-level "key: value" line.
func yamlKey(line string) (key, value string, ok bool) {
	if line == "" || line[0] == ' ' || line[0] == '\t' || line[0] == '#' {
		return "", "", false
	}
	key, value, ok = strings.Cut(line, ":")
	key = strings.ToLower(strings.TrimSpace(key))
	if !ok || key == "" || strings.ContainsAny(key, " \t\"'") {
		return "", "", false
	}
	return key, strings.TrimSpace(value), true
}

// isContinuation reports an indented line or a list item under a key.
func isContinuation(line string) bool {
	return strings.HasPrefix(line, " ") || strings.HasPrefix(line, "\t") || strings.HasPrefix(line, "- ") || line == "-"
}

// yamlParseValue reads one key's value from its line and continuations.
func yamlParseValue(value string, cont []string) yamlValue {
	switch {
	case strings.HasPrefix(value, "["):
		return yamlValue{list: yamlFlowList(strings.Join(append([]string{value}, cont...), " ")), isList: true}
	case value == "" && len(cont) > 0 && strings.HasPrefix(strings.TrimSpace(cont[0]), "-"):
		return yamlValue{list: yamlBlockList(cont), isList: true}
	case value == "|" || value == ">" || value == "|-" || value == ">-":
		value = ""
	}
	for _, c := range cont {
		value += " " + strings.TrimSpace(c)
	}
	return yamlValue{scalar: yamlScalar(strings.TrimSpace(value))}
}

// yamlFlowList reads "[ a, "b, c", 'd' ]".
func yamlFlowList(s string) []string {
	s = strings.TrimSpace(strings.TrimPrefix(s, "["))
	s = strings.TrimSuffix(s, "]")
	var items []string
	for s != "" {
		var item string
		item, s = cutFlowItem(s)
		if item = yamlScalar(strings.TrimSpace(item)); item != "" {
			items = append(items, item)
		}
	}
	return items
}

// cutFlowItem splits off the first comma-separated item, honouring quotes.
func cutFlowItem(s string) (item, rest string) {
	var quote byte
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case quote != 0 && c == '\\' && quote == '"':
			i++
		case quote != 0 && c == quote:
			quote = 0
		case quote == 0 && (c == '"' || c == '\''):
			quote = c
		case quote == 0 && c == ',':
			return s[:i], s[i+1:]
		}
	}
	return s, ""
}

// yamlBlockList reads "- item" lines.
func yamlBlockList(lines []string) []string {
	var items []string
	for _, l := range lines {
		l = strings.TrimSpace(l)
		if !strings.HasPrefix(l, "-") {
			continue
		}
		if item := yamlScalar(strings.TrimSpace(l[1:])); item != "" {
			items = append(items, item)
		}
	}
	return items
}

// yamlScalar unquotes a scalar: "double" with escapes, 'single' with a
// doubled quote for a quote; a plain scalar loses a trailing " # comment".
func yamlScalar(s string) string {
	switch {
	case len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"':
		if u, err := strconv.Unquote(s); err == nil {
			return strings.TrimSpace(u)
		}
		return strings.TrimSpace(s[1 : len(s)-1])
	case len(s) >= 2 && s[0] == '\'' && s[len(s)-1] == '\'':
		return strings.TrimSpace(strings.ReplaceAll(s[1:len(s)-1], "''", "'"))
	}
	if i := strings.Index(s, " #"); i >= 0 {
		s = s[:i]
	}
	return strings.TrimSpace(s)
}

// frontMatter picks the fields Broadsheet reads.
func (m yamlMap) frontMatter() frontMatter {
	return frontMatter{
		title:      cleanText(m.scalar("title")),
		date:       parseFrontMatterDate(m.scalar("date")),
		author:     cleanText(m.scalar("author")),
		from:       m.scalar("from"),
		tags:       m.list("tags"),
		categories: m.list("categories"),
	}
}

func (m yamlMap) scalar(key string) string {
	v := m[key]
	if v.isList {
		return strings.Join(v.list, ", ")
	}
	return v.scalar
}

// list reads a list; a scalar is a list of one (or comma-separated).
func (m yamlMap) list(key string) []string {
	v := m[key]
	if v.isList {
		return v.list
	}
	var items []string
	for _, s := range strings.Split(v.scalar, ",") {
		if s = strings.TrimSpace(s); s != "" {
			items = append(items, s)
		}
	}
	return items
}

// frontMatterDateLayouts are the date forms Jekyll archives use.
var frontMatterDateLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02 15:04:05 -0700",
	"2006-01-02 15:04:05 -07:00",
	"2006-01-02 15:04:05",
	"2006-01-02T15:04:05",
	"2006-01-02",
}

// parseFrontMatterDate reads a front matter date as UTC; zone-less dates
// are taken as UTC.
func parseFrontMatterDate(s string) time.Time {
	for _, layout := range frontMatterDateLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			if y := t.Year(); y < 1980 || y > 2100 {
				return time.Time{}
			}
			return t.UTC()
		}
	}
	return time.Time{}
}

// genericCategories reports the category names that say nothing of the source.
func genericCategories(s string) bool {
	switch s {
	case "news", "post", "posts", "blog", "article", "articles", "uncategorized", "未分类", "未分類", "新闻",
		"新聞":
		return true
	}
	return false
}

// source names the publication: the name publications.txt gives the
// URL, else the first non-generic category, else the first non-generic
// tag, else the URL's host without "www.".
func (fm frontMatter) source(articleURL string) string {
	u, err := url.Parse(articleURL)
	if err != nil {
		u = nil
	}
	return fm.sourceOf(u)
}

// sourceOf is source for a parsed URL, nil for none.
func (fm frontMatter) sourceOf(u *url.URL) string {
	if u != nil {
		if name := knownPublications().name(u); name != "" {
			return name
		}
	}
	for _, list := range [][]string{fm.categories, fm.tags} {
		for _, c := range list {
			if !genericCategories(strings.ToLower(c)) {
				return c
			}
		}
	}
	if u == nil {
		return ""
	}
	return strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
}

// tagList is the tags then the non-generic categories, without repeats.
func (fm frontMatter) tagList() []string {
	var tags []string
	seen := map[string]bool{}
	for _, list := range [][]string{fm.tags, fm.categories} {
		for _, t := range list {
			if t = foldSpace(t); t != "" && !seen[t] && !genericCategories(strings.ToLower(t)) {
				seen[t] = true
				tags = append(tags, t)
			}
		}
	}
	return tags
}

// byline is the front matter author when it names a person: archives put
// the publication there too ("author: 路透" beside "tags: [ 路透 ]").
func (fm frontMatter) byline(source string) string {
	a := fm.author
	if a == "" || strings.EqualFold(a, source) {
		return ""
	}
	for _, list := range [][]string{fm.tags, fm.categories} {
		for _, t := range list {
			if strings.EqualFold(a, t) {
				return ""
			}
		}
	}
	return a
}
