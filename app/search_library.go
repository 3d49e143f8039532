package main

import (
	"github.com/broadsheet/broadsheet/app/search"
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// The library page's search mode: while the search box holds a query,
// the page shows its results instead of the list.

// observeSearch follows the query and its results; a query typed on
// another page runs when the library mounts.
func (p *libraryPage) observeSearch(ctx app.Context) {
	ctx.ObserveState(stateSearch, &p.search)
	ctx.ObserveState(stateSearchInput, &p.input)
	if p.input.Q != "" && app.IsClient {
		ctx.NewActionWithValue(actionSearch, p.input)
	}
}

// searching reports whether the page shows search results.
func (p *libraryPage) searching() bool { return p.input.Q != "" }

// searchSection is the results of the current query (the previous
// results stay while the next ones load).
func (p *libraryPage) searchSection() app.UI {
	st := p.search
	if st.Req.Q == "" {
		st = searchState{Status: statusLoading, Req: p.input}
	} else if st.Req != p.input && st.Status == statusLoaded {
		st.Status = statusLoading
	}
	return searchResults(st, p.input.Sort, p.onSearchSort)
}

// onSearchSort orders the results by relevance or date.
func (p *libraryPage) onSearchSort(ctx app.Context, e app.Event) {
	p.input.Sort = search.ByRelevance
	if ctx.JSSrc().Get("value").String() == "date" {
		p.input.Sort = search.ByDate
	}
	ctx.SetState(stateSearchInput, p.input)
	ctx.NewActionWithValue(actionSearch, p.input)
}
