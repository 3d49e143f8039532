package main

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/broadsheet/broadsheet/app/library"
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// libraryPage lists the stored articles a page at a time, newest first,
// with filters, paging and deletion.
type libraryPage struct {
	app.Compo
	list     *articleList // the list mounted, to know how much it has drawn
	st       libraryState
	query    library.UnionQuery
	rev      int
	selected map[string]bool
	search   searchState
	input    searchRequest
}

// OnMount observes the list and the library's revision, and loads.
func (p *libraryPage) OnMount(ctx app.Context) {
	p.st.Status = statusLoading
	p.selected = map[string]bool{}
	ctx.ObserveState(stateLibrary, &p.st).OnChange(func() {
		if p.st.Query == p.query || p.st.Query.Offset < p.query.Offset {
			p.query.Offset = p.st.Query.Offset
		}
	})
	ctx.ObserveState(stateLibraryRev, &p.rev).OnChange(func() { p.load(ctx); bumpSearch(ctx) })
	p.observeSearch(ctx)
	ctx.Page().SetTitle(T(msgAppName))
	p.load(ctx)
}

// load asks for the current page of the list.
func (p *libraryPage) load(ctx app.Context) {
	ctx.NewActionWithValue(actionLoadLibrary, p.query)
}

// Render is the page frame around the library section, or around the
// search results while the search box holds a query.
func (p *libraryPage) Render() app.UI {
	if p.searching() {
		return frame(p.searchSection())
	}
	return frame(
		app.Section().ID("library").Class("library").
			DataSet("status", string(p.drawStatus())).
			DataSet("facets", strconv.FormatBool(p.st.FacetsLoaded)).
			Body(
				p.heading(),
				&libraryFilters{Facets: p.st.Facets, Query: p.query, Page: p},
				p.content(),
			),
	)
}

// drawStatus is data-status: the list's status, but "loading" until
// the list has drawn every item of its page (articleList).
func (p *libraryPage) drawStatus() status {
	st := p.status()
	if st == statusLoaded && len(p.st.Items) > listChunk && (p.list == nil || p.list.shown < len(p.st.Items)) {
		return statusLoading
	}
	return st
}

// status is the list's status ("loading" until the first answer).
func (p *libraryPage) status() status {
	if p.st.Status == "" {
		return statusLoading
	}
	return p.st.Status
}

// heading is the title with the article count.
func (p *libraryPage) heading() app.UI {
	count := app.P().ID("library-count").Class("library-count").DataSet("count", strconv.Itoa(p.st.All))
	if p.status() == statusLoaded {
		count = count.Text(fmt.Sprintf("%d %s", p.st.All, T(msgArticles)))
	}
	return app.Div().Class("library-heading").Body(
		app.H1().Text(T(msgLibrary)),
		count,
	)
}

// content is the list, the empty state, the loading or the error text.
func (p *libraryPage) content() app.UI {
	switch {
	case p.status() == statusFailed:
		return app.P().Class("load-error").Text(storageMessage(p.st.Err))
	case p.status() == statusLoading && len(p.st.Items) == 0:
		return app.P().Class("loading").Text(T(msgLoading))
	case p.st.All == 0 && p.status() == statusLoaded:
		return emptyState()
	}
	return app.Div().Class("list-region").Body(
		p.listActions(),
		&articleList{Items: p.st.Items, Page: p},
		p.pager(),
	)
}

// emptyState explains how to open files.
func emptyState() app.UI {
	return app.Div().Class("empty-state").Body(
		app.H2().Text(T(msgEmptyTitle)),
		app.P().Text(T(msgEmptyHelp)),
		app.P().Class("hint").Text(T(msgKeyboardHint)),
	)
}

// The list and the filters are components of their own: go-app renders
// a component again with each of its descendants (an import's progress
// shows in the import panel, inside the page), and a child component
// whose props are unchanged is left as it is. So the page's own render,
// done at each progress of an import, draws neither the list's items nor
// the filters' options.

// articleList is ol#article-list with one item per article of the page.
// Items it has not drawn yet are drawn listChunk at a time, each chunk
// in a task of its own: mounting a page of 50 items (a dozen elements
// and some twenty attributes each, every one a call into the browser)
// was a task of ~100 ms unloaded and 300-800 ms under load, at the end
// of every import; a chunk of 10, drawn with the list's region and
// filters, still one of 230 ms under load 13.
type articleList struct {
	app.Compo
	Items   []library.Item
	Page    *libraryPage // the selection's owner
	shown   int          // the items drawn
	drawing bool         // a next chunk is scheduled
}

// listChunk is the items drawn at once, and listPause the pause between
// two chunks.
const (
	listChunk = 5
	listPause = 4 * time.Millisecond
)

// OnMount draws the first chunk and schedules the others.
func (l *articleList) OnMount(ctx app.Context) {
	l.Page.list = l
	l.shown = listChunk
	l.drawMore(ctx)
}

