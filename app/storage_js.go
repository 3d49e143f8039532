//go:build js && wasm

package main

import (
	"context"
	"errors"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// errNoStorageManager says that the browser has no navigator.storage.
var errNoStorageManager = errors.New("navigator.storage is not supported")

// storageManager is navigator.storage, or undefined.
func storageManager() app.Value {
	return app.Window().Get("navigator").Get("storage")
}

// storageEstimate reads the origin's usage and quota in bytes, and
// whether its storage is persistent. It waits on the browser.
func storageEstimate(ctx context.Context) (storageInfo, error) {
	sm := storageManager()
	if !sm.Truthy() || !sm.Get("estimate").Truthy() {
		return storageInfo{}, errNoStorageManager
	}
	est, err := await(sm.Call("estimate"))
	if err != nil {
		return storageInfo{}, err
	}
	info := storageInfo{Known: true, Usage: int64(est.Get("usage").Float()), Quota: int64(est.Get("quota").Float())}
	if sm.Get("persisted").Truthy() {
		p, err := await(sm.Call("persisted"))
		info.Persisted = err == nil && p.Bool()
	}
	return info, nil
}

// requestPersist asks the browser not to evict the library (it may ask
// the user, or decide alone) and returns the answer.
func requestPersist(ctx context.Context) (bool, error) {
	sm := storageManager()
	if !sm.Truthy() || !sm.Get("persist").Truthy() {
		return false, errNoStorageManager
	}
	v, err := await(sm.Call("persist"))
	if err != nil {
		return false, err
	}
	return v.Bool(), nil
}
