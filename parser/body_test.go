package parser

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"
)

// dumpParts renders bodyParts as readable text, one line per field, block,
// inline run and warning, for the table tests to compare.
func dumpParts(p bodyParts) string {
	var sb strings.Builder
	line := func(format string, args ...any) { fmt.Fprintf(&sb, format+"\n", args...) }
	if len(p.Authors) > 0 {
		line("authors: %s", strings.Join(p.Authors, " | "))
	}
	if p.Published != "" || p.DateText != "" {
		line("published: %s (%s)", p.Published, p.DateText)
	}
	if p.Lead != nil {
		line("lead: %s", partsImage(p.Lead.Src, p.Lead.Original, p.Lead.Width, p.Lead.Height, p.Lead.Caption, p.Lead.Credit))
	}
	partsBlocks(&sb, "", p.Body)
	partsBlocks(&sb, "footer ", p.Footer)
	if p.Translator != "" {
		line("translator: %s", p.Translator)
	}
	if p.OriginalURL != "" {
		line("original: %s", p.OriginalURL)
	}
	for _, w := range p.Warnings {
		line("warning: %s", w)
	}
	return sb.String()
}

func partsImage(src, original string, w, h int, caption, credit string) string {
	s := src
	if original != "" {
		s += " original=" + original
	}
	if w != 0 || h != 0 {
		s += fmt.Sprintf(" %dx%d", w, h)
	}
	if caption != "" {
		s += fmt.Sprintf(" caption=%q", caption)
	}
	if credit != "" {
		s += fmt.Sprintf(" credit=%q", credit)
	}
	return s
}

func partsBlocks(sb *strings.Builder, indent string, blocks []Block) {
	for _, b := range blocks {
		switch b.Type {
		case BlockHeading:
			fmt.Fprintf(sb, "%sh%d: %s\n", indent, b.Level, b.Text)
		case BlockFigure:
			media := ""
			if b.Video != "" {
				media = " video=" + b.Video
			}
			if b.Audio != "" {
				media += " audio=" + b.Audio
			}
			fmt.Fprintf(sb, "%sfigure:%s %s\n", indent, media, partsImage(b.Src, b.Original, b.Width, b.Height, b.Caption, b.Credit))
		case BlockQuote:
			fmt.Fprintf(sb, "%squote:\n", indent)
			partsBlocks(sb, indent+"  ", b.Blocks)
		case BlockList:
			kind := "ul"
			if b.Ordered {
				kind = "ol"
			}
			if b.Start != 0 {
				kind += fmt.Sprintf(" start=%d", b.Start)
			}
			fmt.Fprintf(sb, "%s%s:\n", indent, kind)
			for _, it := range b.Items {
				fmt.Fprintf(sb, "%s  li: %s\n", indent, it.Text)
				partsInlines(sb, indent+"    ", it.Inlines)
			}
		case BlockParagraph:
			if b.Pre {
				fmt.Fprintf(sb, "%spre %d: %s\n", indent, b.Indent, b.Text)
			} else {
				fmt.Fprintf(sb, "%s%s: %s\n", indent, b.Type, b.Text)
			}
			partsInlines(sb, strings.TrimPrefix(indent, "footer ")+"  ", b.Inlines)
		default:
			fmt.Fprintf(sb, "%s%s: %s\n", indent, b.Type, b.Text)
			partsInlines(sb, strings.TrimPrefix(indent, "footer ")+"  ", b.Inlines)
		}
	}
}

// partsInlines shows the runs of a block when they carry marks or are more
// than one.
func partsInlines(sb *strings.Builder, indent string, ins []Inline) {
	if len(ins) == 1 && ins[0] == (Inline{Text: ins[0].Text}) {
		return
	}
	for _, in := range ins {
		fmt.Fprintf(sb, "%s%q", indent, in.Text)
		if in.Href != "" {
			fmt.Fprintf(sb, " href=%s", in.Href)
		}
		if in.Strong {
			sb.WriteString(" strong")
		}
		if in.Em {
			sb.WriteString(" em")
		}
		sb.WriteByte('\n')
	}
}

