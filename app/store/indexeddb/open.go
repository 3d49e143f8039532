//go:build js && wasm

package indexeddb

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"syscall/js"

	"github.com/broadsheet/broadsheet/app/store"
)

// Open opens (creating it if need be) the database name with the given
// tables. A database lacking some of them is upgraded to the next version
// to add them; if another tab keeps the database open without giving way,
// Open fails with an error matching store.ErrBlocked.
func Open(ctx context.Context, name string, tables []string) (*Store, error) {
	factory := js.Global().Get("indexedDB")
	if factory.IsUndefined() || factory.IsNull() {
		return nil, errors.New("indexeddb: not available in this browser")
	}
	db, err := openDB(ctx, factory, name, 0, tables)
	if err != nil {
		return nil, err
	}
	if missing := missingTables(db, tables); len(missing) > 0 {
		v := db.Get("version").Int()
		db.Call("close")
		if db, err = openDB(ctx, factory, name, v+1, tables); err != nil {
			return nil, err
		}
	}
	return newStore(db, tables), nil
}

// openDB opens the database at version (0: the current one), creating the
// missing tables in an upgrade.
func openDB(ctx context.Context, factory js.Value, name string, version int, tables []string) (js.Value, error) {
	var req js.Value
	err := try(func() {
		if version == 0 {
			req = factory.Call("open", name)
		} else {
			req = factory.Call("open", name, version)
		}
	})
	if err != nil {
		return js.Value{}, err
	}
	ch, release := handlers(req, map[string]func(js.Value) *outcome{
		"onupgradeneeded": func(js.Value) *outcome { return &outcome{err: createTables(req.Get("result"), tables), v: js.Null()} },
		"onsuccess":       func(js.Value) *outcome { return &outcome{v: req.Get("result")} },
		"onerror": func(ev js.Value) *outcome {
			ev.Call("preventDefault")
			return &outcome{err: domError(req.Get("error"))}
		},
		"onblocked": func(js.Value) *outcome {
			return &outcome{err: fmt.Errorf("%w: %s", store.ErrBlocked, name)}
		},
	})
	for {
		var o outcome
		select {
		case o = <-ch:
		case <-ctx.Done():
			o.err = ctx.Err()
		}
		if o.err != nil {
			abandon(req)
			return js.Value{}, o.err
		}
		if !o.v.IsNull() { // not the upgrade: the open succeeded
			release()
			return o.v, nil
		}
	}
}

// abandon makes a pending open request close its database if it succeeds
// later (after Open gave up on it as blocked or canceled).
func abandon(req js.Value) {
	var f js.Func
	f = js.FuncOf(func(js.Value, []js.Value) any {
		try(func() { req.Get("result").Call("close") })
		f.Release()
		return nil
	})
	req.Set("onsuccess", f)
	req.Set("onupgradeneeded", js.Null())
	req.Set("onblocked", js.Null())
}

// createTables creates the object stores db lacks; it runs inside the
// versionchange transaction of an upgrade.
func createTables(db js.Value, tables []string) error {
	return try(func() {
		for _, t := range missingTables(db, tables) {
			db.Call("createObjectStore", t)
		}
	})
}

func missingTables(db js.Value, tables []string) []string {
	names := db.Get("objectStoreNames")
	var missing []string
	for _, t := range tables {
		if !names.Call("contains", t).Bool() && !slices.Contains(missing, t) {
			missing = append(missing, t)
		}
	}
	return missing
}

// Delete deletes the database name. Open connections are asked to close
// (a Store closes itself); Delete waits for them until ctx is done.
func Delete(ctx context.Context, name string) error {
	var req js.Value
	if err := try(func() { req = js.Global().Get("indexedDB").Call("deleteDatabase", name) }); err != nil {
		return err
	}
	ch, release := handlers(req, map[string]func(js.Value) *outcome{
		"onsuccess": func(js.Value) *outcome { return &outcome{} },
		"onerror":   func(js.Value) *outcome { return &outcome{err: domError(req.Get("error"))} },
	})
	select {
	case o := <-ch:
		release()
		return o.err
	case <-ctx.Done():
		return ctx.Err()
	}
}
