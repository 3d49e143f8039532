//go:build js && wasm

package weblock

import (
	"context"
	"errors"
	"syscall/js"
)

// Exclusive runs fn while holding the lock name. The lock is waited for
// even when ctx ends (a queued request cannot be taken back); once it is
// granted fn runs and sees ctx itself. fn runs in a goroutine of its
// own: a panic there ends the program with the lock held, for every
// tab. A caller whose fn may panic recovers in fn (app/searchworker's
// write does); a recover and a panic again here cost the page 630 B of
// gzip.
func Exclusive(ctx context.Context, name string, fn func() error) error {
	locks := js.Global().Get("navigator").Get("locks")
	if !locks.Truthy() {
		return fn()
	}
	done := make(chan error, 1)
	granted := js.FuncOf(func(js.Value, []js.Value) any {
		// The lock is held until the promise returned here settles: fn
		// runs in a goroutine (a callback must not block) and resolves it.
		exec := js.FuncOf(func(_ js.Value, args []js.Value) any {
			resolve := args[0]
			go func() {
				done <- fn()
				resolve.Invoke()
			}()
			return nil
		})
		defer exec.Release() // the executor runs within the constructor
		return js.Global().Get("Promise").New(exec)
	})
	defer granted.Release()
	refused := js.FuncOf(func(_ js.Value, args []js.Value) any {
		msg := "refused"
		if len(args) > 0 && args[0].Truthy() {
			msg = args[0].Call("toString").String()
		}
		done <- errors.New("weblock: " + name + ": " + msg)
		return nil
	})
	defer refused.Release()
	locks.Call("request", name, granted).Call("catch", refused)
	return <-done
}
