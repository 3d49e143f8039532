package main

import (
	"fmt"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// readerPage shows one article: B/read?id=ID.
type readerPage struct {
	app.Compo
	st  readerState
	id  string
	q   string // the search whose matches are marked
	rev int
}

// OnMount observes the reader state; OnNav then loads the article.
func (p *readerPage) OnMount(ctx app.Context) {
	ctx.ObserveState(stateReader, &p.st).OnChange(func() {
		p.setTitle(ctx)
		p.showFirstMatch(ctx)
	})
	ctx.ObserveState(stateLibraryRev, &p.rev).OnChange(func() { p.load(ctx) })
}

// OnNav loads the article named by the id query parameter.
func (p *readerPage) OnNav(ctx app.Context) {
	p.id = ctx.Page().URL().Query().Get("id")
	p.q = ctx.Page().URL().Query().Get("q")
	p.load(ctx)
}

// load asks for the article (in the browser: pre-rendered pages have no
// library).
func (p *readerPage) load(ctx app.Context) {
	if app.IsServer {
		return
	}
	p.st = readerState{Status: statusLoading, ID: p.id}
	ctx.NewActionWithValue(actionLoadArticle, p.id)
}

// setTitle names the browser tab after the article.
func (p *readerPage) setTitle(ctx app.Context) {
	if p.st.Article != nil && p.st.Article.Title != "" {
		ctx.Page().SetTitle(p.st.Article.Title + " · Broadsheet")
	}
}

// current is the state when it belongs to the article asked for.
func (p *readerPage) current() readerState {
	if p.st.ID != p.id || p.st.Status == "" {
		return readerState{Status: statusLoading, ID: p.id}
	}
	return p.st
}

// Render is the page frame around the article and its navigation.
func (p *readerPage) Render() app.UI {
	st := p.current()
	return frame(
		app.Nav().Class("reader-top").Body(
			app.A().ID("back-to-library").Class("back-link").Href(siteBase()).Text("← "+T(msgBackToLibrary)),
			originNote(st),
		),
		p.article(st),
		p.neighbours(st),
	)
}

// article is article#reader with its status, id and language.
func (p *readerPage) article(st readerState) app.UI {
	a := app.Article().ID("reader").Class("reader").
		DataSet("status", string(st.Status)).
		DataSet("id", st.ID)
	switch st.Status {
	case statusLoaded:
		return a.Lang(st.Article.Lang).Body(articleContent(st.Article, viewOptions{base: siteBase(), local: st.Local, query: p.q})...)
	case statusFailed:
		return a.Body(app.P().Class("load-error").Text(readerError(st.Err)))
	}
	return a.Body(app.P().Class("loading").Text(T(msgLoading)))
}

// originNote is span#reader-origin, naming the hosted archive an article
// comes from (nothing for an imported one).
func originNote(st readerState) app.UI {
	if st.Status != statusLoaded || st.Origin != originArchive {
		return nil
	}
	return app.Span().ID("reader-origin").Class("reader-origin").
		Text(fmt.Sprintf(TA(msgFromArchive), originLabel(st.Origin)))
}

// readerError says why an article is not shown.
func readerError(err error) string {
	if isNotFound(err) {
		return T(msgNotFound)
	}
	return T(msgLoadFailed) + " " + storageMessage(err)
}

// neighbours links to the previous and next articles of the library.
func (p *readerPage) neighbours(st readerState) app.UI {
	if st.Status != statusLoaded {
		return nil
	}
	var links []app.UI
	if st.Prev != "" {
		links = append(links, app.A().ID("prev-article").Class("prev").Rel("prev").
			Href(readerHref(siteBase(), st.Prev)).Text("← "+T(msgPrevArticle)))
	}
	if st.Next != "" {
		links = append(links, app.A().ID("next-article").Class("next").Rel("next").
			Href(readerHref(siteBase(), st.Next)).Text(T(msgNextArticle)+" →"))
	}
	return app.Nav().Class("article-nav").Body(links...)
}
