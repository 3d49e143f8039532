package main

import (
	"cmp"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/broadsheet/broadsheet/app/search"
	"github.com/broadsheet/broadsheet/app/searchworker/message"
	"github.com/broadsheet/broadsheet/app/store"
)

// A shelf keeps the titles and texts of documents that are nowhere else
// (a benchmark's: "open" with message.TextsTable) in message.DocsTable,
// as the app's library keeps its articles': the index reads its hits'
// texts from it (search.Index.TextsFrom). Each batch is written
// before it is indexed, in a relaxed write of its own (stage "library").
//
// The texts are kept several to a record, in pages of about pageBytes,
// not one a record: in IndexedDB each record written costs more than its
// bytes, as the index's places found (app/search/places.go). 10,000
// puts of 1.5 KB in a worker, in 10 transactions, took 1.2–1.8 s in
// Chromium; the same bytes in 1,250 records of 8 texts, 0.3–0.4 s. A
// batch of put writes, under one stamp (its time, then a random part:
// batches sort in the order they were written), its documents sorted by
// the fingerprint of their IDs (fingerprint, FNV-1a), then by ID:
//
//	"p/STAMP/NNNNNN": page N of the batch: uvarint(len(ID)), ID,
//	                  uvarint(len(title)), title, uvarint(len(text)),
//	                  text, for each of its documents
//	"d/STAMP":        the batch's directory: uvarint(its pages), then
//	                  uvarint(the documents of each page), then the
//	                  fingerprint of each document, 4 bytes little-endian
//
// The directories, ~4 bytes a document, are read once, all in one scan
// (preload starts it as the index opens), and searched by halves,
// newest batch first: an ID written again is found where it was written
// last. A page whose fingerprint matches but whose IDs do not (another
// ID of the same fingerprint) sends the search on to older batches.
// Directories of IDs (~16 bytes a document) took the first query
// ~10 ms more to read; a map of them, ~35 ms more to build.
type shelf struct {
	s store.Store

	mu      sync.Mutex
	batches []shelfBatch // oldest first, once loaded
	loaded  bool
	last    int64 // the last stamp's time (µs), kept increasing
}

// shelfBatch is the directory of a batch: its documents' fingerprints,
// sorted, and the index in them of each page's first.
type shelfBatch struct {
	stamp  string
	prints []byte   // 4 bytes a document
	starts []uint32 // a page's first document; then their count
}

// shelfEntry is a document of a batch being put.
type shelfEntry struct {
	print uint32
	doc   *search.Doc
}

// pageBytes is the size at which a page of the shelf is closed.
const pageBytes = 8 << 10

// Key ranges of message.DocsTable.
const (
	pagePrefix = "p/"
	dirPrefix  = "d/"
	dirEnd     = "d0" // '/'+1: the end of dirPrefix's range
)

// errShelf: a record of the shelf is corrupt.
var errShelf = errors.New("searchworker: a record of " + message.DocsTable + " is corrupt")

// fingerprint is the FNV-1a hash of id (hash/fnv's New32a, without
// its allocations; TestFingerprintIsFNV1a).
func fingerprint(id string) uint32 {
	h := uint32(2166136261)
	for i := 0; i < len(id); i++ {
		h = (h ^ uint32(id[i])) * 16777619
	}
	return h
}

