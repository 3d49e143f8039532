//go:build js && wasm

package indexeddb

import "syscall/js"

// setBatchFuncs makes the batch functions (on) or leaves them undefined,
// for tests and benchmarks of both ways.
func setBatchFuncs(on bool) {
	putBatchFunc()
	batchFuncs.put, batchFuncs.get, batchFuncs.collect = js.Undefined(), js.Undefined(), js.Undefined()
	if on {
		makeBatchFuncs()
	}
}
