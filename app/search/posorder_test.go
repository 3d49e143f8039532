package search

import (
	"fmt"
	"testing"
)

// TestPosTermOrder: words of scripts whose UTF-8 sorts among the Han
// characters' (kana and 㐀 both start with 0xE3, Hangul after 龥),
// before them (Cyrillic, accented Latin) or after (Hangul, fullwidth
// forms past the compatibility ideographs), edges and characters past
// the BMP make the segment a builder makes (its termOrder compares the
// terms themselves).
func TestPosTermOrder(t *testing.T) {
	texts := []string{
		"カタカナ㐀㐁中文ひらがな한국어서울 新闻",
		"москва市长 café报道 2025年 G20峰会 𠮷野家𠀋",
		"中 国 中国 国中 丽江 ａｂｃ全角 ﬁ连字 豈更 車輪",
		"ㄅㄆ注音 ア㐀 一ア 龥한 ꀀ彝文 Ωμέγα希腊",
	}
	var docs []Doc
	for i := range 24 {
		docs = append(docs, Doc{ID: fmt.Sprint(i), Title: texts[(i+1)%len(texts)], Text: texts[i%len(texts)] + "\n" + texts[(i+2)%len(texts)]})
	}
	samePosSegment(t, docs)
	samePosSegment(t, docs[:1])
	samePosSegment(t, []Doc{{ID: "w", Title: "only words", Text: "алфавит beta カナ"}})
	samePosSegment(t, []Doc{{ID: "h", Title: "中文", Text: "汉字"}})
}