var bodyTests = []struct {
	name, src, want string
}{
	{
		name: "current shape",
		src: `<address>王小明、李华 and JANE DOE</address><time pudate="2024-03-05 08:09:10" datetime="2024-03-05 08:09:10">2024年3月5日</time>` +
			`<figure><img src="https://images.weserv.nl/?url=static01.nyt.com/images/lead.jpg" width="1050" height="700"><figcaption>春天的河岸。 <cite>张三/本报</cite></figcaption></figure>` +
			`<section><p>第一段，<a href="https://example.com/a">链接</a>和<strong>重点</strong>。</p><h3>小标题</h3>` +
			`<blockquote><p>引文一。</p><p>引文二。</p></blockquote><ul><li>甲</li><li><em>乙</em></li></ul><ol><li>一</li></ol>` +
			`<p><img src="https://img.example.com/b.jpg"><small>河边的树。</small></p><p>末段。</p></section>` +
			`<footer><p>赵六对本文有报道贡献。</p><p>翻译：钱七</p><p><a href="https://www.example.com/en/story.html">点击查看本文英文版。</a></p></footer>`,
		want: `authors: 王小明 | 李华 | JANE DOE
published: 2024-03-05T08:09:10 (2024年3月5日)
lead: https://images.weserv.nl/?url=static01.nyt.com/images/lead.jpg original=https://static01.nyt.com/images/lead.jpg 1050x700 caption="春天的河岸。" credit="张三/本报"
p: 第一段，链接和重点。
  "第一段，"
  "链接" href=https://example.com/a
  "和"
  "重点" strong
  "。"
h3: 小标题
quote:
  p: 引文一。
  p: 引文二。
ul:
  li: 甲
  li: 乙
    "乙" em
ol:
  li: 一
figure: https://img.example.com/b.jpg caption="河边的树。"
p: 末段。
footer p: 赵六对本文有报道贡献。
footer p: 翻译：钱七
footer p: 点击查看本文英文版。
  "点击查看本文英文版。" href=https://www.example.com/en/story.html
translator: 钱七
original: https://www.example.com/en/story.html
`,
	},
	{
		name: "traditional footer and datetime only",
		src:  `<time datetime="2023-01-02 03:04:05">2023年1月2日</time><section><p>正文。</p></section><footer><p>翻譯：孫八</p><p><a href="https://example.com/en">點擊查看本文英文版</a></p></footer>`,
		want: `published: 2023-01-02T03:04:05 (2023年1月2日)
p: 正文。
footer p: 翻譯：孫八
footer p: 點擊查看本文英文版
  "點擊查看本文英文版" href=https://example.com/en
translator: 孫八
original: https://example.com/en
`,
	},
	{
		name: "old byline with authors and ISO date",
		src:  `<div><i>  陈一，周二<br>2020-07-14T09:45:14.886Z</i></div><img src="https://images.weserv.nl/?url=api.example.com/image/1.jpg" width="100%"><div><small style="color: #999;">图说文字。</small></div><p>报道正文。</p>`,
		want: `authors: 陈一 | 周二
published: 2020-07-14T09:45:14 (2020-07-14T09:45:14.886Z)
lead: https://images.weserv.nl/?url=api.example.com/image/1.jpg original=https://api.example.com/image/1.jpg caption="图说文字。"
p: 报道正文。
`,
	},
	{
		name: "old byline date only, then a site wrapper",
		src:  `<div><i>2020-07-17 15:14:53</i></div><div class="StandardArticleBody_body"><p>电讯第一段。</p><p>电讯第二段。</p><div class="Attribution_container"><div class="Attribution_attribution"><p class="Attribution_content">编译 某甲；审校 某乙</p></div></div><div class="StandardArticleBody_trustBadgeContainer"><span>我们的标准：</span><a href="https://example.com/trust">信任原则</a></div></div>`,
		want: `published: 2020-07-17T15:14:53 (2020-07-17 15:14:53)
p: 电讯第一段。
p: 电讯第二段。
footer p: 编译 某甲；审校 某乙
`,
	},
	{
		name: "byline with an empty author line and an RFC 1123 date",
		src:  `<div><i><br>Fri, 10 Jul 2020 13:03:57 GMT</i></div><p>正文。</p>`,
		want: `published: 2020-07-10T13:03:57 (Fri, 10 Jul 2020 13:03:57 GMT)
p: 正文。
`,
	},
	{
		name: "date div, day first",
		src:  "<div>\n<div>01/08/2020 - 23:01</div><p>正文。</p></div>",
		want: `published: 2020-08-01T23:01:00 (01/08/2020 - 23:01)
p: 正文。
`,
	},
	{
		name: "italic lead paragraph is not a byline",
		src:  `<div><i>一段斜体的导语<br>第二行</i></div><p>正文。</p>`,
		want: `p: 一段斜体的导语
  "一段斜体的导语" em
p: 第二行
  "第二行" em
p: 正文。
`,
	},
	{
		name: "div soup becomes paragraphs",
		src:  "<div>\n第一行文字<br>第二行文字<br><br>第三行<div>内层文字</div>尾巴</div><div><span>第四段</span></div>",
		want: `p: 第一行文字
p: 第二行文字
p: 第三行
p: 内层文字
p: 尾巴
p: 第四段
`,
	},
	{
		name: "white space folding and Han line breaks",
		src:  "<p>\n   中文\n   文字，<a href=\"https://example.com/\">\n  链接\n </a>\n 。 English\n words  and\tmore 中文\n</p><p> &nbsp; </p><p>\u3000</p>",
		want: `p: 中文文字，链接。 English words and more 中文
  "中文文字，"
  "链接" href=https://example.com/
  "。 English words and more 中文"
`,
	},
	{
		name: "adjacent runs with the same marks merge",
		src:  `<p><b>粗</b><strong>体</strong><em>斜</em><i>体</i><b><i>粗斜</i></b></p>`,
		want: `p: 粗体斜体粗斜
  "粗体" strong
  "斜体" em
  "粗斜" strong em
`,
	},
	{
		name: "heading levels",
		src:  `<h1>一级</h1><h2>二级</h2><h3>三级</h3><h4>四级</h4><h5>五级</h5><h6>六级</h6><h2> </h2>`,
		want: `h2: 一级
h2: 二级
h3: 三级
h4: 四级
h4: 五级
h4: 六级
`,
	},
	{
		name: "figures with captions and credits",
		src: `<figure><img src="//cdn.example.com/a.jpg" width="640px" height="abc"><figcaption>甲图 <cite>摄影：某人</cite></figcaption></figure>` +
			`<p>正文。</p><div class="image-inline captioned"><div><img src="https://example.com/b.jpg" alt="乙图的替代文字说明很长"></div><div class="image-caption">乙图说明</div></div>` +
			`<span class="image-and-copyright-container"><img src="https://example.com/c.jpg"><span class="off-screen">图片版权</span><span class="story-image-copyright">AFP</span></span><figcaption class="media-caption"><span class="off-screen">Image caption</span><span class="media-caption__text">丙图说明</span></figcaption>` +
			`<img src="https://example.com/d.jpg" title="丁图的标题说明文字"><p>后文。</p>`,
		want: `lead: https://cdn.example.com/a.jpg 640x0 caption="甲图" credit="摄影：某人"
p: 正文。
figure: https://example.com/b.jpg caption="乙图说明"
figure: https://example.com/c.jpg caption="丙图说明" credit="AFP"
figure: https://example.com/d.jpg caption="丁图的标题说明文字"
p: 后文。
`,
	},
	{
		name: "lazy images, emoji, tracking pixels, avatars",
		src:  `<p>开头<img class="wp-smiley" alt="🙂" src="https://s.w.org/e.png">结尾</p><img src="data:image/gif;base64,R0lGOD" data-lazy-src="https://example.com/lazy.jpg"><img src="https://t.example.com/p.gif" width="1" height="1"><img src="https://example.com/avatar.png" width="80" height="80"><img src="/relative.jpg"><p>后文。</p>`,
		want: `p: 开头🙂结尾
figure: https://example.com/lazy.jpg
p: 后文。
`,
	},
	{
		name: "hostile markup is removed, the text around it stays",
		src: `<p>前<script>alert(1)</script>后</p><style>p{color:red}</style><p onclick="alert(2)">点击<a href="javascript:alert(3)">这里</a>和<a href=" JaVaScRiPt:alert(4)">那里</a></p>` +
			`<iframe src="https://evil.example.com/"></iframe><svg><text>图形文字</text><script>alert(5)</script></svg><math><mi>x</mi></math>` +
			`<object data="x.swf">对象</object><embed src="x.swf"><form action="/x"><input value="输入"><button>按钮</button></form>` +
			`<noscript><img src="https://example.com/n.jpg"></noscript><template><p>模板</p></template><p><a href="vbscript:msgbox">甲</a><a href="data:text/html,x">乙</a><img src="javascript:alert(6)"></p>`,
		want: `p: 前后
p: 点击这里和那里
p: 甲乙
warning: removed <script>
warning: removed <style>
warning: removed event handler
warning: removed javascript: URL
warning: removed <iframe>
warning: removed <svg>
warning: removed <math>
warning: removed <object>
warning: removed <embed>
warning: removed <form>
warning: removed <noscript>
warning: removed <template>
warning: removed vbscript: URL
warning: removed data: URL
`,
	},
	{
		name: "links keep http, https and mailto only",
		src:  `<p><a href="//example.com/x">协议相对</a><a href="/relative">相对</a><a href="mailto:a@example.com">邮件</a><a href="ftp://example.com/">文件</a><a href="HTTPS://Example.com/Y">大写</a><a>无址</a></p>`,
		want: `p: 协议相对相对邮件文件大写无址
  "协议相对" href=https://example.com/x
  "相对"
  "邮件" href=mailto:a@example.com
  "文件"
  "大写" href=https://Example.com/Y
  "无址"
`,
	},
	{
		// The unclosed <b> goes on into the next paragraph, as in browsers.
		name: "unclosed and stray tags, comments, entities, nested tables",
		src:  `<p>甲<b>乙<p>丙</i></span>丁<!-- 注释 --></p></div></section><p>&amp;&lt;&gt;&quot;&#8230;&hellip;&nbsp;末</p><table><tr><td>格一<table><tr><td>内格</td></tr></table></td><td>格二</td></tr></table>`,
		want: `p: 甲乙
  "甲"
  "乙" strong
p: 丙丁
  "丙丁" strong
p: &<>"…… 末
  "&<>\"…… 末" strong
p: 格一
p: 内格
p: 格二
`,
	},
	{
		name: "furniture of a scraped WordPress page is left out",
		src: `<article class="post-1 post type-post tag-share category-comment"><header class="entry-header"><h1 class="entry-title">标题</h1></header>` +
			`<div class="entry-meta"><span class="byline"><a href="https://example.com/author/x" rel="author">作者甲</a></span><time class="entry-date published" datetime="2021-04-09T00:04:19+08:00">2021年4月9日</time></div>` +
			`<div class="entry-content"><p>故事第一段。</p><div class="sharedaddy sd-sharing-enabled"><h3 class="sd-title">分享到：</h3><ul><li><a href="https://x.example.com/s">Twitter</a></li></ul></div>` +
			`<p>故事第二段。</p><div id="jp-relatedposts" class="jp-relatedposts"><h3>相关文章</h3><p>别的文章</p></div><div class="code-block code-block-1"><div class="ads_x"></div></div></div>` +
			`<footer class="entry-footer"><span class="cat-links">分类</span></footer><div id="comments" class="comments-area"><h2>3 条评论</h2><p>读者留言很长很长很长很长很长很长很长很长很长很长很长很长。</p></div>` +
			`<nav class="post-navigation"><a href="https://example.com/prev">上一篇</a></nav></article>`,
		want: `authors: 作者甲
published: 2021-04-09T00:04:19 (2021年4月9日)
p: 故事第一段。
p: 故事第二段。
`,
	},
	{
		name: "a related heading cuts the rest of its section; link lists, hidden text, repeated titles go",
		src: `<div><p class="title">重复的标题</p><p>正文甲。</p><ul class="story-body__unordered-list"><li><a href="https://example.com/1">相关一</a></li><li><a href="https://example.com/2">相关二</a></li></ul>` +
			`<p>正文乙。</p><div><h2>Related</h2><h3><a href="https://example.com/3">别的故事</a></h3><p>别的摘要</p></div><p>正文丙。</p></div>` +
			`<div style="display: none">隐藏</div><span class="screen-reader-text">读屏</span><div hidden>隐</div><div aria-hidden="true">藏</div>`,
		want: `p: 正文甲。
p: 正文乙。
p: 正文丙。
`,
	},
	{
		name: "old shape footer lines move to the footer",
		src:  `<div><i>某记者<br>2020-07-07 15:03:32</i></div><p>正文。</p><p>某某对本文有报道贡献。<br/>某某是记者。</p><div><span>翻译：某译者<p><a href="https://www.example.com/en.html">点击查看本文英文版。</a></p></span></div><br><hr><div>获取更多RSS：<br><a href="https://feed.example.com">https://feed.example.com</a></div>`,
		want: `authors: 某记者
published: 2020-07-07T15:03:32 (2020-07-07 15:03:32)
p: 正文。
p: 某某对本文有报道贡献。
p: 某某是记者。
footer p: 翻译：某译者
footer p: 点击查看本文英文版。
  "点击查看本文英文版。" href=https://www.example.com/en.html
translator: 某译者
original: https://www.example.com/en.html
`,
	},
	{
		name: "translator line in the slash form",
		src:  `<div class="story-lead">导语。</div><p>正文。</p><p>某某是本报记者</p><p>译者/某译者</p>`,
		want: `p: 导语。
p: 正文。
p: 某某是本报记者
footer p: 译者/某译者
translator: 某译者
`,
	},
	{
		name: "feed trailers and copyright notices",
		src:  `<p>正文。</p><hr /><p><small>&copy; 某人 for 某站 |<a href="https://example.com/p">Permalink</a></small></p><p><small>Feed enhanced by <a href="https://example.com/">Better Feed</a></small></p>`,
		want: `p: 正文。
footer p: © 某人 for 某站 |Permalink
  "© 某人 for 某站 |"
  "Permalink" href=https://example.com/p
`,
	},
	{
		name: "video with poster and caption, audio from a source child",
		src: `<p>开头。</p><video poster="https://img.example.com/p.jpg" src="https://media.example.com/v.mp4" width="640" height="360" controls>` +
			`你的浏览器不能播放。<script>alert(1)</script></video><div><small>发布会现场。</small></div>` +
			`<audio controls><source src="javascript:alert(1)"><source src="https://media.example.com/clips/a.mp3" type="audio/mpeg">不能播放。</audio><p>结尾。</p>`,
		want: `p: 开头。
figure: video=https://media.example.com/v.mp4 https://img.example.com/p.jpg 640x360 caption="发布会现场。"
figure: audio=https://media.example.com/clips/a.mp3 
p: 结尾。
`,
	},
	{
		name: "a recording before the text is no lead picture",
		src:  `<video src="https://media.example.com/v.mp4" poster="https://img.example.com/p.jpg" controls title="现场  画面"></video><p>正文。</p>`,
		want: `figure: video=https://media.example.com/v.mp4 https://img.example.com/p.jpg caption="现场 画面"
p: 正文。
`,
	},
	{
		name: "decorative video, unsafe and missing addresses",
		src: `<video autoplay loop muted playsinline src="https://media.example.com/bg.mp4"></video>` +
			`<video src="javascript:alert(1)" poster="data:image/png;base64,AAAA" controls></video><audio controls>无地址</audio><p>正文。</p>` +
			`<p>段中<video src="https://media.example.com/in.mp4" controls></video>的视频。</p>`,
		want: `p: 正文。
p: 段中
figure: video=https://media.example.com/in.mp4 
p: 的视频。
warning: removed <video>
warning: removed <audio>
`,
	},
	{
		name: "preformatted lines keep their breaks and indentation",
		src: "<p>代码如下：</p><pre><code>def f(x):\n    if x:\n\t\treturn  1\n\n<b>end</b>  # 完\n</code></pre><p>诗：</p>" +
			"<pre class=\"verse\">床前明月光\n疑是地上霜<br>举头望明月\n  低头思故乡</pre><p>完。</p>",
		want: `p: 代码如下：
pre 0: def f(x):
pre 4: if x:
pre 16: return 1
pre 0: end # 完
  "end " strong
  "# 完"
p: 诗：
pre 0: 床前明月光
pre 0: 疑是地上霜
pre 0: 举头望明月
pre 2: 低头思故乡
p: 完。
`,
	},
	{
		name: "ordered lists keep their first number",
		src:  `<ol start="3"><li>三</li><li>四</li></ol><ol start="1"><li>一</li></ol><ol start="-2"><li>负</li></ol><ol start="99999999999"><li>大</li></ol><ul start="5"><li>无序</li></ul>`,
		want: `ol start=3:
  li: 三
  li: 四
ol:
  li: 一
ol:
  li: 负
ol:
  li: 大
ul:
  li: 无序
`,
	},
	{
		name: "zero-width spaces, soft hyphens and word joiners are no spaces",
		src: "<p>会议因\u200b\u200b此推迟，Goog\u200ble 和 CON\u200bUS 报告。</p><p>连\u00ad字符与词\u2060连接\ufeff符，" +
			"中\u200b Latin \u200b文。</p><p>A\u200b</p>",
		want: `p: 会议因此推迟，Google 和 CONUS 报告。
p: 连字符与词连接符，中 Latin 文。
p: A
`,
	},
	{
		name: "ruby keeps its base text",
		src:  "<p><ruby>漢<rp>(</rp><rt>hàn</rt><rp>)</rp>字<rt>zì</rt></ruby>的读音。</p>",
		want: "p: 漢字的读音。\n",
	},
	{
		name: "data table rows are paragraphs, layout tables are blocks",
		src: `<table><tr><th>候选人</th><th>得票</th><td></td></tr><tr><td><a href="https://a.example.com/j">甲</a></td><td><b>1,200</b><br>（55%）</td></tr></table>` +
			`<table><tr><td><p>左栏的第一段。</p><p>左栏的第二段。</p></td><td>右栏</td></tr><tr><td>只有一格</td></tr></table>`,
		want: `p: 候选人 | 得票
p: 甲 | 1,200 （55%）
  "甲" href=https://a.example.com/j
  " | "
  "1,200 " strong
  "（55%）"
p: 左栏的第一段。
p: 左栏的第二段。
p: 右栏
p: 只有一格
`,
	},
	{
		name: "lists inside items follow their item",
		src:  `<ul><li>甲<ul><li>甲一<ol><li>深</li></ol></li><li><a href="https://a.example.com/2">甲二</a></li></ul>尾</li><li>乙</li></ul>`,
		want: `ul:
  li: 甲 尾
  li: 甲一
  li: 深
  li: 甲二
    "甲二" href=https://a.example.com/2
  li: 乙
`,
	},
	{
		name: "known video sites' players are kept as links to their videos",
		src: `<p>开头。</p><iframe src="https://www.youtube-nocookie.com/embed/Ab_c-12?rel=0" title="YouTube video player"></iframe><p><small>记者会。</small></p>` +
			`<iframe src="//player.vimeo.com/video/998877" title="城市 夜景"></iframe>` +
			`<iframe src="https://player.bilibili.com/player.html?bvid=BV1xx411c7mD&page=1"></iframe>` +
			`<iframe src="https://www.youtube.com/embed/videoseries?list=PL123"></iframe>` +
			`<iframe src="https://www.facebook.com/plugins/video.php?href=https%3A%2F%2Fwww.facebook.com%2Fnews%2Fvideos%2F42%2F"></iframe>` +
			`<iframe src="https://www.youtube.com/embed/a%22b"></iframe><iframe src="javascript:alert(1)"></iframe><iframe src="https://ads.example.com/embed/1"></iframe><p>结尾。</p>`,
		want: `p: 开头。
figure: video=https://www.youtube.com/watch?v=Ab_c-12 https://i.ytimg.com/vi/Ab_c-12/hqdefault.jpg caption="记者会。"
figure: video=https://vimeo.com/998877  caption="城市 夜景"
figure: video=https://www.bilibili.com/video/BV1xx411c7mD 
figure: video=https://www.youtube.com/playlist?list=PL123 
figure: video=https://www.facebook.com/news/videos/42/ 
p: 结尾。
warning: removed <iframe>
`,
	},
	{
		name: "empty input",
		src:  "",
		want: "",
	},
	{
		name: "text only",
		src:  "只有一句话，没有标签。",
		want: "p: 只有一句话，没有标签。\n",
	},
}

