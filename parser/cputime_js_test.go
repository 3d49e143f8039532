//go:build js && wasm

package parser

import (
	"syscall/js"
	"time"
)

// cpuNow is the CPU time of the Node process running the test
// (process.cpuUsage: user and system microseconds), which other work on
// the machine does not inflate; in a browser, which has no such clock, it
// is wall time.
func cpuNow() time.Duration {
	process := js.Global().Get("process")
	if process.Type() != js.TypeObject || process.Get("cpuUsage").Type() != js.TypeFunction {
		return time.Duration(time.Now().UnixNano())
	}
	u := process.Call("cpuUsage")
	return time.Duration(u.Get("user").Float()+u.Get("system").Float()) * time.Microsecond
}

// cpuClock names what cpuNow measures.
var cpuClock = func() string {
	if js.Global().Get("process").Type() == js.TypeObject {
		return "cpu"
	}
	return "wall"
}()
