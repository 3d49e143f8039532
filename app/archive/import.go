package archive

import (
	"context"
	"fmt"
	"iter"
	"slices"

	"github.com/broadsheet/broadsheet/app/library"
	"github.com/broadsheet/broadsheet/app/search"
	"github.com/broadsheet/broadsheet/parser"
)

// Sizes of the import pipeline.
const (
	importFiles = 64       // files per library.Import
	importBytes = 8 << 20  // or file bytes per library.Import
	indexBytes  = 16 << 20 // text bytes per search.Index.Add
)

// parsed is a file read and parsed by a worker: the records the library
// stores for it, made ahead (library.Parsed), its article (queued for
// the index as its search document: spool.put) and what the build
// learns of it.
type parsed struct {
	p   library.Parsed  // p.Err: the file is no article
	art *parser.Article // when it is one
	rec fileRec
	io  error // reading it failed: the build fails
}

// readParse reads and parses a file on a worker: the parse and the
// article's JSON (appendCompactArticle) are made here, on every core, so
// that the importer only stores them.
func (b *builder) readParse(s source) parsed {
	if s.skip != "" {
		return parsed{rec: fileRec{Skip: s.skip, Size: s.size}}
	}
	buf := fileBufs.Get().(*[]byte)
	defer fileBufs.Put(buf)
	data, size, skip, err := readSource(s, *buf)
	*buf = data[:0]
	switch {
	case err != nil:
		return parsed{io: err}
	case skip != "":
		return parsed{rec: fileRec{Skip: skip, Size: size}}
	}
	h := fileHash(data)
	a, err := safeParse(data)
	var js []byte
	if err == nil {
		jb := jsonBufs.Get().(*[]byte)
		js, err = appendCompactArticle(slices.Grow((*jb)[:0], len(data)*2), a) // about its size
	}
	if err != nil {
		rec := recOf(h, nil, err)
		rec.Size = size
		return parsed{p: library.Parsed{Name: s.path, Err: err}, rec: rec}
	}
	// an archive keeps no originals: the bytes go back to the pool
	p := library.ParsedArticle(library.File{Name: s.path, Data: data}, a, js)
	p.Original = nil
	rec := recOf(h, a, nil)
	rec.Size = size
	rec.Text = docText(a)
	return parsed{p: p, rec: rec, art: a}
}

// importFiles parses srcs on every core and imports them in path order,
// a chunk per library.ImportParsed, while the indexer (started here,
// stopped by stopIndexer) indexes the articles added, in the same order,
// from the queue it is handed them in (a spool). added is called with
// each article ID stored.
func (b *builder) importFiles(ctx context.Context, srcs iter.Seq[source], added func(id string)) error {
	if err := b.startIndexer(ctx); err != nil {
		return err
	}
	defer b.queue.close() // the indexer ends once it has read the queue
	var chunk []source
	var files []parsed
	size := 0
	flush := func() error {
		err := b.importChunk(ctx, chunk, files, added)
		chunk, files, size = chunk[:0], files[:0], 0
		return err
	}
	// a window of several chunks: the workers parse on while a chunk is
	// stored (one chunk and a few files idled a core a quarter of the time)
	err := ordered(ctx, srcs, b.o.Workers, 4*importFiles+4*b.o.Workers, b.readParse, func(s source, p parsed) error {
		if p.io != nil {
			return fmt.Errorf("archive: %s: %w", s.path, p.io)
		}
		chunk, files, size = append(chunk, s), append(files, p), size+int(p.rec.Size)
		if len(chunk) >= importFiles || size >= importBytes {
			return flush()
		}
		return nil
	})
	if err == nil && len(chunk) > 0 {
		err = flush()
	}
	return err
}

// startIndexer starts the goroutine that indexes what importChunk
// queues, in a rebuild. A new index is built once every file is
// imported (indexOrdered), from the same queue.
func (b *builder) startIndexer(ctx context.Context) error {
	q, err := newSpool(b.o.TempDir)
	if err != nil {
		return fmt.Errorf("archive: %w", err)
	}
	b.queue = q
	if b.bulk == nil {
		b.indexed = make(chan error, 1)
		go func() { b.indexed <- b.index(ctx, q) }()
	}
	return nil
}