func TestParseBody(t *testing.T) {
	for _, tt := range bodyTests {
		t.Run(tt.name, func(t *testing.T) {
			got := dumpParts(parseBody(tt.src))
			if got != tt.want {
				t.Errorf("parseBody(%q):\n--- got\n%s--- want\n%s", tt.src, got, tt.want)
			}
		})
	}
}

// TestParseBodySafe checks, over every table input and a few more, what
// must hold of any result: no active content or its text in the output,
// every URL with an allowed scheme, valid UTF-8, no empty block.
func TestParseBodySafe(t *testing.T) {
	inputs := []string{
		`<a href="jav&#x09;ascript:alert(1)">x</a><a href="&#106;avascript:alert(1)">y</a>`,
		`<img src="https://ok.example.com/a.jpg" onerror="alert(1)"><div onmouseover="alert(1)">悬停</div>`,
		`<svg><a href="https://example.com/">svg link</a></svg><math><a href="javascript:alert(1)">m</a></math>`,
		`<p>` + strings.Repeat("<div>", 2000) + "深" + strings.Repeat("</div>", 2000) + `</p>`,
		"<p>\xff\xfe 坏字节</p>",
	}
	for _, tt := range bodyTests {
		inputs = append(inputs, tt.src)
	}
	for _, src := range inputs {
		p := checkParts(t, src)
		for _, b := range append(p.Body, p.Footer...) {
			for _, s := range []string{b.Text, b.Caption, b.Credit} {
				if strings.Contains(s, "alert(") || strings.Contains(s, "svg link") {
					t.Errorf("parseBody(%q) keeps active content %q", src, s)
				}
			}
		}
	}
}

