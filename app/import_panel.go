package main

import (
	"fmt"
	"strconv"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// acceptFiles is what the file picker offers.
const acceptFiles = ".md,.markdown,.txt,.html,.htm,.zip"

// importPanel holds the file and folder pickers, the progress of an
// import with its cancel button, and the report of files not imported.
type importPanel struct {
	app.Compo
	st importState
}

// OnMount observes the import state.
func (p *importPanel) OnMount(ctx app.Context) {
	ctx.ObserveState(stateImport, &p.st)
}

// Render is the pickers and the status.
func (p *importPanel) Render() app.UI {
	return app.Div().Class("import-panel").Body(
		app.Div().Class("import-buttons").Body(
			app.Input().ID("import-files").Class("file-input").Type("file").
				Multiple(true).Accept(acceptFiles).OnChange(p.onFiles),
			app.Label().For("import-files").Class("button primary").Text(T(msgOpenFiles)),
			app.Input().ID("import-folder").Class("file-input").Type("file").
				Multiple(true).Attr("webkitdirectory", true).OnChange(p.onFiles),
			app.Label().For("import-folder").Class("button").Text(T(msgOpenFolder)),
			app.Span().Class("drop-hint").Text(T(msgDropHint)),
		),
		p.status(),
	)
}

// onFiles keeps the picked files before the event returns, clears the
// input (so the same files can be picked again) and starts the import.
func (p *importPanel) onFiles(ctx app.Context, e app.Event) {
	input := ctx.JSSrc()
	src := filesSource(input.Get("files"))
	input.Set("value", "")
	if src.walk != nil {
		ctx.NewActionWithValue(actionImport, src)
	}
}

// status is #import-status: counts, progress bar, cancel, report.
func (p *importPanel) status() app.UI {
	st := p.st
	if st.State == "" {
		return nil
	}
	return app.Div().ID("import-status").Class("import-status").
		Attr("role", "status").
		DataSet("state", st.State).
		DataSet("done", strconv.Itoa(st.Done)).
		DataSet("total", strconv.Itoa(st.Total)).
		DataSet("errors", strconv.Itoa(st.Errors)).
		DataSet("unchanged", strconv.Itoa(st.Unchanged)).
		DataSet("read-ms", strconv.FormatInt(st.ReadTime.Milliseconds(), 10)).
		DataSet("store-ms", strconv.FormatInt(st.StoreTime.Milliseconds(), 10)).
		Body(
			app.P().Class("import-summary").Text(importSummary(st)),
			app.Progress().ID("import-progress").Max(max(st.Total, 1)).Value(st.Done),
			p.controls(),
			importReport(st.Failed),
		)
}

// controls is the cancel button while running, a dismiss button after.
func (p *importPanel) controls() app.UI {
	if p.st.State == importRunning {
		return app.Button().ID("import-cancel").Class("button").Text(T(msgCancel)).OnClick(p.cancel)
	}
	return app.Button().ID("import-dismiss").Class("link-button").Text(T(msgDismiss)).OnClick(p.dismiss)
}

// cancel stops the import between two slices.
func (p *importPanel) cancel(ctx app.Context, e app.Event) {
	ctx.NewAction(actionCancelImport)
}

// dismiss hides the finished import's status.
func (p *importPanel) dismiss(ctx app.Context, e app.Event) {
	ctx.SetState(stateImport, importState{})
}

// importSummary is the status line: state, counts and errors.
func importSummary(st importState) string {
	head := T(msgImporting)
	switch st.State {
	case importDone:
		head = T(msgImportDone)
	case importCancelled:
		head = T(msgImportCancelled)
	}
	s := head + " " + fmt.Sprintf(T(msgStatusRunning), st.Done, st.Total)
	if st.Unchanged > 0 {
		s += " · " + fmt.Sprintf(T(msgUnchangedCount), st.Unchanged)
	}
	if st.Errors > 0 {
		s += " · " + fmt.Sprintf(T(msgErrorsCount), st.Errors)
	}
	return s
}

// importReport is ul#import-report: every file not imported and why.
func importReport(failed []importFailure) app.UI {
	if len(failed) == 0 {
		return nil
	}
	return app.Details().Class("import-report").Open(true).Body(
		app.Summary().Text(fmt.Sprintf("%s (%d)", T(msgNotImported), len(failed))),
		app.Ul().ID("import-report").Body(
			app.Range(failed).Slice(func(i int) app.UI {
				return app.Li().Body(
					app.Span().Class("file-name").Text(failed[i].Name),
					app.Span().Class("reason").Text(failed[i].Reason),
				)
			}),
		),
	)
}
