package parser

import (
	"sync"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
)

// The character tables behind encoding scores and script detection are
// not written out as data: they are read once from the GB2312 and Big5
// code tables that the decoders already carry.
//
//   - GB2312 holds the 6,763 ideographs of Simplified Chinese;
//   - Big5 level 1 holds the 5,401 common ideographs of Traditional Chinese.
//
// An ideograph in GB2312 but in no part of Big5 is a simplified form
// (这, 们, 国); one in Big5 level 1 but not in GB2312 is a traditional form
// (這, 們, 國). Both together are the "common" ideographs.

const (
	hanFirst = 0x4E00 // CJK Unified Ideographs
	hanLast  = 0x9FFF
)

// hanSet is a bit set over the CJK Unified Ideographs block.
type hanSet [(hanLast - hanFirst + 64) / 64]uint64

func (s *hanSet) add(r rune) {
	if r >= hanFirst && r <= hanLast {
		i := r - hanFirst
		s[i/64] |= 1 << (i % 64)
	}
}

func (s *hanSet) has(r rune) bool {
	if r < hanFirst || r > hanLast {
		return false
	}
	i := r - hanFirst
	return s[i/64]&(1<<(i%64)) != 0
}

// hanTables are the sets derived from the code tables.
type hanTables struct {
	common     hanSet // GB2312 ∪ Big5 level 1
	simplified hanSet // GB2312 \ Big5
	tradition  hanSet // Big5 level 1 \ GB2312
}

var (
	hanOnce sync.Once
	han     hanTables
)

// tables returns the character sets, building them on first use.
func tables() *hanTables {
	hanOnce.Do(func() { han = buildHanTables() })
	return &han
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

// isCommonHan reports whether r is a common ideograph of either script.
func isCommonHan(r rune) bool {
	return r >= hanFirst && r <= hanLast && tables().common.has(r)
}
