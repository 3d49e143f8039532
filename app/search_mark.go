package main

import (
	"github.com/broadsheet/broadsheet/app/search"
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// text is a run of article text: a text node, or with a search query,
// the text with its matches in mark.search-match elements. A match that
// spans two runs (a link and the words after it) is not marked.
func (o viewOptions) text(s string) []app.UI {
	if o.query == "" || s == "" {
		return []app.UI{app.Text(s)}
	}
	return markedText(s, search.Highlight(s, o.query))
}

// showFirstMatch scrolls the first marked match into view once the
// article is drawn.
func (p *readerPage) showFirstMatch(ctx app.Context) {
	if p.q == "" || p.st.Status != statusLoaded {
		return
	}
	ctx.Defer(func(ctx app.Context) { scrollToFirstMatch() })
}
