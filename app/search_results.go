package main

import (
	"fmt"
	"net/url"
	"strconv"

	"github.com/broadsheet/broadsheet/app/search"
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// searchResults is section#search-results, shown by the library page in
// place of the list while the box holds a query: the count, the time
// taken, the order, and one li.search-hit per result. Matches are marked
// with mark elements built from the hit's spans; no text is ever HTML.
func searchResults(st searchState, sort search.Sort, onSort app.EventHandler) app.UI {
	return app.Section().ID("search-results").Class("search-results").
		Attr("aria-label", TS(msgSearchResults)).
		Attr("aria-live", "polite").
		DataSet("status", string(st.Status)).
		DataSet("count", strconv.Itoa(st.Total)).
		DataSet("query", st.Req.Q).
		Body(
			searchSummary(st, sort, onSort),
			searchBody(st),
		)
}

// searchSummary is the count, the time taken and the order select.
func searchSummary(st searchState, sort search.Sort, onSort app.EventHandler) app.UI {
	var count, took app.UI
	if st.Status == statusLoaded {
		text := fmt.Sprintf("%d %s", st.Total, T(msgArticles))
		if st.Estimated {
			text = fmt.Sprintf(TS(msgSearchAbout), st.Total)
		}
		count = app.Span().ID("search-count").Class("search-count").Text(text)
		ms := strconv.FormatFloat(float64(st.Took.Microseconds())/1000, 'f', 1, 64)
		took = app.Span().ID("search-time").Class("search-time").Text(fmt.Sprintf(TS(msgSearchTook), ms))
	}
	return app.Div().Class("search-summary").Body(
		app.P().Class("search-figures").Body(count, took),
		app.Label().Class("filter").Body(
			app.Span().Class("filter-label").Text(TS(msgSortBy)),
			app.Select().ID("search-sort").OnChange(onSort).Body(
				app.Option().Value("relevance").Selected(sort == search.ByRelevance).Text(TS(msgSortRelevance)),
				app.Option().Value("date").Selected(sort == search.ByDate).Text(TS(msgSortDate)),
			),
		),
	)
}

// searchBody is the hits, or the loading, empty or error text.
func searchBody(st searchState) app.UI {
	switch {
	case st.Status == statusFailed:
		return app.P().Class("load-error").Text(TS(msgSearchFailed) + " " + storageMessage(st.Err))
	case st.Status != statusLoaded && len(st.Hits) == 0:
		return app.P().Class("loading").Text(TS(msgSearching))
	case len(st.Hits) == 0:
		return app.P().Class("search-empty").Text(TS(msgSearchNone))
	}
	hits := st.Hits
	return app.Ol().ID("search-hits").Class("article-list search-hits").Body(
		app.Range(hits).Slice(func(i int) app.UI { return searchHit(hits[i], st.Req.Q) }),
	)
}

// searchHit is one li.search-hit: title, source, date and snippet.
func searchHit(h search.Hit, q string) app.UI {
	title := markedText(h.Title, h.TitleMatches)
	if h.Title == "" {
		title = []app.UI{app.Text(T(msgUntitled))}
	}
	date := ""
	if !h.Date.IsZero() {
		date = h.Date.Format("2006-01-02")
	}
	return app.Li().Class("article-item search-hit").DataSet("id", h.ID).Body(
		app.Div().Class("article-text").Body(
			app.A().Class("article-link").Href(searchHref(siteBase(), h.ID, q)).Body(
				app.Span().Class("article-title").Body(title...),
			),
			app.P().Class("article-meta").Body(
				app.Span().Class("article-source").Text(h.Source),
				app.Time().Class("article-date").DateTime(date).Text(date),
			),
			app.P().Class("search-snippet").Body(markedText(h.Snippet, h.SnippetMatches)...),
		),
	)
}

// searchHref is the reader's address for an article, carrying the query
// whose matches it highlights.
func searchHref(base, id, q string) string {
	return readerHref(base, id) + "&q=" + url.QueryEscape(q)
}

// markedText is text with the [start, end) byte spans wrapped in mark
// elements; spans out of range or overlapping a previous one are cut.
func markedText(text string, spans [][2]int) []app.UI {
	var out []app.UI
	at := 0
	for _, sp := range spans {
		start, end := max(sp[0], at), min(sp[1], len(text))
		if start >= end {
			continue
		}
		if start > at {
			out = append(out, app.Text(text[at:start]))
		}
		out = append(out, app.Mark().Class("search-match").Text(text[start:end]))
		at = end
	}
	if at < len(text) {
		out = append(out, app.Text(text[at:]))
	}
	return out
}
