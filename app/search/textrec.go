package search

import (
	"encoding/binary"
)

// A record of tableText holds a document's title and text, for the
// snippets of its hits: uvarint(len(title)), the title, the text. A
// local index's add also puts in it where the document was written
// (its segment and number, what a record of tableIDs holds), and writes
// no record of tableIDs: in IndexedDB each record written costs more
// than its bytes (an add of 1,000 articles wrote 2,000 records besides
// its ~30 pages, and half of its time in the store was theirs), and an
// add reads where documents are only for the IDs the ID filter may hold.
// Such a record starts with textRefMark, then uvarint(segment),
// uvarint(document) and the record as above. Records of either form are
// read (an index written before keeps its records of tableIDs); a
// shipped index writes the first form and tableIDs, as Bulk does.
//
// An index whose texts are kept elsewhere (Index.TextsFrom: the app's,
// whose articles hold them) writes no record here: its places are in a
// record a segment (places.go).

// textRefMark starts a record of tableText that holds where its document
// was written: a uvarint 0 in two bytes, which binary.AppendUvarint
// never writes (it writes 0 as one byte), so no record of the first
// form starts with it.
var textRefMark = [2]byte{0x80, 0x00}

func encodeText(title, text string) []byte {
	b := appendString(make([]byte, 0, len(title)+len(text)+8), title)
	return append(b, text...)
}

// encodeTextRef encodes the title and text of the document at ref.
func encodeTextRef(ref docRef, title, text string) []byte {
	b := append(make([]byte, 0, len(title)+len(text)+16), textRefMark[:]...)
	b = binary.AppendUvarint(b, uint64(ref.seg))
	b = binary.AppendUvarint(b, uint64(ref.doc))
	b = appendString(b, title)
	return append(b, text...)
}

// textRef returns where the document of a record of tableText was
// written, and false for a record that does not say.
func textRef(rec []byte) (docRef, bool, error) {
	if len(rec) < 2 || rec[0] != textRefMark[0] || rec[1] != textRefMark[1] {
		return docRef{}, false, nil
	}
	r := &reader{b: rec[2:]}
	ref := docRef{seg: r.int(), doc: uint32(r.uvarint())}
	if r.err {
		return ref, false, errCorrupt
	}
	return ref, true, nil
}

// decodeText returns the title and text of a record of tableText, of
// either form, as slices of it.
func decodeText(rec string) (title, text string, err error) {
	if len(rec) >= 2 && rec[0] == textRefMark[0] && rec[1] == textRefMark[1] {
		rec = rec[2:]
		for range 2 { // the segment and the document
			_, w := binary.Uvarint([]byte(rec[:min(len(rec), binary.MaxVarintLen64)]))
			if w <= 0 {
				return "", "", errCorrupt
			}
			rec = rec[w:]
		}
	}
	n, w := binary.Uvarint([]byte(rec[:min(len(rec), binary.MaxVarintLen64)]))
	if w <= 0 || n > uint64(len(rec)-w) {
		return "", "", errCorrupt
	}
	return rec[w : w+int(n)], rec[w+int(n):], nil
}
