package main

import (
	"sync"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// stateUpdate is true once a newer version of the app is installed and
// waits for a reload.
const stateUpdate = "app/update"

// updateBanner is #update-banner, "new version — reload", shown once the
// service worker of a newer version controls the page. It also starts the
// app's PWA hooks, once (update watch, version mark, opened files).
type updateBanner struct {
	app.Compo
	ready bool
}

var pwaOnce sync.Once

// OnMount observes the update state and starts the hooks.
func (u *updateBanner) OnMount(ctx app.Context) {
	ctx.ObserveState(stateUpdate, &u.ready)
	pwaOnce.Do(func() { startPWA(ctx) })
	if ctx.AppUpdateAvailable() {
		u.OnAppUpdate(ctx)
	}
}

// OnAppUpdate is go-app's notice that a new worker was activated: the
// banner appears only if the worker's version is not the running one (a
// first install also activates a worker).
func (u *updateBanner) OnAppUpdate(ctx app.Context) {
	ctx.Async(func() { checkUpdate(ctx) })
}

// Render is the banner, or an empty slot.
func (u *updateBanner) Render() app.UI {
	if !u.ready {
		return app.Div().Class("update-slot")
	}
	return app.Div().Class("update-slot").Body(
		app.Div().ID("update-banner").Class("update-banner").Attr("role", "status").Body(
			app.Span().Class("update-text").Text(T(msgUpdateReady)),
			app.Button().ID("update-reload").Class("button primary").Text(T(msgReload)).OnClick(u.reload),
		),
	)
}

// reload runs the new version: the page is reloaded from its worker.
func (u *updateBanner) reload(ctx app.Context, e app.Event) {
	ctx.Reload()
}

// startPWA starts what the installed app needs: the version mark on
// <html data-version>, the service worker (once the page is interactive),
// the update watch and the launch queue of opened files (update_js.go,
// launch_js.go).
func startPWA(ctx app.Context) {
	markVersion(appVersion())
	ctx.Async(registerWorker)
	watchUpdates(func() { ctx.Async(func() { checkUpdate(ctx) }) })
	watchLaunches(func(src importSource) { ctx.NewActionWithValue(actionLaunch, src) })
}

// checkUpdate shows the banner when the worker controlling the page serves
// another version than the one running. It waits on the worker: call it
// off the UI goroutine.
func checkUpdate(ctx app.Context) {
	v, err := workerVersion(ctx)
	if err != nil || v == "" || v == appVersion() {
		return
	}
	ctx.SetState(stateUpdate, true)
}

// appVersion is the running version (the commit the site was built from).
func appVersion() string { return app.Getenv("GOAPP_VERSION") }
