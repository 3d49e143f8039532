//go:build !linux

package parser

import "time"

// cpuNow is wall time where the process CPU clock is not at hand (under
// WebAssembly the program is one thread, so wall time is its cost plus
// whatever else the machine does).
func cpuNow() time.Duration { return time.Duration(time.Now().UnixNano()) }

// cpuClock names what cpuNow measures.
const cpuClock = "wall"
