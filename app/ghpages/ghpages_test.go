package ghpages

import (
	"compress/gzip"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// site writes a small static site like the one build.sh writes and
// returns its directory.
func site(t *testing.T, with404 bool) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"index.html":           "<!doctype html><title>library</title>",
		"read.html":            "<!doctype html><title>reader</title>",
		"app.js":               "console.log('app');",
		"web/app.wasm":         "\x00asm\x01\x00\x00\x00",
		"web/style.css":        "body{margin:0}",
		"manifest.webmanifest": `{"name":"Broadsheet"}`,
		"web/samples/a.md":     "[标题](https://example.com/a)\n---\n",
		"web/samples/b.txt":    "plain",
		"docs/index.html":      "<!doctype html><title>docs</title>",
		"both.html":            "both as a file",
		"both/index.html":      "both as a directory",
		"blob.bin":             "\x01\x02",
	}
	if with404 {
		files["404.html"] = "<!doctype html><title>not here</title>"
	}
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// get sends a request to h and returns the recorded response.
func get(h http.Handler, method, target string, header map[string]string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, target, nil)
	for k, v := range header {
		r.Header.Set(k, v)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

func TestRoutes(t *testing.T) {
	dir := site(t, true)
	tests := []struct {
		base, target string
		code         int
		body         string // wanted body, or "" when not checked
		location     string // wanted Location for redirects
	}{
		{"/REPO/", "/REPO", 301, "", "/REPO/"},
		{"/REPO/", "/REPO?x=1", 301, "", "/REPO/?x=1"},
		{"/REPO/", "/REPO/", 200, "<!doctype html><title>library</title>", ""},
		{"/REPO/", "/REPO/index.html", 200, "<!doctype html><title>library</title>", ""},
		{"/REPO/", "/REPO/read?id=cn.example.com%2Fa%2Fb", 200, "<!doctype html><title>reader</title>", ""},
		{"/REPO/", "/REPO/read.html", 200, "<!doctype html><title>reader</title>", ""},
		{"/REPO/", "/REPO/read/", 404, "<!doctype html><title>not here</title>", ""},
		{"/REPO/", "/REPO/docs", 301, "", "/REPO/docs/"},
		{"/REPO/", "/REPO/docs/", 200, "<!doctype html><title>docs</title>", ""},
		{"/REPO/", "/REPO/both", 200, "both as a file", ""},
		{"/REPO/", "/REPO/both/", 200, "both as a directory", ""},
		{"/REPO/", "/REPO/nothing", 404, "<!doctype html><title>not here</title>", ""},
		{"/REPO/", "/REPO/web/", 404, "<!doctype html><title>not here</title>", ""},
		{"/REPO/", "/REPO/../../etc/passwd", 404, "", ""},
		{"/REPO/", "/other/index.html", 404, "", ""},
		{"/REPO/", "/", 404, "", ""},
		{"/REPO", "/REPO/", 200, "<!doctype html><title>library</title>", ""},
		{"REPO", "/REPO", 301, "", "/REPO/"},
		{"/", "/", 200, "<!doctype html><title>library</title>", ""},
		{"/", "/read?id=x", 200, "<!doctype html><title>reader</title>", ""},
		{"/", "/web/samples/a.md", 200, "[标题](https://example.com/a)\n---\n", ""},
		{"/", "/missing.js", 404, "<!doctype html><title>not here</title>", ""},
	}
	for _, tt := range tests {
		h := New(dir, tt.base, Options{})
		w := get(h, "GET", tt.target, nil)
		if w.Code != tt.code {
			t.Errorf("base %q: GET %s: status %d, want %d", tt.base, tt.target, w.Code, tt.code)
			continue
		}
		if tt.body != "" && w.Body.String() != tt.body {
			t.Errorf("base %q: GET %s: body %q, want %q", tt.base, tt.target, w.Body.String(), tt.body)
		}
		if loc := w.Header().Get("Location"); loc != tt.location {
			t.Errorf("base %q: GET %s: Location %q, want %q", tt.base, tt.target, loc, tt.location)
		}
	}
}

func TestNotFoundWithout404Page(t *testing.T) {
	h := New(site(t, false), "/REPO/", Options{})
	w := get(h, "GET", "/REPO/nothing", nil)
	if w.Code != 404 {
		t.Fatalf("GET /REPO/nothing: status %d, want 404", w.Code)
	}
	if !strings.Contains(w.Body.String(), "404") {
		t.Errorf("GET /REPO/nothing: body %q, want a plain 404 text", w.Body.String())
	}
}

func TestContentTypes(t *testing.T) {
	h := New(site(t, true), "/REPO/", Options{})
	tests := []struct{ target, want string }{
		{"/REPO/", "text/html; charset=utf-8"},
		{"/REPO/read?id=a", "text/html; charset=utf-8"},
		{"/REPO/app.js", "application/javascript; charset=utf-8"},
		{"/REPO/web/app.wasm", "application/wasm"},
		{"/REPO/web/style.css", "text/css; charset=utf-8"},
		{"/REPO/manifest.webmanifest", "application/manifest+json"},
		{"/REPO/web/samples/a.md", "text/markdown; charset=utf-8"},
		{"/REPO/web/samples/b.txt", "text/plain; charset=utf-8"},
		{"/REPO/blob.bin", "application/octet-stream"},
		{"/REPO/nothing", "text/html; charset=utf-8"},
	}
	for _, tt := range tests {
		w := get(h, "GET", tt.target, nil)
		if got := w.Header().Get("Content-Type"); got != tt.want {
			t.Errorf("GET %s: Content-Type %q, want %q", tt.target, got, tt.want)
		}
	}
}

func TestCacheControl(t *testing.T) {
	dir := site(t, true)
	for _, tt := range []struct {
		opts   Options
		target string
		want   string
	}{
		{Options{}, "/REPO/", "max-age=600"},
		{Options{}, "/REPO/web/app.wasm", "max-age=600"},
		{Options{}, "/REPO", "max-age=600"},
		{Options{NoStore: true}, "/REPO/", "no-store"},
		{Options{NoStore: true}, "/REPO", "no-store"},
		{Options{NoStore: true}, "/REPO/nothing", "no-store"},
	} {
		w := get(New(dir, "/REPO/", tt.opts), "GET", tt.target, nil)
		if got := w.Header().Get("Cache-Control"); got != tt.want {
			t.Errorf("%+v: GET %s: Cache-Control %q, want %q", tt.opts, tt.target, got, tt.want)
		}
	}
}

func TestGzip(t *testing.T) {
	h := New(site(t, true), "/REPO/", Options{Gzip: true})
	w := get(h, "GET", "/REPO/web/app.wasm", map[string]string{"Accept-Encoding": "gzip, deflate, br"})
	if got := w.Header().Get("Content-Encoding"); got != "gzip" {
		t.Fatalf("GET app.wasm with Accept-Encoding gzip: Content-Encoding %q, want gzip", got)
	}
	zr, err := gzip.NewReader(w.Body)
	if err != nil {
		t.Fatalf("gzip.NewReader: %v", err)
	}
	body, err := io.ReadAll(zr)
	if err != nil {
		t.Fatalf("reading gzip body: %v", err)
	}
	if string(body) != "\x00asm\x01\x00\x00\x00" {
		t.Errorf("gunzipped app.wasm = %q, want the file", body)
	}
	if got := w.Header().Get("Vary"); got != "Accept-Encoding" {
		t.Errorf("Vary = %q, want Accept-Encoding", got)
	}

	w = get(h, "GET", "/REPO/web/app.wasm", nil)
	if got := w.Header().Get("Content-Encoding"); got != "" {
		t.Errorf("GET app.wasm without Accept-Encoding: Content-Encoding %q, want none", got)
	}
	w = get(h, "GET", "/REPO/web/app.wasm", map[string]string{"Accept-Encoding": "gzip;q=0"})
	if got := w.Header().Get("Content-Encoding"); got != "" {
		t.Errorf("GET app.wasm with gzip;q=0: Content-Encoding %q, want none", got)
	}
	w = get(New(site(t, true), "/REPO/", Options{}), "GET", "/REPO/web/app.wasm", map[string]string{"Accept-Encoding": "gzip"})
	if got := w.Header().Get("Content-Encoding"); got != "" {
		t.Errorf("Gzip off: Content-Encoding %q, want none", got)
	}
	w = get(h, "GET", "/REPO/nothing", map[string]string{"Accept-Encoding": "gzip"})
	if w.Code != 404 || w.Header().Get("Content-Encoding") != "gzip" {
		t.Errorf("GET /REPO/nothing gzip: status %d, encoding %q, want 404 gzip", w.Code, w.Header().Get("Content-Encoding"))
	}
}

func TestMethods(t *testing.T) {
	h := New(site(t, true), "/REPO/", Options{})
	w := get(h, "HEAD", "/REPO/", nil)
	if w.Code != 200 || w.Body.Len() != 0 {
		t.Errorf("HEAD /REPO/: status %d, body %d bytes, want 200 and none", w.Code, w.Body.Len())
	}
	w = get(h, "POST", "/REPO/", nil)
	if w.Code != 405 {
		t.Errorf("POST /REPO/: status %d, want 405", w.Code)
	}
}

func TestLatency(t *testing.T) {
	const latency = 50 * time.Millisecond
	h := New(site(t, true), "/REPO/", Options{Latency: latency})
	start := time.Now()
	w := get(h, "GET", "/REPO/", nil)
	if d := time.Since(start); d < latency {
		t.Errorf("GET with Latency %v answered after %v", latency, d)
	}
	if w.Code != 200 {
		t.Errorf("GET with latency: status %d, want 200", w.Code)
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r := httptest.NewRequest("GET", "/REPO/", nil).WithContext(ctx)
	rec := httptest.NewRecorder()
	New(site(t, true), "/REPO/", Options{Latency: time.Hour}).ServeHTTP(rec, r)
	if rec.Body.Len() != 0 {
		t.Errorf("cancelled request got a body of %d bytes, want none", rec.Body.Len())
	}
}

// TestServer checks the handler behind a real listener, as the browser
// tests use it: redirects are followed and Range requests work.
func TestServer(t *testing.T) {
	srv := httptest.NewServer(New(site(t, true), "/REPO/", Options{NoStore: true}))
	defer srv.Close()
	res, err := http.Get(srv.URL + "/REPO")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || string(body) != "<!doctype html><title>library</title>" {
		t.Errorf("GET /REPO after redirect: %d %q, want 200 and index.html", res.StatusCode, body)
	}
	req, _ := http.NewRequest("GET", srv.URL+"/REPO/web/style.css", nil)
	req.Header.Set("Range", "bytes=0-3")
	res, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ = io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusPartialContent || string(body) != "body" {
		t.Errorf("Range bytes=0-3: %d %q, want 206 \"body\"", res.StatusCode, body)
	}
}

func TestContentTypeFunc(t *testing.T) {
	for name, want := range map[string]string{
		"a.WASM":        "application/wasm",
		"x.webmanifest": "application/manifest+json",
		"README.md":     "text/markdown; charset=utf-8",
		"noext":         "application/octet-stream",
	} {
		if got := ContentType(name); got != want {
			t.Errorf("ContentType(%q) = %q, want %q", name, got, want)
		}
	}
}
