package parser

import (
	"net/url"
	"slices"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
)

// bodyParts is what the body stage finds in an article's feed HTML.
type bodyParts struct {
	Authors     []string
	Published   string // civil time YYYY-MM-DDTHH:MM:SS, no zone
	DateText    string
	Lead        *Image
	Body        []Block
	Footer      []Block
	Translator  string
	OriginalURL string
	Warnings    []string
}

// parseBody reads the feed HTML of one article (the text after the preamble
// or front matter, valid UTF-8) into its parts. It never fails: what it
// cannot read it leaves out, with a warning when it removed something.
//
// The stages: parse the fragment into a tree; read its frame (byline, date,
// lead picture, story, footer) by shape; walk the story and the footer into
// blocks; then take the translator and the original-language link from the
// footer, and a picture that opens the story as the lead.
func parseBody(src string) bodyParts {
	if !utf8.ValidString(src) {
		src = strings.ToValidUTF8(src, "\uFFFD")
	}
	return parseBodyAt(src, nil)
}

// parseBodyAt is parseBody for text known to be valid UTF-8 (Parse has
// decoded it), with the base against which relative links and pictures
// resolve (see httpBase), or nil.
func parseBodyAt(src string, base *url.URL) bodyParts {
	var parts bodyParts
	root := parseFragment(src)
	if root == nil {
		return parts
	}
	var warn warnings
	fr := readFrame(root)
	parts.Authors, parts.Published, parts.DateText = fr.authors, fr.published, fr.dateText

	w := newWalker(&warn, &furniture{}, base)
	if fr.lead != nil {
		parts.Lead = leadImage(w, fr.lead)
	}
	w.blocks = make([]Block, 0, blockEstimate(len(src)))
	w.walk(fr.story)
	w.flush()
	parts.Body = dropPromotions(dropLinkLists(w.blocks))
	if fr.footer != nil {
		w.blocks = nil
		w.intoFooter(fr.footer)
	}
	parts.Body, parts.Footer = splitFooter(parts.Body, dropPromotions(w.footer))
	parts.Translator, parts.OriginalURL = readFooter(parts.Footer)
	if parts.Lead == nil {
		parts.Lead, parts.Body = openingFigure(parts.Body)
	}
	parts.Warnings = warn.list
	return parts
}

// blockEstimate guesses how many blocks a story of n bytes of HTML makes
// (one per 400 bytes or so in the corpus), to allocate them once.
func blockEstimate(n int) int {
	return min(max(n/400, 4), 256)
}

// baseURL parses an article's address as the base of relative references.
func baseURL(articleURL string) *url.URL {
	u, err := url.Parse(articleURL)
	if err != nil {
		return nil
	}
	return httpBase(u)
}

// httpBase returns the parsed article address u as the base of relative
// references when it is absolute http(s), else nil.
func httpBase(u *url.URL) *url.URL {
	if u == nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil
	}
	return u
}

// leadImage walks the lead <figure> and returns its first picture.
func leadImage(w *walker, fig *html.Node) *Image {
	w.walk(fig)
	w.flush()
	blocks := w.blocks
	w.blocks, w.fig = nil, -1
	for _, b := range blocks {
		if b.Type == BlockFigure {
			return &Image{Src: b.Src, Original: b.Original, Width: b.Width,
				Height: b.Height, Caption: b.Caption, Credit: b.Credit}
		}
	}
	return nil
}

// openingFigure promotes a figure that comes before any text of the story
// to the lead picture.
func openingFigure(body []Block) (*Image, []Block) {
	if len(body) == 0 || body[0].Type != BlockFigure || body[0].Video != "" || body[0].Audio != "" {
		return nil, body // a recording stays where it is, with its address
	}
	b := body[0]
	return &Image{Src: b.Src, Original: b.Original, Width: b.Width,
		Height: b.Height, Caption: b.Caption, Credit: b.Credit}, body[1:]
}

// dropLinkLists removes lists whose every item is one link (related
// articles, "read more" lists), unless the story has no other text.
func dropLinkLists(blocks []Block) []Block {
	other, lists := false, false
	for i := range blocks {
		b := &blocks[i]
		if b.Type == BlockList && linkList(b) {
			lists = true
		} else {
			other = other || b.Type == BlockParagraph
		}
	}
	if !other || !lists {
		return blocks
	}
	return slices.DeleteFunc(blocks, func(b Block) bool { return b.Type == BlockList && linkList(&b) })
}

// linkList reports a list of two or more items that are each wholly a link.
func linkList(b *Block) bool {
	if len(b.Items) < 2 {
		return false
	}
	for _, it := range b.Items {
		for _, in := range it.Inlines {
			if in.Href == "" {
				return false
			}
		}
	}
	return true
}

// warnings collects distinct warnings in the order first met.
type warnings struct{ list []string }

func (w *warnings) add(s string) {
	for _, x := range w.list {
		if x == s {
			return
		}
	}
	w.list = append(w.list, s)
}
