//go:build !unix

package archive

import "time"

// cpuTime is unknown here.
func cpuTime() time.Duration { return 0 }

// sysTime is unknown here.
func sysTime() time.Duration { return 0 }
