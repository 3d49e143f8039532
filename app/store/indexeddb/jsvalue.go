//go:build js && wasm

package indexeddb

import (
	"errors"
	"fmt"
	"syscall/js"

	"github.com/broadsheet/broadsheet/app/store"
)

var (
	uint8Array  = js.Global().Get("Uint8Array")
	uint32Array = js.Global().Get("Uint32Array")
	keyRange    = js.Global().Get("IDBKeyRange")
	arrayObject = js.Global().Get("Array")
)

// jsBytes returns b as a new Uint8Array.
func jsBytes(b []byte) js.Value {
	a := uint8Array.New(len(b))
	js.CopyBytesToJS(a, b)
	return a
}

// jsKey returns key as an IndexedDB binary key.
func jsKey(key string) js.Value { return jsBytes([]byte(key)) }

// jsKeys are many keys as binary keys: views of one array, copied across
// the boundary at once.
type jsKeys struct {
	all  js.Value
	ends []int
}

func newKeys(keys []string) jsKeys {
	size := 0
	for _, k := range keys {
		size += len(k)
	}
	buf := make([]byte, 0, size)
	ends := make([]int, len(keys))
	for i, k := range keys {
		buf = append(buf, k...)
		ends[i] = len(buf)
	}
	return jsKeys{jsBytes(buf), ends}
}

// key returns key i.
func (k jsKeys) key(i int) js.Value {
	start := 0
	if i > 0 {
		start = k.ends[i-1]
	}
	return k.all.Call("subarray", start, k.ends[i])
}

// goBytes copies an ArrayBuffer or Uint8Array into Go.
func goBytes(v js.Value) ([]byte, error) {
	if !v.InstanceOf(uint8Array) {
		if v.Type() != js.TypeObject || v.Get("byteLength").Type() != js.TypeNumber {
			return nil, fmt.Errorf("indexeddb: stored %s is not bytes", v.Type())
		}
		v = uint8Array.New(v)
	}
	b := make([]byte, v.Get("length").Int())
	js.CopyBytesToGo(b, v)
	return b, nil
}

// try runs fn and turns a JavaScript exception it throws into an error.
func try(fn func()) (err error) {
	defer func() {
		if r := recover(); r != nil {
			if e, ok := r.(js.Error); ok {
				err = domError(e.Value)
				return
			}
			err = fmt.Errorf("indexeddb: %v", r)
		}
	}()
	fn()
	return nil
}

// domError turns a DOMException into an error matching the store errors.
func domError(v js.Value) error {
	if v.IsNull() || v.IsUndefined() {
		return errors.New("indexeddb: aborted")
	}
	name, msg := v.Get("name").String(), v.Get("message").String()
	var kind error
	switch name {
	case "QuotaExceededError":
		kind = store.ErrQuota
	case "AbortError":
		// Chrome may abort a transaction over quota with a bare AbortError;
		// this package aborts only after an error it reports itself.
		kind = store.ErrQuota
	case "InvalidStateError":
		kind = store.ErrClosed
	case "VersionError":
		kind = store.ErrVersion
	case "NotFoundError":
		kind = store.ErrUnknownTable
	default:
		return fmt.Errorf("indexeddb: %s: %s", name, msg)
	}
	return fmt.Errorf("%w (%s: %s)", kind, name, msg)
}

// jsStrings returns ss as a JavaScript array.
func jsStrings(ss []string) js.Value {
	a := arrayObject.New(len(ss))
	for i, s := range ss {
		a.SetIndex(i, s)
	}
	return a
}