// FuzzParseBody checks what must hold of any result (see checkParts) and
// that parsing is deterministic.
func FuzzParseBody(f *testing.F) {
	for _, tt := range bodyTests {
		f.Add(tt.src)
	}
	f.Fuzz(func(t *testing.T, src string) {
		p := checkParts(t, src)
		if a, b := dumpParts(p), dumpParts(parseBody(src)); a != b {
			t.Errorf("parseBody(%q) differs between runs:\n%s\n%s", src, a, b)
		}
	})
}

// checkParts parses src and checks what must hold of any result: every
// URL with an allowed scheme, valid UTF-8 text, folded and trimmed, no
// empty block.
func checkParts(t *testing.T, src string) bodyParts {
	t.Helper()
	p := parseBody(src)
	checkSafe(t, src, "body", p.Body)
	checkSafe(t, src, "footer", p.Footer)
	if p.Lead != nil && !allowedImage(p.Lead.Src) {
		t.Errorf("parseBody(%q).Lead.Src = %q, not an http(s) address", src, p.Lead.Src)
	}
	for _, s := range append(p.Authors, p.DateText, p.Translator) {
		checkText(t, src, "head", s)
	}
	return p
}

func checkText(t *testing.T, src, where, s string) {
	t.Helper()
	if !utf8.ValidString(s) {
		t.Errorf("parseBody(%q).%s text %q is not valid UTF-8", src, where, s)
	}
	if s != strings.TrimSpace(s) || strings.Contains(s, "  ") {
		t.Errorf("parseBody(%q).%s text %q is not folded", src, where, s)
	}
}