// OnDismount forgets the list.
func (l *articleList) OnDismount() {
	if l.Page.list == l {
		l.Page.list = nil
	}
}

// OnUpdate keeps the items already drawn (updated in place) and draws
// the others a chunk at a time.
func (l *articleList) OnUpdate(ctx app.Context) {
	l.shown = max(l.shown, listChunk)
	l.drawMore(ctx)
}

// drawMore schedules the next chunk while items are left to draw.
func (l *articleList) drawMore(ctx app.Context) {
	if l.drawing || l.shown >= len(l.Items) {
		return
	}
	l.drawing = true
	ctx.After(listPause, func(ctx app.Context) {
		l.drawing = false
		l.shown += listChunk
		l.drawMore(ctx)
	})
}

// Render is the list, as far as drawn.
func (l *articleList) Render() app.UI {
	items := l.Items[:min(l.shown, len(l.Items))]
	return app.Ol().ID("article-list").Class("article-list").Body(
		app.Range(items).Slice(func(i int) app.UI { return l.Page.item(items[i]) }),
	)
}

// item is one li.article-item (data-origin: where it comes from).
// Articles of the hosted archive cannot be selected for deletion.
func (p *libraryPage) item(it library.Item) app.UI {
	m := it.Meta
	title := m.Title
	if title == "" {
		title = T(msgUntitled)
	}
	sel := app.Input().Type("checkbox").Class("article-select").
		Checked(p.selected[m.ID]).
		Attr("aria-label", T(msgSelect)+" "+title).
		Value(m.ID).
		OnChange(p.onSelect)
	if it.Origin != originImported {
		sel = sel.Checked(false).Disabled(true).Title(TA(msgHostedNoDelete)).
			Attr("aria-label", TA(msgHostedNoDelete))
	}
	return app.Li().Class("article-item").DataSet("id", m.ID).DataSet("origin", it.Origin).Body(
		sel,
		app.Div().Class("article-text").Body(
			app.A().Class("article-link").Href(readerHref(siteBase(), m.ID)).Lang(m.Lang).Body(
				app.Span().Class("article-title").Text(title),
			),
			app.P().Class("article-meta").Body(
				app.Span().Class("article-source").Text(m.Source),
				app.Time().Class("article-date").DateTime(metaDate(m)).Text(metaDate(m)),
				app.Span().Class("article-authors").Text(joinNames(m.Authors, m.Lang)),
			),
		),
	)
}

// metaDate is the list's date: published, else saved.
func metaDate(m library.Meta) string {
	if len(m.Published) >= 10 {
		return m.Published[:10]
	}
	if !m.SavedAt.IsZero() {
		return m.SavedAt.Format("2006-01-02")
	}
	return ""
}

// onSelect toggles an article's checkbox.
func (p *libraryPage) onSelect(ctx app.Context, e app.Event) {
	id := ctx.JSSrc().Get("value").String()
	if ctx.JSSrc().Get("checked").Bool() {
		p.selected[id] = true
	} else {
		delete(p.selected, id)
	}
}

// listActions holds the delete button for the selected articles.
func (p *libraryPage) listActions() app.UI {
	return app.Div().Class("list-actions").Body(
		app.Button().ID("delete-selected").Class("button danger").
			Disabled(len(p.selected) == 0).
			Text(fmt.Sprintf("%s (%d)", T(msgDeleteSelected), len(p.selected))).
			OnClick(p.deleteSelected),
	)
}

// deleteSelected deletes the selected articles after confirmation.
func (p *libraryPage) deleteSelected(ctx app.Context, e app.Event) {
	ids := make([]string, 0, len(p.selected))
	for id := range p.selected {
		ids = append(ids, id)
	}
	if len(ids) == 0 || !confirmDialog(fmt.Sprintf(T(msgConfirmDelete), len(ids))) {
		return
	}
	p.selected = map[string]bool{}
	ctx.NewActionWithValue(actionDelete, ids)
}

// libraryFilters is the form of the source, author and year selects
// (and the origin's, with a hosted archive).
type libraryFilters struct {
	app.Compo
	Facets library.UnionFacets
	Query  library.UnionQuery
	Page   *libraryPage // whose query the selects change
}

// Render is the form.
func (f *libraryFilters) Render() app.UI {
	p, fc, q := f.Page, f.Facets, f.Query
	return app.Form().Class("filters").Attr("aria-label", T(msgFilters)).
		OnSubmit(func(ctx app.Context, e app.Event) { e.PreventDefault() }).
		Body(
			filterSelect("filter-source", T(msgSource), T(msgAllSources), fc.Sources, q.Source, p.onSource),
			filterSelect("filter-author", T(msgAuthor), T(msgAllAuthors), fc.Authors, q.Author, p.onAuthor),
			filterSelect("filter-year", T(msgYear), T(msgAllYears), fc.Years, yearValue(q.Year), p.onYear),
			originFilter(fc.Origins, q.Origin, p.onOrigin),
		)
}

