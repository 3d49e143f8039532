package main

import (
	"strings"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// searchDebounce is how long typing must pause before a query runs.
const searchDebounce = 150 * time.Millisecond

// searchBox is input#search-box in the header of every page. Typing
// searches as you type (debounced) and shows the results in place of the
// library's list; Enter opens the first result; clearing the box returns
// to the list.
type searchBox struct {
	app.Compo
	req searchRequest
	gen int // bumped by every keystroke, for the debounce
}

// OnMount keeps the box in step with the query state, takes the query
// of a reader address (read?id=…&q=…) and opens the index.
func (b *searchBox) OnMount(ctx app.Context) {
	ctx.ObserveState(stateSearchInput, &b.req)
	if q := ctx.Page().URL().Query().Get("q"); q != "" && b.req.Q == "" {
		b.req.Q = q
		ctx.SetState(stateSearchInput, b.req)
	}
	if app.IsClient {
		ctx.NewAction(actionOpenIndex)
	}
}

// Render is the search form.
func (b *searchBox) Render() app.UI {
	return app.Form().Class("search-form").Attr("role", "search").
		OnSubmit(b.onSubmit).
		Body(
			app.Label().For("search-box").Class("visually-hidden").Text(TS(msgSearch)),
			app.Input().Type("search").ID("search-box").Class("search-box").
				Placeholder(TS(msgSearchPlaceholder)).
				AutoComplete(false).
				Attr("spellcheck", "false").
				Value(b.req.Q).
				OnInput(b.onInput),
		)
}

// onInput runs the query once typing pauses; an empty box at once.
func (b *searchBox) onInput(ctx app.Context, e app.Event) {
	b.req.Q = ctx.JSSrc().Get("value").String()
	ctx.SetState(stateSearchInput, b.req)
	b.gen++
	if b.req.Q == "" {
		ctx.NewActionWithValue(actionSearch, b.req)
		return
	}
	gen := b.gen
	ctx.After(searchDebounce, func(ctx app.Context) {
		if gen == b.gen {
			b.run(ctx)
		}
	})
}

// run shows the results: on the library page, or by going there.
func (b *searchBox) run(ctx app.Context) {
	if strings.TrimSuffix(ctx.Page().URL().Path, "/") != strings.TrimSuffix(siteBase(), "/") {
		ctx.Navigate(siteBase())
		return // the library page runs the query when it mounts
	}
	ctx.NewActionWithValue(actionSearch, b.req)
}

// onSubmit (Enter) opens the first result of the query shown, or runs
// the query at once when its results are not there yet.
func (b *searchBox) onSubmit(ctx app.Context, e app.Event) {
	e.PreventDefault()
	b.gen++
	var st searchState
	ctx.GetState(stateSearch, &st)
	if st.Status == statusLoaded && st.Req == b.req && len(st.Hits) > 0 {
		ctx.Navigate(searchHref(siteBase(), st.Hits[0].ID, b.req.Q))
		return
	}
	b.run(ctx)
}
