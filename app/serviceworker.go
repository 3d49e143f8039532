//go:build !(js && wasm)

package main

import (
	_ "embed"
	"errors"
	"os"
	"path"
	"path/filepath"
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

// precachedDirs are the folders of web/ whose files the worker precaches
// besides web/'s own files: the app's assets. Data folders (samples, a
// bundled archive) are fetched when needed, not installed with the app.
var precachedDirs = []string{"", "icons"}

// webResources lists the files of web/ the worker precaches, as paths
// relative to the site ("/web/app.wasm"): the top-level files (the app's
// wasm, the search worker's script and wasm, styles, icons) and those of
// precachedDirs.
func webResources(webDir string) ([]string, error) {
	var res []string
	for _, d := range precachedDirs {
		entries, err := os.ReadDir(filepath.Join(webDir, d))
		if err != nil {
			return nil, err
		}
		for _, e := range entries {
			if e.Type().IsRegular() && !strings.HasPrefix(e.Name(), ".") {
				res = append(res, path.Join("/web", d, e.Name()))
			}
		}
	}
	return res, nil
}

// registerCall is go-app's registration of the worker in app.js, run as
// the script loads.
const registerCall = "\ngoappInitServiceWorker();\n"

// deferRegistration removes the worker's registration from app.js: the
// app registers it once it is interactive (update_js.go), so that on a
// first visit the worker's precaching (the wasm files a second time) does
// not compete with loading and compiling the app.
func deferRegistration(dir string) error {
	p := filepath.Join(dir, "app.js")
	data, err := os.ReadFile(p)
	if err != nil {
		return err
	}
	js := string(data)
	if strings.Count(js, registerCall) != 1 {
		return errors.New("app.js: go-app's worker registration not found (go-app changed?)")
	}
	return os.WriteFile(p, []byte(strings.Replace(js, registerCall, "\n", 1)), 0o644)
}
