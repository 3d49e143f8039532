package parser

import (
	_ "embed"
	"encoding/binary"
	"sync"
)

// The character tables behind encoding scores and script detection:
//
//   - GB2312 holds the 6,763 ideographs of Simplified Chinese;
//   - Big5 level 1 holds the 5,401 common ideographs of Traditional Chinese.
//
// An ideograph in GB2312 but in no part of Big5 is a simplified form
// (这, 们, 国); one in Big5 level 1 but not in GB2312 is a traditional form
// (這, 們, 國). Both together are the "common" ideographs.
//
// The sets are data, not code: hanzi.bin holds them as three bit sets
// over the CJK Unified Ideographs block (common, simplified, traditional;
// little-endian uint64 words). TestHanziTables derives them again from
// the code tables of the x/text GB18030 and Big5 decoders and compares;
// `go generate` (or that test with -update) rewrites the file. Reading
// 8 KB at first use costs microseconds, where decoding the code tables
// cost a WebAssembly program's first Parse hundreds of milliseconds.

//go:generate go test -run ^TestHanziTables$ -update

//go:embed hanzi.bin
var hanziData []byte

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

// hanTables are the character sets.
type hanTables struct {
	common     hanSet // GB2312 ∪ Big5 level 1
	simplified hanSet // GB2312 \ Big5
	tradition  hanSet // Big5 level 1 \ GB2312
}

// sets lists the tables in the order hanzi.bin holds them.
func (t *hanTables) sets() []*hanSet {
	return []*hanSet{&t.common, &t.simplified, &t.tradition}
}

var (
	hanOnce sync.Once
	han     hanTables
)

// tables returns the character sets, reading them on first use.
func tables() *hanTables {
	hanOnce.Do(func() { han = readHanTables(hanziData) })
	return &han
}

// readHanTables reads the sets from their binary form; missing words are
// zero.
func readHanTables(data []byte) hanTables {
	var t hanTables
	for _, s := range t.sets() {
		for i := range s {
			if len(data) < 8 {
				return t
			}
			s[i] = binary.LittleEndian.Uint64(data)
			data = data[8:]
		}
	}
	return t
}

// appendHanTables appends the binary form of t to b.
func appendHanTables(b []byte, t *hanTables) []byte {
	for _, s := range t.sets() {
		for _, w := range s {
			b = binary.LittleEndian.AppendUint64(b, w)
		}
	}
	return b
}

// isCommonHan reports whether r is a common ideograph of either script.
func isCommonHan(r rune) bool {
	return r >= hanFirst && r <= hanLast && tables().common.has(r)
}
