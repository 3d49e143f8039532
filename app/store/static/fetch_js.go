//go:build js && wasm

package static

import (
	"context"
	"fmt"
	"syscall/js"
)

// BrowserFetcher reads an archive with the browser's fetch (of the window
// or of a worker) from baseURL, absolute or relative to the page or
// worker. The manifest is fetched with cache "no-cache" (revalidated on
// every Open), packs with the default cache: their names change with their
// bytes. Cancelling the context aborts the request.
func BrowserFetcher(baseURL string) Fetcher { return browserFetcher(withSlash(baseURL)) }

type browserFetcher string

func (b browserFetcher) Fetch(ctx context.Context, name string) (data []byte, err error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	url := string(b) + name
	defer func() {
		if r := recover(); r != nil { // a synchronous JavaScript exception
			data, err = nil, fmt.Errorf("static: fetch %s: %v", url, r)
		}
	}()
	ctrl := js.Global().Get("AbortController").New()
	init := js.Global().Get("Object").New()
	init.Set("signal", ctrl.Get("signal"))
	if name == ManifestName {
		init.Set("cache", "no-cache")
	}
	stop := context.AfterFunc(ctx, func() { ctrl.Call("abort") })
	defer stop()
	resp, err := await(ctx, js.Global().Call("fetch", url, init))
	if err != nil {
		return nil, fmt.Errorf("static: fetch %s: %w", url, err)
	}
	if !resp.Get("ok").Bool() {
		return nil, statusError(resp.Get("status").Int(), url)
	}
	buf, err := await(ctx, resp.Call("arrayBuffer"))
	if err != nil {
		return nil, fmt.Errorf("static: fetch %s: %w", url, err)
	}
	arr := js.Global().Get("Uint8Array").New(buf)
	if arr.Length() > maxFetch {
		return nil, fmt.Errorf("static: %s: larger than %d bytes", url, maxFetch)
	}
	data = make([]byte, arr.Length())
	js.CopyBytesToGo(data, arr)
	return data, nil
}

// settled is how a promise ended.
type settled struct {
	v   js.Value
	err error
}

// await waits for promise p, or for ctx: then it returns ctx's error and
// releases its callbacks once p settles (an aborted fetch rejects).
func await(ctx context.Context, p js.Value) (js.Value, error) {
	ch := make(chan settled, 1)
	then := js.FuncOf(func(_ js.Value, args []js.Value) any {
		ch <- settled{v: args[0]}
		return nil
	})
	catch := js.FuncOf(func(_ js.Value, args []js.Value) any {
		ch <- settled{err: jsError(args[0])}
		return nil
	})
	release := func() { then.Release(); catch.Release() }
	p.Call("then", then, catch)
	select {
	case s := <-ch:
		release()
		return s.v, s.err
	case <-ctx.Done():
		go func() { <-ch; release() }()
		return js.Undefined(), ctx.Err()
	}
}

// jsError turns a rejection reason into a Go error.
func jsError(v js.Value) error {
	if v.Type() == js.TypeObject && v.Get("name").Type() == js.TypeString {
		return fmt.Errorf("%s: %s", v.Get("name").String(), v.Get("message").String())
	}
	return fmt.Errorf("%s", js.Global().Get("String").Invoke(v).String())
}
