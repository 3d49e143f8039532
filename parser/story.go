package parser

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// The story stage: find the region of the feed HTML that holds the story,
// and tell page furniture (share bars, related articles, comments, ads,
// trust badges, screen-reader labels, navigation) from content.
//
// Three shapes are known. The current feed shape puts the story in a
// top-level <section> between <address>/<time>/<figure> and <footer>.
// Older feed shapes wrap the story in <div>s, with a <div><i>byline</i></div>
// first and site wrappers around the text; there the whole fragment is the
// story and the furniture rules cut what is not. Scraped pages (WordPress,
// Drupal) put the story in a content region (entry-content, field-name-body,
// …) amid headers, meta lines, share bars, related posts and comments: the
// region with the most text among those the class names announce, or else
// the <article> with the most text, is the story.

// role is what an element is to the story.
type role int

const (
	roleContent   role = iota
	roleFurniture      // left out, with all it holds
	roleFooter         // contributors, attribution: goes to the footer
	roleCaption        // a picture's caption, when one waits
	roleCredit         // a picture's credit, when one waits
	roleCopyright      // a picture's credit when one waits, else footer
)

// furniture holds the rules that classify elements.
type furniture struct {
	roles map[string]role // classRole of each class list met: pages repeat them
}

// classify tells the role of element n from its tag and its class, id,
// role, hidden and style attributes.
func (f *furniture) classify(n *html.Node) role {
	switch n.DataAtom {
	case atom.Nav, atom.Aside, atom.Header, atom.Menu, atom.Dialog:
		return roleFurniture
	}
	r := roleContent
	for _, a := range n.Attr {
		var ar role
		switch a.Key {
		case "class", "id":
			ar = f.classRole(a.Val)
		case "hidden":
			ar = roleFurniture
		case "aria-hidden":
			if a.Val == "true" {
				ar = roleFurniture
			}
		case "style":
			if hiddenStyle(a.Val) {
				ar = roleFurniture
			}
		case "role":
			switch a.Val {
			case "navigation", "complementary", "banner", "contentinfo", "search":
				ar = roleFurniture
			}
		}
		if ar == roleFurniture {
			return roleFurniture
		}
		if ar != roleContent && r == roleContent {
			r = ar
		}
	}
	if r == roleContent && n.DataAtom == atom.Footer {
		return roleFooter
	}
	if r == roleContent && (n.DataAtom == atom.P || n.DataAtom == atom.Div) {
		return trailerRole(leadingText(n))
	}
	return r
}

// sectionLabels reports the headings that open page furniture: what follows a
// heading with one of these texts, up to the end of its parent, is left out.
func sectionLabels(s string) bool {
	switch s {
	case "related", "related posts", "related articles", "related stories", "read more", "more from",
		"you may also like", "recommended", "share this:", "like this:", "leave a reply",
		"comments", "相关文章", "相关阅读", "相關文章", "相關閱讀", "延伸阅读", "延伸閱讀", "推荐阅读", "推薦閱讀", "相关新闻", "相關新聞",
		"发表评论", "發表評論", "分享到", "分享", "评论", "評論", "相关", "相關", "共享此文章", "赞过", "您可能感兴趣的文章",
		"featured writer", "about the author", "more stories", "share this article":
		return true
	}
	return false
}

// isSectionLabel reports a heading that opens furniture.
func isSectionLabel(text string) bool {
	if len(text) > 40 {
		return false
	}
	return sectionLabels(strings.ToLower(strings.TrimRight(text, "：:"))) || sectionLabels(strings.ToLower(text))
}

// trailerRole tells feed trailers by their opening words: the feed's own
// ("获取更多RSS：…", "Feed enhanced by …") are furniture, a copyright
// notice ("© 2020 AFP") goes to the footer.
func trailerRole(text string) role {
	switch {
	case text == "":
		return roleContent
	case strings.HasPrefix(text, "获取更多RSS"), strings.HasPrefix(text, "Feed enhanced by"),
		strings.HasPrefix(text, "Post tags:"):
		return roleFurniture
	case strings.HasPrefix(text, "©"), strings.HasPrefix(text, "Copyright ©"):
		return roleFooter
	}
	return roleContent
}

// leadingText returns the first text of n when n opens with text, looking
// through a few levels of first children.
func leadingText(n *html.Node) string {
	for depth := 0; depth < 3 && n != nil; depth++ {
		c := n.FirstChild
		for c != nil && c.Type == html.TextNode && isBlank(c.Data) {
			c = c.NextSibling
		}
		if c == nil {
			return ""
		}
		if c.Type == html.TextNode {
			return trimLeadingSpace(c.Data)
		}
		n = c
	}
	return ""
}

