package parser

import (
	"strings"
	"unicode"
)

// Language tags set in Article.Lang.
const (
	LangSimplified  = "zh-Hans"
	LangTraditional = "zh-Hant"
	LangChinese     = "zh" // Chinese whose script the text does not tell
	LangEnglish     = "en"
	LangJapanese    = "ja"
	LangKorean      = "ko"
)

// langSample caps how many letters detection looks at.
const langSample = 500

// scriptCount tallies the letters of a text by script.
type scriptCount struct {
	han, simplified, traditional int
	kana, hangul, latin, other   int
	englishWords                 int
}

// total is the number of letters counted.
func (c *scriptCount) total() int {
	return c.han + c.kana + c.hangul + c.latin + c.other
}

// addText counts the letters of s until the sample is full, and English
// function words in the part counted when it holds some Latin text.
func (c *scriptCount) addText(s string) {
	latin := c.latin
	n := c.addRunes(s)
	if c.latin-latin >= 8 {
		c.englishWords += countEnglishWords(s[:n])
	}
}

// addRunes counts the letters of s by script until the sample is full,
// and returns how many bytes of s it read. The counts are kept in locals
// while it reads (a store through c at every letter cost as much as the
// reading).
func (c *scriptCount) addRunes(s string) int {
	t := tables()
	room := langSample - c.total()
	var han, simplified, traditional, kana, hangul, latin, other int
	i := 0
	for i < len(s) && room > 0 {
		if b := s[i]; b < 0x80 { // ASCII: no decoding
			if b|0x20 >= 'a' && b|0x20 <= 'z' {
				latin++
				room--
			}
			i++
			continue
		}
		var r rune
		if b := s[i]; b >= 0xE1 && b <= 0xEF && b != 0xED && i+2 < len(s) && s[i+1]&0xC0 == 0x80 && s[i+2]&0xC0 == 0x80 {
			// decodeRune's three-byte case, inline: most of a Chinese text
			r = rune(b&0x0F)<<12 | rune(s[i+1]&0x3F)<<6 | rune(s[i+2]&0x3F)
			i += 3
		} else {
			var size int
			r, size = decodeRune(s[i:])
			i += size
		}
		room--
		switch {
		case r >= hanFirst && r <= hanLast:
			// no branch on the script: it changes from one character
			// to the next, and a mispredicted branch costs more than
			// the counting
			han++
			k := r - hanFirst
			s := int(t.simplified[k/64] >> (k % 64) & 1)
			simplified += s
			traditional += int(t.tradition[k/64]>>(k%64)&1) &^ s
		case r >= 0x3040 && r <= 0x30FF:
			kana++
		case r >= 0xAC00 && r <= 0xD7AF:
			hangul++
		default:
			switch letterOf(r) {
			case latinLetter:
				latin++
			case otherLetter:
				other++
			default:
				room++ // not a letter: not counted
			}
		}
	}
	c.han += han
	c.simplified += simplified
	c.traditional += traditional
	c.kana += kana
	c.hangul += hangul
	c.latin += latin
	c.other += other
	if room <= 0 {
		return i
	}
	return len(s)
}

// Kinds of rune for the count: not a letter, a letter of the Latin
// script, any other letter.
const (
	notLetter = iota
	latinLetter
	otherLetter
)

// punctBlocks are the 64-rune blocks of the punctuation of Chinese text
// (general punctuation, CJK symbols and punctuation, full-width forms),
// whose kinds letterOf reads from letterBits instead of the unicode
// package's tables (a search of its ranges for every comma).
var punctBlocks = [...]rune{0x2000, 0x3000, 0xFF00, 0xFF40}

// letterBits holds, per block of punctBlocks, a bit per rune for a
// letter and one for a Latin letter.
var letterBits = func() (bits [len(punctBlocks)][2]uint64) {
	for k, base := range punctBlocks {
		for i := range rune(64) {
			switch r := base + i; {
			case !unicode.IsLetter(r):
			case unicode.Is(unicode.Latin, r):
				bits[k][1] |= 1 << i
			default:
				bits[k][0] |= 1 << i
			}
		}
	}
	return bits
}()

// letterOf says whether r is a letter, and of the Latin script.
func letterOf(r rune) int {
	k := -1
	switch r &^ 63 {
	case punctBlocks[0]:
		k = 0
	case punctBlocks[1]:
		k = 1
	case punctBlocks[2]:
		k = 2
	case punctBlocks[3]:
		k = 3
	}
	switch {
	case k >= 0 && letterBits[k][1]>>(r&63)&1 != 0:
		return latinLetter
	case k >= 0 && letterBits[k][0]>>(r&63)&1 != 0:
		return otherLetter
	case k >= 0 || !unicode.IsLetter(r):
		return notLetter
	case unicode.Is(unicode.Latin, r):
		return latinLetter
	}
	return otherLetter
}

// englishWords are frequent English function words, each followed by a
// space; countEnglishWords looks for them after a space.
var englishWords = [...]string{"the ", "of ", "and ", "to ", "in ", "is ", "that ", "for "}

// countEnglishWords counts frequent English words in s, ignoring ASCII
// case, without copying s.
func countEnglishWords(s string) int {
	n := 0
	for i := strings.IndexByte(s, ' '); i >= 0 && i < len(s)-1; {
		rest := s[i+1:]
		for _, w := range englishWords {
			if len(rest) >= len(w) && strings.EqualFold(rest[:len(w)], w) {
				n++
				break
			}
		}
		j := strings.IndexByte(rest, ' ')
		if j < 0 {
			break
		}
		i += 1 + j
	}
	return n
}

// detectLang names the language of an article from its title and text:
// zh-Hans or zh-Hant by the characters that differ between the scripts,
// ja or ko by kana or hangul, en by English function words in Latin text.
// It returns "" when the text does not tell.
func detectLang(texts ...string) string {
	var c scriptCount
	for _, s := range texts {
		c.addText(s)
	}
	return c.lang()
}

// lang decides the language from the counts.
func (c *scriptCount) lang() string {
	total := c.total()
	switch {
	case total == 0:
		return ""
	case c.kana*20 >= total && c.kana > 0:
		return LangJapanese
	case c.hangul*4 >= total && c.hangul > 0:
		return LangKorean
	case c.han*5 >= total && c.han > 0:
		return c.chineseScript()
	case c.latin*2 >= total && c.englishWords*20 >= c.latin/5:
		return LangEnglish
	}
	return ""
}

// chineseScript picks Simplified or Traditional by the differing
// characters, needing a clear majority (1.5 to 1).
func (c *scriptCount) chineseScript() string {
	switch {
	case 2*c.simplified > 3*c.traditional:
		return LangSimplified
	case 2*c.traditional > 3*c.simplified:
		return LangTraditional
	}
	return LangChinese
}

// full reports whether the sample is complete.
func (c *scriptCount) full() bool { return c.total() >= langSample }

// articleLang detects the language of an article from its title and the
// start of its body.
func articleLang(a *Article) string {
	var c scriptCount
	c.addText(a.Title)
	countBlocks(&c, a.Body)
	return c.lang()
}

// countBlocks feeds block texts to c until its sample is full.
func countBlocks(c *scriptCount, blocks []Block) {
	for i := range blocks {
		if c.full() {
			return
		}
		b := &blocks[i]
		if b.Text != "" {
			c.addText(b.Text)
		} else {
			countBlocks(c, b.Blocks)
		}
	}
}
