package static

import (
	"encoding/json"
	"fmt"
	"unicode/utf8"

	"github.com/broadsheet/broadsheet/app/store"
)

// ManifestName is the archive file that lists the tables. It is small, and
// fetched again (revalidated) on every Open.
const ManifestName = "manifest.json"

// FormatVersion is the version of the manifest, index and pack formats
// this package writes; Open reads it and minReadVersion, and refuses
// another one with store.ErrVersion. Version 1 listed every pack in the
// manifest. Version 3 has the files of version 2, but its values may be
// in forms only a newer reader knows (the site builder's compact article
// records, library.CompactArticle): an app of version 2, still cached
// by a visitor when the site is rebuilt, refuses the archive with a
// "reload to update" rather than failing on every article it opens.
const FormatVersion = 3

// minReadVersion is the oldest version Open reads.
const minReadVersion = 2

// InlinePacks is the most packs a table may have for the writer to list
// them all in the manifest, without an index file.
const InlinePacks = 8

// Manifest describes an archive: its tables and the builder's own
// metadata.
type Manifest struct {
	Version int                  `json:"version"`
	Tables  map[string]TableInfo `json:"tables"`
	// Meta is free-form JSON written by the builder (WriteOptions.Meta).
	Meta json.RawMessage `json:"meta,omitempty"`
}

// TableInfo is one table of an archive. Its packs, in key order, cover
// the key space: pack i holds the keys in [Lo_i, Lo_i+1). They are listed
// in Inline when there are at most InlinePacks of them (or the writer was
// asked to), else in the index file Index, and Inline lists only the first
// and the last pack, so a scan from either end starts without the index.
type TableInfo struct {
	Count int   `json:"count"` // records
	Bytes int64 `json:"bytes"` // pack file bytes, the sum of the packs' Bytes
	Packs int   `json:"packs"` // pack files
	// Index is the pack index file, "p/<hash>.idx", or "" when Inline
	// lists every pack; IndexBytes is its size.
	Index      string `json:"index,omitempty"`
	IndexBytes int    `json:"index_bytes,omitempty"`
	// Inline are packs of the table (all of them, or the first and last).
	Inline []PackRef `json:"inline,omitempty"`
}

// PackRef is one pack file of a table.
type PackRef struct {
	File string // path relative to the root: "p/<hash>.pack"
	// The pack holds keys k with Lo <= k < Hi; "" is no bound. Lo is the
	// shortest key above the last key of the pack before, at most the
	// pack's first key (as Hi is the next pack's Lo).
	Lo, Hi string
	Count  int // records
	Bytes  int // file bytes
}

// packRefJSON is how a PackRef is written: keys that are not valid UTF-8
// (JSON would replace their bytes) are written in base64 instead, as
// lo64 and hi64.
type packRefJSON struct {
	File  string `json:"file"`
	Lo    string `json:"lo,omitempty"`
	Hi    string `json:"hi,omitempty"`
	Lo64  []byte `json:"lo64,omitempty"`
	Hi64  []byte `json:"hi64,omitempty"`
	Count int    `json:"count"`
	Bytes int    `json:"bytes"`
}

// MarshalJSON implements json.Marshaler.
func (p PackRef) MarshalJSON() ([]byte, error) {
	j := packRefJSON{File: p.File, Count: p.Count, Bytes: p.Bytes}
	j.Lo, j.Lo64 = textOrBinary(p.Lo)
	j.Hi, j.Hi64 = textOrBinary(p.Hi)
	return json.Marshal(j)
}

func textOrBinary(key string) (string, []byte) {
	if utf8.ValidString(key) {
		return key, nil
	}
	return "", []byte(key)
}

// UnmarshalJSON implements json.Unmarshaler.
func (p *PackRef) UnmarshalJSON(data []byte) error {
	var j packRefJSON
	if err := json.Unmarshal(data, &j); err != nil {
		return err
	}
	*p = PackRef{File: j.File, Lo: j.Lo, Hi: j.Hi, Count: j.Count, Bytes: j.Bytes}
	if j.Lo64 != nil {
		p.Lo = string(j.Lo64)
	}
	if j.Hi64 != nil {
		p.Hi = string(j.Hi64)
	}
	return nil
}

