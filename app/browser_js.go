//go:build js && wasm

package main

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// startBrowser chooses the interface language from navigator.languages,
// sets html[lang], and records the longest main-thread task.
func startBrowser() {
	nav := app.Window().Get("navigator")
	var prefs []string
	if langs := nav.Get("languages"); langs.Truthy() {
		for i := 0; i < langs.Length(); i++ {
			prefs = append(prefs, langs.Index(i).String())
		}
	}
	if l := nav.Get("language"); len(prefs) == 0 && l.Truthy() {
		prefs = append(prefs, l.String())
	}
	uiLang = chooseLang(prefs)
	app.Window().Get("document").Get("documentElement").Set("lang", uiLang)
	observeLongTasks()
}

// longestTask is the longest main-thread task that started after
// longSince (performance.now() milliseconds), in milliseconds.
var longestTask, longSince float64

// observeLongTasks keeps the longest "longtask" entry in longestTask and
// in html[data-longest-task] (for tests and benchmarks).
func observeLongTasks() {
	po := app.Window().Get("PerformanceObserver")
	if !po.Truthy() {
		return
	}
	root := app.Window().Get("document").Get("documentElement")
	cb := app.FuncOf(func(this app.Value, args []app.Value) any {
		entries := args[0].Call("getEntries")
		for i := 0; i < entries.Length(); i++ {
			e := entries.Index(i)
			if e.Get("startTime").Float() < longSince {
				continue
			}
			if d := e.Get("duration").Float(); d > longestTask {
				longestTask = d
				root.Call("setAttribute", "data-longest-task", strconv.Itoa(int(d)))
			}
		}
		return nil
	})
	opts := map[string]any{"type": "longtask", "buffered": true}
	defer func() { recover() }() // browsers without longtask support throw
	po.New(cb).Call("observe", opts)
}

// resetLongTasks starts a new measurement (at the start of an import).
func resetLongTasks() {
	longestTask = 0
	longSince = app.Window().Get("performance").Call("now").Float()
	app.Window().Get("document").Get("documentElement").Call("setAttribute", "data-longest-task", "0")
}

// confirmDialog asks the user a yes/no question.
func confirmDialog(msg string) bool {
	return app.Window().Call("confirm", msg).Bool()
}

// await waits for a JS promise; a rejection becomes a Go error. It must
// not run on the UI goroutine (use it in action handlers or ctx.Async).
func await(p app.Value) (app.Value, error) {
	type outcome struct {
		v   app.Value
		err error
	}
	ch := make(chan outcome, 1)
	ok := app.FuncOf(func(this app.Value, args []app.Value) any {
		ch <- outcome{v: arg0(args)}
		return nil
	})
	fail := app.FuncOf(func(this app.Value, args []app.Value) any {
		ch <- outcome{err: jsError(arg0(args))}
		return nil
	})
	defer ok.Release()
	defer fail.Release()
	p.Call("then", ok, fail)
	o := <-ch
	return o.v, o.err
}

// arg0 is the first argument of a callback, or undefined.
func arg0(args []app.Value) app.Value {
	if len(args) == 0 {
		return app.Undefined()
	}
	return args[0]
}

// jsError turns a JS error value into a Go error.
func jsError(v app.Value) error {
	if v.Truthy() && v.Get("message").Truthy() {
		return fmt.Errorf("%s: %s", v.Get("name").String(), v.Get("message").String())
	}
	if v.Truthy() {
		return errors.New(v.Call("toString").String())
	}
	return errors.New("unknown browser error")
}

// bytesOf copies an ArrayBuffer into Go memory.
func bytesOf(buf app.Value) []byte {
	u8 := app.Window().Get("Uint8Array").New(buf)
	data := make([]byte, u8.Length())
	app.CopyBytesToGo(data, u8)
	return data
}

// fetchBytes downloads url with fetch.
func fetchBytes(ctx context.Context, url string) ([]byte, error) {
	res, err := await(app.Window().Call("fetch", url))
	if err != nil {
		return nil, err
	}
	if !res.Get("ok").Bool() {
		return nil, fmt.Errorf("fetch %s: HTTP %d", url, res.Get("status").Int())
	}
	buf, err := await(res.Call("arrayBuffer"))
	if err != nil {
		return nil, err
	}
	return bytesOf(buf), nil
}
