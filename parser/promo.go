package parser

import (
	"math/bits"
	"slices"
	"strings"
)

// The promotion stage: lines a site adds to every article to sell
// something, found by what they say rather than by where they sit, after
// the story's blocks are built. A paragraph is a promotion when it is
// short and
//
//   - opens with a call to follow an account ("微信搜索…", "请微信搜索关注公众号…",
//     "扫码关注…"), or with a site's own sign-off ("感谢阅读今天的简报");
//   - is wholly in parentheses and invites to subscribe ("（欢迎点击此处订阅…）");
//   - is a line or two that appeals to the reader ("请", "马上") and pairs
//     an action ("点击", "click") with a subscription or membership ("订阅",
//     "付費會員", "subscribe"): "支持我們，請成為付費會員。馬上點擊…"; or
//     invites to "点击此处订阅";
//   - asks for support against a paywall ("没有付费墙…我们需要您的支持").
//
// The story's first block is dropped too when it only repeats the title or
// names the publication (a column label: "燕京书评").

// promoMaxRunes bounds the length of a promotion: longer paragraphs are
// the story's, whatever words they use. An action and an offer make a
// promotion only in a call of at most callMaxRunes.
const (
	promoMaxRunes = 200
	callMaxRunes  = 60
)

var (
	promoOpeners = [...]string{
		"微信搜索", "微信搜尋", "请微信搜索", "請微信搜尋", "微信扫码", "微信掃碼",
		"扫码关注", "掃碼關注", "扫描二维码", "掃描二維碼", "长按识别", "長按識別",
		"关注我们的微信", "關注我們的微信", "感谢阅读今天的简报", "感謝閱讀今天的簡報",
		"Published since September 1843",
	}
	promoAppeals = [...]string{"请", "請", "欢迎", "歡迎", "马上", "馬上", "立即", "立刻", "please", "Please", "now"}
	promoActions = [...]string{"点击", "點擊", "点此", "點此", "click", "Click", "扫码", "掃碼"}
	promoOffers  = [...]string{"订阅", "訂閱", "付费会员", "付費會員", "成为会员", "成為會員",
		"subscribe", "Subscribe", "newsletter"}
	subscribeHere = [...]string{"此处订阅", "此處訂閱", "这里订阅", "這裡訂閱"}
	paywallWords  = [...]string{"付费墙", "付費牆", "paywall"}
	supportWords  = [...]string{"支持", "捐助", "捐款", "donat"}
)

// Promotions open or close a story: only the first promoHead and the last
// promoTail blocks are looked at.
const (
	promoHead = 2
	promoTail = 5
)

// dropPromotions removes the promotion paragraphs that open or close
// blocks. It looks from the end, so that a removal does not move the
// blocks still to be seen.
func dropPromotions(blocks []Block) []Block {
	n := len(blocks)
	tail := max(n-promoTail, min(promoHead, n))
	for i := n - 1; i >= 0; i-- {
		if i < tail && i >= promoHead {
			i = promoHead // skip the middle
			continue
		}
		if b := &blocks[i]; b.Type == BlockParagraph && isPromotion(b.Text) {
			blocks = slices.Delete(blocks, i, i+1)
		}
	}
	return blocks
}

// isPromotion reports whether a paragraph's text is a promotion.
func isPromotion(text string) bool {
	if len(text) > 3*promoMaxRunes { // a CJK rune is 3 bytes
		return false
	}
	for _, p := range promoOpeners {
		if strings.HasPrefix(text, p) {
			return true
		}
	}
	n := runeStarts(text)
	if n > promoMaxRunes {
		return false
	}
	s := promoSignal(text, n <= callMaxRunes)
	switch {
	case !s.any():
		return false
	case s.subscribe && parenthesised(text) && containsAny(text, promoOffers[:2]):
		return true
	case n <= callMaxRunes && containsAny(text, promoAppeals[:]) &&
		containsAny(text, promoActions[:]) && containsAny(text, promoOffers[:]):
		return true
	case s.subscribe && containsAny(text, subscribeHere[:]):
		return true
	case (s.paid || s.ascii) && containsAny(text, paywallWords[:]) && containsAny(text, supportWords[:]):
		return true
	}
	return false
}

