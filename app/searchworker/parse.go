package main

import (
	"context"
	"time"

	"github.com/broadsheet/broadsheet/app/library"
	"github.com/broadsheet/broadsheet/app/search"
)

// An import's files are parsed in parse workers: more instances of this
// wasm (web/search-worker.js named parseWorkerName, started by the
// worker itself), one per core but one up to maxParsers, so that
// parsing, the bulk of an import's work, runs on the free cores while
// this worker stores and indexes. This worker reads a part's files as
// it arrives (one Blob, while it stores the part before: parse_js.go)
// and posts their bytes; each parse worker unpacks zips, parses each file
// (library.Parse) and answers with the records to store and the search
// documents (parse_js.go); the worker stores them with
// library.ImportParsed. Should a parse worker fail, the worker parses its
// files itself.

// maxParsers bounds the parse workers.
const maxParsers = 4

// parseAll unpacks and parses files: the records to store and, for each,
// its search document (zero for a file not parsed). It adds its times to
// st ("parse", "doc").
func parseAll(files []library.File, st stages) ([]library.Parsed, []search.Doc) {
	var ps []library.Parsed
	var docs []search.Doc
	t := time.Now()
	for _, f := range files {
		for _, e := range library.Unpack(f) {
			p, a := library.Parse(e)
			t = st.since("parse", t)
			var d search.Doc
			if a != nil {
				d = library.SearchDoc(a)
			}
			t = st.since("doc", t)
			ps, docs = append(ps, p), append(docs, d)
		}
	}
	return ps, docs
}

// importParsed stores parsed files for request r and returns the reply:
// a result per file, or per entry of a zip. Stored articles wait to be
// indexed.
func (im *importer) importParsed(ctx context.Context, r request, ps []library.Parsed, docs []search.Doc, start time.Time, readTime time.Duration, st stages) reply {
	rep := reply{ID: r.ID, ReadMicros: readTime.Microseconds()}
	if im.cancelled(r) {
		return reply{ID: r.ID, Cancelled: true}
	}
	if err := im.openLibrary(ctx, r); err != nil {
		rep.Err = err.Error()
		return rep
	}
	t := time.Now()
	out := replyFiles{brief: r.Brief}
	im.timed.st = st
	defer func() { im.timed.st = nil }()
	storeAll(ctx, im, ps, func(p library.Parsed) string { return p.Name },
		func(chunk []library.Parsed) []library.Result {
			results, _ := im.lib.ImportParsed(ctx, chunk) // the results carry each file's error
			return results
		},
		func(i int, res library.Result) {
			out.add(res)
			if (res.Status == library.Added || res.Status == library.Updated) && docs[i].ID != "" {
				im.queue(docs[i])
			}
		}, st)
	out.fill(&rep)
	t = st.since("store", t)
	if im.flushFull(ctx) {
		st.since("index", t)
	}
	rep.Micros = time.Since(start).Microseconds()
	return rep
}