// trimLeadingSpace removes the ASCII white space and no-break spaces
// that open s.
func trimLeadingSpace(s string) string {
	for s != "" {
		switch {
		case s[0] == ' ' || s[0] == '\t' || s[0] == '\r' || s[0] == '\n':
			s = s[1:]
		case strings.HasPrefix(s, "\u00a0"):
			s = s[len("\u00a0"):]
		default:
			return s
		}
	}
	return s
}

func hiddenStyle(s string) bool {
	if !strings.Contains(s, "none") && !strings.Contains(s, "hidden") {
		return false
	}
	s = strings.ToLower(strings.ReplaceAll(s, " ", ""))
	return strings.Contains(s, "display:none") || strings.Contains(s, "visibility:hidden")
}

// classRole reads a class or id list. Each name is cut into words at '-'
// and '_' and matched against the furniture vocabulary; WordPress's
// taxonomy classes (tag-*, category-*, …), which say what the post is about
// rather than what the element is, are ignored.
func (f *furniture) classRole(list string) role {
	if r, ok := f.roles[list]; ok {
		return r
	}
	if f.roles == nil {
		f.roles = make(map[string]role)
	}
	r := classRole(list)
	f.roles[list] = r
	return r
}

func classRole(list string) role {
	r := roleContent
	for list != "" {
		var name string
		name, list = nextField(list, ' ')
		if name == "" {
			continue
		}
		name = strings.ToLower(name) // no copy when already lower case
		if taxonomyClass(name) {
			continue
		}
		if hiddenClass(name) {
			return roleFurniture
		}
		last := name[strings.LastIndexAny(name, "-_")+1:]
		holder := len(last) < len(name) && holderWords(last)
		for rest := name; rest != ""; {
			var word string
			word, rest = nextField(rest, '-')
			if word == "" {
				continue
			}
			switch wr := wordRole(word); wr {
			case roleFurniture:
				return roleFurniture
			case roleContent:
			default:
				if r == roleContent && !holder {
					r = wr
				}
			}
		}
	}
	return r
}

// nextField splits s at its first separator: white space when sep is ' ',
// '-' or '_' when sep is '-'.
func nextField(s string, sep byte) (field, rest string) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if sep == ' ' && (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') ||
			sep == '-' && (c == '-' || c == '_') {
			return s[:i], s[i+1:]
		}
	}
	return s, ""
}

// hiddenClass reports class names that hide an element (not those that
// hide a part of it, like Drupal's field-label-hidden), and those of the
// page's own copy of the title.
func hiddenClass(name string) bool {
	switch name {
	case "hidden", "is-hidden", "visually-hidden", "visuallyhidden", "invisible", "d-none",
		// the article's title, repeated by the page: the model has it already
		"title", "entry-title", "post-title", "article-title", "page-title", "headline":
		return true
	}
	return strings.HasSuffix(name, "--hidden")
}

// holderWords reports the words that end the class names of elements that hold a picture, a
// caption or a credit rather than being one (image-and-copyright-container).
func holderWords(s string) bool {
	switch s {
	case "container", "wrapper", "wrap", "box", "inner", "holder":
		return true
	}
	return false
}

