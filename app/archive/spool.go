package archive

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"time"
	"unsafe"

	"github.com/broadsheet/broadsheet/app/library"
	"github.com/broadsheet/broadsheet/app/search"
	"github.com/broadsheet/broadsheet/parser"
)

// spool is the queue of search documents from the importer to the
// indexer, kept in a temporary file: the importer never waits for the
// indexer (the slower of the two), so the files are parsed and stored at
// the parser's pace while the indexer works through the queue, and the
// library's tables are written while it still does; memory holds none of
// the queued text. Documents come out in the order they went in (each,
// a rebuild's indexer), or one by one where put says (readDoc: a new
// build's, once all are queued, in the index's order).
type spool struct {
	f    *os.File
	buf  []byte // put's encoding buffer
	more chan struct{}

	mu     sync.Mutex
	end    int64 // bytes written: whole frames
	closed bool
	// every document put, in order: where its encoding is and what
	// search.Bulk's FinishOrdered is told of it, and how many each frame
	// held
	at     []docAt
	queued []search.Queued
	frames []int
}

// docAt is where a document's encoding is in the spool's file.
type docAt struct {
	off  int64
	size int
}

// newSpool creates an empty spool in a new temporary file in dir.
func newSpool(dir string) (*spool, error) {
	f, err := os.CreateTemp(dir, "broadsheet-spool-*")
	if err != nil {
		return nil, err
	}
	return &spool{f: f, more: make(chan struct{}, 1)}, nil
}

// put appends the search documents of arts (library.SearchDoc) to the
// queue as one frame: its length, then each document's fields, written
// from the article (its text is not made as a string first).
func (s *spool) put(arts []*parser.Article) error {
	b := s.buf[:0]
	b = binary.AppendUvarint(b, uint64(len(arts)))
	starts := make([]int, len(arts)+1)
	docs := make([]search.Queued, len(arts))
	for i, a := range arts {
		starts[i] = len(b)
		b, docs[i] = appendArticleDoc(b, a)
	}
	starts[len(arts)] = len(b)
	frame := binary.AppendUvarint(make([]byte, 0, binary.MaxVarintLen64), uint64(len(b)))
	s.buf = b
	s.mu.Lock()
	at := s.end
	body := at + int64(len(frame))
	for i, q := range docs {
		s.at = append(s.at, docAt{body + int64(starts[i]), starts[i+1] - starts[i]})
		s.queued = append(s.queued, q)
	}
	s.frames = append(s.frames, len(docs))
	s.mu.Unlock()
	if _, err := s.f.WriteAt(frame, at); err != nil {
		return err
	}
	if _, err := s.f.WriteAt(b, at+int64(len(frame))); err != nil {
		return err
	}
	s.mu.Lock()
	s.end = at + int64(len(frame)+len(b))
	s.mu.Unlock()
	s.signal()
	return nil
}

// close says that nothing more will be put.
func (s *spool) close() {
	s.mu.Lock()
	s.closed = true
	s.mu.Unlock()
	s.signal()
}

func (s *spool) signal() {
	select {
	case s.more <- struct{}{}:
	default:
	}
}

// remove deletes the file; the spool is not used after.
func (s *spool) remove() error {
	err := s.f.Close()
	if rerr := os.Remove(s.f.Name()); err == nil {
		err = rerr
	}
	return err
}

// each calls fn with each frame's documents in order, waiting for more
// until the spool is closed and read to its end, or fn or ctx fails.
func (s *spool) each(ctx context.Context, fn func([]search.Doc) error) error {
	var off int64
	for {
		s.mu.Lock()
		end, closed := s.end, s.closed
		s.mu.Unlock()
		if off == end {
			if closed {
				return nil
			}
			select {
			case <-s.more:
			case <-ctx.Done():
				return ctx.Err()
			}
			continue
		}
		buf, err := s.readFrame(&off)
		if err != nil {
			return err
		}
		docs, err := decodeDocs(buf)
		if err != nil {
			return err
		}
		if err := fn(docs); err != nil {
			return err
		}
	}
}

// readFrame reads the frame at *off into a new buffer (the documents
// decoded from it keep it) and moves *off past it.
func (s *spool) readFrame(off *int64) ([]byte, error) {
	var head [binary.MaxVarintLen64]byte
	n, err := s.f.ReadAt(head[:], *off)
	if n == 0 {
		return nil, fmt.Errorf("archive: reading the index queue: %w", err)
	}
	size, k := binary.Uvarint(head[:n])
	if k <= 0 {
		return nil, errors.New("archive: the index queue is corrupt")
	}
	buf := make([]byte, size)
	if _, err := s.f.ReadAt(buf, *off+int64(k)); err != nil {
		return nil, fmt.Errorf("archive: reading the index queue: %w", err)
	}
	*off += int64(k) + int64(size)
	return buf, nil
}

