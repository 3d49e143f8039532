//go:build !(js && wasm)

package weblock

import (
	"context"
	"sync"
)

var (
	mu    sync.Mutex
	named = map[string]*sync.Mutex{}
)

// Exclusive runs fn while holding the process-wide lock name.
func Exclusive(_ context.Context, name string, fn func() error) error {
	mu.Lock()
	l := named[name]
	if l == nil {
		l = new(sync.Mutex)
		named[name] = l
	}
	mu.Unlock()
	l.Lock()
	defer l.Unlock()
	return fn()
}
