package static

import (
	"bytes"
	"math"
	"math/rand/v2"
	"testing"
)

func TestLog2Fixed(t *testing.T) {
	for _, x := range []uint32{1, 2, 3, 5, 7, 100, 255, 256, 1000, 12345, 16384, 65535, 1 << 29} {
		want := math.Log2(float64(x)) * 4096
		if got := float64(log2Fixed(x)); got > want+0.001 || got < want-2 {
			t.Errorf("log2Fixed(%d) = %v, want %.2f (truncated)", x, got, want)
		}
	}
}

// TestIncompressible: random bytes are stored, text and repeated bytes
// compressed, too few bytes never stored.
func TestIncompressible(t *testing.T) {
	rnd := make([]byte, 40<<10)
	r := rand.New(rand.NewPCG(1, 2))
	for i := range rnd {
		rnd[i] = byte(r.Uint32())
	}
	text := bytes.Repeat([]byte(`{"title":"市政府公布新一年预算，教育支出增加","text":"记者从市财政局获悉"}`), 400)
	for _, c := range []struct {
		name string
		raw  []byte
		want bool
	}{
		{"random", rnd, true},
		{"random, short", rnd[:minStored-1], false},
		{"text", text, false},
		{"zeros", make([]byte, 20<<10), false},
		{"text then random", append(append([]byte{}, text[:entropySample]...), rnd...), false},
	} {
		if got := incompressible(c.raw); got != c.want {
			t.Errorf("incompressible(%s) = %v, want %v", c.name, got, c.want)
		}
	}
}

// TestStoredPack: a pack of incompressible records is stored (no larger
// than its records and a few bytes a block), and reads back.
func TestStoredPack(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	var recs []record
	for i := range 4 {
		v := make([]byte, 16<<10)
		for j := range v {
			v[j] = byte(r.Uint32())
		}
		recs = append(recs, record{key: string(rune('a' + i)), value: v})
	}
	e := newPackEncoder(2)
	data, err := e.encode(recs)
	if err != nil {
		t.Fatal(err)
	}
	raw := e.raw
	if max := len(raw) + 5*(len(raw)/65535+1) + 32; len(data) > max {
		t.Errorf("stored pack of %d bytes of records is %d bytes, want at most %d", len(raw), len(data), max)
	}
	p, err := decodePack(data)
	if err != nil {
		t.Fatalf("decodePack: %v", err)
	}
	if len(p.keys) != len(recs) {
		t.Fatalf("decoded %d records, want %d", len(p.keys), len(recs))
	}
	for i, rec := range recs {
		if p.keys[i] != rec.key || !bytes.Equal(p.values[i], rec.value) {
			t.Errorf("record %d = %q (%d bytes), want %q", i, p.keys[i], len(p.values[i]), rec.key)
		}
	}
}
