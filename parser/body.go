package parser

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
// cannot read it leaves out, with a warning when something was removed.
func parseBody(src string) bodyParts {
	var parts bodyParts
	_ = src
	return parts
}
