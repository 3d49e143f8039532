package main

import (
	"context"
	"encoding/json"
	"errors"
	"io/fs"

	"github.com/broadsheet/broadsheet/app/library"
	"github.com/broadsheet/broadsheet/app/store"
	"github.com/broadsheet/broadsheet/app/store/static"
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// A site built with an archive (`broadsheet site --archive DIR`) holds,
// under archive/, the archive's library and search index as content-hashed
// packs (app/archive writes them, app/store/static reads them). The app
// opens that library beside the local one and shows both as one
// (library.Union): the list, counts and filters, the reader, and search
// (the search worker opens the hosted index itself). Packs read are kept
// in the local database, so read articles stay readable offline; the
// settings panel keeps the whole archive (keep_offline.go).

// Origins of the articles of the one library: imported in this browser,
// or from the hosted archive.
const (
	originImported = "imported"
	originArchive  = "archive"
)

// envArchive is the app environment variable set, to the archive's path
// relative to the base ("archive/"), when the site was built with an
// archive: a site without one never asks for archive/manifest.json (a 404
// would be logged as an error in the console).
const envArchive = "BROADSHEET_ARCHIVE"

// archiveDir is the archive's directory in a site, relative to its base.
const archiveDir = "archive/"

// hostedArchive is the archive the site was built with, opened.
type hostedArchive struct {
	url   string // its root's address, ending in "archive/"
	store *static.Store
	lib   *library.Library
	info  archiveInfo
}

// archiveInfo is what the builder says of the archive in its manifest's
// Meta.
type archiveInfo struct {
	Name     string `json:"name"`
	Articles int    `json:"articles"`
	Built    string `json:"built"`
}

// hosted is the opened hosted archive, nil when there is none; set by
// openLibrary.
var hosted *hostedArchive

// openHosted opens the site's hosted archive, keeping the packs it reads
// in keep. It returns nil, without an error, when the site has none or
// it cannot be reached and was never kept.
func openHosted(ctx context.Context, keep store.Store) (*hostedArchive, error) {
	url := archiveURL()
	if url == "" {
		return nil, nil
	}
	f := &missingFetcher{Fetcher: archiveFetcher(url)}
	// The index files of the tables an article is read from are fetched
	// in the background (~70 KB at 100,000 articles): opening an article
	// then fetches its pack and nothing else.
	s, err := static.Open(ctx, f, static.Options{Keep: keep, KeepFetched: true, Preload: library.ReaderTables()})
	switch {
	case f.missing: // the site has no archive (any more)
		if s != nil {
			s.Close()
		}
		return nil, nil
	case err != nil:
		return nil, err
	}
	// The first page of the list costs one round trip after the manifest,
	// not one per table (library.Open and List read them one after
	// another).
	s.Warm(ctx, library.FirstPageTables())
	l, err := library.Open(ctx, s)
	if err != nil {
		return nil, err
	}
	h := &hostedArchive{url: url, store: s, lib: l}
	if m := s.Manifest(); m != nil && len(m.Meta) > 0 {
		if err := json.Unmarshal(m.Meta, &h.info); err != nil {
			app.Log("broadsheet: archive meta:", err)
		}
	}
	return h, nil
}

// missingFetcher notes whether the manifest is missing (as opposed to
// unreachable: offline, the kept manifest is opened instead).
type missingFetcher struct {
	static.Fetcher
	missing bool
}

func (f *missingFetcher) Fetch(ctx context.Context, name string) ([]byte, error) {
	data, err := f.Fetcher.Fetch(ctx, name)
	if name == static.ManifestName && errors.Is(err, fs.ErrNotExist) {
		f.missing = true
	}
	return data, err
}

// archiveName is the name the archive is shown under.
func (h *hostedArchive) archiveName() string {
	if h.info.Name != "" {
		return h.info.Name
	}
	return TA(msgArchive)
}

// originLabel is how an origin is shown.
func originLabel(origin string) string {
	switch {
	case origin == originImported:
		return TA(msgImported)
	case origin == originArchive && hosted != nil:
		return hosted.archiveName()
	}
	return origin
}

// libraryParts are the parts of the one library: the local one, then the
// hosted archive when there is one.
func libraryParts(local *library.Library, h *hostedArchive) []library.Part {
	parts := []library.Part{{Origin: originImported, Lib: local}}
	if h != nil {
		parts = append(parts, library.Part{Origin: originArchive, Lib: h.lib})
	}
	return parts
}
