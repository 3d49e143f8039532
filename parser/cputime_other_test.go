//go:build !linux && !(js && wasm)

package parser

import "time"

// cpuNow is wall time where no process CPU clock is at hand: it measures
// the cost plus whatever else the machine does.
func cpuNow() time.Duration { return time.Duration(time.Now().UnixNano()) }

// cpuClock names what cpuNow measures.
const cpuClock = "wall"
