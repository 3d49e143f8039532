package main

import (
	"os"
	"sync"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// Routes, relative to the site's base path.
const (
	routeLibrary = "/"
	routeReader  = "/read"
)

func main() {
	registerRoutes()
	handleActions()
	startBrowser()
	app.RunWhenOnBrowser()
	os.Exit(runCommand(os.Args[1:], os.Stdout, os.Stderr))
}

var routesOnce sync.Once

// registerRoutes maps the routes to their pages, once.
func registerRoutes() {
	routesOnce.Do(func() {
		app.Route(routeLibrary, func() app.Composer { return &libraryPage{} })
		app.Route(routeReader, func() app.Composer { return &readerPage{} })
	})
}

// siteBase is the base path the site is served under ("/" or "/REPO/").
func siteBase() string {
	if b := app.Getenv(envBase); b != "" {
		return b
	}
	return "/"
}

// dbName is the IndexedDB database name for a site base path (sites on one
// origin, such as USER.github.io/A/ and /B/, keep apart).
func dbName(base string) string { return "broadsheet:" + base }

// envBase is the app environment variable holding the site's base path.
const envBase = "BROADSHEET_BASE"

// sampleIndex is web/samples/index.json: the sample articles' file names.
type sampleIndex struct {
	Files []string `json:"files"`
}
