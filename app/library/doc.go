// Package library keeps the imported articles in a store.Store: the parsed
// article, its original file bytes, a light Meta record for lists, a
// sort-ordered list table and the filter counts (sources, authors, years).
//
// # Model
//
// An article is known by its parser ID. Importing a file parses it, then
// stores, in one store.Write, the article, the original bytes and its index
// entries: a file is stored whole or not at all. Importing an article whose
// ID is already stored replaces it only when the new copy is newer (its
// savedAt time, else the file's modification time); an article is never
// stored twice.
//
// The list order is newest first: by published time, else by saved time,
// then by ID. The "order" table is keyed by that order (the date's digits
// inverted, then the ID), so a page of the list is one bounded Scan, and the
// per-source, per-author index tables are keyed the same way under their
// value. The counts shown in the filter selects are kept as records updated
// with every import and delete, never recomputed by loading everything.
//
// # Tables and schema
//
// A store must be opened with the tables Tables returns. The "info" table
// holds the schema version; Open upgrades an older library step by step
// (each step rebuilds what changed from the stored articles) and refuses one
// written by a newer app with an error matching store.ErrVersion.
//
// # Safety
//
// Files are untrusted input. Parsing is the parser's job; this package caps
// what it accepts (parser.MaxSize per file, and in ExpandZip the entry count
// and the total uncompressed size, so a zip bomb is refused rather than
// expanded).
package library