func taxonomyClass(name string) bool {
	for _, p := range [...]string{"tag-", "category-", "format-", "status-", "type-", "post-", "hentry", "has-"} {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}

// furnitureWords reports the class and id words that mark furniture
// exactly; furniturePrefixes mark it as a word's beginning (sharedaddy,
// relatedposts, commentlist).
func furnitureWords(word string) bool {
	switch word {
	case "ad", "ads", "adsbygoogle", "dfp", "promo", "nav", "navbar", "navigation", "menu",
		"meta", "byline", "author", "avatar", "tags", "likes", "rating", "pagination", "pager",
		"screen", "sr", "offscreen", "footer", "header", "toolbar", "popup", "modal",
		"cookie", "login", "signup", "print", "skip", "interstitial", "banner", "sponsor",
		"sponsored", "logo", "barrier", "barrierfailsafe", "paywall":
		return true
	}
	return false
}

var furniturePrefixes = [...]string{
	"share", "sharing", "related", "comment", "respond", "trustbadge",
	"advert", "newsletter", "subscri", "sidebar", "breadcrumb", "widget",
	"recommend", "readmore", "reward", "donate",
}

// wordRole is the role one class word gives.
func wordRole(word string) role {
	switch word {
	case "attribution", "contributor", "contributors":
		return roleFooter
	case "copyright":
		return roleCopyright
	case "credit", "credits":
		return roleCredit
	}
	if strings.HasPrefix(word, "caption") || strings.HasPrefix(word, "figcaption") || word == "capture" {
		return roleCaption
	}
	if furnitureWords(word) {
		return roleFurniture
	}
	if c := word[0]; c >= 'a' && c <= 'z' {
		for _, p := range prefixesByLetter[c-'a'] {
			if strings.HasPrefix(word, p) {
				return roleFurniture
			}
		}
	}
	return roleContent
}

// prefixesByLetter indexes furniturePrefixes by their first letter.
var prefixesByLetter = func() (index [26][]string) {
	for _, p := range furniturePrefixes {
		index[p[0]-'a'] = append(index[p[0]-'a'], p)
	}
	return index
}()

// frame is the outline of one article's feed HTML.
type frame struct {
	authors   []string
	published string
	dateText  string
	lead      *html.Node // the lead <figure>, when the shape has one
	story     *html.Node
	footer    *html.Node
}

// readFrame finds the frame of the fragment under root. The byline, date,
// lead figure and footer it finds are detached from the tree, so that the
// story walk does not see them again.
func readFrame(root *html.Node) frame {
	top := unwrap(root)
	if fr, ok := currentShape(top); ok {
		return fr
	}
	var fr frame
	if by := findByline(top); by != nil {
		// A feed byline opens a feed fragment, not a scraped page: the
		// whole fragment is the story.
		fr.authors, fr.published, fr.dateText = by.authors, by.published, by.dateText
		fr.story = top
		return fr
	}
	sc := scanPage(top)
	fr.story = sc.region(top)
	if fr.published == "" && sc.time != nil {
		fr.published = timeAttr(attrVal(sc.time, "pudate"), attrVal(sc.time, "datetime"))
		fr.dateText = foldText(textOf(sc.time))
	}
	if len(fr.authors) == 0 {
		fr.authors = sc.authors
	}
	return fr
}

// unwrap descends through lone wrapper <div>s.
func unwrap(n *html.Node) *html.Node {
	for {
		var only *html.Node
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == html.TextNode && isBlank(c.Data) || c.Type == html.CommentNode {
				continue
			}
			if only != nil || c.Type != html.ElementNode || c.DataAtom != atom.Div || len(c.Attr) > 0 {
				return n
			}
			only = c
		}
		if only == nil {
			return n
		}
		n = only
	}
}

// currentShape reads the current feed shape: top-level <address>, <time>,
// <figure>, <section> and <footer>.
func currentShape(top *html.Node) (frame, bool) {
	var fr frame
	var address, tm, section *html.Node
	for c := top.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != html.ElementNode {
			continue
		}
		switch c.DataAtom {
		case atom.Address:
			address = first(address, c)
		case atom.Time:
			tm = first(tm, c)
		case atom.Figure:
			if section == nil {
				fr.lead = first(fr.lead, c)
			}
		case atom.Section:
			section = first(section, c)
		case atom.Footer:
			fr.footer = first(fr.footer, c)
		}
	}
	if section == nil || address == nil && tm == nil && fr.footer == nil {
		return frame{}, false
	}
	if address != nil {
		fr.authors = splitAuthors(textOf(address))
		top.RemoveChild(address)
	}
	if tm != nil {
		fr.published = timeAttr(attrVal(tm, "pudate"), attrVal(tm, "datetime"))
		fr.dateText = foldText(textOf(tm))
		top.RemoveChild(tm)
	}
	for _, n := range [...]*html.Node{fr.lead, fr.footer} {
		if n != nil {
			top.RemoveChild(n)
		}
	}
	fr.story = top
	return fr, true
}

func first(have, n *html.Node) *html.Node {
	if have != nil {
		return have
	}
	return n
}

// page is what one scan of a scraped page finds: content regions announced
// by class names, <article> elements, the first <time>, rel=author links.
type page struct {
	regions  []*html.Node
	articles []*html.Node
	time     *html.Node
	authors  []string
}

