// Package library keeps the imported articles in a store.Store: the parsed
// article, its original file bytes, a light Meta record for lists, a
// sort-ordered list table and the filter counts (sources, authors, years).
//
// # Model
//
// An article is known by its parser ID. Importing a file parses it, then
// stores, in one store.Write, the article with the original bytes (one
// record: each record costs IndexedDB a write of its own) and its index
// entries: a file is stored whole or not at all. An import's writes are
// of relaxed durability (atomic, not flushed to the disk one by one). Importing an article whose
// ID is already stored replaces it only when the new copy is newer (its
// savedAt time, else the file's modification time); an article is never
// stored twice.
//
// The list order is newest first: by published time, else by saved time,
// then by ID; articles with no date come last. The "order" table is keyed
// by that order (the date's digits inverted, then the ID) and holds the
// Meta records, so a page of the list is one bounded Scan (a year is a
// key range). Paging with Query.After costs the same at any depth;
// Query.Offset costs a scan of the articles it skips. The "index" table
// holds, for each source and author, one group record per import write:
// the order keys of that write's articles under it (group.go; an
// article costs three records, its own, its ID's and its order's, since
// each IndexedDB put costs about as much whatever its size), so a
// filtered page reads the groups of its source or author whole. An
// import looks its IDs up a site's range at a time (lookup.go). The counts (all articles, each source, author,
// year, source and year, author and year) are records updated in the same
// Write as every import and delete, never recomputed by loading everything;
// reads of many records go through store.GetMany, one round trip each.
//
// # Several libraries as one
//
// A Union reads several libraries (the articles imported in this browser,
// a hosted archive opened over app/store/static) as one: its List merges
// theirs in the one list order (same order keys), paging with Offset or
// After across all of them; an article held by several parts is shown
// once, from the first part; counts and facets are summed, and a
// UnionQuery may ask for one part's Origin only. Which copies are hidden
// is looked up once (the first part's ids in the others) until Changed.
//
// # Tables and schema
//
// A store must be opened with the tables Tables returns. The "info" table
// holds the schema version; Open upgrades an older library step by step
// (each step rebuilds what changed from the stored articles) and refuses one
// written by a newer app with an error matching store.ErrVersion. A
// version 2 library (originals in a table of their own) is read as it is,
// so a read-only one opens; version 3 is written with its first article
// record that holds its original.
//
// # Safety
//
// Files are untrusted input. Parsing is the parser's job; this package caps
// what it accepts (parser.MaxSize per file, and in ExpandZip the entry count
// and the total uncompressed size, so a zip bomb is refused rather than
// expanded).
package library
