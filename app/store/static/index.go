package static

import (
	"bytes"
	"compress/flate"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"strings"
)

// The pack index file format, version 2: the packs of one table, in key
// order.
//
//	magic   "BSIX" 0x02
//	uvarint length of the uncompressed entries
//	uvarint number of packs
//	the entries, compressed with compress/flate
//
// Each entry is the 10 bytes of the pack's name (its hash: the 20 hex
// digits of PackName), uvarint count, uvarint bytes, then the pack's Lo
// prefix-compressed against the Lo before: uvarint shared, uvarint
// len(suffix), suffix. The first Lo is "". An index file is named like a
// pack, by the hash of its bytes, with the extension ".idx": IndexName.
const indexMagic = "BSIX\x02"

// hashBytes is the bytes of a pack's hash an index entry holds.
const hashBytes = hashDigits / 2

// minIndexEntry is the smallest encoded entry: the hash and four one-byte
// uvarints.
const minIndexEntry = hashBytes + 4

// IndexName returns the file name, relative to the archive root, of a pack
// index with these bytes: "p/" + the first 20 hex digits of their
// SHA-256 + ".idx".
func IndexName(data []byte) string {
	sum := sha256.Sum256(data)
	return "p/" + hex.EncodeToString(sum[:])[:hashDigits] + ".idx"
}

// validIndexName reports whether name has the form IndexName returns.
func validIndexName(name string) bool {
	h, ok := strings.CutSuffix(name, ".idx")
	return ok && validPackName(h+".pack")
}

// encodeIndex returns the bytes of the index file of packs, whose ranges
// follow each other from "" to "".
func encodeIndex(packs []PackRef, level int) ([]byte, error) {
	var raw []byte
	prev := ""
	for _, p := range packs {
		h, err := hex.DecodeString(strings.TrimSuffix(strings.TrimPrefix(p.File, "p/"), ".pack"))
		if err != nil || len(h) != hashBytes {
			return nil, fmt.Errorf("static: pack file name %q", p.File)
		}
		raw = append(raw, h...)
		raw = binary.AppendUvarint(raw, uint64(p.Count))
		raw = binary.AppendUvarint(raw, uint64(p.Bytes))
		shared := commonPrefix(prev, p.Lo)
		raw = binary.AppendUvarint(raw, uint64(shared))
		raw = binary.AppendUvarint(raw, uint64(len(p.Lo)-shared))
		raw = append(raw, p.Lo[shared:]...)
		prev = p.Lo
	}
	var out bytes.Buffer
	out.WriteString(indexMagic)
	out.Write(binary.AppendUvarint(nil, uint64(len(raw))))
	out.Write(binary.AppendUvarint(nil, uint64(len(packs))))
	fw, err := flate.NewWriter(&out, level)
	if err != nil {
		return nil, err
	}
	fw.Write(raw)
	if err := fw.Close(); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// decodeIndex decodes the index file of table t and checks it against the
// manifest: the packs, their ranges, counts and sizes. It never panics.
func decodeIndex(t TableInfo, data []byte) ([]PackRef, error) {
	if err := checkFileBytes(t.Index, t.IndexBytes, data); err != nil {
		return nil, err
	}
	rest, ok := bytes.CutPrefix(data, []byte(indexMagic))
	if !ok {
		return nil, errPack("%s: no index header", t.Index)
	}
	rawLen, n := binary.Uvarint(rest)
	if n <= 0 {
		return nil, errPack("%s: bad length", t.Index)
	}
	rest = rest[n:]
	count, n := binary.Uvarint(rest)
	if n <= 0 || count != uint64(t.Packs) {
		return nil, errPack("%s: %d packs, the manifest says %d", t.Index, count, t.Packs)
	}
	rest = rest[n:]
	if rawLen > maxRaw || rawLen > uint64(len(rest))*maxRatio+1024 || count > rawLen/minIndexEntry {
		return nil, errPack("%s: length %d out of bounds", t.Index, rawLen)
	}
	raw, err := inflate(rest, int(rawLen))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", t.Index, err)
	}
	packs, err := decodeEntries(raw, int(count))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", t.Index, err)
	}
	if err := checkPacks(packs, t.Count, t.Bytes); err != nil {
		return nil, errPack("%s: %v", t.Index, err)
	}
	if packs[0] != t.Inline[0] || packs[len(packs)-1] != t.Inline[1] {
		return nil, errPack("%s: first or last pack differs from the manifest", t.Index)
	}
	return packs, nil
}

// decodeEntries splits the uncompressed entries of an index; each pack's
// Hi is the next one's Lo.
func decodeEntries(raw []byte, count int) ([]PackRef, error) {
	packs := make([]PackRef, 0, count)
	prev := ""
	for range count {
		if len(raw) < hashBytes {
			return nil, errPack("index entry cut short")
		}
		p := PackRef{File: "p/" + hex.EncodeToString(raw[:hashBytes]) + ".pack"}
		raw = raw[hashBytes:]
		var vals [3]uint64
		for i := range vals {
			v, n := binary.Uvarint(raw)
			if n <= 0 || v > maxRaw {
				return nil, errPack("bad index entry")
			}
			vals[i], raw = v, raw[n:]
		}
		if vals[2] > uint64(len(prev)) {
			return nil, errPack("bad key prefix")
		}
		suffix, err := cut(&raw)
		if err != nil {
			return nil, err
		}
		if int(vals[2])+len(suffix) > MaxKey {
			return nil, errPack("key too long")
		}
		p.Count, p.Bytes = int(vals[0]), int(vals[1])
		p.Lo = prev[:vals[2]] + string(suffix)
		if len(packs) > 0 {
			packs[len(packs)-1].Hi = p.Lo
		}
		packs = append(packs, p)
		prev = p.Lo
	}
	if len(raw) != 0 {
		return nil, errPack("%d bytes after the entries", len(raw))
	}
	return packs, nil
}
