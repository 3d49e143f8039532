package parser

import (
	_ "embed"
	"net/url"
	"strings"
	"sync"
)

// Publication names come from publications.txt: "host<TAB>name" or
// "host/path<TAB>name" lines, # comments and blank lines, with more
// tab-separated names the publication goes by in page titles ("… – 法国国际
// 广播电台 - RFI"). It is data, not code: adding a publication is a line of
// text.

//go:embed publications.txt
var publicationsData string

// publications maps "host" and "host/path" keys to a publication's
// names, the one it is shown by first.
type publications map[string][]string

var (
	pubOnce sync.Once
	pubs    publications
)

// knownPublications returns the table, reading it on first use.
func knownPublications() publications {
	pubOnce.Do(func() { pubs = readPublications(publicationsData) })
	return pubs
}

// readPublications reads the table's text; malformed lines are skipped.
func readPublications(s string) publications {
	p := make(publications)
	for s != "" {
		var line string
		line, s, _ = strings.Cut(s, "\n")
		if line = strings.TrimSpace(line); line == "" || line[0] == '#' {
			continue
		}
		fields := strings.Split(line, "\t")
		key := strings.ToLower(strings.TrimSpace(fields[0]))
		var names []string
		for _, f := range fields[1:] {
			if f = strings.TrimSpace(f); f != "" {
				names = append(names, f)
			}
		}
		if key != "" && len(names) > 0 {
			p[strings.TrimSuffix(key, "/")] = names
		}
	}
	return p
}

// name returns the name of u's publication, or "".
func (p publications) name(u *url.URL) string {
	if names := p.names(u); len(names) > 0 {
		return names[0]
	}
	return ""
}

// names returns the names of u's publication: the entry of its host
// (without "www." or "m.") with the longest matching path prefix.
func (p publications) names(u *url.URL) []string {
	host := strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
	host = strings.TrimPrefix(host, "m.")
	if host == "" {
		return nil
	}
	key := host + strings.ToLower(cleanPath(u.Path))
	for {
		if names, ok := p[key]; ok {
			return names
		}
		i := strings.LastIndexByte(key, '/')
		if i < len(host) {
			return nil
		}
		key = key[:i]
	}
}

// cleanPath folds repeated slashes (feeds write "rfi.fr//cn/…").
func cleanPath(p string) string {
	for strings.Contains(p, "//") {
		p = strings.ReplaceAll(p, "//", "/")
	}
	return p
}
