package main

import "time"

// The export itself (exportLibrary) runs in the search worker
// (app/searchworker/export.go), which hands the page a Blob to save.

// exportFileName is the download's name: broadsheet-YYYY-MM-DD.zip.
func exportFileName(now time.Time) string {
	return "broadsheet-" + now.Format("2006-01-02") + ".zip"
}
