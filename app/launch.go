package main

import (
	"context"
	"sync"

	"github.com/broadsheet/broadsheet/app/library"
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// actionLaunch imports the files the operating system opened the installed
// app with (Value: importSource) and shows the first one.
const actionLaunch = "launch/files"

// handleLaunch runs the import like handleImport, with its progress in the
// import panel, and then opens the first article imported or already
// stored.
func handleLaunch(ctx app.Context, a app.Action) {
	src, _ := a.Value.(importSource)
	first := &firstID{}
	if !runImport(ctx, src, first.wrap) {
		return
	}
	if id := first.get(); id != "" {
		ctx.Navigate(readerHref(siteBase(), id))
	}
}

// firstID keeps the id of the first article an import stored or found.
type firstID struct {
	mu sync.Mutex
	id string
}

// wrap records the first id store returns.
func (f *firstID) wrap(store storeFn) storeFn {
	return func(ctx context.Context, refs []fileRef, last bool) ([]library.Result, error) {
		results, err := store(ctx, refs, last)
		f.mu.Lock()
		defer f.mu.Unlock()
		for _, r := range results {
			if f.id == "" && r.Status != library.Failed && r.ID != "" {
				f.id = r.ID
			}
		}
		return results, err
	}
}

// get returns the id, or "" if no article was imported.
func (f *firstID) get() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.id
}
