package parser

import (
	"bytes"
	"os"
	"testing"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
)

// TestHanziTables derives the character sets from the decoders' code
// tables and compares them with hanzi.bin; -update rewrites the file.
func TestHanziTables(t *testing.T) {
	built := buildHanTables()
	want := appendHanTables(nil, &built)
	if *update {
		if err := os.WriteFile("hanzi.bin", want, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if !bytes.Equal(hanziData, want) && !*update {
		t.Fatalf("hanzi.bin differs from the code tables (run go generate ./parser)")
	}
	got := readHanTables(want)
	if got != built {
		t.Fatalf("readHanTables(appendHanTables(t)) != t")
	}
	for _, c := range []struct {
		r                          rune
		common, simplified, tradit bool
	}{
		{'这', true, true, false}, {'這', true, false, true},
		{'国', true, true, false}, {'國', true, false, true},
		{'中', true, false, false}, {'龘', false, false, false},
	} {
		tb := tables()
		if tb.common.has(c.r) != c.common || tb.simplified.has(c.r) != c.simplified || tb.tradition.has(c.r) != c.tradit {
			t.Errorf("tables()[%q] = %v %v %v, want %v %v %v", c.r, tb.common.has(c.r), tb.simplified.has(c.r),
				tb.tradition.has(c.r), c.common, c.simplified, c.tradit)
		}
	}
	if n := count(&built.common); n < 7000 {
		t.Errorf("common ideographs = %d, want ≥ 7000", n)
	}
}

func count(s *hanSet) int {
	n := 0
	for r := rune(hanFirst); r <= hanLast; r++ {
		if s.has(r) {
			n++
		}
	}
	return n
}

// BenchmarkHanTables is the cost of the character tables at first use:
// reading hanzi.bin, against deriving them from the code tables.
func BenchmarkHanTables(b *testing.B) {
	b.Run("embedded", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			_ = readHanTables(hanziData)
		}
	})
	b.Run("derived", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			_ = buildHanTables()
		}
	})
}

func buildHanTables() hanTables {
	gb := codeTable(simplifiedchinese.GB18030, 0xB0, 0xF7, 0xA1, 0xFE, 0xFF)
	big5L1 := codeTable(traditionalchinese.Big5, 0xA4, 0xC6, 0x40, 0x7E, 0xA1)
	big5L2 := codeTable(traditionalchinese.Big5, 0xC9, 0xF9, 0x40, 0x7E, 0xA1)
	var t hanTables
	for i := range t.common {
		t.common[i] = gb[i] | big5L1[i]
		t.simplified[i] = gb[i] &^ (big5L1[i] | big5L2[i])
		t.tradition[i] = big5L1[i] &^ gb[i]
	}
	return t
}

// codeTable decodes every two-byte code with a lead byte in
// [leadLo, leadHi] and a trail byte in [trailLo, trailHi] or from trail2 to
// 0xFE, and returns the set of ideographs they name. Each code is decoded
// on its own line so that an invalid code cannot shift the ones after it.
func codeTable(enc encoding.Encoding, leadLo, leadHi, trailLo, trailHi, trail2 byte) hanSet {
	var src []byte
	for lead := int(leadLo); lead <= int(leadHi); lead++ {
		for trail := int(trailLo); trail <= 0xFE; trail++ {
			if trail > int(trailHi) && trail < int(trail2) {
				continue
			}
			src = append(src, byte(lead), byte(trail), '\n')
		}
	}
	out, err := enc.NewDecoder().Bytes(src)
	var set hanSet
	if err != nil {
		return set
	}
	start := 0
	for i, c := range out {
		if c != '\n' {
			continue
		}
		if line := []rune(string(out[start:i])); len(line) == 1 {
			set.add(line[0])
		}
		start = i + 1
	}
	return set
}
