package archive

import (
	"strconv"

	"github.com/broadsheet/broadsheet/app/library"
	"github.com/broadsheet/broadsheet/internal/jsonstr"
	"github.com/broadsheet/broadsheet/parser"
)

// appendArticle appends the JSON of a, byte for byte what encoding/json's
// Marshal writes for it (field order, omitempty and omitzero, HTML-safe
// string escapes), without reflection: the builder encodes every article,
// and encoding/json took 40% of the time of the parse itself.
// articlejson_test.go checks it against Marshal on the whole corpus and
// fails when parser.Article gains a field this encoder does not know.
func appendArticle(b []byte, a *parser.Article) ([]byte, error) {
	return appendArticleForm(b, a, false)
}

// appendCompactArticle appends the compact form of a's JSON that the
// builder stores (library.CompactArticle: its first byte, then the JSON
// less each paragraph's one plain inline, which repeats its text), which
// the library's readers restore to the very article appendArticle's JSON
// gives. A third less JSON to store, read back and compress.
func appendCompactArticle(b []byte, a *parser.Article) ([]byte, error) {
	return appendArticleForm(append(b, library.CompactArticle), a, true)
}

// appendArticleForm appends a's JSON, compact (appendCompactArticle's
// form, less its first byte) or full.
func appendArticleForm(b []byte, a *parser.Article, compact bool) ([]byte, error) {
	b = append(b, `{"id":`...)
	b = appendJSONString(b, a.ID)
	b = appendField(b, "url", a.URL)
	b = append(b, `,"title":`...)
	b = appendJSONString(b, a.Title)
	if !a.SavedAt.IsZero() {
		t, err := a.SavedAt.MarshalJSON() // what Marshal calls, with its range error
		if err != nil {
			return b, err
		}
		b = append(append(b, `,"savedAt":`...), t...)
	}
	b = appendField(b, "published", a.Published)
	b = appendField(b, "dateText", a.DateText)
	b = appendStrings(b, "authors", a.Authors)
	b = appendField(b, "source", a.Source)
	b = appendStrings(b, "tags", a.Tags)
	b = appendField(b, "lang", a.Lang)
	if a.Lead != nil {
		b = appendImage(append(b, `,"lead":`...), a.Lead)
	}
	b = appendBlocks(b, "body", a.Body, compact)
	b = appendBlocks(b, "footer", a.Footer, compact)
	b = appendField(b, "translator", a.Translator)
	b = appendField(b, "originalUrl", a.OriginalURL)
	b = appendField(b, "encoding", a.Encoding)
	b = appendStrings(b, "warnings", a.Warnings)
	return append(b, '}'), nil
}

func appendImage(b []byte, im *parser.Image) []byte {
	b = append(b, `{"src":`...)
	b = appendJSONString(b, im.Src)
	b = appendField(b, "original", im.Original)
	b = appendInt(b, "width", im.Width)
	b = appendInt(b, "height", im.Height)
	b = appendField(b, "caption", im.Caption)
	b = appendField(b, "credit", im.Credit)
	return append(b, '}')
}

// appendBlocks appends `,"name":[…]` unless blocks is empty.
func appendBlocks(b []byte, name string, blocks []parser.Block, compact bool) []byte {
	if len(blocks) == 0 {
		return b
	}
	b = appendName(b, name)
	for i := range blocks {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendBlock(b, &blocks[i], compact)
	}
	return append(b, ']')
}