// contentClasses reports the class names that announce a story region. Each
// holds "ody", "ntent" or "ntry", which isRegion looks for first.
func contentClasses(s string) bool {
	switch s {
	case "entry-content", "post-content", "article-content", "article-body", "articlebody",
		"post-body", "postbody", "story-body", "story-content", "field-name-body", "content-body",
		"single-content", "td-post-content", "rich_media_content", "post_content", "entry-body",
		"article__body", "post-entry", "blog-post-content":
		return true
	}
	return false
}

func scanPage(top *html.Node) *page {
	p := &page{}
	p.scan(top)
	return p
}

func (p *page) scan(n *html.Node) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != html.ElementNode {
			continue
		}
		switch c.DataAtom {
		case atom.Script, atom.Style, atom.Noscript, atom.Template, atom.Svg:
			continue
		case atom.Article:
			p.articles = append(p.articles, c)
		case atom.Time:
			if p.time == nil && (attrVal(c, "datetime") != "" || attrVal(c, "pudate") != "") {
				p.time = c
			}
		case atom.A:
			if attrVal(c, "rel") == "author" {
				if name := foldText(textOf(c)); name != "" && !contains(p.authors, name) {
					p.authors = append(p.authors, name)
				}
			}
		}
		if isRegion(c) {
			p.regions = append(p.regions, c)
		}
		p.scan(c)
	}
}

func isRegion(n *html.Node) bool {
	for _, a := range n.Attr {
		switch a.Key {
		case "itemprop":
			if a.Val == "articleBody" {
				return true
			}
		case "class":
			if !strings.Contains(a.Val, "ody") && !strings.Contains(a.Val, "ntent") && !strings.Contains(a.Val, "ntry") {
				continue // every content class has one of these
			}
			for list := a.Val; list != ""; {
				var name string
				name, list = nextField(list, ' ')
				if len(name) >= len("postbody") && contentClasses(strings.ToLower(name)) {
					return true
				}
			}
		}
	}
	return false
}

// region picks the story: the announced region with the most text, else
// the <article> with the most text, when it holds a fair share of all the
// text; else the whole fragment.
func (p *page) region(top *html.Node) *html.Node {
	f := &furniture{}
	switch {
	case len(p.regions) == 0 && len(p.articles) == 0:
		return top
	case len(p.regions) == 1 && !inFurniture(p.regions[0], top, f):
		return p.regions[0] // the common case: no need to weigh text
	}
	counts := make(map[*html.Node]int, len(p.regions)+len(p.articles))
	for _, set := range [...][]*html.Node{p.regions, p.articles} {
		for _, n := range set {
			counts[n] = 0
		}
	}
	total := storyText(top, counts)
	for _, set := range [...][]*html.Node{p.regions, p.articles} {
		best, most := (*html.Node)(nil), 0
		for _, n := range set {
			if t := counts[n]; t > most && !inFurniture(n, top, f) {
				best, most = n, t
			}
		}
		if best != nil && most*4 >= total {
			return best
		}
	}
	return top
}

// inFurniture reports whether n or one of its ancestors below top is
// furniture.
func inFurniture(n, top *html.Node, f *furniture) bool {
	for ; n != nil && n != top; n = n.Parent {
		if f.classify(n) == roleFurniture {
			return true
		}
	}
	return false
}

// storyText counts the visible characters under n, leaving out white space
// between words and what the sanitiser drops, in one pass; it records the
// count of every node that is a key of counts.
func storyText(n *html.Node, counts map[*html.Node]int) int {
	count := 0
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		switch c.Type {
		case html.TextNode:
			count += visibleChars(c.Data)
		case html.ElementNode:
			if drop, _ := droppedKind(c.DataAtom); drop || c.Namespace != "" {
				continue
			}
			count += storyText(c, counts)
		}
	}
	if _, ok := counts[n]; ok {
		counts[n] = count
	}
	return count
}

// visibleChars counts the characters of s that are not ASCII white space.
func visibleChars(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < utf8.RuneSelf && !isASCIISpace(c) || c >= 0xC0 {
			n++
		}
	}
	return n
}

// textOf returns the raw text under n.
func textOf(n *html.Node) string {
	var sb strings.Builder
	var visit func(*html.Node)
	visit = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			switch c.Type {
			case html.TextNode:
				sb.WriteString(c.Data)
			case html.ElementNode:
				if drop, _ := droppedKind(c.DataAtom); !drop && c.Namespace == "" {
					if c.DataAtom == atom.Br {
						sb.WriteByte('\n')
					}
					visit(c)
				}
			}
		}
	}
	visit(n)
	return sb.String()
}

func attrVal(n *html.Node, key string) string {
	v, _ := attr(n, key)
	return v
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
