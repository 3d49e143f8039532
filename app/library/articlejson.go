package library

import (
	"encoding/json"

	"github.com/broadsheet/broadsheet/parser"
)

// CompactArticle begins the article JSON of a compact article record,
// which a site builder stores (app/archive): the JSON of parser.Article
// less what the reader restores, so that a hosted archive's packs hold
// each paragraph's text once. In it a block or list item whose text is
// not empty has:
//
//   - no "inlines" where the article's were one plain inline of that
//     very text (no link, no emphasis), as most paragraphs' are;
//   - "inlines":[] where the article had none (a heading);
//   - its inlines as they were otherwise.
//
// Blocks and items of empty text are written as they are. Every reader
// of article records (Get, SearchDocs, a reindex) decodes them by
// unmarshalArticle, which gives back the very parser.Article the full
// JSON gives: the contract of parser.Article is the same for every
// consumer, whatever form the record was stored in (a record that does
// not begin with this byte is the full JSON, as before).
const CompactArticle = 0x02

// unmarshalArticle decodes an article record's JSON (splitArticle),
// compact or full, into a.
func unmarshalArticle(data []byte, a *parser.Article) error {
	compact := len(data) > 0 && data[0] == CompactArticle
	if compact {
		data = data[1:]
	}
	err := json.Unmarshal(data, a)
	if compact && err == nil {
		restoreBlocks(a.Body)
		restoreBlocks(a.Footer)
	}
	return err
}

// restoreBlocks gives the blocks of a compact record, and their quotes'
// and items', the inlines the compact form left out: for a block or
// item of text, one plain inline of it where they are left out (nil),
// none where they are empty (decoded from []).
func restoreBlocks(bs []parser.Block) {
	for i := range bs {
		k := &bs[i]
		restoreInlines(k.Text, &k.Inlines)
		restoreBlocks(k.Blocks)
		for j := range k.Items {
			restoreInlines(k.Items[j].Text, &k.Items[j].Inlines)
		}
	}
}

func restoreInlines(text string, ins *[]parser.Inline) {
	if text != "" && len(*ins) == 0 {
		if *ins == nil {
			*ins = []parser.Inline{{Text: text}}
		} else {
			*ins = nil
		}
	}
}
