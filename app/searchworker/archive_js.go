//go:build js && wasm

package main

import (
	"context"
	"errors"
	"syscall/js"

	"github.com/broadsheet/broadsheet/app/library"
	"github.com/broadsheet/broadsheet/app/store"
	"github.com/broadsheet/broadsheet/app/store/static"
)

// openArchive opens the hosted archive at url over the worker's fetch,
// keeping the packs it reads in keep (the local database).
func openArchive(ctx context.Context, url string, keep store.Store) (store.Store, error) {
	f := keptManifest{offlineFetcher{static.BrowserFetcher(url)}, keep}
	// The index files of the tables a search reads, read at once: a
	// first query then costs no round trip for them.
	s, err := static.Open(ctx, f, static.Options{Keep: keep, KeepFetched: true, Preload: library.HostedIndexTables()})
	if err != nil {
		return nil, err
	}
	s.Warm(ctx, library.HostedOpenTables()) // with the index files: one round trip after the manifest
	return s, nil
}

// offlineFetcher fails at once while the browser is offline, without a
// request (the console would log it as an error): static.Open then opens
// the kept manifest, and packs come from the kept ones.
type offlineFetcher struct{ static.Fetcher }

func (f offlineFetcher) Fetch(ctx context.Context, name string) ([]byte, error) {
	if nav := js.Global().Get("navigator"); nav.Truthy() && !nav.Get("onLine").Bool() {
		return nil, errors.New("the browser is offline")
	}
	return f.Fetcher.Fetch(ctx, name)
}

// keptManifest reads the manifest the page kept in the database moments
// ago (it opens the archive, and starts the worker, first), instead of
// fetching it a second time; it fetches it when none is kept.
type keptManifest struct {
	static.Fetcher
	keep store.Store
}

func (f keptManifest) Fetch(ctx context.Context, name string) ([]byte, error) {
	if name == static.ManifestName {
		if data, err := f.keep.Get(ctx, static.KeepTable, name); err == nil {
			return data, nil
		}
	}
	return f.Fetcher.Fetch(ctx, name)
}
