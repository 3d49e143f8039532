//go:build js && wasm

package search

import (
	"syscall/js"
	"time"
)

// processCPU is the user and system time of the process running the
// wasm (Node's process.cpuUsage; under wasmbrowsertest, where there is
// no process, 0), as bulk_bench_test.go's is natively.
func processCPU() time.Duration {
	p := js.Global().Get("process")
	if p.Type() != js.TypeObject || p.Get("cpuUsage").Type() != js.TypeFunction {
		return 0
	}
	u := p.Call("cpuUsage")
	return time.Duration(u.Get("user").Float()+u.Get("system").Float()) * time.Microsecond
}