// put writes the titles and texts of docs; a nil shelf writes nothing.
func (sh *shelf) put(ctx context.Context, docs []search.Doc) error {
	if sh == nil || len(docs) == 0 {
		return nil
	}
	entries := make([]shelfEntry, len(docs))
	for i := range docs {
		entries[i] = shelfEntry{fingerprint(docs[i].ID), &docs[i]}
	}
	slices.SortStableFunc(entries, func(a, b shelfEntry) int {
		if a.print != b.print {
			return cmp.Compare(a.print, b.print)
		}
		return strings.Compare(a.doc.ID, b.doc.ID)
	})
	// the last of an ID put twice kept
	kept := entries[:0]
	for i, e := range entries {
		if i+1 < len(entries) && entries[i+1].doc.ID == e.doc.ID {
			continue
		}
		kept = append(kept, e)
	}
	stamp, err := sh.stamp(ctx)
	if err != nil {
		return err
	}
	b := store.Batch{Relaxed: true}
	var page, counts, prints []byte
	pages, count := 0, 0
	for i, e := range kept {
		d := e.doc
		page = binary.AppendUvarint(page, uint64(len(d.ID)))
		page = append(page, d.ID...)
		page = binary.AppendUvarint(page, uint64(len(d.Title)))
		page = append(page, d.Title...)
		page = binary.AppendUvarint(page, uint64(len(d.Text)))
		page = append(page, d.Text...)
		prints = binary.LittleEndian.AppendUint32(prints, e.print)
		count++
		if len(page) < pageBytes && i < len(kept)-1 {
			continue
		}
		b.Put(message.DocsTable, pageKey(stamp, pages), page)
		counts = binary.AppendUvarint(counts, uint64(count))
		page, pages, count = nil, pages+1, 0
	}
	dir := append(append(binary.AppendUvarint(nil, uint64(pages)), counts...), prints...)
	b.Put(message.DocsTable, dirPrefix+stamp, dir)
	if err := sh.s.Write(ctx, &b); err != nil {
		return err
	}
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if sh.loaded { // else forgotten since: read again when needed
		sb, _ := readDir(stamp, dir)
		sh.batches = append(sh.batches, sb)
	}
	return nil
}

// pageKey is the key of page n of the batch stamp.
func pageKey(stamp string, n int) string { return fmt.Sprintf("%s%s/%06d", pagePrefix, stamp, n) }

// stamp returns a new batch's stamp: the time in µs, greater than the
// last one's, this shelf's or the newest of the directories (read first,
// if not yet: another tab's batch is later than the clock when the
// clock's ticks are coarse, as a browser's are, or the clock was set
// back), and a random part against another tab's batch of the same µs.
func (sh *shelf) stamp(ctx context.Context) (string, error) {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if err := sh.load(ctx); err != nil {
		return "", err
	}
	sh.last = max(time.Now().UnixMicro(), sh.last+1)
	return fmt.Sprintf("%016x-%08x", sh.last, rand.Uint32()), nil
}

// readDir returns the batch of the directory dir of stamp; ok is false
// when dir does not decode.
func readDir(stamp string, dir []byte) (sb shelfBatch, ok bool) {
	sb.stamp = stamp
	pages, w := binary.Uvarint(dir)
	if w <= 0 || pages > uint64(len(dir)) {
		return sb, false
	}
	off := w
	sb.starts = make([]uint32, 0, pages+1)
	docs := uint64(0)
	for range pages {
		n, w := binary.Uvarint(dir[off:])
		if w <= 0 || n == 0 || n > uint64(len(dir)) {
			return sb, false
		}
		sb.starts = append(sb.starts, uint32(docs))
		docs += n
		off += w
	}
	sb.starts = append(sb.starts, uint32(docs))
	if uint64(len(dir)-off) != 4*docs {
		return sb, false
	}
	sb.prints = dir[off:]
	return sb, true
}

// docs is the number of documents of the batch.
func (sb *shelfBatch) docs() int { return len(sb.prints) / 4 }

// print is the fingerprint of document i of the batch.
func (sb *shelfBatch) print(i int) uint32 { return binary.LittleEndian.Uint32(sb.prints[4*i:]) }

// pagesOf appends to pages the pages of the batch that may hold the
// document of fingerprint fp: those of each document of that
// fingerprint (one page, but for another ID's same fingerprint).
func (sb *shelfBatch) pagesOf(pages []int, fp uint32) []int {
	n := sb.docs()
	lo := sort.Search(n, func(i int) bool { return sb.print(i) >= fp })
	for ; lo < n && sb.print(lo) == fp; lo++ {
		p, _ := slices.BinarySearch(sb.starts, uint32(lo)+1) // starts[p-1] <= lo < starts[p]
		if p--; len(pages) == 0 || pages[len(pages)-1] != p {
			pages = append(pages, p)
		}
	}
	return pages
}

// load reads the shelf's directories, once (sh.mu held).
func (sh *shelf) load(ctx context.Context) error {
	if sh.loaded {
		return nil
	}
	var batches []shelfBatch
	ok := true
	err := sh.s.Scan(ctx, message.DocsTable, dirPrefix, dirEnd, 0, func(key string, dir []byte) bool {
		var sb shelfBatch
		sb, ok = readDir(key[len(dirPrefix):], slices.Clone(dir))
		batches = append(batches, sb)
		return ok
	})
	if err == nil && !ok {
		err = errShelf
	}
	if err != nil {
		return err
	}
	sh.batches, sh.loaded = batches, true
	if n := len(batches); n > 0 { // a clock set back since: later still
		if t, err := strconv.ParseInt(batches[n-1].stamp[:min(16, len(batches[n-1].stamp))], 16, 64); err == nil {
			sh.last = max(sh.last, t)
		}
	}
	return nil
}

