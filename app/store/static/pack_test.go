package static

import (
	"bytes"
	"compress/flate"
	"context"
	"encoding/binary"
	"errors"
	"slices"
	"testing"
)

var ctx = context.Background()

func encodeRecords(t testing.TB, recs []record) []byte {
	t.Helper()
	data, err := newPackEncoder(flate.DefaultCompression).encode(recs)
	if err != nil {
		t.Fatal(err)
	}
	return slices.Clone(data)
}

func TestPackRoundTrip(t *testing.T) {
	recs := []record{{"", []byte("empty key")}, {"\x00", nil}, {"abc", []byte("1")}, {"abcd", bytes.Repeat([]byte("中"), 1000)}, {"abd", []byte{}}, {"\xff", []byte("\xff")}}
	p, err := decodePack(encodeRecords(t, recs))
	if err != nil {
		t.Fatalf("decodePack = %v", err)
	}
	for i, r := range recs {
		if p.keys[i] != r.key || !bytes.Equal(p.values[i], r.value) {
			t.Errorf("record %d = %q=%.20q, want %q=%.20q", i, p.keys[i], p.values[i], r.key, r.value)
		}
	}
}

// header returns a pack header claiming rawLen bytes in count records.
func header(rawLen, count uint64) []byte {
	b := []byte(packMagic)
	b = binary.AppendUvarint(b, rawLen)
	return binary.AppendUvarint(b, count)
}

func deflate(raw []byte) []byte {
	var out bytes.Buffer
	w, _ := flate.NewWriter(&out, flate.BestSpeed)
	w.Write(raw)
	w.Close()
	return out.Bytes()
}

func TestDecodeHostile(t *testing.T) {
	good := encodeRecords(t, []record{{"a", []byte("1")}, {"b", []byte("2")}})
	// records: shared 0, "a", value "1"; then a key sharing 5 bytes of a 1-byte key.
	badPrefix := []byte{0, 1, 'a', 1, '1', 5, 1, 'b', 0}
	unordered := []byte{0, 1, 'b', 0, 0, 1, 'a', 0}
	repeated := []byte{0, 1, 'a', 0, 1, 0, 0}
	longValue := []byte{0, 1, 'a', 100, '1'}
	for _, c := range []struct {
		name string
		data []byte
	}{
		{"empty", nil},
		{"magic only", []byte(packMagic)},
		{"wrong magic", append([]byte("BSPK\x02"), good[5:]...)},
		{"truncated", good[:len(good)-2]},
		{"trailing bytes", append(slices.Clone(good), 0)},
		{"huge length", append(header(1<<40, 1), deflate([]byte{0, 0, 0})...)},
		{"length beyond ratio", append(header(1<<20, 1), deflate([]byte{0, 0, 0})...)},
		{"too many records", append(header(3, 2), deflate([]byte{0, 0, 0})...)},
		{"short records", append(header(6, 2), deflate([]byte{0, 0, 0})...)},
		{"long records", append(header(3, 1), deflate([]byte{0, 0, 0, 0})...)},
		{"bad prefix", append(header(uint64(len(badPrefix)), 2), deflate(badPrefix)...)},
		{"keys out of order", append(header(uint64(len(unordered)), 2), deflate(unordered)...)},
		{"repeated key", append(header(uint64(len(repeated)), 2), deflate(repeated)...)},
		{"value past the end", append(header(uint64(len(longValue)), 1), deflate(longValue)...)},
	} {
		if p, err := decodePack(c.data); !errors.Is(err, ErrCorrupt) {
			t.Errorf("decodePack(%s) = %v, %v, want ErrCorrupt", c.name, p, err)
		}
	}
}

// FuzzDecodePack: no input makes the decoder panic; what it accepts
// encodes back to records that decode the same.
func FuzzDecodePack(f *testing.F) {
	f.Add(encodeRecords(f, []record{{"a", []byte("1")}, {"ab", []byte("2")}, {"b\xff", nil}}))
	f.Add(encodeRecords(f, []record{{"", bytes.Repeat([]byte("x"), 3000)}}))
	f.Add(append(header(9, 2), deflate([]byte{0, 1, 'a', 1, '1', 1, 1, 'b', 0})...))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := decodePack(data)
		if err != nil {
			if !errors.Is(err, ErrCorrupt) {
				t.Fatalf("decodePack error %v does not match ErrCorrupt", err)
			}
			return
		}
		recs := make([]record, len(p.keys))
		for i := range recs {
			recs[i] = record{p.keys[i], p.values[i]}
		}
		q, err := decodePack(encodeRecords(t, recs))
		if err != nil {
			t.Fatalf("decodePack(encode(decoded)) = %v", err)
		}
		if !slices.Equal(p.keys, q.keys) || !slices.EqualFunc(p.values, q.values, bytes.Equal) {
			t.Fatalf("records changed by a round trip")
		}
	})
}
