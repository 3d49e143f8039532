// Package message holds the messages between the page and the search
// worker (app/searchworker), encoded as JSON across postMessage. Both
// sides import it, so the two cannot drift apart.
package message

import "github.com/broadsheet/broadsheet/app/search"

// Request is one message from the page to the worker. Op is one of
// "open", "add", "delete", "search", "stats", "mem", "import" and
// "export".
type Request struct {
	ID     int      `json:"id"`
	Op     string   `json:"op"`
	DB     string   `json:"db,omitempty"`
	Tables []string `json:"tables,omitempty"`
	// Archive is the address of a hosted archive's root (ending in
	// "archive/"), opened beside the local index by "open": searches
	// then merge the hits of both.
	Archive string `json:"archive,omitempty"`
	// Texts, with "open", says where the texts of the documents added
	// are kept: TextsLibrary, the library's articles in the same
	// database (the app's: it adds only the documents of articles it
	// stored, library.SearchDoc), which the index reads its hits' texts
	// from instead of keeping a copy; TextsTable, a table of their own
	// (DocsTable), written before each batch is indexed: a benchmark's
	// documents, which are nowhere else, kept as the app's library keeps
	// its articles' and timed apart ("library"); "", the index itself.
	Texts string       `json:"texts,omitempty"`
	Docs  []search.Doc `json:"docs,omitempty"`
	IDs   []string     `json:"ids,omitempty"`
	Q     string       `json:"q,omitempty"`
	Sort  search.Sort  `json:"sort,omitempty"`
	Limit int          `json:"limit,omitempty"`
	// Names and Modified (Unix ms, 0 unknown) describe the files of an
	// "import", posted beside this request as an array of File or Blob
	// objects (or Uint8Arrays) in the same order (a name "": the worker
	// reads the File's webkitRelativePath, else its name); DB and Tables
	// name the library's database. See app/searchworker/import.go.
	Names    []string `json:"names,omitempty"`
	Modified []int64  `json:"modified,omitempty"`
	// Brief asks an "import" for a brief reply (Reply.Statuses): a page
	// decoding a FileResult for each of 200 files made garbage and
	// tasks of tens of ms under load.
	Brief bool `json:"brief,omitempty"`
	// Last marks an import's last slice: the worker indexes the articles
	// waiting once it has stored it, without waiting for a next slice.
	Last bool `json:"last,omitempty"`
}

// FilesOp is the Op of a message bringing File objects ahead of the
// "import" request they belong to: {req: {"op":"files"}, files: [File…]},
// with no ID and no reply. The worker puts them, in the order they came,
// before the import's own files; the import's Names and Modified cover
// them all. (Each File cloned costs the page's thread a call into the
// browser's process: a page posts a few at a time, between tasks.)
const FilesOp = "files"

// CancelOp is the Op of a message cancelling the imports posted before
// it: {req: {"op":"cancel"}, files: []}, with no ID and no reply. The
// worker takes it as it arrives, not in turn: each of those imports
// whose store has not begun is answered at once with Reply.Cancelled
// and nothing stored (a page cancelling an import no longer waits for
// the slices it had posted ahead).
const CancelOp = "cancel"

// TextsLibrary is Request.Texts for documents whose texts the library
// keeps.
const TextsLibrary = "library"

// TextsTable is Request.Texts for documents whose texts the worker keeps
// in DocsTable, which "open" must name among its tables.
const TextsTable = "table"

// DocsTable is the table of the texts of TextsTable: pages of several
// documents' IDs, titles and texts, and a directory of each batch (the
// format is the search worker's: app/searchworker/shelf.go).
const DocsTable = "search_docs"

// Reply answers one Request (same ID). Ready is sent once, with ID 0, when
// the worker has started.
type Reply struct {
	ID    int           `json:"id"`
	Ready bool          `json:"ready,omitempty"`
	Err   string        `json:"err,omitempty"`
	Stats *search.Stats `json:"stats,omitempty"`
	// Hosted is the hosted archive's index stats ("open", "stats"), and
	// HostedErr why it could not be opened (search is then local only).
	Hosted    *search.Stats   `json:"hosted,omitempty"`
	HostedErr string          `json:"hostedErr,omitempty"`
	Results   *search.Results `json:"results,omitempty"`
	Micros    int64           `json:"micros,omitempty"`
	// Bytes and Sys answer "mem": the live Go heap and the memory the Go
	// runtime holds.
	Bytes uint64 `json:"bytes,omitempty"`
	Sys   uint64 `json:"sys,omitempty"`
	// Files answers "import": one result per file, and per entry of a
	// zip file; ReadMicros is the time spent reading the files (Micros
	// the time spent parsing, storing and indexing them).
	Files      []FileResult `json:"files,omitempty"`
	ReadMicros int64        `json:"readMicros,omitempty"`
	// Statuses and IDs answer a Brief "import" in place of a FileResult
	// per file: each result's library.Status as one digit, and the
	// results' IDs joined by "\n" (empty for a file without one); Files
	// then holds the failed files alone, each with its Index among the
	// results.
	Statuses string `json:"statuses,omitempty"`
	IDs      string `json:"ids,omitempty"`
	// Cancelled answers an "import" cancelled before its store began
	// (CancelOp): none of its files was stored.
	Cancelled bool `json:"cancelled,omitempty"`
	// Parsers is the number of parse workers that parsed an import's
	// files (0: the worker parsed them itself).
	Parsers int `json:"parsers,omitempty"`
	// Count answers "export": the number of files in the zip archive,
	// a Blob posted beside the reply as {reply: its JSON, blob}.
	Count int `json:"count,omitempty"`
	// Stages is where the time of an "import", "open" or "search" went
	// in the workers, for benchmarks: microseconds by stage (an import's
	// "read", "parse", "store"…, named in app/searchworker/import_stages.go;
	// the steps of an open or a search, search.Options.Trace; for
	// "stats", where the adds' time went since the open: the split of
	// search.BuildTimes, the worker's own stages around the adds and
	// counts, named in app/searchworker/serve.go, buildStages).
	Stages map[string]int64 `json:"stages,omitempty"`
}

// FileResult is what an "import" did with one file: Status is a
// library.Status; for a failed file Code names the error
// (library.ErrorCode) and Err gives its text.
type FileResult struct {
	Name   string `json:"name"`
	ID     string `json:"id,omitempty"`
	Status int    `json:"status"`
	Code   string `json:"code,omitempty"`
	Err    string `json:"err,omitempty"`
	// Index is the file's place among the results of a Brief reply.
	Index int `json:"index,omitempty"`
}

// WriteLock is the name of the lock (app/weblock) held by every write to
// the database db, by the page and the workers of every tab: writes from
// several tabs must not interleave (the index's manifest and the
// library's counts are read, then written).
func WriteLock(db string) string { return "broadsheet-index:" + db }
