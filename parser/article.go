package parser

import "time"

// Article is one parsed article file. Its encoding/json form is the contract
// described in the package documentation: field names are fixed, absent
// values are omitted, and fields may be added but never renamed.
type Article struct {
	// ID is stable for a URL whatever its scheme, query, fragment or
	// trailing slash; articles without a URL get a hash of their content.
	// It is safe as one URL path segment after escaping.
	ID    string `json:"id"`
	URL   string `json:"url,omitempty"`
	Title string `json:"title"`
	// SavedAt is the archive's timestamp comment, in UTC.
	SavedAt time.Time `json:"savedAt,omitzero"`
	// Published is the source's civil time as written, YYYY-MM-DDTHH:MM:SS,
	// with no zone.
	Published string   `json:"published,omitempty"`
	DateText  string   `json:"dateText,omitempty"`
	Authors   []string `json:"authors,omitempty"`
	// Source is the publication (from front matter categories/tags, or the
	// URL's host).
	Source string   `json:"source,omitempty"`
	Tags   []string `json:"tags,omitempty"`
	// Lang is a BCP 47 tag: zh-Hans, zh-Hant, en, …
	Lang        string  `json:"lang,omitempty"`
	Lead        *Image  `json:"lead,omitempty"`
	Body        []Block `json:"body,omitempty"`
	Footer      []Block `json:"footer,omitempty"`
	Translator  string  `json:"translator,omitempty"`
	OriginalURL string  `json:"originalUrl,omitempty"`
	// Encoding is the detected encoding of the file (utf-8, utf-16,
	// gb18030, big5, windows-1252).
	Encoding string `json:"encoding,omitempty"`
	// Warnings say what was repaired or removed on the way.
	Warnings []string `json:"warnings,omitempty"`
}

// Image is a picture: the lead picture, or a figure block's fields.
type Image struct {
	// Src is the address to load (often an image proxy);
	// Original is the address behind the proxy, when there is one.
	Src      string `json:"src"`
	Original string `json:"original,omitempty"`
	Width    int    `json:"width,omitempty"`
	Height   int    `json:"height,omitempty"`
	Caption  string `json:"caption,omitempty"`
	Credit   string `json:"credit,omitempty"`
}

// Block kinds, the values of Block.Type.
const (
	BlockParagraph = "p"
	BlockHeading   = "h"
	BlockFigure    = "figure"
	BlockQuote     = "quote"
	BlockList      = "list"
)

// Block is one block of an article's body or footer. Which fields are set
// depends on Type; Text is always the block's plain text, white space folded.
type Block struct {
	Type string `json:"type"`
	// Level is a heading's level, 2 to 4.
	Level   int      `json:"level,omitempty"`
	Text    string   `json:"text,omitempty"`
	Inlines []Inline `json:"inlines,omitempty"`

	// Figure fields.
	Src      string `json:"src,omitempty"`
	Original string `json:"original,omitempty"`
	Width    int    `json:"width,omitempty"`
	Height   int    `json:"height,omitempty"`
	Caption  string `json:"caption,omitempty"`
	Credit   string `json:"credit,omitempty"`
	// Video and Audio are a media figure's address (http or https): the
	// story's <video> or <audio>, with Src its poster picture if it had one.
	Video string `json:"video,omitempty"`
	Audio string `json:"audio,omitempty"`

	// Pre marks a paragraph that is one line of preformatted text (<pre>,
	// a Markdown code fence): each of its lines is a paragraph of its own,
	// and Indent is the columns of white space that began it (up to 40).
	Pre    bool `json:"pre,omitempty"`
	Indent int  `json:"indent,omitempty"`

	// Quote content.
	Blocks []Block `json:"blocks,omitempty"`

	// List content.
	Ordered bool `json:"ordered,omitempty"`
	// Start is an ordered list's first number when it is not 1.
	Start int    `json:"start,omitempty"`
	Items []Item `json:"items,omitempty"`
}

// Inline is a run of text with its link and emphasis.
type Inline struct {
	Text   string `json:"text"`
	Href   string `json:"href,omitempty"`
	Strong bool   `json:"strong,omitempty"`
	Em     bool   `json:"em,omitempty"`
}

// Item is one list item.
type Item struct {
	Text    string   `json:"text"`
	Inlines []Inline `json:"inlines,omitempty"`
}
