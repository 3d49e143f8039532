//go:build js && wasm

package main

import (
	"context"
	"errors"

	"github.com/broadsheet/broadsheet/app/store/static"
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// archiveURL is the address of the site's hosted archive, "" when the
// site was built without one.
func archiveURL() string {
	dir := app.Getenv(envArchive)
	if dir == "" {
		return ""
	}
	return app.Window().Get("location").Get("origin").String() + siteBase() + dir
}

// archiveFetcher reads the archive with the browser's fetch; while the
// browser is offline it fails at once, without a request (which the
// console would log as an error): static.Open then opens the kept
// manifest.
func archiveFetcher(url string) static.Fetcher {
	return offlineFetcher{static.BrowserFetcher(url)}
}

type offlineFetcher struct{ static.Fetcher }

var errOffline = errors.New("the browser is offline")

func (f offlineFetcher) Fetch(ctx context.Context, name string) ([]byte, error) {
	if nav := app.Window().Get("navigator"); nav.Truthy() && !nav.Get("onLine").Bool() {
		return nil, errOffline
	}
	return f.Fetcher.Fetch(ctx, name)
}