// stopIndexer waits for the indexer to index what it was sent, and
// removes the queue.
func (b *builder) stopIndexer() error {
	if b.queue == nil {
		return nil
	}
	b.queue.close()
	var err error
	if b.indexed != nil {
		err = <-b.indexed
	}
	if rerr := b.queue.remove(); err == nil && rerr != nil {
		err = fmt.Errorf("archive: %w", rerr)
	}
	b.queue = nil
	return err
}

// importChunk stores a chunk of parsed files with one
// library.ImportParsed and queues the articles it added for the index
// (as their search documents).
func (b *builder) importChunk(ctx context.Context, srcs []source, ps []parsed, added func(string)) error {
	var files []library.Parsed
	var which []int
	for i, s := range srcs {
		b.recs[s.path] = ps[i].rec
		if ps[i].rec.Skip == "" && ps[i].p.Err == nil { // read and parsed
			files = append(files, ps[i].p)
			which = append(which, i)
		}
	}
	results, err := b.lib.ImportParsed(ctx, files)
	for _, f := range files {
		// stored (the scratch store copies it) or failed: reused
		jsonBufs.Put(&f.Article)
	}
	if err != nil {
		return fmt.Errorf("archive: storing %s…: %w", srcs[0].path, err)
	}
	var batch []*parser.Article
	for j, r := range results {
		p, path := &ps[which[j]], srcs[which[j]].path
		switch r.Status {
		case library.Failed:
			b.recs[path] = fileRec{Hash: p.rec.Hash, Skip: r.Reason(), Size: p.rec.Size}
		case library.Added, library.Updated:
			batch = append(batch, p.art)
			added(r.ID)
		default:
			rec := b.recs[path]
			rec.Text = 0 // not indexed: an older copy
			b.recs[path] = rec
		}
	}
	if len(batch) == 0 || b.indexFailed.Load() {
		return nil // after a failure: stopIndexer tells it
	}
	if err := b.queue.put(batch); err != nil {
		return fmt.Errorf("archive: queueing articles to index: %w", err)
	}
	return nil
}

// index adds the documents of q to a rebuild's index as they come, in
// batches of about indexBytes of text (a new index's are built once all
// have come: indexOrdered; spool.batches cuts them as this does).
func (b *builder) index(ctx context.Context, q *spool) error {
	var batch []search.Doc
	size := 0
	add, wait := b.indexBatch(ctx)
	err := q.each(ctx, func(ds []search.Doc) error {
		for _, d := range ds {
			batch, size = append(batch, d), size+len(d.Title)+len(d.Text)
		}
		if size >= indexBytes {
			err := add(batch, nil)
			batch, size = nil, 0
			return err
		}
		return nil
	})
	if err == nil && len(batch) > 0 {
		err = add(batch, nil)
	}
	if werr := wait(); err == nil {
		err = werr
	}
	if err != nil {
		b.indexFailed.Store(true)
		return fmt.Errorf("archive: indexing: %w", err)
	}
	return nil
}

// indexBatch returns what indexes a batch, and what waits for the
// batches given to be indexed. A new index's batches are built into runs
// on up to Workers goroutines and added in order; add calls built, when
// it is not nil, once the batch's documents are no longer read.
func (b *builder) indexBatch(ctx context.Context) (add func(docs []search.Doc, built func()) error, wait func() error) {
	if b.bulk == nil {
		return func(docs []search.Doc, built func()) error {
			err := b.ix.Add(ctx, docs...)
			if built != nil {
				built()
			}
			return err
		}, func() error { return nil }
	}
	type built struct {
		runs []*search.Run
		err  error
	}
	var pending []chan built // in order
	next := func() error {
		r := <-pending[0]
		pending = pending[1:]
		b.bulk.Add(r.runs...)
		return r.err
	}
	add = func(docs []search.Doc, release func()) error {
		done := make(chan built, 1)
		go func() {
			runs, err := b.bulk.Build(docs)
			if release != nil {
				release()
			}
			done <- built{runs, err}
		}()
		if pending = append(pending, done); len(pending) >= b.o.Workers {
			return next()
		}
		return nil
	}
	wait = func() error {
		var err error
		for len(pending) > 0 {
			if nerr := next(); err == nil {
				err = nerr
			}
		}
		return err
	}
	return add, wait
}
