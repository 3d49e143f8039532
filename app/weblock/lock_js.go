//go:build js && wasm

package weblock

import (
	"context"
	"errors"
	"syscall/js"
)

// Exclusive runs fn while holding the lock name. The lock is waited for
// even when ctx ends (a queued request cannot be taken back); once it is
// granted fn runs and sees ctx itself. Should fn panic, the lock is
// released and the panic goes on in the caller, as natively (fn runs
// in a goroutine of its own here: a panic there would end the program
// with the lock held for every tab).
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
				defer resolve.Invoke() // released whatever fn does
				done <- call(fn)
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
	err := <-done
	if p, ok := err.(panicked); ok {
		panic(p.v) // in the caller's goroutine, as natively
	}
	return err
}

// panicked is a panic of fn, carried to Exclusive's caller.
type panicked struct{ v any }

func (p panicked) Error() string { return "weblock: panic" }

// call runs fn and returns its error, or its panic as a panicked.
func call(fn func() error) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = panicked{v}
		}
	}()
	return fn()
}