func checkSafe(t *testing.T, src, where string, blocks []Block) {
	t.Helper()
	for _, b := range blocks {
		if b.Text == "" && b.Type != BlockFigure && b.Type != BlockQuote {
			t.Errorf("parseBody(%q).%s has an empty %s block", src, where, b.Type)
		}
		for _, s := range []string{b.Text, b.Caption, b.Credit} {
			checkText(t, src, where, s)
		}
		media := b.Video != "" || b.Audio != ""
		if b.Type == BlockFigure && !allowedImage(b.Src) && !(media && b.Src == "") {
			t.Errorf("parseBody(%q).%s figure src %q, not an http(s) address", src, where, b.Src)
		}
		for _, u := range []string{b.Video, b.Audio} {
			if u != "" && (b.Type != BlockFigure || !allowedImage(u)) {
				t.Errorf("parseBody(%q).%s %s block plays %q: not a figure's http(s) address", src, where, b.Type, u)
			}
		}
		if b.Indent < 0 || b.Indent > maxIndent || b.Indent > 0 && !b.Pre || b.Pre && b.Type != BlockParagraph {
			t.Errorf("parseBody(%q).%s %s block: pre %v, indent %d", src, where, b.Type, b.Pre, b.Indent)
		}
		if b.Start != 0 && (!b.Ordered || b.Start < 2 || b.Start > maxListStart) {
			t.Errorf("parseBody(%q).%s %s block starts at %d (ordered %v)", src, where, b.Type, b.Start, b.Ordered)
		}
		for _, in := range b.Inlines {
			if in.Href != "" && !allowedLink(in.Href) {
				t.Errorf("parseBody(%q).%s link %q has a forbidden scheme", src, where, in.Href)
			}
		}
		for _, it := range b.Items {
			for _, in := range it.Inlines {
				if in.Href != "" && !allowedLink(in.Href) {
					t.Errorf("parseBody(%q).%s link %q has a forbidden scheme", src, where, in.Href)
				}
			}
		}
		checkSafe(t, src, where, b.Blocks)
	}
}

