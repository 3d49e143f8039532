// Command searchworker is the search index and the importer in a Web
// Worker: a Go wasm (no go-app) that owns a search.Index over the
// library's IndexedDB database and imports files into the library, so
// that parsing, storing, indexing and merging segments never block the
// page (Go wasm is single-threaded: CPU work in the page freezes it).
//
// web/search-worker.js loads it. Requests and replies are JSON strings
// posted as messages; each request carries an id its reply repeats:
//
//	{"id":1,"op":"open","db":"broadsheet:/","tables":[...]}  -> {"id":1,"stats":{...}}
//	{"id":2,"op":"add","docs":[search.Doc...]}                -> {"id":2,"stats":{...},"micros":N}
//	{"id":3,"op":"delete","ids":["..."]}                      -> {"id":3,"stats":{...}}
//	{"id":4,"op":"search","q":"…","sort":0,"limit":20}         -> {"id":4,"results":{...},"micros":N}
//	{"id":5,"op":"stats"}                                     -> {"id":5,"stats":{...}}
//	{"id":6,"op":"mem"}                                       -> {"id":6,"bytes":HEAP,"sys":SYS}
//
// An "add" may also come as the object {req: JSON, titles: […], texts:
// […]}: its documents' titles and texts as strings beside the JSON,
// which then omits them (add_js.go; the benchmark's adds).
//
// An import is the other request that is not a string: the object
// {req: JSON, files: [File…]} with
//
//	{"id":7,"op":"import","db":…,"tables":[…],"names":[…],"modified":[…]} -> {"id":7,"files":[{"name":…,"id":…,"status":0}…],"micros":N,"readMicros":N}
//
// The worker reads the files, unpacks zips, parses them in parse workers
// (more instances of itself, named "broadsheet-parse", one per core but one,
// started on the first import: parse.go), stores them (library
// ImportParsed, one transaction per 1,000 files, importChunk) and indexes
// the stored articles behind the import, once it has ended (the page
// marks its last slice) or every 32 MB of their text (import.go): the
// page's thread does none of it, and its wasm links no parser.
//
// The app's "open" says "texts":"library" (message.TextsLibrary): every
// document it indexes is a stored article's (library.SearchDoc), so the
// index keeps each one's place alone, not a second copy of its text,
// and reads its hits' texts from the library's articles
// (search.Index.TextsFrom). A benchmark's documents, which are nowhere
// else, are kept in a table of their own ("texts":"table", shelf.go),
// written before each batch is indexed, or else by the index.
//
// After an "open", while idle, the worker parses again the articles an
// older parser stored (reparse.go), then checks that every stored
// article is in the index or waits for it, and indexes those that are
// not (check.go).
//
// A site built with a hosted archive passes its address in "open"
// ("archive":"https://…/REPO/archive/"): the worker opens the archive's
// index too (search.Open over app/store/static, the manifest read from
// the one the page just kept in the database, packs fetched as a query
// needs them and kept there for offline use), and every search merges the
// hits of both indexes by score (or date), leaving out an archive hit
// whose article was also imported here; totals are summed (hosted.go).
// "open" and "stats" then also reply "hosted":{...stats} (or
// "hostedErr" when the archive could not be opened: search stays local).
//
// A failure replies {"id":N,"err":"…"}; a panic while a request is
// handled is one (serve.go). Should the program stop all the same (out
// of memory, a trap), web/search-worker.js answers every request not
// answered, and every one after, with {"id":N,"err":"search worker: it
// …"}. Requests are handled one at a
// time, in order, except that adds are coalesced into batches of about
// 6 MB of text (serve.go) and answered once their documents are indexed
// or, when their texts are kept elsewhere, recorded as to be indexed
// (the next worker indexes them should this one close first). The page (app/search_worker_js.go) and the search
// benchmark (app/e2e/testdata/searchbench) speak this protocol.
package main
