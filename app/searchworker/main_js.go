//go:build js && wasm

package main

import (
	"context"
	"encoding/json"
	"syscall/js"

	"github.com/broadsheet/broadsheet/app/store"
	"github.com/broadsheet/broadsheet/app/store/indexeddb"
)

func main() {
	w := &worker{open: func(ctx context.Context, db string, tables []string) (store.Store, error) {
		return indexeddb.Open(ctx, db, tables)
	}}
	reqs := make(chan string, 64)
	self := js.Global()
	self.Set("onmessage", js.FuncOf(func(this js.Value, args []js.Value) any {
		reqs <- args[0].Get("data").String()
		return nil
	}))
	self.Call("postMessage", `{"id":0,"ready":true}`)
	ctx := context.Background()
	for msg := range reqs {
		var r request
		rep := reply{}
		if err := json.Unmarshal([]byte(msg), &r); err != nil {
			rep.Err = "searchworker: bad request: " + err.Error()
		} else {
			rep = w.handle(ctx, r)
		}
		out, err := json.Marshal(rep)
		if err != nil {
			out, _ = json.Marshal(reply{ID: r.ID, Err: err.Error()})
		}
		self.Call("postMessage", string(out))
	}
}
