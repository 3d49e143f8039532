//go:build unix

package proccpu

import (
	"syscall"
	"time"
)

// Used is the user and system CPU time of the process so far (0 if
// unknown).
func Used() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// System is the system (kernel) part of Used: on a loaded file system
// mostly the creation of files (0 if unknown).
func System() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Stime.Nano())
}