func allowedImage(u string) bool {
	return strings.HasPrefix(u, "https://") || strings.HasPrefix(u, "http://")
}

func allowedLink(u string) bool { return allowedImage(u) || strings.HasPrefix(u, "mailto:") }

func TestParseBodyLongArticle(t *testing.T) {
	const n = 5000
	var sb strings.Builder
	sb.WriteString("<section>")
	for i := range n {
		fmt.Fprintf(&sb, "<p>第%d段，<b>粗</b>和<a href=\"https://example.com/%d\">链接</a>。</p>", i, i)
	}
	sb.WriteString("</section>")
	p := parseBody(sb.String())
	if len(p.Body) != n {
		t.Fatalf("parseBody(long).Body has %d blocks, want %d", len(p.Body), n)
	}
	if got, want := p.Body[n-1].Text, fmt.Sprintf("第%d段，粗和链接。", n-1); got != want {
		t.Errorf("parseBody(long).Body[%d].Text = %q, want %q", n-1, got, want)
	}
}

func TestCivilTime(t *testing.T) {
	tests := []struct{ in, want string }{
		{"2020-07-14T09:45:14.886Z", "2020-07-14T09:45:14"},
		{"2020-07-17 15:14:53", "2020-07-17T15:14:53"},
		{"2021-04-09T00:04:19+08:00", "2021-04-09T00:04:19"},
		{"Fri, 10 Jul 2020 13:03:57 GMT", "2020-07-10T13:03:57"},
		{"01/08/2020 - 23:01", "2020-08-01T23:01:00"},
		{"2020年 7月 16日", "2020-07-16T00:00:00"},
		{"2025年2月13日", "2025-02-13T00:00:00"},
		{"yesterday", ""},
		{"2020-13-45 99:99:99", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got, _ := civilTime(tt.in); got != tt.want {
			t.Errorf("civilTime(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestSplitAuthors(t *testing.T) {
	tests := []struct{ in, want string }{
		{"MAGGIE HABERMAN, ZOLAN KANNO-YOUNGS, ANTON TROIANOVSKI", "MAGGIE HABERMAN|ZOLAN KANNO-YOUNGS|ANTON TROIANOVSKI"},
		{"王小明，李华、张三和李四", "王小明|李华|张三|李四"},
		{"Jane Doe and John Roe", "Jane Doe|John Roe"},
		{"Jane Doe, Li Lei & more", "Jane Doe|Li Lei"},
		{"A.B. Writer &#38; C. Editor", "A.B. Writer &#38; C. Editor"}, // entities are the caller's to decode
		{" , ，", ""},
	}
	for _, tt := range tests {
		if got := strings.Join(splitAuthors(tt.in), "|"); got != tt.want {
			t.Errorf("splitAuthors(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func BenchmarkParseBody(b *testing.B) {
	var sb strings.Builder
	sb.WriteString(bodyTests[0].src)
	for range 200 {
		sb.WriteString("<p>一段不长不短的新闻正文，<a href=\"https://example.com/\">有一个链接</a>，还有<strong>加粗</strong>的文字。</p>")
	}
	src := sb.String()
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		parseBody(src)
	}
}
