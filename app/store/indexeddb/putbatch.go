//go:build js && wasm

package indexeddb

import (
	"context"
	"encoding/binary"
	"fmt"
	"syscall/js"

	"github.com/broadsheet/broadsheet/app/store"
)

// Each call from Go into JavaScript costs a few microseconds, and more
// under load: queueing a put from Go took three (the key's view, the
// value's copy, the put), about as long as the put itself (1,000 puts of
// 1 KB in a worker under load ~9: 228 µs a put from Go, 124 µs from a
// loop in JavaScript). putBatch is that loop: one call queues every op
// of a staging array, told where each key and value ends and which
// table each goes to.
//
// It is made by the Function constructor (as getBatch and collect, the
// same for GetMany), which a Content-Security-Policy
// without 'unsafe-eval' forbids (and reports as a violation): the page's
// policy does. It is made in a worker alone, whose policy is its
// script's response headers (none on GitHub Pages), and the bulk writes
// are the workers' (imports, the index): UseBatchCalls. Elsewhere, or
// where it cannot be made, the ops are queued from Go.
const putBatchSource = `
let off = 0;
for (let i = 0, n = tables.length; i < n; i++) {
	const os = stores[tables[i] & 0x7f], k = ends[2 * i], v = ends[2 * i + 1];
	const key = buf.subarray(off, k);
	if (tables[i] & 0x80) os.delete(key);
	else os.put(buf.slice(k, v), key);
	off = v;
}`

// maxBatchTables bounds the tables of one putBatch call (a table's
// number takes 7 bits, the delete flag the eighth).
const maxBatchTables = 0x80

// getBatchSource queues a get of each key of buf (ends: where each
// ends) and returns the requests; collectSource gathers their results
// into one array of the values one after the other and one of their
// lengths (-1: none), copied into Go at once (from Go, reading a result
// took four calls).
const (
	getBatchSource = `
const reqs = new Array(ends.length);
let off = 0;
for (let i = 0; i < ends.length; i++) { reqs[i] = os.get(buf.subarray(off, ends[i])); off = ends[i]; }
return reqs;`
	collectSource = `
const vals = new Array(reqs.length), lens = new Int32Array(reqs.length);
let size = 0;
for (let i = 0; i < reqs.length; i++) {
	let v = reqs[i].result;
	if (v === undefined) { lens[i] = -1; continue; }
	if (!(v instanceof Uint8Array)) {
		if (typeof v !== "object" || v === null || typeof v.byteLength !== "number") return null;
		v = new Uint8Array(v);
	}
	vals[i] = v; lens[i] = v.length; size += v.length;
}
const all = new Uint8Array(size);
size = 0;
for (let i = 0; i < reqs.length; i++) if (vals[i]) { all.set(vals[i], size); size += vals[i].length; }
return [all, new Uint8Array(lens.buffer)];`
)

// batchFuncs are the functions that queue and read many requests with
// one call each (undefined: from Go).
var batchFuncs struct {
	put, get, collect js.Value
}

// The store calls these when UseBatchCalls has made the functions (nil
// otherwise: a program that never calls it links none of this file).
var (
	batchQueue func(tx js.Value, stores map[string]js.Value, ops []store.Op, staging js.Value) bool
	batchGet   func(ctx context.Context, tx js.Value, table string, keys []string) ([][]byte, bool, error)
)

// UseBatchCalls makes every store of this program queue the requests
// of a Write, and of a GetMany, by one call each into JavaScript, where
// the program runs in a worker whose policy allows it (see
// putBatchSource); elsewhere it does nothing. Call it at start, before
// any store is used: the import and search workers do; the page, whose
// policy forbids it, does not.
func UseBatchCalls() {
	if js.Global().Get("WorkerGlobalScope").Truthy() {
		setBatchCalls(true)
	}
}

