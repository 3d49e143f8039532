package static

import (
	"bytes"
	"compress/flate"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
)

// The pack file format, version 1:
//
//	magic   "BSPK" 0x01
//	uvarint length of the uncompressed records
//	uvarint number of records
//	the records, compressed with compress/flate
//
// Each record is uvarint shared (bytes of the previous key it begins with),
// uvarint len(suffix), suffix, uvarint len(value), value. Keys are strictly
// ascending. A pack's name is the first 20 hex digits of the SHA-256 of its
// bytes: PackName.
const packMagic = "BSPK\x01"

// Limits that bound what a hostile pack can make the decoder allocate.
const (
	// maxRaw is the largest uncompressed pack the decoder accepts.
	maxRaw = 1 << 30
	// maxRatio bounds the uncompressed size by the compressed one (flate
	// cannot expand more than about 1032:1).
	maxRatio = 1100
	// minRecord is the smallest encoded record: three one-byte uvarints.
	minRecord = 3
	// MaxKey is the longest key a pack holds.
	MaxKey = 1 << 16
	// maxKeyBytes bounds the keys of one pack once their shared prefixes
	// are expanded; the writer stays below it (packs are cut at twice a
	// target of at most maxTarget, and a key is at most MaxKey).
	maxKeyBytes = 64 << 20
)

// hashDigits is how many hex digits of the SHA-256 of its bytes name a pack.
const hashDigits = 20

// PackName returns the file name, relative to the archive root, of a pack
// with these bytes: "p/" + the first 20 hex digits of their SHA-256 + ".pack".
func PackName(data []byte) string {
	sum := sha256.Sum256(data)
	return "p/" + hex.EncodeToString(sum[:])[:hashDigits] + ".pack"
}

// fileName returns the name of an archive file of these bytes with the
// extension of name (".pack" or ".idx").
func fileName(name string, data []byte) string {
	if strings.HasSuffix(name, ".idx") {
		return IndexName(data)
	}
	return PackName(data)
}

// validPackName reports whether name has the form PackName returns.
func validPackName(name string) bool {
	h, ok := strings.CutPrefix(name, "p/")
	if !ok {
		return false
	}
	h, ok = strings.CutSuffix(h, ".pack")
	if !ok || len(h) != hashDigits {
		return false
	}
	for i := range len(h) {
		if !('0' <= h[i] && h[i] <= '9' || 'a' <= h[i] && h[i] <= 'f') {
			return false
		}
	}
	return true
}

// record is one key and value of a pack being written.
type record struct {
	key   string
	value []byte
}

// packEncoder turns records into pack bytes, reusing its buffers.
type packEncoder struct {
	raw      []byte
	out      bytes.Buffer
	fw       FlateWriter
	stored   FlateWriter // level 0: for records DEFLATE cannot shrink
	lvl      int
	newFlate func(io.Writer, int) (FlateWriter, error) // nil: compress/flate's
}

func newPackEncoder(level int) *packEncoder {
	return &packEncoder{lvl: level}
}

// encode returns the bytes of a pack holding recs (ascending keys). The
// slice is valid until the next call.
func (e *packEncoder) encode(recs []record) ([]byte, error) {
	e.raw = e.raw[:0]
	prev := ""
	for _, r := range recs {
		e.raw = appendRecord(e.raw, prev, r.key, r.value)
		prev = r.key
	}
	return e.compress(e.raw, len(recs))
}

// appendRecord appends the record of key and value to a pack's
// uncompressed records, its key shortened by the prefix it shares with
// prev, the key before it in the pack ("" for the first).
func appendRecord(raw []byte, prev, key string, value []byte) []byte {
	shared := commonPrefix(prev, key)
	raw = binary.AppendUvarint(raw, uint64(shared))
	raw = binary.AppendUvarint(raw, uint64(len(key)-shared))
	raw = append(raw, key[shared:]...)
	raw = binary.AppendUvarint(raw, uint64(len(value)))
	return append(raw, value...)
}

// compress returns the bytes of a pack of count records, encoded in raw.
// The slice is valid until the next call.
func (e *packEncoder) compress(raw []byte, count int) ([]byte, error) {
	var tmp [binary.MaxVarintLen64]byte
	e.out.Reset()
	e.out.WriteString(packMagic)
	e.out.Write(binary.AppendUvarint(tmp[:0], uint64(len(raw))))
	e.out.Write(binary.AppendUvarint(tmp[:0], uint64(count)))
	fw, err := e.writer(raw)
	if err != nil {
		return nil, err
	}
	if _, err := fw.Write(raw); err != nil {
		return nil, err
	}
	if err := fw.Close(); err != nil {
		return nil, err
	}
	return e.out.Bytes(), nil
}

// writer returns the DEFLATE writer for raw, onto e.out: stored blocks
// for records DEFLATE cannot shrink (which every reader inflates as it
// does the rest), else the encoder's level. Both are made once and reset.
func (e *packEncoder) writer(raw []byte) (FlateWriter, error) {
	slot, level, newFlate := &e.fw, e.lvl, e.newFlate
	if e.lvl != flate.NoCompression && incompressible(raw) {
		slot, level, newFlate = &e.stored, flate.NoCompression, nil
	}
	if *slot != nil {
		(*slot).Reset(&e.out)
		return *slot, nil
	}
	if newFlate == nil {
		newFlate = func(w io.Writer, level int) (FlateWriter, error) { return flate.NewWriter(w, level) }
	}
	fw, err := newFlate(&e.out, level)
	if err != nil {
		return nil, err
	}
	*slot = fw
	return fw, nil
}

