package parser

import (
	"crypto/sha256"
	"encoding/hex"
	"net/url"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// An article's id names its URL without the parts that vary between
// copies of the same article:
//
//   - the scheme (http and https give the same id);
//   - a leading "www." of the host, and the host's case;
//   - the fragment, a trailing slash, and repeated slashes in the path;
//   - the query, except the few parameters that name the article itself
//     on sites whose paths do not (idQueryKeys: ?id=, ?p=, ?v=, …), which
//     are kept sorted.
//
// The path is percent-decoded, so ids read like the URL
// ("www.example.com/%E6%96%B0%E9%97%BB" and "example.com/新闻/" give
// "example.com/新闻"). Ids may hold "/", so use url.PathEscape to put
// one in a URL path segment. An article without a URL gets "h-" followed
// by a hash of its decoded text.

// maxIDLen caps an id; longer ones are cut and end with a hash.
const maxIDLen = 400

// idQueryKeys are query parameters kept in ids.
var idQueryKeys = map[string]bool{
	"id": true, "p": true, "v": true, "aid": true, "articleid": true,
	"docid": true, "newsid": true, "sid": true, "story": true, "storyid": true,
}

// articleID is the id for an article with the given URL (possibly empty)
// and decoded file text.
func articleID(rawURL, content string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		u = nil
	}
	return articleIDOf(u, content)
}

// articleIDOf is articleID for a parsed URL, nil for none.
func articleIDOf(u *url.URL, content string) string {
	if id := urlID(u); id != "" {
		return id
	}
	return "h-" + shortHash(content)
}

// urlID is the id of an absolute URL, or "" when it has no host.
func urlID(u *url.URL) string {
	if u == nil || u.Host == "" {
		return ""
	}
	host := idHost(u)
	if host == "" {
		return ""
	}
	id := host + idPath(u.Path) + idQuery(u.Query())
	if len(id) > maxIDLen {
		cut := maxIDLen - 21
		for cut > 0 && !utf8.RuneStart(id[cut]) {
			cut--
		}
		id = id[:cut] + "~" + shortHash(id)
	}
	return id
}

// idHost is the lower-case host without "www.", with its port unless it is
// a default one.
func idHost(u *url.URL) string {
	host := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	host = strings.TrimPrefix(host, "www.")
	if port := u.Port(); port != "" && port != "80" && port != "443" {
		host += ":" + port
	}
	return cleanIDText(host)
}

// idPath is the decoded path with repeated and trailing slashes removed.
func idPath(p string) string {
	p = cleanIDText(p)
	var b strings.Builder
	b.Grow(len(p) + 1)
	slash := false
	for _, r := range p {
		if r == '/' {
			slash = true
			continue
		}
		if slash {
			b.WriteByte('/')
			slash = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// idQuery is "?k=v&…" for the kept query parameters, sorted, or "".
func idQuery(q url.Values) string {
	var kept []string
	for k, vs := range q {
		if !idQueryKeys[strings.ToLower(k)] {
			continue
		}
		for _, v := range vs {
			kept = append(kept, cleanIDText(strings.ToLower(k)+"="+v))
		}
	}
	if len(kept) == 0 {
		return ""
	}
	sort.Strings(kept)
	return "?" + strings.Join(kept, "&")
}

// cleanIDText makes s valid UTF-8 without control characters or spaces.
func cleanIDText(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

// shortHash is 20 hex digits of the SHA-256 of s.
func shortHash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:10])
}

// URLID is the id Parse gives an article saved from rawURL (an http or
// https address), "" for an address no article can have. It parses no
// file and needs none of the parser's decoders: the reader looks links
// up in the library with it.
func URLID(rawURL string) string {
	safe := parsedImageURL(strings.TrimSpace(rawURL))
	if safe == "" {
		return ""
	}
	u, err := url.Parse(safe)
	if err != nil {
		return ""
	}
	return urlID(u)
}