// parseManifest decodes and checks a manifest.
func parseManifest(data []byte) (*Manifest, error) {
	var m Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrCorrupt, ManifestName, err)
	}
	if (m.Version < minReadVersion || m.Version > FormatVersion) && m.Version >= 1 {
		return nil, fmt.Errorf("%w: archive format %d, this app reads %d to %d", store.ErrVersion, m.Version, minReadVersion, FormatVersion)
	}
	if m.Version < 1 {
		return nil, fmt.Errorf("%w: %s: version %d", ErrCorrupt, ManifestName, m.Version)
	}
	for name, t := range m.Tables {
		if err := checkTable(t); err != nil {
			return nil, fmt.Errorf("%w: %s: table %q: %v", ErrCorrupt, ManifestName, name, err)
		}
	}
	return &m, nil
}

// checkTable checks a table of a manifest: every pack listed when it has
// no index, else the first and the last, well named and ordered.
func checkTable(t TableInfo) error {
	if t.Count < 0 || t.Bytes < 0 || t.Packs < 0 || t.Packs > t.Count {
		return fmt.Errorf("%d records, %d bytes in %d packs", t.Count, t.Bytes, t.Packs)
	}
	if t.Index == "" {
		if len(t.Inline) != t.Packs {
			return fmt.Errorf("%d packs, %d listed and no index", t.Packs, len(t.Inline))
		}
		return checkPacks(t.Inline, t.Count, t.Bytes)
	}
	if !validIndexName(t.Index) || t.IndexBytes < 1 {
		return fmt.Errorf("index file %q of %d bytes", t.Index, t.IndexBytes)
	}
	if t.Packs < 2 || len(t.Inline) != 2 {
		return fmt.Errorf("%d packs, %d listed beside the index", t.Packs, len(t.Inline))
	}
	first, last := t.Inline[0], t.Inline[1]
	for _, p := range t.Inline {
		if err := checkRef(p); err != nil {
			return err
		}
	}
	if first.Lo != "" || last.Hi != "" || (t.Packs == 2) != (first.Hi == last.Lo) || first.Hi > last.Lo {
		return fmt.Errorf("first and last packs %q..%q, %q..%q", first.Lo, first.Hi, last.Lo, last.Hi)
	}
	if first.Count+last.Count > t.Count || int64(first.Bytes+last.Bytes) > t.Bytes {
		return fmt.Errorf("first and last packs hold more than the table")
	}
	return nil
}

// checkPacks checks a table's complete list of packs: well named, each
// range beginning where the one before ends, from "" to "", adding up to
// count records and bytes.
func checkPacks(packs []PackRef, count int, bytes int64) error {
	n, b := 0, int64(0)
	for i, p := range packs {
		if err := checkRef(p); err != nil {
			return err
		}
		if i == 0 && p.Lo != "" || i > 0 && packs[i-1].Hi != p.Lo || i == len(packs)-1 && p.Hi != "" {
			return fmt.Errorf("pack %s: range %q..%q does not follow the one before", p.File, p.Lo, p.Hi)
		}
		n += p.Count
		b += int64(p.Bytes)
	}
	if n != count || b != bytes {
		return fmt.Errorf("%d records, %d bytes, packs hold %d, %d", count, bytes, n, b)
	}
	return nil
}

// checkRef checks one pack's name, range and sizes.
func checkRef(p PackRef) error {
	if !validPackName(p.File) {
		return fmt.Errorf("pack file name %q", p.File)
	}
	if p.Count < 1 || p.Bytes < 1 || p.Hi != "" && p.Lo >= p.Hi {
		return fmt.Errorf("pack %s: %d records %q..%q, %d bytes", p.File, p.Count, p.Lo, p.Hi, p.Bytes)
	}
	return nil
}

// separator returns the shortest key s with prev < s <= next (prev <
// next): the range bound written between two packs.
func separator(prev, next string) string {
	return next[:commonPrefix(prev, next)+1]
}