// preload reads the directories, if not yet read. The worker runs it
// in a goroutine of its own as the index opens: the first query's texts
// then wait less, or not at all. A failure is left for texts to meet.
func (sh *shelf) preload(ctx context.Context) {
	defer func() { _ = recover() }() // a store's bug: texts meets it too
	sh.mu.Lock()
	defer sh.mu.Unlock()
	_ = sh.load(ctx)
}

// forget forgets the directories read: another tab has written since
// (the next texts reads them again). A nil shelf does nothing.
func (sh *shelf) forget() {
	if sh == nil {
		return
	}
	sh.mu.Lock()
	defer sh.mu.Unlock()
	sh.batches, sh.loaded = nil, false
}

// texts reads the titles and texts of ids (search.Texts): nil for an ID
// the shelf does not hold. An ID not found in the directories read
// before has them read again, once: a batch another tab wrote since
// (the index's search takes a document missing for one deleted, and
// deletes it from the index).
func (sh *shelf) texts(ctx context.Context, ids []string) ([]*search.Doc, error) {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	fresh := !sh.loaded
	if err := sh.load(ctx); err != nil {
		return nil, err
	}
	cands, missing := sh.candidates(ids)
	if missing && !fresh {
		sh.batches, sh.loaded = nil, false
		if err := sh.load(ctx); err != nil {
			return nil, err
		}
		cands, _ = sh.candidates(ids)
	}
	out := make([]*search.Doc, len(ids))
	next := make([]int, len(ids)) // the candidate to read next
	for {
		// the pages of each ID's next candidate, each page once
		var keys []string
		index := map[string]int{}
		at := make([]int, len(ids))
		for i := range ids {
			at[i] = -1
			if out[i] != nil || next[i] == len(cands[i]) {
				continue
			}
			c := cands[i][next[i]]
			key := pageKey(sh.batches[c.batch].stamp, c.page)
			n, seen := index[key]
			if !seen {
				n = len(keys)
				index[key] = n
				keys = append(keys, key)
			}
			at[i] = n
		}
		if len(keys) == 0 {
			return out, nil
		}
		vals, err := sh.s.GetMany(ctx, message.DocsTable, keys)
		if err != nil {
			return nil, err
		}
		for i, id := range ids {
			if at[i] < 0 {
				continue
			}
			next[i]++
			if vals[at[i]] == nil {
				continue // the page is gone: an older one, if any
			}
			title, text, found, ok := pageFind(vals[at[i]], id)
			if !ok {
				return nil, errShelf
			}
			if found {
				out[i] = &search.Doc{ID: id, Title: title, Text: text}
			}
		}
	}
}

// pageAt is a page that may hold a document: page of batch.
type pageAt struct{ batch, page int }

// candidates returns, for each of ids, the pages that may hold it,
// newest first; missing reports an ID without any (sh.mu held).
func (sh *shelf) candidates(ids []string) (cands [][]pageAt, missing bool) {
	cands = make([][]pageAt, len(ids))
	var pages []int
	for i, id := range ids {
		fp := fingerprint(id)
		for b := len(sh.batches) - 1; b >= 0; b-- {
			pages = sh.batches[b].pagesOf(pages[:0], fp)
			for _, p := range pages {
				cands[i] = append(cands[i], pageAt{b, p})
			}
		}
		missing = missing || len(cands[i]) == 0
	}
	return cands, missing
}

// pageFind returns the title and text of id in page v; ok is false when
// v does not decode.
func pageFind(v []byte, id string) (title, text string, found, ok bool) {
	var field [3][]byte
	for len(v) > 0 {
		for f := range field {
			l, w := binary.Uvarint(v)
			if w <= 0 || l > uint64(len(v)-w) {
				return "", "", false, false
			}
			field[f], v = v[w:w+int(l)], v[w+int(l):]
		}
		if string(field[0]) == id {
			return string(field[1]), string(field[2]), true, true
		}
	}
	return "", "", false, true
}
