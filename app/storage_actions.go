package main

import (
	"fmt"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// Actions of the storage panel and of the installed app.
const (
	actionStorageInfo = "storage/info"    // measure usage and quota
	actionPersist     = "storage/persist" // ask for persistent storage
	actionExport      = "library/export"  // download the library as a zip
)

// States of the storage panel.
const (
	stateStorageInfo = "storage/info"   // storageInfo
	stateExport      = "library/export" // exportState
	persistAskedKey  = "persist-asked"  // local storage flag, per base
)

// storageInfo is the origin's storage use, as the browser estimates it.
type storageInfo struct {
	Known        bool // false until measured, or where unsupported
	Usage, Quota int64
	Persisted    bool
}

// exportState is the progress of an export.
type exportState struct {
	Status status // "" before the first export
	Err    error
	Count  int    // files in the archive
	Name   string // the downloaded file's name
}

// handlePWAActions registers the handlers of this file and of launch.go.
func handlePWAActions() {
	app.Handle(actionStorageInfo, handleStorageInfo)
	app.Handle(actionPersist, handlePersist)
	app.Handle(actionExport, handleExport)
	app.Handle(actionLaunch, handleLaunch)
}

// handleStorageInfo measures the storage and publishes it.
func handleStorageInfo(ctx app.Context, a app.Action) {
	info, err := storageEstimate(ctx)
	if err != nil {
		info = storageInfo{}
	}
	ctx.SetState(stateStorageInfo, info)
}

// handlePersist asks for persistent storage once per site (after the
// first import that stored something: by then the library is worth
// keeping), then measures the storage again.
func handlePersist(ctx app.Context, a app.Action) {
	key := persistAskedKey + ":" + siteBase()
	var asked bool
	ctx.LocalStorage().Get(key, &asked)
	if !asked {
		if _, err := requestPersist(ctx); err == nil {
			ctx.LocalStorage().Set(key, true)
		}
	}
	handleStorageInfo(ctx, a)
}

// handleExport has the library's original files written into a zip
// archive (by the worker) and downloads it.
func handleExport(ctx app.Context, a app.Action) {
	ctx.SetState(stateExport, exportState{Status: statusLoading})
	st := exportState{Status: statusLoaded, Name: exportFileName(time.Now())}
	var err error
	if st.Count, err = exportArchive(ctx, st.Name); err != nil {
		st = exportState{Status: statusFailed, Err: err}
	}
	ctx.SetState(stateExport, st)
}

// formatBytes writes a byte count in B, KB, MB or GB (powers of 1000).
func formatBytes(n int64) string {
	const unit = 1000
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	f := float64(n)
	for _, u := range []string{"KB", "MB", "GB"} {
		f /= unit
		if f < unit || u == "GB" {
			return fmt.Sprintf("%.1f %s", f, u)
		}
	}
	return ""
}
