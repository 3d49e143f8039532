// Command broadsheet is the Broadsheet viewer: one go-app program built twice.
//
// Built with GOOS=js GOARCH=wasm it is web/app.wasm, the viewer that runs in
// the browser: it imports article files (file and folder pickers, drag and
// drop, zip archives), keeps them in IndexedDB through app/library, and shows
// the library and the reader. Built natively it is bin/broadsheet, whose
// subcommands write the static site, serve it, and parse files:
//
//	broadsheet site --base /REPO/ --out DIR [--version V] [--web web]
//	broadsheet serve --dir DIR [--addr 127.0.0.1:8080] [--base /]
//	broadsheet parse FILE...
//
// Imports and the search index run in a Web Worker (app/searchworker,
// which parses in workers of its own; import_worker_js.go,
// search_worker_js.go): the page only walks file lists and draws, and
// its wasm links neither the parser nor the index engine.
//
// The model: pages (library_page.go, reader_page.go, import_panel.go) are
// components that post actions and observe states; the handlers in
// actions.go do all I/O through app/library; article_view.go turns a
// parser.Article into app.UI elements (never raw HTML). Browser-only code
// sits in *_js.go files with native twins in *_other.go.
//
// The site is an offline app (site.go): app-worker.js is the service worker
// (cache first, one cache per version named after the base path),
// manifest.go the manifest for the base path with its file handlers,
// csp.go the Content-Security-Policy meta put first in every page. In the
// page, update_banner.go offers the reload into a new version, launch.go
// imports the files the installed app is opened with, and
// settings_panel.go shows the storage use and exports the library.
//
// A site built with a hosted archive (`broadsheet site --archive DIR`,
// app/archive) holds it under archive/ as content-hashed packs, and its
// pages carry BROADSHEET_ARCHIVE. The app then opens archive/manifest.json
// (archive_source.go: app/store/static over fetch, revalidated every
// visit; offline, the manifest kept in IndexedDB), opens app/library over
// it and reads it with the local library as one (library.Union): the list
// merges both in the one order, with an origin filter; hosted articles
// are read from their pack and cannot be deleted; the search worker
// searches both indexes. Every pack read is kept in IndexedDB (table
// static.KeepTable), so read articles stay readable offline, and
// keep_offline.go keeps the whole archive on request, with progress,
// stop and resume. The service worker leaves archive/ to the network.
package main
