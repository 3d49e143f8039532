package main

import "github.com/maxence-charriere/go-app/v10/pkg/app"

// frame is the page around every route: #drop-zone wraps the whole page
// so that files and folders can be dropped anywhere; the header holds the
// brand and the import panel; #storage-error shows storage failures.
func frame(main ...app.UI) app.UI {
	return app.Div().ID("drop-zone").Class("page").
		OnDragEnter(onDragOver).
		OnDragOver(onDragOver).
		OnDragLeave(onDragLeave).
		OnDrop(onDrop).
		Body(
			app.Header().Class("site-header").Body(
				app.A().Class("brand").Href(siteBase()).Text(T(msgAppName)),
				&searchBox{},
				&importPanel{},
			),
			&updateBanner{},
			&storageAlert{},
			app.Main().ID("main").Class("site-main").Body(main...),
			&settingsPanel{},
		)
}

// onDragOver accepts the drag so that a drop can happen, and marks the page.
func onDragOver(ctx app.Context, e app.Event) {
	e.PreventDefault()
	ctx.JSSrc().Get("classList").Call("add", "dragging")
}

// onDragLeave unmarks the page when the drag leaves it.
func onDragLeave(ctx app.Context, e app.Event) {
	if !e.Get("relatedTarget").Truthy() {
		ctx.JSSrc().Get("classList").Call("remove", "dragging")
	}
}

// onDrop reads the dropped items now (they vanish when the handler
// returns) and starts the import.
func onDrop(ctx app.Context, e app.Event) {
	e.PreventDefault()
	ctx.JSSrc().Get("classList").Call("remove", "dragging")
	src := dropSource(e)
	if len(src.refs) > 0 || src.walk != nil {
		ctx.NewActionWithValue(actionImport, src)
	}
}

// storageAlert shows storage errors in plain words.
type storageAlert struct {
	app.Compo
	msg string
}

// OnMount observes the storage error state.
func (s *storageAlert) OnMount(ctx app.Context) {
	ctx.ObserveState(stateStorageError, &s.msg)
}

// Render is the alert, or nothing.
func (s *storageAlert) Render() app.UI {
	if s.msg == "" {
		return app.Div().Class("storage-error-slot")
	}
	return app.Div().Class("storage-error-slot").Body(
		app.Div().ID("storage-error").Class("alert").Attr("role", "alert").Body(
			app.Strong().Text(T(msgStorageError)+": "),
			app.Span().Class("alert-text").Text(s.msg),
			app.Button().Class("link-button").Text(T(msgDismiss)).OnClick(s.dismiss),
		),
	)
}

// dismiss hides the alert.
func (s *storageAlert) dismiss(ctx app.Context, e app.Event) {
	ctx.SetState(stateStorageError, "")
}
