// Package static is a read-only store.Store over an archive of
// content-hashed pack files served by a static host (GitHub Pages), and
// the writer that produces such an archive.
//
// # Archive
//
// An archive is a directory with two kinds of files:
//
//	manifest.json     the tables, each a list of packs in key order with
//	                  their first and last keys, counts and sizes, plus the
//	                  builder's own Meta. Small; fetched again on every Open
//	                  (the browser revalidates it: cache "no-cache").
//	p/<hash>.pack     a run of consecutive records of one table, compressed.
//	                  The name is the first 20 hex digits of the SHA-256 of
//	                  the file's bytes, so a pack never changes under its
//	                  name and may be cached forever.
//
// A pack holds the records of a key range, keys prefix-compressed against
// the key before and lengths as uvarints, compressed with compress/flate
// (see pack.go). Packs are cut at content-defined boundaries (chunk.go):
// inserting or deleting records changes only the packs around them, so a
// rebuild after an archive grows writes, and visitors fetch, only those.
//
// # Writing
//
// A Writer takes records in ascending key order per table and writes each
// pack when it is full, holding about two target sizes per table in
// memory; Close writes the manifest atomically and then deletes the packs
// no longer referred to. Write copies tables of any store.Store.
//
// # Reading
//
// Open fetches the manifest through a Fetcher: DirFetcher, HTTPFetcher
// (native only), or BrowserFetcher (the browser's fetch, in a page or a
// worker; the manifest revalidated, packs from the HTTP cache). Get and
// GetMany fetch only the packs holding their keys (GetMany all of them in
// one parallel round); Scan and ScanReverse fetch packs in order, only as
// far as the scan goes, reading the next one ahead when the limit needs
// it; Count answers from the manifest; Write fails with ErrReadOnly.
// Decoded packs are kept in a bounded LRU cache, and concurrent readers
// of one pack fetch it once. A pack missing from the host gives ErrStale:
// the archive was rebuilt since Open, open it again.
//
// With Options.Keep (a store with the table KeepTable, such as the app's
// IndexedDB store) packs are also kept for offline reading: the ones read
// when KeepFetched is set (written in the background), or all of them by
// Download, which reports progress in bytes and resumes where a cancelled
// run stopped. Open falls back to the kept manifest when the manifest
// cannot be fetched or what came is not a manifest, and deletes the kept
// packs a new manifest no longer refers to.
//
// # Safety
//
// Archive files are untrusted input. A pack whose bytes do not hash to its
// name, or disagree with the manifest, is refused with ErrCorrupt and never
// kept. The decoder bounds every length by the bytes present and the
// uncompressed size by the compressed one, and returns errors, not panics,
// on any input (FuzzDecodePack). Pack names are checked before they are
// fetched, so a manifest cannot name a path outside p/.
package static
