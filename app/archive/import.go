package archive

import (
	"context"
	"fmt"
	"os"
	"sync"

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

// parsed is a file read and parsed by a worker.
type parsed struct {
	data []byte
	hash string
	a    *parser.Article
	err  error // the parser's: the file is no article
	io   error // reading it failed: the build fails
}

func readParse(s source) parsed {
	if s.skip != "" {
		return parsed{}
	}
	data, err := os.ReadFile(s.abs)
	if err != nil {
		return parsed{io: err}
	}
	a, err := safeParse(data)
	return parsed{data: data, hash: fileHash(data), a: a, err: err}
}

// importFiles parses srcs on every core and imports them in path order,
// a chunk per library.Import, while the indexer (started here, stopped by
// stopIndexer) indexes the articles added, in the same order. added is
// called with each article ID stored.
func (b *builder) importFiles(ctx context.Context, srcs []source, added func(id string)) error {
	b.startIndexer(ctx)
	var chunk []source
	var files []parsed
	size := 0
	flush := func() error {
		err := b.importChunk(ctx, chunk, files, added)
		chunk, files, size = chunk[:0], files[:0], 0
		return err
	}
	err := ordered(ctx, srcs, b.o.Workers, importFiles+4*b.o.Workers, readParse, func(s source, p parsed) error {
		if p.io != nil {
			return fmt.Errorf("archive: %s: %w", s.path, p.io)
		}
		chunk, files, size = append(chunk, s), append(files, p), size+len(p.data)
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

// startIndexer starts the goroutine that indexes what importChunk sends.
func (b *builder) startIndexer(ctx context.Context) {
	if b.docs != nil {
		return
	}
	b.docs, b.indexed = make(chan []search.Doc, 4), make(chan error, 1)
	go func() { b.indexed <- b.index(ctx, b.docs) }()
}

// stopIndexer waits for the indexer to index what it was sent.
func (b *builder) stopIndexer() error {
	if b.docs == nil {
		return nil
	}
	close(b.docs)
	err := <-b.indexed
	b.docs = nil
	return err
}

// importChunk stores a chunk of parsed files with one library.Import and
// sends the search documents of the articles it added to docs.
func (b *builder) importChunk(ctx context.Context, srcs []source, ps []parsed, added func(string)) error {
	var files []library.File
	var which []int
	for i, s := range srcs {
		p := ps[i]
		if s.skip != "" {
			b.recs[s.path] = fileRec{Skip: s.skip}
			continue
		}
		b.recs[s.path] = recOf(p.hash, p.a, p.err)
		if p.err != nil {
			continue
		}
		b.memo.put(p.data, p.a, p.err)
		files = append(files, library.File{Name: s.path, Data: p.data})
		which = append(which, i)
	}
	results, err := b.lib.Import(ctx, files)
	b.memo.clear()
	if err != nil {
		return fmt.Errorf("archive: storing %s…: %w", srcs[0].path, err)
	}
	var batch []search.Doc
	for j, r := range results {
		path := srcs[which[j]].path
		switch r.Status {
		case library.Failed:
			b.recs[path] = fileRec{Hash: ps[which[j]].hash, Skip: r.Reason()}
		case library.Added, library.Updated:
			d := library.SearchDoc(r.Article)
			rec := b.recs[path]
			rec.Text = len(d.Title) + len(d.Text)
			b.recs[path] = rec
			batch = append(batch, d)
			added(r.ID)
		}
	}
	if len(batch) > 0 {
		select {
		case b.docs <- batch:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}

// index adds the documents it receives to the index, in batches of about
// indexBytes of text. After an error it keeps receiving (so the sender
// never blocks) and returns that error.
func (b *builder) index(ctx context.Context, docs <-chan []search.Doc) error {
	var batch []search.Doc
	size := 0
	var err error
	for ds := range docs {
		if err != nil {
			continue
		}
		for _, d := range ds {
			batch, size = append(batch, d), size+len(d.Title)+len(d.Text)
		}
		if size >= indexBytes {
			err = b.ix.Add(ctx, batch...)
			clear(batch)
			batch, size = batch[:0], 0
		}
	}
	if err == nil && len(batch) > 0 {
		err = b.ix.Add(ctx, batch...)
	}
	if err != nil {
		return fmt.Errorf("archive: indexing: %w", err)
	}
	return nil
}

// memo hands the library the articles the workers parsed ahead (its Parse
// option): keyed by the identity of the bytes given to Import, so nothing
// is parsed twice and the result is what parser.Parse gives for them.
type memo struct {
	mu sync.Mutex
	m  map[*byte]memoized
}

type memoized struct {
	a   *parser.Article
	err error
}

func (m *memo) put(data []byte, a *parser.Article, err error) {
	if len(data) == 0 {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.m == nil {
		m.m = map[*byte]memoized{}
	}
	m.m[&data[0]] = memoized{a, err}
}

func (m *memo) clear() {
	m.mu.Lock()
	defer m.mu.Unlock()
	clear(m.m)
}

func (m *memo) parse(data []byte) (*parser.Article, error) {
	if len(data) > 0 {
		m.mu.Lock()
		r, ok := m.m[&data[0]]
		m.mu.Unlock()
		if ok {
			return r.a, r.err
		}
	}
	return safeParse(data)
}