func appendBlock(b []byte, k *parser.Block, compact bool) []byte {
	b = append(b, `{"type":`...)
	b = appendJSONString(b, k.Type)
	b = appendInt(b, "level", k.Level)
	text := span{len(b), len(b)}
	if k.Text != "" {
		b = append(b, `,"text":`...)
		text.from = len(b)
		b = appendJSONString(b, k.Text)
		text.to = len(b)
	}
	b = appendTextInlines(b, k.Inlines, k.Text, text, compact)
	b = appendField(b, "src", k.Src)
	b = appendField(b, "original", k.Original)
	b = appendInt(b, "width", k.Width)
	b = appendInt(b, "height", k.Height)
	b = appendField(b, "caption", k.Caption)
	b = appendField(b, "credit", k.Credit)
	b = appendField(b, "video", k.Video)
	b = appendField(b, "audio", k.Audio)
	if k.Pre {
		b = append(b, `,"pre":true`...)
	}
	b = appendInt(b, "indent", k.Indent)
	b = appendBlocks(b, "blocks", k.Blocks, compact)
	if k.Ordered {
		b = append(b, `,"ordered":true`...)
	}
	b = appendInt(b, "start", k.Start)
	if len(k.Items) > 0 {
		b = appendName(b, "items")
		for i, it := range k.Items {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"text":`...)
			text := span{from: len(b)}
			b = appendJSONString(b, it.Text)
			text.to = len(b)
			b = append(appendTextInlines(b, it.Inlines, it.Text, text, compact), '}')
		}
		b = append(b, ']')
	}
	return append(b, '}')
}

// span is where a string's JSON was written in the buffer: most
// paragraphs are one inline of the paragraph's text, which is copied
// rather than encoded again.
type span struct{ from, to int }

// appendTextInlines appends the inlines of a block or item of text,
// written at at: as appendInlines does, or in the compact form
// (library.CompactArticle): none for one plain inline of the text, and
// `,"inlines":[]` for none at all (the text not empty).
func appendTextInlines(b []byte, ins []parser.Inline, text string, at span, compact bool) []byte {
	if compact && text != "" {
		switch {
		case len(ins) == 0:
			return append(b, `,"inlines":[]`...)
		case len(ins) == 1 && ins[0] == parser.Inline{Text: text}:
			return b
		}
	}
	return appendInlines(b, ins, text, at)
}

// appendInlines appends `,"inlines":[…]` unless ins is empty; an
// inline's text equal to text is copied from b[at.from:at.to].
func appendInlines(b []byte, ins []parser.Inline, text string, at span) []byte {
	if len(ins) == 0 {
		return b
	}
	b = appendName(b, "inlines")
	for i, in := range ins {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"text":`...)
		if in.Text == text && at.to > at.from {
			b = append(b, b[at.from:at.to]...)
		} else {
			b = appendJSONString(b, in.Text)
		}
		b = appendField(b, "href", in.Href)
		if in.Strong {
			b = append(b, `,"strong":true`...)
		}
		if in.Em {
			b = append(b, `,"em":true`...)
		}
		b = append(b, '}')
	}
	return append(b, ']')
}

// appendName appends `,"name":[`, the start of a list field.
func appendName(b []byte, name string) []byte {
	b = append(b, ',', '"')
	b = append(b, name...)
	return append(b, '"', ':', '[')
}

// appendField appends `,"name":"s"` unless s is empty (omitempty).
func appendField(b []byte, name, s string) []byte {
	if s == "" {
		return b
	}
	b = append(b, ',', '"')
	b = append(b, name...)
	b = append(b, '"', ':')
	return appendJSONString(b, s)
}

// appendInt appends `,"name":n` unless n is 0 (omitempty).
func appendInt(b []byte, name string, n int) []byte {
	if n == 0 {
		return b
	}
	b = append(b, ',', '"')
	b = append(b, name...)
	b = append(b, '"', ':')
	return strconv.AppendInt(b, int64(n), 10)
}

// appendStrings appends `,"name":["a",…]` unless ss is empty.
func appendStrings(b []byte, name string, ss []string) []byte {
	if len(ss) == 0 {
		return b
	}
	b = appendName(b, name)
	for i, s := range ss {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, s)
	}
	return append(b, ']')
}

// appendJSONString appends s as a JSON string, as encoding/json writes
// it (jsonstr.Append).
func appendJSONString(b []byte, s string) []byte { return jsonstr.Append(b, s) }
