package static

import (
	"bytes"
	"encoding/binary"
	"os"
	"path/filepath"
)

// previous is the archive a Writer writes over: each table's packs by
// their lower bound, so that a pack whose records did not change is found
// before it is compressed again.
type previous map[string]map[string]PackRef

// readPrevious reads the manifest and index files of the archive in dir;
// nil when there is none (or it cannot be read: then every pack is
// compressed).
func readPrevious(dir string) previous {
	data, err := os.ReadFile(filepath.Join(dir, ManifestName))
	if err != nil {
		return nil
	}
	m, err := parseManifest(data)
	if err != nil {
		return nil
	}
	prev := previous{}
	for name, t := range m.Tables {
		packs := t.Inline
		if t.Index != "" {
			idx, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(t.Index)))
			if err != nil {
				continue
			}
			if packs, err = decodeIndex(t, idx); err != nil {
				continue
			}
		}
		byLo := make(map[string]PackRef, len(packs))
		for _, p := range packs {
			byLo[p.Lo] = p
		}
		prev[name] = byLo
	}
	return prev
}

// same reports whether the pack file old is sound and holds exactly the
// uncompressed records raw: their length and count are compared first,
// from its header, and its bytes are inflated only when they agree.
func (w *Writer) same(old PackRef, raw []byte) bool {
	data, err := os.ReadFile(filepath.Join(w.dir, filepath.FromSlash(old.File)))
	if err != nil || checkFileBytes(old.File, old.Bytes, data) != nil {
		return false
	}
	rest, ok := bytes.CutPrefix(data, []byte(packMagic))
	if !ok {
		return false
	}
	rawLen, n := binary.Uvarint(rest)
	if n <= 0 || rawLen != uint64(len(raw)) {
		return false
	}
	count, m := binary.Uvarint(rest[n:])
	if m <= 0 || count != uint64(old.Count) {
		return false
	}
	got, err := inflate(rest[n+m:], len(raw))
	return err == nil && bytes.Equal(got, raw)
}
