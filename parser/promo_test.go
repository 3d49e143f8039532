package parser

import (
	"strings"
	"testing"
)

func TestIsPromotion(t *testing.T) {
	cases := []struct {
		text string
		want bool
	}{
		{"（欢迎点击此处订阅示例日报简报，我们将在每个早晨发送最新内容至您的邮箱。）", true},
		{"感谢阅读今天的简报，新读者请点击此处订阅。欢迎在社交媒体上关注我们。", true},
		{"微信搜索“示例书评”（Examplebooks）：重读经典，重写城市。", true},
		{"请微信搜索关注公众号“示例现在”，看见不一样的城市。", true},
		{"支持我們，請成為付費會員。馬上 點擊 ，與示例傳媒站得更近。", true},
		{"与许多网站不同，本站没有付费墙，也不投放广告；我们需要您的支持才能继续运作。", true},
		{"Subscribe now: click here for our morning newsletter.", true},
		// the story's own sentences about subscriptions and clicks
		{"对于订阅服务，手机系统在设置页里提供了一站式入口，只需点击一下即可取消。", false},
		{"从初中开始，她就订阅了《示例周末》，每周与哥哥通电话讨论读过的文章。", false},
		{"（示例社北京3日电）记者点击进入系统后发现，订阅人数已经过万。" + strings.Repeat("市场在上涨。", 60), false},
		{"他在微信上说，欢迎大家点击链接阅读全文。", false},
	}
	for _, c := range cases {
		if got := isPromotion(c.text); got != c.want {
			t.Errorf("isPromotion(%q) = %v, want %v", c.text, got, c.want)
		}
	}
}

func TestParsePromotionsAndLabels(t *testing.T) {
	src := "---\ntitle: 河边的早市\nauthor: Ann Writer &#38; Bo Editor\nfrom: https://allnow.com/post/42\n---\n" +
		"<section><p>燕京书评</p><p>（欢迎点击此处订阅示例简报，我们将在每个工作日发送最新内容至您的邮箱。）</p>" +
		"<p>清晨五点，河边的早市已经摆满了青菜和豆腐。</p><p>卖菜的老人说，这条街的早市有三十年了。</p>" +
		"<p>支持我們，請成為付費會員。馬上 點擊 ，與示例傳媒站得更近。</p>" +
		"<p>微信搜索“燕京书评”（Pekingbooks）：示例口号。</p></section>"
	a, err := Parse([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	var texts []string
	for _, b := range a.Body {
		texts = append(texts, b.Text)
	}
	want := "清晨五点，河边的早市已经摆满了青菜和豆腐。|卖菜的老人说，这条街的早市有三十年了。"
	if got := strings.Join(texts, "|"); got != want {
		t.Errorf("Parse(promotions).Body = %q, want %q", got, want)
	}
	if got := strings.Join(a.Authors, "|"); got != "Ann Writer|Bo Editor" {
		t.Errorf("Parse(promotions).Authors = %q, want %q", got, "Ann Writer|Bo Editor")
	}
	if a.Source != "燕京书评" {
		t.Errorf("Parse(promotions).Source = %q, want %q", a.Source, "燕京书评")
	}
}

func TestDropLabel(t *testing.T) {
	p := func(s string) Block { return Block{Type: BlockParagraph, Text: s} }
	story := p(strings.Repeat("正文很长。", 20))
	cases := []struct {
		body []Block
		want int
	}{
		{[]Block{p("标题"), story}, 1},
		{[]Block{{Type: BlockHeading, Text: "标题"}}, 0},
		{[]Block{p("示例书评"), story}, 1},
		{[]Block{p("标题")}, 1},          // a short post titled after its text
		{[]Block{p("标题"), p("短")}, 2},  // too little story to tell
		{[]Block{p("别的开头"), story}, 2}, // not a label
	}
	for _, c := range cases {
		if got := dropLabel(c.body, "标题", "示例书评"); len(got) != c.want {
			t.Errorf("dropLabel(%d blocks) kept %d, want %d", len(c.body), len(got), c.want)
		}
	}
}

func TestDropPromotionsEdges(t *testing.T) {
	promo := Block{Type: BlockParagraph, Text: "微信搜索“示例”：示例口号。"}
	story := func(i int) Block { return Block{Type: BlockParagraph, Text: strings.Repeat("字", i+1)} }
	for n := 0; n <= 12; n++ {
		for at := 0; at < n; at++ {
			blocks := make([]Block, n)
			for i := range blocks {
				blocks[i] = story(i)
			}
			blocks[at] = promo
			got := dropPromotions(blocks)
			edge := at < promoHead || at >= n-promoTail
			if want := n - btoi(edge); len(got) != want {
				t.Errorf("dropPromotions(%d blocks, promotion at %d) kept %d, want %d", n, at, len(got), want)
			}
			for _, b := range got {
				if edge && b.Text == promo.Text {
					t.Errorf("dropPromotions(%d blocks, promotion at %d) kept it", n, at)
				}
			}
		}
	}
}

// TestRuneStarts compares runeStarts with a count of the bytes that start
// a rune, on texts of every length around its eight-byte steps, valid or
// not.
func TestRuneStarts(t *testing.T) {
	texts := []string{"", "a", "订阅本报", "Subscribe now: 点击此处订阅。", "\x80\xbf\xc0abc\xe4\xbb", strings.Repeat("付費會員ab", 7)}
	for _, text := range texts {
		for end := range len(text) + 1 {
			s := text[:end]
			want := 0
			for i := range len(s) {
				if s[i]&0xC0 != 0x80 {
					want++
				}
			}
			if got := runeStarts(s); got != want {
				t.Errorf("runeStarts(%q) = %d, want %d", s, got, want)
			}
		}
	}
}

// TestContainsTail compares containsTail with strings.Contains.
func TestContainsTail(t *testing.T) {
	texts := []string{"", "订", "a订", "訂订阅", "会會会", "\xa2\xa2订", "付费墙ab付", "社会上"}
	for _, text := range texts {
		for _, sub := range []string{"订", "訂", "付", "会", "會", "付费墙"} {
			if got, want := containsTail(text, sub), strings.Contains(text, sub); got != want {
				t.Errorf("containsTail(%q, %q) = %v, want %v", text, sub, got, want)
			}
		}
	}
}
