package parser

import (
	"syscall"
	"time"
	"unsafe"
)

// cpuNow is the CPU time the process has used (all its threads, the
// garbage collector's included), which advances only while it runs: on a
// machine shared with other work it measures cost where wall time
// measures load.
func cpuNow() time.Duration {
	const clockProcessCPUTimeID = 2
	var ts syscall.Timespec
	_, _, errno := syscall.Syscall(syscall.SYS_CLOCK_GETTIME, clockProcessCPUTimeID, uintptr(unsafe.Pointer(&ts)), 0)
	if errno != 0 {
		return time.Duration(time.Now().UnixNano())
	}
	return time.Duration(ts.Nano())
}

// cpuClock names what cpuNow measures.
const cpuClock = "cpu"
