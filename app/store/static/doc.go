// Package static is a read-only store.Store over an archive of
// content-hashed pack files served by a static host (GitHub Pages), and
// the writer that produces such an archive.
//
// # Archive
//
// An archive is a directory with three kinds of files:
//
//	manifest.json     the tables, each with its count and size, and either
//	                  all its packs (at most InlinePacks, or a table named
//	                  by WriteOptions.Inline) or its index file and its
//	                  first and last packs; plus the builder's own Meta.
//	                  Small at any size (a few KB); fetched again on every
//	                  Open (the browser revalidates it: cache "no-cache").
//	p/<hash>.idx      a table's pack index: per pack its hash, count, size
//	                  and lower bound, compressed (index.go). Read the first
//	                  time a key between the first and last packs is.
//	p/<hash>.pack     a run of consecutive records of one table, compressed.
//	                  The name of a pack or index file is the first 20 hex
//	                  digits of the SHA-256 of its bytes, so it never
//	                  changes under its name and may be cached forever.
//
// A table's packs cover the key space in order: pack i holds the keys from
// its lower bound Lo up to the next pack's; Lo is the shortest key above
// the last key of the pack before (LevelDB's separator), so bounds cost a
// few bytes. A Get of a key absent from the archive may read the pack its
// range falls in to learn so.
//
// A pack holds the records of a key range, keys prefix-compressed against
// the key before and lengths as uvarints, compressed with compress/flate
// (see pack.go), or stored in DEFLATE's stored blocks when their bytes
// are too random to shrink (entropy.go: a search index's Rice-coded
// pages), which readers inflate alike. Packs are cut at content-defined boundaries (chunk.go):
// inserting or deleting records changes only the packs around them, so a
// rebuild after an archive grows writes, and visitors fetch, only those.
//
// # Writing
//
// A Writer takes records in ascending key order per table and writes each
// pack when it is full, holding about two target sizes per table in
// memory; Close writes the index files and the manifest (atomically) and
// then deletes the files no longer referred to. Over an earlier archive, a
// pack whose records did not change keeps its file without being
// compressed again (previous.go). Write copies tables of any store.Store.
//
// # Reading
//
// Open fetches the manifest through a Fetcher: DirFetcher, HTTPFetcher
// (native only), or BrowserFetcher (the browser's fetch, in a page or a
// worker; the manifest revalidated, packs from the HTTP cache). Get and
// GetMany fetch only the packs holding their keys (GetMany all of them in
// one parallel round), after the table's index file unless the keys are in
// its first or last pack; Scan and ScanReverse fetch packs in order, only as
// far as the scan goes, reading the next one ahead when the limit needs
// it (a scan from either end of a table starts without its index, so the
// first page of a list is one round trip after the manifest); Count
// answers from the manifest; Write fails with ErrReadOnly.
// Decoded packs are kept in a bounded LRU cache, and concurrent readers
// of one pack fetch it once. A pack missing from the host gives ErrStale:
// the archive was rebuilt since Open, open it again.
//
// With Options.Keep (a store with the table KeepTable, such as the app's
// IndexedDB store) packs and index files are also kept for offline
// reading: the ones read when KeepFetched is set (written in the
// background), or all of them by Download, which reports progress in
// bytes and resumes where a cancelled run stopped. Open falls back to the
// kept manifest when the manifest cannot be fetched or what came is not a
// manifest; after a new manifest, the kept files it no longer refers to
// are deleted in the background (reading the index files to tell).
//
// # Safety
//
// Archive files are untrusted input. A pack whose bytes do not hash to its
// name, or disagree with the manifest or index, is refused with ErrCorrupt
// and never kept. An index must agree with the manifest's counts, sizes
// and first and last packs. The decoders bound every length by the bytes
// present and the uncompressed size by the compressed one, and return
// errors, not panics, on any input (FuzzDecodePack, FuzzDecodeIndex,
// FuzzManifest). File names are checked before they are fetched, so a
// manifest cannot name a path outside p/.
package static
