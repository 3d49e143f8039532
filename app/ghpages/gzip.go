package ghpages

import (
	"compress/gzip"
	"net/http"
	"strings"
)

// acceptsGzip tells whether the request accepts a gzip-encoded response.
func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.TrimSpace(coding) != "gzip" {
			continue
		}
		return strings.ReplaceAll(strings.TrimSpace(params), " ", "") != "q=0"
	}
	return false
}

// writeGzip sends data gzip-encoded with code, without a Content-Length,
// as a server compressing on the fly does.
func writeGzip(w http.ResponseWriter, r *http.Request, data []byte, code int) {
	w.Header().Set("Content-Encoding", "gzip")
	w.Header().Del("Content-Length")
	w.WriteHeader(code)
	if r.Method == http.MethodHead {
		return
	}
	zw, _ := gzip.NewWriterLevel(w, gzip.DefaultCompression)
	zw.Write(data)
	zw.Close()
}
