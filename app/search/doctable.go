package search

import (
	"encoding/binary"
	"encoding/hex"
)

// Doc tables. A segment's doc table is in chunks of docChunkSize
// documents, read one chunk at a time. A shipped segment's chunks
// (segShippedDocs) keep what a visitor's query needs and no more: the
// ID, the date, the source and the authors; not the lengths and extents,
// which only ranking with positions uses. Per document:
//
//	id:      uvarint(8<<1|1) and 8 bytes for an ID of 16 lower-case hex
//	         digits (parser.URLID's), else uvarint(len<<1) and its bytes
//	date:    varint(date − previous document's date), the chunk's first
//	         from 0
//	source:  a string reference
//	authors: uvarint(count), then a reference each
//
// A string reference is uvarint(0), uvarint(len) and the bytes of a
// string the chunk has not named yet, or uvarint(i+1) for the chunk's
// i-th string named: the few sources and the regular authors of an
// archive cost a byte each.

// docInfo is a document's entry in a segment's doc table.
type docInfo struct {
	id       string
	date     int64  // Unix seconds, 0 = unknown
	length   uint32 // positional tokens
	titleEnd uint32 // positions below it are in the title
	leadEnd  uint32 // positions below it are in the title or the lead paragraph
	source   string
	authors  []string
}

// append encodes d in the doc table of a segment that is not shipped:
// uvarint-prefixed ID, varint(date), uvarints of length, titleEnd and
// leadEnd, the source, uvarint(authors) and each author.
func (d *docInfo) append(b []byte) []byte {
	b = appendString(b, d.id)
	b = binary.AppendVarint(b, d.date)
	b = binary.AppendUvarint(b, uint64(d.length))
	b = binary.AppendUvarint(b, uint64(d.titleEnd))
	b = binary.AppendUvarint(b, uint64(d.leadEnd))
	b = appendString(b, d.source)
	b = binary.AppendUvarint(b, uint64(len(d.authors)))
	for _, a := range d.authors {
		b = appendString(b, a)
	}
	return b
}

// docChunkWriter encodes one chunk of a shipped doc table.
type docChunkWriter struct {
	named    map[string]int
	prevDate int64
}

func (w *docChunkWriter) reset() {
	clear(w.named)
	w.prevDate = 0
}

func (w *docChunkWriter) append(b []byte, d *docInfo) []byte {
	if isHexID(d.id) {
		b = binary.AppendUvarint(b, 8<<1|1)
		b, _ = hex.AppendDecode(b, []byte(d.id)) // isHexID: no error
	} else {
		b = binary.AppendUvarint(b, uint64(len(d.id))<<1)
		b = append(b, d.id...)
	}
	b = binary.AppendVarint(b, d.date-w.prevDate)
	w.prevDate = d.date
	b = w.ref(b, d.source)
	b = binary.AppendUvarint(b, uint64(len(d.authors)))
	for _, a := range d.authors {
		b = w.ref(b, a)
	}
	return b
}

// ref appends a string reference to s.
func (w *docChunkWriter) ref(b []byte, s string) []byte {
	if i, ok := w.named[s]; ok {
		return binary.AppendUvarint(b, uint64(i+1))
	}
	if w.named == nil {
		w.named = map[string]int{}
	}
	w.named[s] = len(w.named)
	b = binary.AppendUvarint(b, 0)
	return appendString(b, s)
}

// isHexID reports whether id is 16 lower-case hex digits.
func isHexID(id string) bool {
	if len(id) != 16 {
		return false
	}
	for i := range len(id) {
		if c := id[i]; (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// decodeShippedChunk decodes a shipped doc-table chunk of n documents.
func decodeShippedChunk(b []byte, n int) ([]docInfo, error) {
	all := string(b)
	r := &reader{b: b}
	var named []string
	ref := func() string {
		i := r.int()
		if i == 0 {
			v := r.bytes()
			at := len(b) - len(r.b) - len(v)
			s := all[at : at+len(v)]
			named = append(named, s)
			return s
		}
		if i > len(named) {
			r.err = true
			return ""
		}
		return named[i-1]
	}
	out := make([]docInfo, 0, n)
	var authors []string
	var date int64
	for range n {
		var d docInfo
		h := r.uvarint()
		if h&1 == 1 {
			if h>>1 != 8 || len(r.b) < 8 {
				return nil, errCorrupt
			}
			d.id = hex.EncodeToString(r.b[:8])
			r.b = r.b[8:]
		} else {
			if h>>1 > uint64(len(r.b)) {
				return nil, errCorrupt
			}
			at := len(b) - len(r.b)
			d.id = all[at : at+int(h>>1)]
			r.b = r.b[h>>1:]
		}
		date += r.varint()
		d.date = date
		d.source = ref()
		d.authors, authors = readAuthors(r, authors, ref)
		if r.err {
			return nil, errCorrupt
		}
		out = append(out, d)
	}
	return out, nil
}

// readAuthors reads a document's authors (a count, then each by read)
// into the end of all, the chunk's authors so far, and returns them
// with all.
func readAuthors(r *reader, all []string, read func() string) (authors, grown []string) {
	na := r.int()
	if na <= 0 || na >= 1000 {
		return nil, all
	}
	from := len(all)
	for range na {
		all = append(all, read())
	}
	return all[from:len(all):len(all)], all
}

// decodeDocChunk decodes a doc-table chunk of n documents of a segment
// with header h.
func (h *segHeader) decodeDocChunk(b []byte, n int) ([]docInfo, error) {
	if h.flags&segShippedDocs != 0 {
		return decodeShippedChunk(b, n)
	}
	return decodeDocChunk(b, n)
}

// decodeDocChunk decodes a doc-table chunk of n documents in the
// positional layout (docInfo.append). Their strings share one
// allocation, the chunk's text, and their author lists one slice.
func decodeDocChunk(b []byte, n int) ([]docInfo, error) {
	all := string(b)
	r := &reader{b: b}
	str := func() string {
		v := r.bytes()
		at := len(b) - len(r.b) - len(v)
		return all[at : at+len(v)]
	}
	out := make([]docInfo, 0, n)
	var authors []string
	for range n {
		var d docInfo
		d.id = str()
		d.date = r.varint()
		d.length, d.titleEnd, d.leadEnd = uint32(r.uvarint()), uint32(r.uvarint()), uint32(r.uvarint())
		d.source = str()
		d.authors, authors = readAuthors(r, authors, str)
		if r.err {
			return nil, errCorrupt
		}
		out = append(out, d)
	}
	return out, nil
}
