package main

import (
	"fmt"
	"strconv"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// settingsPanel is details#storage-panel at the foot of every page: how
// much the library takes in this browser (#storage-usage), whether the
// browser keeps it for good, the export of the whole library
// (#export-library), the hosted archive kept offline (keep_offline.go)
// and the running version. It asks for persistent
// storage after the first import that stored something.
type settingsPanel struct {
	app.Compo
	info   storageInfo
	export exportState
	imp    importState
	rev    int
}

// OnMount observes the storage, the export, the imports and the library,
// and measures.
func (p *settingsPanel) OnMount(ctx app.Context) {
	ctx.ObserveState(stateStorageInfo, &p.info)
	ctx.ObserveState(stateExport, &p.export)
	ctx.ObserveState(stateLibraryRev, &p.rev).OnChange(func() { ctx.NewAction(actionStorageInfo) })
	ctx.ObserveState(stateImport, &p.imp).OnChange(func() {
		if p.imp.State == importDone && p.imp.Done > p.imp.Errors+p.imp.Unchanged {
			ctx.NewAction(actionPersist)
		}
	})
	ctx.NewAction(actionStorageInfo)
}

// Render is the panel.
func (p *settingsPanel) Render() app.UI {
	return app.Footer().Class("site-footer").Body(
		app.Details().ID("storage-panel").Class("storage-panel").Body(
			app.Summary().Text(T(msgStoragePanel)),
			app.P().ID("storage-usage").Class("storage-usage").
				DataSet("usage", strconv.FormatInt(p.info.Usage, 10)).
				DataSet("quota", strconv.FormatInt(p.info.Quota, 10)).
				DataSet("persisted", strconv.FormatBool(p.info.Persisted)).
				Text(p.usageText()),
			&archivePanel{},
			app.P().Class("storage-help").Text(T(msgExportHelp)),
			app.Div().Class("storage-actions").Body(
				app.Button().ID("export-library").Class("button").
					Disabled(p.export.Status == statusLoading).
					Text(T(msgExportLibrary)).OnClick(p.onExport),
				p.exportStatus(),
			),
			app.P().Class("app-version").Text(T(msgVersion)+" "+appVersion()),
		),
	)
}

// usageText says how much is used, of what, and whether it is kept.
func (p *settingsPanel) usageText() string {
	if !p.info.Known {
		return T(msgStorageUnknown)
	}
	keep := T(msgStorageBestEffort)
	if p.info.Persisted {
		keep = T(msgStoragePersistent)
	}
	return fmt.Sprintf(T(msgStorageUsage), formatBytes(p.info.Usage), formatBytes(p.info.Quota)) + " · " + keep
}

// exportStatus is #export-status: the running or finished export.
func (p *settingsPanel) exportStatus() app.UI {
	st := p.export
	if st.Status == "" {
		return nil
	}
	text := T(msgExporting)
	switch st.Status {
	case statusLoaded:
		text = fmt.Sprintf(T(msgExported), st.Count, st.Name)
	case statusFailed:
		text = T(msgExportFailed) + " " + storageMessage(st.Err)
	}
	return app.Span().ID("export-status").Class("export-status").
		DataSet("status", string(st.Status)).
		DataSet("count", strconv.Itoa(st.Count)).
		Text(text)
}

// onExport starts the export.
func (p *settingsPanel) onExport(ctx app.Context, e app.Event) {
	ctx.NewAction(actionExport)
}
