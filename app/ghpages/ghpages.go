package ghpages

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"os"
	"path"
	"strings"
	"time"
)

// Options change how the site is served; the zero value serves as Pages does.
type Options struct {
	// NoStore sends Cache-Control: no-store instead of max-age=600.
	NoStore bool
	// Gzip compresses text, JSON, JavaScript and wasm responses for
	// clients that send Accept-Encoding: gzip.
	Gzip bool
	// Latency is waited before every response.
	Latency time.Duration
}

// handler is the http.Handler returned by New.
type handler struct {
	dir  string
	base string
	opts Options
}

// New returns a handler serving the static site in dir under the base path
// base ("/REPO/", "/REPO" or "/"), by the rules of the package documentation.
func New(dir, base string, opts Options) http.Handler {
	return &handler{dir: dir, base: normalizeBase(base), opts: opts}
}

// normalizeBase gives base exactly one leading and one trailing slash.
func normalizeBase(base string) string {
	base = strings.Trim(base, "/")
	if base == "" {
		return "/"
	}
	return "/" + base + "/"
}

// ServeHTTP implements http.Handler.
func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !h.wait(r) {
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "405 Method Not Allowed", http.StatusMethodNotAllowed)
		return
	}
	root, err := os.OpenRoot(h.dir)
	if err != nil {
		http.Error(w, "500 Internal Server Error", http.StatusInternalServerError)
		return
	}
	defer root.Close()

	p := r.URL.Path
	if p+"/" == h.base {
		h.redirect(w, r, p+"/")
		return
	}
	rel, ok := strings.CutPrefix(p, h.base)
	if !ok {
		h.notFound(w, r, root)
		return
	}
	h.serveRel(w, r, root, rel)
}

// wait sleeps for the configured latency; it reports false when the
// request was cancelled meanwhile.
func (h *handler) wait(r *http.Request) bool {
	if h.opts.Latency <= 0 {
		return true
	}
	t := time.NewTimer(h.opts.Latency)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.Context().Done():
		return false
	}
}

// serveRel finds the file for rel, a path relative to the base, and serves it.
func (h *handler) serveRel(w http.ResponseWriter, r *http.Request, root *os.Root, rel string) {
	name, isDir := cleanRel(rel)
	if isDir {
		h.serveFile(w, r, root, path.Join(name, "index.html"), http.StatusOK)
		return
	}
	switch kind(root, name) {
	case fileKind:
		h.serveFile(w, r, root, name, http.StatusOK)
	case dirKind:
		if kind(root, name+".html") == fileKind {
			h.serveFile(w, r, root, name+".html", http.StatusOK)
			return
		}
		h.redirect(w, r, r.URL.Path+"/")
	default:
		h.serveFile(w, r, root, name+".html", http.StatusOK)
	}
}

// cleanRel turns the part of the URL path after the base into a file name
// relative to the site directory ("" for the directory itself) and tells
// whether the path asked for a directory (ended in a slash). Cleaning
// against "/" drops every ".." that would climb out of the site.
func cleanRel(rel string) (name string, isDir bool) {
	isDir = rel == "" || strings.HasSuffix(rel, "/")
	return strings.TrimPrefix(path.Clean("/"+rel), "/"), isDir
}

// Kinds of names in the site directory.
const (
	missingKind = iota
	fileKind
	dirKind
)

// kind tells whether name is a regular file, a directory or neither.
func kind(root *os.Root, name string) int {
	if name == "" {
		name = "."
	}
	fi, err := root.Stat(name)
	switch {
	case err != nil:
		return missingKind
	case fi.IsDir():
		return dirKind
	case fi.Mode().IsRegular():
		return fileKind
	}
	return missingKind
}

// redirect answers 301 to target, keeping the query.
func (h *handler) redirect(w http.ResponseWriter, r *http.Request, target string) {
	if r.URL.RawQuery != "" {
		target += "?" + r.URL.RawQuery
	}
	h.setCache(w)
	http.Redirect(w, r, target, http.StatusMovedPermanently)
}

// notFound serves the site's 404.html with status 404, or a plain 404.
func (h *handler) notFound(w http.ResponseWriter, r *http.Request, root *os.Root) {
	if kind(root, "404.html") == fileKind {
		h.serveFile(w, r, root, "404.html", http.StatusNotFound)
		return
	}
	h.setCache(w)
	http.Error(w, "404 Not Found", http.StatusNotFound)
}

// serveFile sends the file name with status code, or the 404 page when
// the file cannot be read.
func (h *handler) serveFile(w http.ResponseWriter, r *http.Request, root *os.Root, name string, code int) {
	data, mod, err := readFile(root, name)
	if err != nil {
		if code == http.StatusNotFound {
			http.Error(w, "404 Not Found", http.StatusNotFound)
			return
		}
		h.notFound(w, r, root)
		return
	}
	hd := w.Header()
	hd.Set("Content-Type", ContentType(name))
	h.setCache(w)
	if h.opts.Gzip && compressible(name) {
		hd.Add("Vary", "Accept-Encoding")
		if acceptsGzip(r) {
			writeGzip(w, r, data, code)
			return
		}
	}
	if code != http.StatusOK {
		writeBody(w, r, data, code)
		return
	}
	http.ServeContent(w, r, name, mod, bytes.NewReader(data))
}

// readFile returns the content and modification time of a regular file.
func readFile(root *os.Root, name string) ([]byte, time.Time, error) {
	f, err := root.Open(name)
	if err != nil {
		return nil, time.Time{}, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, time.Time{}, err
	}
	if !fi.Mode().IsRegular() {
		return nil, time.Time{}, errors.New("ghpages: not a regular file")
	}
	data, err := io.ReadAll(f)
	return data, fi.ModTime(), err
}

// writeBody sends data with code and its length.
func writeBody(w http.ResponseWriter, r *http.Request, data []byte, code int) {
	w.Header().Set("Content-Length", itoa(len(data)))
	w.WriteHeader(code)
	if r.Method != http.MethodHead {
		w.Write(data)
	}
}

// setCache sets the Cache-Control header the options ask for.
func (h *handler) setCache(w http.ResponseWriter) {
	if h.opts.NoStore {
		w.Header().Set("Cache-Control", "no-store")
		return
	}
	w.Header().Set("Cache-Control", "max-age=600")
}
