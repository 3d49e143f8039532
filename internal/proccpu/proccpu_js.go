//go:build js && wasm

package proccpu

import (
	"syscall/js"
	"time"
)

// Used is the user and system CPU time of the Node process running the
// wasm (0 where there is no process: a browser).
func Used() time.Duration {
	user, system := usage()
	return user + system
}

// System is the system part of Used.
func System() time.Duration {
	_, system := usage()
	return system
}

// usage is Node's process.cpuUsage(), zeros where there is none.
func usage() (user, system time.Duration) {
	p := js.Global().Get("process")
	if p.Type() != js.TypeObject || p.Get("cpuUsage").Type() != js.TypeFunction {
		return 0, 0
	}
	u := p.Call("cpuUsage")
	return time.Duration(u.Get("user").Float()) * time.Microsecond, time.Duration(u.Get("system").Float()) * time.Microsecond
}
