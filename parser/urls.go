package parser

import (
	"net/url"
	"strings"
)

// The URL policy of the body stage.
//
// Links keep only http, https and mailto addresses; images keep only http and
// https. A protocol-relative address (//host/path) becomes https://host/path.
// A relative address is resolved against the article's own address when
// the file names one (scraped pages link and embed their site's pages and
// pictures by path); without it, or when it is only a fragment (#notes),
// it is dropped: the link's text stays, without the link. Everything else
// (javascript:, data:, vbscript:, file:, unknown schemes) is dropped too.
// A plain lower-case http(s) address is kept as written; others are parsed
// and written back in net/url's form (scheme lower-cased, escaped).

// linkURL returns the safe form of a link's href, or "" when it has none.
func linkURL(raw string) string {
	if plainWebURL(raw) {
		return raw
	}
	u, ok := absoluteURL(raw)
	if !ok {
		return ""
	}
	switch u.Scheme {
	case "http", "https":
		if u.Host == "" {
			return ""
		}
	case "mailto":
		if u.Opaque == "" {
			return ""
		}
	default:
		return ""
	}
	return u.String()
}

// imageURL returns the safe form of an image address, or "" when it has none.
func imageURL(raw string) string {
	if plainWebURL(raw) {
		return raw
	}
	return parsedImageURL(raw)
}

// imageAddress is imageURL for an address of the page's, made absolute
// against the article's own address (base, which may be nil) when it is
// relative: pictures, posters and recordings.
func imageAddress(raw string, base *url.URL) string {
	src := imageURL(raw)
	if src == "" && base != nil {
		src = imageURL(resolveRelative(raw, base))
	}
	return src
}

// parsedImageURL is imageURL without the fast path: the address must parse.
func parsedImageURL(raw string) string {
	u, ok := absoluteURL(raw)
	if !ok || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	return u.String()
}

// plainWebURL reports the common case that needs no parsing: a lower-case
// http:// or https:// address with a host and no white space or control
// characters, kept as written.
func plainWebURL(raw string) bool {
	var rest string
	switch {
	case strings.HasPrefix(raw, "https://"):
		rest = raw[len("https://"):]
	case strings.HasPrefix(raw, "http://"):
		rest = raw[len("http://"):]
	default:
		return false
	}
	if rest == "" || rest[0] == '/' || rest[0] == '?' || rest[0] == '#' {
		return false
	}
	for i := 0; i < len(raw); i++ {
		if c := raw[i]; c <= ' ' || c == 0x7F || c == '\\' || c == '[' || c == ']' {
			return false
		}
	}
	return true
}

// resolveRelative returns the address of a relative reference raw seen
// from base, or "" when raw is not a relative reference (it has a scheme,
// or it is empty or only a fragment). The result still goes through
// linkURL or imageURL.
func resolveRelative(raw string, base *url.URL) string {
	raw = strings.TrimSpace(raw)
	if raw == "" || raw[0] == '#' || schemeOf(raw) != "" || strings.ContainsAny(raw, "\x00\t\n\r") {
		return ""
	}
	ref, err := url.Parse(raw)
	if err != nil || ref.Scheme != "" {
		return ""
	}
	return base.ResolveReference(ref).String()
}

// absoluteURL parses raw as an absolute address, turning a
// protocol-relative one into https. Relative addresses are refused.
func absoluteURL(raw string) (*url.URL, bool) {
	raw = strings.TrimSpace(raw)
	if raw == "" || strings.ContainsAny(raw, "\x00\t\n\r") {
		return nil, false
	}
	if strings.HasPrefix(raw, "//") {
		raw = "https:" + raw
	}
	u, err := url.Parse(raw)
	if err != nil || u.Scheme == "" {
		return nil, false
	}
	u.Scheme = strings.ToLower(u.Scheme)
	return u, true
}

// originalImage returns the address behind an image proxy, or "" when src
// is not a known proxy address. It knows the weserv proxy
// (https://images.weserv.nl/?url=host/path, https:// added when the
// parameter has no scheme) and thumbor-style proxies that embed the whole
// original address in their path (…/unsafe/1340x754/https://host/path).
func originalImage(src string) string {
	u, err := url.Parse(src)
	if err != nil {
		return ""
	}
	if strings.HasSuffix(u.Host, "weserv.nl") {
		inner := u.Query().Get("url")
		if inner == "" {
			return ""
		}
		if !strings.Contains(inner, "://") {
			inner = "https://" + strings.TrimPrefix(inner, "//")
		}
		return parsedImageURL(inner)
	}
	if i := strings.LastIndex(src, "/https://"); i > 0 {
		return parsedImageURL(src[i+1:])
	}
	if i := strings.LastIndex(src, "/http://"); i > 0 {
		return parsedImageURL(src[i+1:])
	}
	return ""
}

// dimension reads a width or height attribute leniently: leading digits
// count ("360px" is 360), a percentage or anything unreadable is 0.
func dimension(s string) int {
	s = strings.TrimSpace(s)
	n, i := 0, 0
	for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
		if n > 100000 {
			return 0
		}
		n = n*10 + int(s[i]-'0')
	}
	if i < len(s) && s[i] == '%' {
		return 0
	}
	return n
}

// unsafeScheme reports addresses that can run code or carry a document:
// javascript:, vbscript: and data:.
func unsafeScheme(raw string) bool {
	switch schemeOf(raw) {
	case "javascript:", "vbscript:", "data:":
		return true
	}
	return false
}

// schemeOf returns the lower-case scheme of raw with its colon, ignoring
// the white space and control characters browsers ignore, or "".
func schemeOf(raw string) string {
	var sb strings.Builder
	for i := 0; i < len(raw) && sb.Len() < 12; i++ {
		c := raw[i]
		switch {
		case c <= ' ':
			continue
		case c >= 'A' && c <= 'Z':
			sb.WriteByte(c + 'a' - 'A')
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9' && sb.Len() > 0, c == '+' || c == '-' || c == '.':
			sb.WriteByte(c)
		case c == ':':
			sb.WriteByte(c)
			return sb.String()
		default:
			return ""
		}
	}
	return ""
}