func commonPrefix(a, b string) int {
	n := min(len(a), len(b))
	for i := range n {
		if a[i] != b[i] {
			return i
		}
	}
	return n
}

// pack is a decoded pack: its keys in order and their values, which share
// one buffer and must be copied before they are handed out.
type pack struct {
	keys   []string
	values [][]byte
	size   int // bytes held, for the cache
}

// errPack makes a decoding error that matches ErrCorrupt.
func errPack(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrCorrupt, fmt.Sprintf(format, args...))
}

// decodePack decodes pack bytes. It never panics and allocates no more
// than the pack's bounded uncompressed size (plus its keys).
func decodePack(data []byte) (*pack, error) {
	rest, ok := bytes.CutPrefix(data, []byte(packMagic))
	if !ok {
		return nil, errPack("no pack header")
	}
	rawLen, n := binary.Uvarint(rest)
	if n <= 0 {
		return nil, errPack("bad length")
	}
	rest = rest[n:]
	count, n := binary.Uvarint(rest)
	if n <= 0 {
		return nil, errPack("bad record count")
	}
	rest = rest[n:]
	if rawLen > maxRaw || rawLen > uint64(len(rest))*maxRatio+1024 {
		return nil, errPack("length %d out of bounds", rawLen)
	}
	if count > rawLen/minRecord {
		return nil, errPack("%d records in %d bytes", count, rawLen)
	}
	raw, err := inflate(rest, int(rawLen))
	if err != nil {
		return nil, err
	}
	return decodeRecords(raw, int(count))
}

// inflaters holds flate readers for reuse: each holds tens of kilobytes
// of tables and window.
var inflaters sync.Pool

// inflate decompresses exactly n bytes from the flate stream that fills
// data.
func inflate(data []byte, n int) ([]byte, error) {
	br := bytes.NewReader(data) // an io.ByteReader: flate reads no further than its stream
	fr, _ := inflaters.Get().(io.ReadCloser)
	if fr == nil {
		fr = flate.NewReader(br)
	} else if err := fr.(flate.Resetter).Reset(br, nil); err != nil {
		return nil, errPack("records: %v", err)
	}
	defer inflaters.Put(fr)
	raw := make([]byte, n)
	if _, err := io.ReadFull(fr, raw); err != nil {
		return nil, errPack("records: %v", err)
	}
	if m, err := io.ReadFull(fr, make([]byte, 1)); m > 0 || !errors.Is(err, io.EOF) {
		return nil, errPack("records longer than their length")
	}
	if br.Len() != 0 {
		return nil, errPack("%d bytes after the records", br.Len())
	}
	return raw, nil
}

// decodeRecords splits the uncompressed records of a pack. All keys are
// kept in one string; values are slices of raw.
func decodeRecords(raw []byte, count int) (*pack, error) {
	p := &pack{keys: make([]string, 0, count), values: make([][]byte, 0, count)}
	var keyBuf []byte
	var ends []int
	prevStart, prevLen := 0, 0
	rest := raw
	for range count {
		shared, n1 := binary.Uvarint(rest)
		if n1 <= 0 || shared > uint64(prevLen) {
			return nil, errPack("bad key prefix")
		}
		rest = rest[n1:]
		suffix, err := cut(&rest)
		if err != nil {
			return nil, err
		}
		value, err := cut(&rest)
		if err != nil {
			return nil, err
		}
		keyLen := shared + uint64(len(suffix))
		if keyLen > MaxKey || len(keyBuf)+int(keyLen) > maxKeyBytes {
			return nil, errPack("keys too long")
		}
		start := len(keyBuf)
		keyBuf = append(keyBuf, keyBuf[prevStart:prevStart+int(shared)]...)
		keyBuf = append(keyBuf, suffix...)
		if len(ends) > 0 && bytes.Compare(keyBuf[prevStart:start], keyBuf[start:]) >= 0 {
			return nil, errPack("keys out of order")
		}
		ends = append(ends, len(keyBuf))
		p.values = append(p.values, value[:len(value):len(value)])
		prevStart, prevLen = start, len(keyBuf)-start
	}
	if len(rest) != 0 {
		return nil, errPack("%d bytes after the records", len(rest))
	}
	all := string(keyBuf)
	start := 0
	for _, end := range ends {
		p.keys = append(p.keys, all[start:end])
		start = end
	}
	p.size = len(raw) + len(all) + 40*count
	return p, nil
}

// cut takes a uvarint length and that many bytes from the front of *rest.
func cut(rest *[]byte) ([]byte, error) {
	n, k := binary.Uvarint(*rest)
	if k <= 0 || n > uint64(len(*rest)-k) {
		return nil, errPack("bad length")
	}
	b := (*rest)[k : k+int(n)]
	*rest = (*rest)[k+int(n):]
	return b, nil
}
