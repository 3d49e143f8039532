//go:build !(js && wasm)

package static

import (
	"context"
	"fmt"
	"io"
	"net/http"
)

// HTTPFetcher reads an archive over HTTP from baseURL (the URL of the
// directory holding manifest.json) with client c (nil: http.DefaultClient).
// The manifest is asked for with Cache-Control: no-cache. It is native
// only: in the browser use BrowserFetcher (net/http would add 1.5 MB to
// the search worker's wasm).
func HTTPFetcher(baseURL string, c *http.Client) Fetcher {
	if c == nil {
		c = http.DefaultClient
	}
	return &httpFetcher{base: withSlash(baseURL), client: c}
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
