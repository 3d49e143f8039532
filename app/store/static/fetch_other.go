//go:build !(js && wasm)

package static

import "net/http"

// BrowserFetcher reads an archive with the browser's fetch from baseURL
// (absolute, or relative to the page or worker). Outside the browser it is
// HTTPFetcher with http.DefaultClient.
func BrowserFetcher(baseURL string) Fetcher {
	return HTTPFetcher(baseURL, http.DefaultClient)
}
