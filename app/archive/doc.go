// Package archive builds a hosted archive: it parses every article file
// of a folder with the app's own parser and writes the tables of the
// library and of the search index, filled by the same library and search
// code the browser runs, as a static archive (package store/static)
// beside the app. The browser opens it with static.Open and then
// library.Open and search.Open over that store, exactly as over
// IndexedDB, so the two cannot disagree.
//
// # Layout
//
// Build writes into the site folder Out:
//
//	Out/archive/manifest.json   the tables and their packs; Meta is a Meta
//	Out/archive/p/<hash>.pack   content-hashed packs (immutable)
//	Out/archive-report.json     the Report (not fetched by the app)
//
// The tables are library.Tables() (the "original" table empty: an
// archive holds the parsed articles, not the files), search.Tables()
// (search.TextTable empty: the app cuts the hits' snippets from the
// articles, library.HostedIndex) and FilesTable (what each file was: a hash of its bytes, its article ID and
// saved time, or why it is not an article).
//
// # The build
//
// The folder is walked in path order (hidden files and folders skipped,
// links followed only to files inside it; no file is stat'ed, its size is
// found as it is read) while the first files it finds are parsed: files
// are read and parsed (and their records made, the
// article's JSON by a hand encoder, in the compact form the library
// reads back as the full one: articlejson.go, library.CompactArticle)
// on every core, and stored in path order by library.ImportParsed,
// a chunk at a time, into a
// store.Store kept in a scratch file (store/scratch) so that a hundred
// thousand articles do not have to fit in memory, and their search
// documents queued in a temporary file (spool.go) for the index: a
// shipped index (search.OpenShipped): no positions, documents numbered
// by date, so that a visitor's query reads a fraction of what the app's
// own index would need; phrases are verified on the text of the hits
// shown. A new archive's index is loaded by a search.Bulk once every
// file is imported (indexorder.go): the queued documents are read in
// the segment's order (the last of each ID, by date), batches of about
// 16 MB of text tokenized into sorted runs on up to Workers goroutines
// (kept in a temporary file) while the library's tables are compressed
// and written, and merged at the end, on every core, into one segment,
// a term's lists from several runs only put one after another, its
// pages put straight into the archive's writer (search.Bulk.PagesTo); a
// rebuild's indexer goroutine adds its batches with search.Index.Add as
// they are queued. Packs are compressed with
// klauspost/compress's DEFLATE (level 2), which the app inflates with
// compress/flate; the index's pages, Rice-coded lists that DEFLATE
// cannot shrink, are stored in DEFLATE's stored blocks (the static
// writer tells them by their bytes' entropy). Report.Stages says when each stage of a build ended.
// Two files with one article ID keep the newer copy (by saved time; on a
// tie the first path), as importing them in that order into the app
// would. Nothing depends on the clock or on the order threads finish, so
// the same files give the same bytes.
//
// # Rebuilds
//
// When Out/archive holds a build made by the same Generator, Build opens
// it as the base of an overlay: reads fall through to the previous packs,
// changes go to the scratch file. Only files whose bytes changed are
// parsed; articles whose file changed or vanished are deleted from the
// library and the index, and the new winners imported. Unchanged search
// segments and records stay as they were, and packs are cut at
// content-defined boundaries, so most pack files keep their names and
// visitors' caches stay valid.
package archive
