package main

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// Keeping the hosted archive offline: the panel (archivePanel, in the
// settings panel when the site has an archive) shows how much of the
// archive is kept in this browser, and a button downloads the rest
// (static.Store.Download) with a progress bar; it can be stopped, and
// resumed later, after a reload too (the kept packs stay kept).
const (
	actionArchiveInfo   = "archive/info"   // measure what is kept
	actionArchiveKeep   = "archive/keep"   // download the rest
	actionArchiveCancel = "archive/cancel" // stop the download
	stateArchive        = "archive"        // archiveState
)

// keepStatus is where keeping the archive offline is.
type keepStatus string

const (
	keepIdle      keepStatus = "idle"    // partly kept (or not at all)
	keepRunning   keepStatus = "running" // downloading
	keepDone      keepStatus = "done"    // all of it is kept
	keepCancelled keepStatus = "cancelled"
	keepFailed    keepStatus = "failed"
)

// archiveState is the hosted archive as the panel shows it.
type archiveState struct {
	Present     bool
	Name        string
	Articles    int
	Status      keepStatus
	Err         error
	Done, Total int64 // pack bytes kept and in all
}

// progressEvery bounds how often the download's progress is published.
const progressEvery = 200 * time.Millisecond

var keeping struct {
	sync.Mutex
	cancel context.CancelFunc // of the running download, nil when none
}

// handleArchiveActions registers the handlers of this file.
func handleArchiveActions() {
	app.Handle(actionArchiveInfo, handleArchiveInfo)
	app.Handle(actionArchiveKeep, handleArchiveKeep)
	app.Handle(actionArchiveCancel, handleArchiveCancel)
}

// archiveBase is the state of the opened archive before any measure.
func archiveBase() archiveState {
	h := hosted
	if h == nil {
		return archiveState{}
	}
	n := h.info.Articles
	if n == 0 {
		n, _ = h.lib.Count(context.Background())
	}
	return archiveState{Present: true, Name: h.archiveName(), Articles: n, Status: keepIdle}
}

// handleArchiveInfo measures what is kept (unless a download runs).
func handleArchiveInfo(ctx app.Context, a app.Action) {
	if _, err := openLibrary(ctx); err != nil || hosted == nil {
		return
	}
	keeping.Lock()
	running := keeping.cancel != nil
	keeping.Unlock()
	if running {
		return
	}
	st := archiveBase()
	var err error
	st.Done, st.Total, err = hosted.store.Kept(ctx)
	switch {
	case err != nil:
		st.Status, st.Err = keepFailed, err
	case st.Done >= st.Total:
		st.Status = keepDone
	}
	ctx.SetState(stateArchive, st)
}

// handleArchiveKeep downloads the packs not yet kept, publishing the
// progress, until done, failed or cancelled.
func handleArchiveKeep(ctx app.Context, a app.Action) {
	if _, err := openLibrary(ctx); err != nil || hosted == nil {
		return
	}
	dctx, cancel := context.WithCancel(ctx)
	defer cancel()
	keeping.Lock()
	if keeping.cancel != nil {
		keeping.Unlock()
		return // one download at a time
	}
	keeping.cancel = cancel
	keeping.Unlock()
	defer func() {
		keeping.Lock()
		keeping.cancel = nil
		keeping.Unlock()
	}()
	st := archiveBase()
	st.Status = keepRunning
	var last time.Time
	err := hosted.store.Download(dctx, func(done, total int64) {
		st.Done, st.Total = done, total
		if now := time.Now(); now.Sub(last) >= progressEvery {
			last = now
			ctx.SetState(stateArchive, st)
		}
	})
	switch {
	case err == nil:
		st.Status = keepDone
	case errors.Is(err, context.Canceled):
		st.Status = keepCancelled
	default:
		st.Status, st.Err = keepFailed, err
	}
	ctx.SetState(stateArchive, st)
	ctx.NewAction(actionStorageInfo)
}

// handleArchiveCancel stops the running download.
func handleArchiveCancel(ctx app.Context, a app.Action) {
	keeping.Lock()
	defer keeping.Unlock()
	if keeping.cancel != nil {
		keeping.cancel()
	}
}

// archivePanel is section#archive-panel: the archive's name and size,
// what is kept offline (#archive-kept, progress#archive-progress), and
// the buttons #archive-keep and #archive-cancel. It renders nothing when
// the site has no archive.
type archivePanel struct {
	app.Compo
	st archiveState
}

// OnMount observes the archive's state.
func (p *archivePanel) OnMount(ctx app.Context) {
	ctx.ObserveState(stateArchive, &p.st)
}

// Render is the panel.
func (p *archivePanel) Render() app.UI {
	if !p.st.Present {
		return app.Section().ID("archive-panel").Class("archive-panel").Hidden(true)
	}
	return app.Section().ID("archive-panel").Class("archive-panel").
		DataSet("status", string(p.st.Status)).
		DataSet("done", strconv.FormatInt(p.st.Done, 10)).
		DataSet("total", strconv.FormatInt(p.st.Total, 10)).
		Body(
			app.H2().Text(fmt.Sprintf(TA(msgKeepTitle), p.st.Name)),
			app.P().Class("archive-size").Text(fmt.Sprintf(TA(msgArchiveArticles), p.st.Articles)),
			app.P().Class("storage-help").Text(TA(msgKeepHelp)),
			app.P().ID("archive-kept").Class("archive-kept").Text(p.keptText()),
			p.progress(),
			p.buttons(),
		)
}

// keptText says how much is kept, and how the last download ended.
func (p *archivePanel) keptText() string {
	text := fmt.Sprintf(TA(msgKeepSize), formatBytes(p.st.Done), formatBytes(p.st.Total))
	switch p.st.Status {
	case keepRunning:
		text += " · " + TA(msgKeepRunning)
	case keepDone:
		text = TA(msgKeepDone) + " (" + formatBytes(p.st.Total) + ")"
	case keepCancelled:
		text += " · " + TA(msgKeepCancelled)
	case keepFailed:
		text += " · " + TA(msgKeepFailed) + " " + storageMessage(p.st.Err)
	}
	return text
}

// progress is progress#archive-progress, in KB (its max is a number).
func (p *archivePanel) progress() app.UI {
	return app.Progress().ID("archive-progress").Class("archive-progress").
		Attr("max", strconv.FormatInt(max(p.st.Total/1000, 1), 10)).
		Attr("value", strconv.FormatInt(p.st.Done/1000, 10)).
		Attr("aria-label", TA(msgKeepButton))
}

// buttons are keep (or resume) and, while downloading, stop.
func (p *archivePanel) buttons() app.UI {
	if p.st.Status == keepRunning {
		return app.Div().Class("storage-actions").Body(
			app.Button().ID("archive-cancel").Class("button").Text(TA(msgKeepCancel)).
				OnClick(func(ctx app.Context, e app.Event) { ctx.NewAction(actionArchiveCancel) }),
		)
	}
	if p.st.Status == keepDone {
		return nil
	}
	label := TA(msgKeepButton)
	if p.st.Done > 0 {
		label = TA(msgKeepResume)
	}
	return app.Div().Class("storage-actions").Body(
		app.Button().ID("archive-keep").Class("button").Text(label).
			OnClick(func(ctx app.Context, e app.Event) { ctx.NewAction(actionArchiveKeep) }),
	)
}
