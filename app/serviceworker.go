//go:build !(js && wasm)

package main

import (
	_ "embed"
	"strings"
)

// workerJS is the service worker template (app-worker.js): go-app fills in
// {{.Version}} and {{.ResourcesToCache}}, workerTemplate the base path.
//
//go:embed app-worker.js
var workerJS string

// workerTemplate is the service worker template for a site under base.
func workerTemplate(base string) string {
	return strings.ReplaceAll(workerJS, "{{.Base}}", base)
}

// cachedPages are the routes, besides the root, whose pre-rendered pages
// the worker precaches: it answers navigations with them offline.
var cachedPages = []string{routeReader}