// offerSignal says which of the characters and words that every offer
// and paywall word holds a text has: subscribe (订, 訂: 订阅 and 此处订阅
// hold one), paid (付: 付费会员, 付费墙), member (会, 會: 成为会员) and
// ascii ("ubscri", "ewsletter", "aywall"). A text with none is no
// promotion but by its opening (most paragraphs are ruled out here), and
// each test of isPromotion needs one of them.
type offerSignal struct {
	subscribe, paid, member, ascii bool
}

func (s offerSignal) any() bool { return s.subscribe || s.paid || s.member || s.ascii }

// promoSignal finds the characters and words of offerSignal in text;
// member only for a call (short enough for a bare offer of membership
// to count: no other test needs it).
func promoSignal(text string, call bool) offerSignal {
	return offerSignal{
		subscribe: containsTail(text, "订") || containsTail(text, "訂"),
		paid:      containsTail(text, "付"),
		member:    call && (containsTail(text, "会") || containsTail(text, "會")),
		ascii:     strings.Contains(text, "ubscri") || strings.Contains(text, "ewsletter") || strings.Contains(text, "aywall"),
	}
}

// containsTail is strings.Contains(s, sub) for a sub of a few bytes that
// ends in a rare one: it looks for that last byte. A Han character's
// first byte is one of a few in Chinese text, where strings.Contains
// stops at each, and its last byte one of 64.
func containsTail(s, sub string) bool {
	last := len(sub) - 1
	for i := last; i < len(s); i++ {
		j := strings.IndexByte(s[i:], sub[last])
		if j < 0 {
			return false
		}
		if i += j; s[i-last:i+1] == sub {
			return true
		}
	}
	return false
}

// runeStarts counts the runes of text as the bytes that are not UTF-8
// continuation bytes (10xxxxxx), eight at a time.
func runeStarts(text string) int {
	n := len(text)
	i := 0
	for ; i+8 <= len(text); i += 8 {
		b := text[i : i+8]
		x := uint64(b[0]) | uint64(b[1])<<8 | uint64(b[2])<<16 | uint64(b[3])<<24 |
			uint64(b[4])<<32 | uint64(b[5])<<40 | uint64(b[6])<<48 | uint64(b[7])<<56
		// a continuation byte has bit 7 set and bit 6 clear
		n -= bits.OnesCount64(x &^ (x << 1) & 0x8080808080808080)
	}
	for ; i < len(text); i++ {
		if text[i]&0xC0 == 0x80 {
			n--
		}
	}
	return n
}

// parenthesised reports text wholly inside one pair of parentheses.
func parenthesised(text string) bool {
	return strings.HasPrefix(text, "（") && strings.HasSuffix(text, "）") ||
		strings.HasPrefix(text, "(") && strings.HasSuffix(text, ")")
}

func containsAny(s string, subs []string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

// dropLabel drops a first paragraph or heading that repeats the title or
// is one of names (the publication's), as a column label does, when the
// rest of the body holds the story: a short post whose title was made
// from its text keeps it.
func dropLabel(body []Block, title string, names ...string) []Block {
	if len(body) == 0 || body[0].Type != BlockParagraph && body[0].Type != BlockHeading {
		return body
	}
	t := body[0].Text
	label := t == title
	for _, n := range names {
		label = label || n != "" && strings.EqualFold(t, n)
	}
	if !label || body[0].Type == BlockParagraph && !textExceeds(body[1:], 3*len(t)) {
		return body
	}
	return body[1:]
}

// textExceeds reports whether the blocks hold more than n bytes of text.
func textExceeds(blocks []Block, n int) bool {
	for _, b := range blocks {
		if n -= len(b.Text); n < 0 {
			return true
		}
	}
	return false
}
