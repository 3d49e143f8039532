package static

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"strings"
)

// Fetcher reads the files of an archive. Names are relative to the
// archive's root ("manifest.json", "p/<hash>.pack"); a missing file gives
// an error matching fs.ErrNotExist.
type Fetcher interface {
	Fetch(ctx context.Context, name string) ([]byte, error)
}

// maxFetch is the largest file a fetcher reads.
const maxFetch = 1 << 30

// DirFetcher reads an archive from a directory of the local file system.
// No name reaches outside dir.
func DirFetcher(dir string) Fetcher { return dirFetcher(dir) }

type dirFetcher string

func (d dirFetcher) Fetch(ctx context.Context, name string) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	root, err := os.OpenRoot(string(d))
	if err != nil {
		return nil, err
	}
	defer root.Close()
	return root.ReadFile(name)
}

// HTTPFetcher reads an archive over HTTP from baseURL (the URL of the
// directory holding manifest.json) with client c (nil: http.DefaultClient).
// The manifest is asked for with Cache-Control: no-cache.
func HTTPFetcher(baseURL string, c *http.Client) Fetcher {
	if c == nil {
		c = http.DefaultClient
	}
	return &httpFetcher{base: withSlash(baseURL), client: c}
}

// withSlash ends a non-empty base URL with a slash, so names append to it.
func withSlash(base string) string {
	if base != "" && !strings.HasSuffix(base, "/") {
		return base + "/"
	}
	return base
}

type httpFetcher struct {
	base   string
	client *http.Client
}

func (h *httpFetcher) Fetch(ctx context.Context, name string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, h.base+name, nil)
	if err != nil {
		return nil, err
	}
	if name == ManifestName {
		req.Header.Set("Cache-Control", "no-cache")
	}
	resp, err := h.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if err := statusError(resp.StatusCode, req.URL.String()); err != nil {
		return nil, err
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxFetch+1))
	if err == nil && len(data) > maxFetch {
		err = fmt.Errorf("static: %s: larger than %d bytes", req.URL, maxFetch)
	}
	return data, err
}

// statusError turns an HTTP status other than 200 into an error; 404 and
// 410 match fs.ErrNotExist.
func statusError(code int, url string) error {
	switch code {
	case http.StatusOK:
		return nil
	case http.StatusNotFound, http.StatusGone:
		return fmt.Errorf("static: %s: %w (HTTP %d)", url, fs.ErrNotExist, code)
	}
	return fmt.Errorf("static: %s: HTTP %d", url, code)
}
