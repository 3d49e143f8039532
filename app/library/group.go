package library

import (
	"encoding/binary"
	"errors"
	"sort"
	"strconv"
	"strings"
)

// Since schema 4 the "index" table holds the entries of the articles of
// one write under one source or author as one record, a group: key the
// facet prefix, groupMark and the write's batch (batchSuffix: the least
// order key of the write, groupMark, and its number, a counter in the
// info table), value the entries (order key and index value) in order.
// The groups of a facet come in the order of their writes' least order
// keys, below which they hold nothing: the first page of a filter reads
// them until the entries found below the next group's least key fill it. An entry of its own cost an article one IndexedDB put per
// source and author, each about as dear as the article's record (two of
// the five an article cost). An article's "ids" record names its batch
// (idValue), so that a delete or an update finds its groups.
//
// Entries of their own, written before, are read beside the groups (a
// version 3 library is read as it is): they sort after every group of
// their facet, since an order key starts with a digit or undated.

// groupMark follows the facet prefix in a group's key: no order key
// starts with it.
const groupMark = "\x01"

// keyBatch is the info record of the last batch number.
const keyBatch = "batch"

// entry is one article's entry of a facet index: its order key and its
// index value (indexValue).
type entry struct {
	ok, iv string
}

var errGroup = errors.New("library: a malformed index group")

// batchSuffix is the batch of write number n whose least order key is
// least.
func batchSuffix(least string, n int) string {
	return least + groupMark + strconv.Itoa(n)
}

// batchLeast returns the least order key of the write of batch suffix
// (as batchSuffix made it), and false for a suffix without one.
func batchLeast(suffix string) (string, bool) {
	i := strings.LastIndex(suffix, groupMark)
	if i < 0 {
		return "", false
	}
	return suffix[:i], true
}

// groupKey is the key of the group of batch under facet prefix p.
func groupKey(p, batch string) string { return p + groupMark + batch }

// encodeGroup is the value of a group of entries sorted by order key.
func encodeGroup(es []entry) []byte {
	size := 0
	for _, e := range es {
		size += 2*binary.MaxVarintLen32 + len(e.ok) + len(e.iv)
	}
	b := make([]byte, 0, size)
	for _, e := range es {
		b = binary.AppendUvarint(b, uint64(len(e.ok)))
		b = append(b, e.ok...)
		b = binary.AppendUvarint(b, uint64(len(e.iv)))
		b = append(b, e.iv...)
	}
	return b
}

// decodeGroup appends the entries of group value v to es.
func decodeGroup(es []entry, v []byte) ([]entry, error) {
	for len(v) > 0 {
		var e entry
		var err error
		if e.ok, v, err = groupString(v); err != nil {
			return es, err
		}
		if e.iv, v, err = groupString(v); err != nil {
			return es, err
		}
		es = append(es, e)
	}
	return es, nil
}

// groupString reads a uvarint length and that many bytes.
func groupString(v []byte) (string, []byte, error) {
	n, k := binary.Uvarint(v)
	if k <= 0 || n > uint64(len(v)-k) {
		return "", nil, errGroup
	}
	return string(v[k : k+int(n)]), v[k+int(n):], nil
}

// sortEntries sorts es by order key. (sort.Sort, not a generic sort: a
// generic one instantiated for entry cost the page's wasm 15 KB gzipped.)
func sortEntries(es []entry) { sort.Sort(byOrder(es)) }

// byOrder sorts entries by order key.
type byOrder []entry

func (es byOrder) Len() int           { return len(es) }
func (es byOrder) Less(i, j int) bool { return es[i].ok < es[j].ok }
func (es byOrder) Swap(i, j int)      { es[i], es[j] = es[j], es[i] }

// An "ids" record is the article's order key; since schema 4, one whose
// index entries are in groups is idMark, the order key's length
// (uvarint), the order key and the batch (no order key starts with
// idMark).
const idMark = 0x01

// idValue is the "ids" record of an article under order key ok, its
// index entries in the groups of batch.
func idValue(ok, batch string) []byte {
	b := make([]byte, 0, 1+binary.MaxVarintLen32+len(ok)+len(batch))
	b = binary.AppendUvarint(append(b, idMark), uint64(len(ok)))
	return append(append(b, ok...), batch...)
}

// parseIDValue returns the order key of an "ids" record and the batch
// of its groups ("": entries of their own, written before schema 4).
func parseIDValue(v []byte) (ok, batch string, err error) {
	if len(v) == 0 || v[0] != idMark {
		return string(v), "", nil
	}
	n, k := binary.Uvarint(v[1:])
	if k <= 0 || n > uint64(len(v)-1-k) {
		return "", "", errGroup
	}
	v = v[1+k:]
	return string(v[:n]), string(v[n:]), nil
}
