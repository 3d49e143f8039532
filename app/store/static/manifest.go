package static

import (
	"encoding/json"
	"fmt"
	"unicode/utf8"

	"github.com/broadsheet/broadsheet/app/store"
)

// ManifestName is the archive file that lists the tables and their packs.
// It is small, and fetched again (revalidated) on every Open.
const ManifestName = "manifest.json"

// FormatVersion is the version of the manifest and pack formats this
// package writes; Open refuses a newer one with store.ErrVersion.
const FormatVersion = 1

// Manifest describes an archive: its tables, each a list of packs in key
// order, and the builder's own metadata.
type Manifest struct {
	Version int                  `json:"version"`
	Tables  map[string]TableInfo `json:"tables"`
	// Meta is free-form JSON written by the builder (WriteOptions.Meta).
	Meta json.RawMessage `json:"meta,omitempty"`
}

// TableInfo is one table of an archive.
type TableInfo struct {
	Count int   `json:"count"` // records
	Bytes int64 `json:"bytes"` // pack file bytes, the sum of Packs' Bytes
	// Packs are in key order; their key ranges do not overlap.
	Packs []PackRef `json:"packs"`
}

// PackRef is one pack file of a table.
type PackRef struct {
	File        string // path relative to the root: "p/<hash>.pack"
	First, Last string // first and last key
	Count       int    // records
	Bytes       int    // file bytes
}

// packRefJSON is how a PackRef is written: keys that are not valid UTF-8
// (JSON would replace their bytes) are written in base64 instead, as
// first64 and last64.
type packRefJSON struct {
	File    string `json:"file"`
	First   string `json:"first,omitempty"`
	Last    string `json:"last,omitempty"`
	First64 []byte `json:"first64,omitempty"`
	Last64  []byte `json:"last64,omitempty"`
	Count   int    `json:"count"`
	Bytes   int    `json:"bytes"`
}

// MarshalJSON implements json.Marshaler.
func (p PackRef) MarshalJSON() ([]byte, error) {
	j := packRefJSON{File: p.File, Count: p.Count, Bytes: p.Bytes}
	j.First, j.First64 = textOrBinary(p.First)
	j.Last, j.Last64 = textOrBinary(p.Last)
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
	*p = PackRef{File: j.File, First: j.First, Last: j.Last, Count: j.Count, Bytes: j.Bytes}
	if j.First64 != nil {
		p.First = string(j.First64)
	}
	if j.Last64 != nil {
		p.Last = string(j.Last64)
	}
	return nil
}

// parseManifest decodes and checks a manifest.
func parseManifest(data []byte) (*Manifest, error) {
	var m Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrCorrupt, ManifestName, err)
	}
	if m.Version > FormatVersion {
		return nil, fmt.Errorf("%w: archive format %d, this app reads %d", store.ErrVersion, m.Version, FormatVersion)
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

// checkTable checks that a table's packs are well named, ordered, and add
// up to its counts.
func checkTable(t TableInfo) error {
	count, bytes := 0, int64(0)
	for i, p := range t.Packs {
		if !validPackName(p.File) {
			return fmt.Errorf("pack file name %q", p.File)
		}
		if p.Count < 1 || p.Bytes < 1 || p.First > p.Last || (p.Count == 1) != (p.First == p.Last) {
			return fmt.Errorf("pack %s: %d records %q..%q, %d bytes", p.File, p.Count, p.First, p.Last, p.Bytes)
		}
		if i > 0 && t.Packs[i-1].Last >= p.First {
			return fmt.Errorf("pack %s overlaps the one before", p.File)
		}
		count += p.Count
		bytes += int64(p.Bytes)
	}
	if count != t.Count || bytes != t.Bytes {
		return fmt.Errorf("%d records, %d bytes, packs hold %d, %d", t.Count, t.Bytes, count, bytes)
	}
	return nil
}
