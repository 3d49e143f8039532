//go:build js && wasm

package main

import "github.com/maxence-charriere/go-app/v10/pkg/app"

// archiveURL is the address of the site's hosted archive, "" when the
// site was built without one.
func archiveURL() string {
	dir := app.Getenv(envArchive)
	if dir == "" {
		return ""
	}
	return app.Window().Get("location").Get("origin").String() + siteBase() + dir
}