// appendArticleDoc appends the encoding of the search document of a
// (library.SearchDoc): its ID, title, text (written line by line),
// source, authors and date; it returns what FinishOrdered is told of it.
func appendArticleDoc(b []byte, a *parser.Article) ([]byte, search.Queued) {
	b = appendString(appendString(b, a.ID), a.Title)
	text := docText(a) - len(a.Title)
	b = binary.AppendUvarint(b, uint64(text))
	first := true
	for line := range library.SearchLines(a) {
		if !first {
			b = append(b, '\n')
		}
		b, first = append(b, line...), false
	}
	date := library.ArticleDate(a)
	b = appendDocTail(appendString(b, a.Source), a.Authors, date)
	return b, search.Queued{ID: a.ID, Date: date, Size: len(a.Title) + text}
}

// docText is the bytes of the title and text of a's search document.
func docText(a *parser.Article) int {
	n, lines := len(a.Title), 0
	for line := range library.SearchLines(a) {
		n += len(line)
		lines++
	}
	return n + max(lines-1, 0) // and the newlines between
}

// appendDocTail appends the end of a document's encoding: its authors
// and date.
func appendDocTail(b []byte, authors []string, date time.Time) []byte {
	b = binary.AppendUvarint(b, uint64(len(authors)))
	for _, a := range authors {
		b = appendString(b, a)
	}
	d, _ := date.MarshalBinary() // a time from the parser: in range
	return appendString(b, string(d))
}

func appendString(b []byte, s string) []byte {
	return append(binary.AppendUvarint(b, uint64(len(s))), s...)
}

// decodeDocs decodes a frame's documents. Their titles and texts are
// views of b, not copies: b must not change after (readFrame gives each
// frame a buffer of its own, which lives as long as they do).
func decodeDocs(b []byte) ([]search.Doc, error) {
	d := docDecoder{b: b}
	docs := make([]search.Doc, d.uint())
	for i := range docs {
		docs[i] = d.doc()
	}
	if d.err != nil || len(d.b) != 0 {
		return nil, errors.New("archive: the index queue is corrupt")
	}
	return docs, nil
}

// doc decodes a document (appendArticleDoc). The index keeps each document's
// ID, source and authors to the end (copies: they would keep the
// frame), and its title and text only while it tokenizes them (views).
func (d *docDecoder) doc() search.Doc {
	doc := search.Doc{ID: d.copy(), Title: d.string(), Text: d.string(), Source: d.copy()}
	if n := d.uint(); n > 0 {
		doc.Authors = make([]string, n)
		for j := range doc.Authors {
			doc.Authors[j] = d.copy()
		}
	}
	var t time.Time
	if err := t.UnmarshalBinary([]byte(d.string())); err != nil && d.err == nil {
		d.err = err
	}
	doc.Date = t
	return doc
}

// docDecoder reads uvarints and strings off b, remembering a failure.
type docDecoder struct {
	b   []byte
	err error
}

func (d *docDecoder) uint() uint64 {
	v, n := binary.Uvarint(d.b)
	if n <= 0 || v > uint64(len(d.b)) {
		d.err, d.b = errors.New("bad length"), nil
		return 0
	}
	d.b = d.b[n:]
	return v
}

// copy is string, copied: it does not keep the frame.
func (d *docDecoder) copy() string { return strings.Clone(d.string()) }

// string returns the next string, a view of the frame's bytes.
func (d *docDecoder) string() string {
	n := d.uint()
	if n > uint64(len(d.b)) {
		d.err, d.b = errors.New("bad length"), nil
		return ""
	}
	if n == 0 {
		return ""
	}
	s := unsafe.String(&d.b[0], n)
	d.b = d.b[n:]
	return s
}

// batches returns what was put, as search.Bulk's FinishOrdered is told
// it (all), and in the batches index makes of it: frames until they hold
// indexBytes of text (views of all).
func (s *spool) batches() (all []search.Queued, out [][]search.Queued) {
	s.mu.Lock()
	defer s.mu.Unlock()
	from, at, size := 0, 0, 0
	for _, n := range s.frames {
		for _, q := range s.queued[at : at+n] {
			size += q.Size
		}
		at += n
		if size >= indexBytes {
			out = append(out, s.queued[from:at])
			from, size = at, 0
		}
	}
	if from < at {
		out = append(out, s.queued[from:at])
	}
	return s.queued, out
}

// docSize is the bytes of the encoding of the i-th document put: what
// readDoc appends.
func (s *spool) docSize(i int) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.at[i].size
}

// readDoc reads the i-th document put, appending its bytes to buf; its
// title and text are views of them (buf's array must not change after:
// when it has no room for them, they go to a new one, returned).
func (s *spool) readDoc(i int, buf []byte) (search.Doc, []byte, error) {
	s.mu.Lock()
	at := s.at[i]
	s.mu.Unlock()
	if cap(buf)-len(buf) < at.size {
		buf = make([]byte, 0, max(at.size, cap(buf)))
	}
	b := buf[len(buf) : len(buf)+at.size]
	if _, err := s.f.ReadAt(b, at.off); err != nil {
		return search.Doc{}, buf, fmt.Errorf("archive: reading the index queue: %w", err)
	}
	d := docDecoder{b: b}
	doc := d.doc()
	if d.err != nil || len(d.b) != 0 {
		return search.Doc{}, buf, errors.New("archive: the index queue is corrupt")
	}
	return doc, buf[:len(buf)+at.size], nil
}