// setBatchCalls makes the batch functions and has the stores call them
// (on: where the policy allows them), or queue from Go (off).
func setBatchCalls(on bool) {
	batchFuncs.put, batchFuncs.get, batchFuncs.collect = js.Undefined(), js.Undefined(), js.Undefined()
	batchQueue, batchGet = nil, nil
	if !on {
		return
	}
	err := try(func() {
		fn := js.Global().Get("Function")
		put := fn.New("stores", "buf", "ends", "tables", putBatchSource)
		get := fn.New("os", "buf", "ends", getBatchSource)
		collect := fn.New("reqs", collectSource)
		batchFuncs.put, batchFuncs.get, batchFuncs.collect = put, get, collect
	})
	if err != nil {
		return
	}
	batchQueue = func(tx js.Value, stores map[string]js.Value, ops []store.Op, staging js.Value) bool {
		return queueBatch(batchFuncs.put, tx, stores, ops, staging)
	}
	batchGet = getBatch
}

// queueBatch queues ops, whose keys and values are in staging one after
// the other, with one call of fn (putBatch), and reports whether it did
// (not for more than maxBatchTables tables).
func queueBatch(fn, tx js.Value, stores map[string]js.Value, ops []store.Op, staging js.Value) bool {
	var names []string
	index := map[string]int{}
	ends := make([]byte, 8*len(ops))
	tables := make([]byte, len(ops))
	off := 0
	for i, op := range ops {
		t, ok := index[op.Table]
		if !ok {
			if t = len(names); t == maxBatchTables {
				return false
			}
			index[op.Table] = t
			names = append(names, op.Table)
		}
		tables[i] = byte(t)
		if op.Delete {
			tables[i] |= 0x80
		}
		off += len(op.Key)
		binary.LittleEndian.PutUint32(ends[8*i:], uint32(off))
		off += len(op.Value)
		binary.LittleEndian.PutUint32(ends[8*i+4:], uint32(off))
	}
	os := arrayObject.New(len(names))
	for i, name := range names {
		st, ok := stores[name]
		if !ok {
			st = tx.Call("objectStore", name)
			stores[name] = st
		}
		os.SetIndex(i, st)
	}
	endsJS := uint32Array.New(jsBytes(ends).Get("buffer"))
	fn.Invoke(os, staging, endsJS, jsBytes(tables))
	return true
}

// getBatch reads keys of the object store os of tx, queued by one call
// of the get batch function, and waits for tx; it reports whether it
// did (always).
func getBatch(ctx context.Context, tx js.Value, table string, keys []string) ([][]byte, bool, error) {
	size := 0
	for _, k := range keys {
		size += len(k)
	}
	buf := make([]byte, 0, size)
	ends := make([]byte, 4*len(keys))
	for i, k := range keys {
		buf = append(buf, k...)
		binary.LittleEndian.PutUint32(ends[4*i:], uint32(len(buf)))
	}
	var reqs js.Value
	err := try(func() {
		os := tx.Call("objectStore", table)
		reqs = batchFuncs.get.Invoke(os, jsBytes(buf), uint32Array.New(jsBytes(ends).Get("buffer")))
	})
	if err != nil {
		try(func() { tx.Call("abort") })
		return nil, true, err
	}
	if err := awaitTx(ctx, tx); err != nil {
		return nil, true, err
	}
	var out js.Value
	if err := try(func() { out = batchFuncs.collect.Invoke(reqs) }); err != nil {
		return nil, true, err
	}
	if out.IsNull() {
		return nil, true, fmt.Errorf("indexeddb: a stored value of %s is not bytes", table)
	}
	all, lens := bytesOf(out.Index(0)), bytesOf(out.Index(1))
	values := make([][]byte, len(keys))
	for i := range values {
		n := int32(binary.LittleEndian.Uint32(lens[4*i:]))
		if n < 0 {
			continue
		}
		values[i], all = all[:n:n], all[n:]
	}
	return values, true, nil
}

// bytesOf copies a Uint8Array into Go.
func bytesOf(v js.Value) []byte {
	b := make([]byte, v.Get("length").Int())
	js.CopyBytesToGo(b, v)
	return b
}