// originFilter is select#filter-origin, by where articles come from
// (imported here, or the hosted archive), when there is an archive.
func originFilter(origins []library.Facet, current string, h app.EventHandler) app.UI {
	if len(origins) < 2 {
		return nil
	}
	return app.Label().Class("filter").Body(
		app.Span().Class("filter-label").Text(TA(msgOrigin)),
		app.Select().ID("filter-origin").OnChange(h).Body(
			&allOption{Label: TA(msgAllOrigins), Selected: current == ""},
			app.Range(origins).Slice(func(i int) app.UI {
				o := origins[i]
				return app.Option().Value(o.Value).Selected(o.Value == current).
					Text(fmt.Sprintf("%s (%d)", originLabel(o.Value), o.Count))
			}),
		),
	)
}

func (p *libraryPage) onOrigin(ctx app.Context, e app.Event) {
	p.query.Origin = ctx.JSSrc().Get("value").String()
	p.refilter(ctx)
}

// yearValue is a year as a select value ("" for all).
func yearValue(y int) string {
	if y == 0 {
		return ""
	}
	return strconv.Itoa(y)
}

// maxFacetOptions caps the options of a filter (the most frequent values
// come first), so that a library of 100,000 articles by 20,000 authors
// does not render 20,000 options.
const maxFacetOptions = 300

// topFacets is the first maxFacetOptions facets, plus current if it was
// cut.
func topFacets(facets []library.Facet, current string) []library.Facet {
	if len(facets) <= maxFacetOptions {
		return facets
	}
	top := facets[:maxFacetOptions:maxFacetOptions]
	if current == "" {
		return top
	}
	for _, f := range facets[maxFacetOptions:] {
		if f.Value == current {
			return append(top, f)
		}
	}
	return top
}

// filterSelect is a labelled select whose first option ("") is all.
func filterSelect(id, label, all string, facets []library.Facet, current string, h app.EventHandler) app.UI {
	facets = topFacets(facets, current)
	return app.Label().Class("filter").Body(
		app.Span().Class("filter-label").Text(label),
		app.Select().ID(id).OnChange(h).Body(
			&allOption{Label: all, Selected: current == ""},
			app.Range(facets).Slice(func(i int) app.UI {
				fc := facets[i]
				return app.Option().Value(fc.Value).Selected(fc.Value == current).
					Text(fmt.Sprintf("%s (%d)", fc.Value, fc.Count))
			}),
		),
	)
}

// onSource, onAuthor and onYear apply a filter from the first page.
func (p *libraryPage) onSource(ctx app.Context, e app.Event) {
	p.query.Source = ctx.JSSrc().Get("value").String()
	p.refilter(ctx)
}

func (p *libraryPage) onAuthor(ctx app.Context, e app.Event) {
	p.query.Author = ctx.JSSrc().Get("value").String()
	p.refilter(ctx)
}

func (p *libraryPage) onYear(ctx app.Context, e app.Event) {
	p.query.Year, _ = strconv.Atoi(strings.TrimSpace(ctx.JSSrc().Get("value").String()))
	p.refilter(ctx)
}

// refilter reloads from the first page.
func (p *libraryPage) refilter(ctx app.Context) {
	p.query.Offset = 0
	p.load(ctx)
}

// pager is the previous/next page buttons with the page number.
func (p *libraryPage) pager() app.UI {
	page := p.query.Offset/pageSize + 1
	pages := max((p.st.Total+pageSize-1)/pageSize, 1)
	return app.Nav().Class("pager").Body(
		app.Button().ID("page-prev").Class("button").Disabled(page <= 1).
			Text("‹ "+T(msgPrevPage)).OnClick(p.prevPage),
		app.Span().Class("page-number").Text(fmt.Sprintf(T(msgPageOf), page, pages)),
		app.Button().ID("page-next").Class("button").Disabled(page >= pages).
			Text(T(msgNextPage)+" ›").OnClick(p.nextPage),
	)
}

// prevPage and nextPage move one page.
func (p *libraryPage) prevPage(ctx app.Context, e app.Event) {
	p.query.Offset = max(p.query.Offset-pageSize, 0)
	p.load(ctx)
	ctx.ScrollTo("library")
}

func (p *libraryPage) nextPage(ctx app.Context, e app.Event) {
	if p.query.Offset+pageSize < p.st.Total {
		p.query.Offset += pageSize
	}
	p.load(ctx)
	ctx.ScrollTo("library")
}

// allOption is a select's first option, value "" (all). go-app drops an
// empty value attribute, so it is set on mount.
type allOption struct {
	app.Compo
	Label    string
	Selected bool
}

// OnMount gives the option its empty value attribute.
func (o *allOption) OnMount(ctx app.Context) {
	ctx.JSSrc().Call("setAttribute", "value", "")
}

// Render is the option.
func (o *allOption) Render() app.UI {
	return app.Option().Selected(o.Selected).Text(o.Label)
}
