package ghpages

import (
	"mime"
	"path"
	"strconv"
	"strings"
)

// contentTypes maps extensions to the Content-Type sent for them; it does
// not depend on the machine's MIME tables.
var contentTypes = map[string]string{
	".html":        "text/html; charset=utf-8",
	".htm":         "text/html; charset=utf-8",
	".css":         "text/css; charset=utf-8",
	".js":          "application/javascript; charset=utf-8",
	".mjs":         "application/javascript; charset=utf-8",
	".json":        "application/json; charset=utf-8",
	".webmanifest": "application/manifest+json",
	".wasm":        "application/wasm",
	".md":          "text/markdown; charset=utf-8",
	".markdown":    "text/markdown; charset=utf-8",
	".txt":         "text/plain; charset=utf-8",
	".xml":         "application/xml",
	".svg":         "image/svg+xml",
	".png":         "image/png",
	".jpg":         "image/jpeg",
	".jpeg":        "image/jpeg",
	".gif":         "image/gif",
	".webp":        "image/webp",
	".ico":         "image/x-icon",
	".woff2":       "font/woff2",
	".zip":         "application/zip",
}

// ContentType returns the Content-Type served for a file name, from its
// extension: application/wasm for .wasm, application/manifest+json for
// .webmanifest, text/markdown; charset=utf-8 for .md, and so on;
// application/octet-stream when the extension is unknown.
func ContentType(name string) string {
	ext := strings.ToLower(path.Ext(name))
	if ct, ok := contentTypes[ext]; ok {
		return ct
	}
	if ct := mime.TypeByExtension(ext); ct != "" {
		return ct
	}
	return "application/octet-stream"
}

// compressible tells whether Pages would gzip a file of this name.
func compressible(name string) bool {
	ct := ContentType(name)
	switch {
	case strings.HasPrefix(ct, "text/"), strings.HasPrefix(ct, "image/svg"):
		return true
	case strings.HasPrefix(ct, "application/") && ct != "application/zip" && ct != "application/octet-stream":
		return true
	}
	return false
}

// itoa formats n for a header.
func itoa(n int) string { return strconv.Itoa(n) }
