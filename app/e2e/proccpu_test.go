package e2e

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// descendantsCPU returns the CPU time (user and system, in seconds) of
// the processes under this test's (the browser's: its renderers, its
// GPU, network and storage services, where IndexedDB runs), read from
// /proc (0 where there is none): on a machine shared with others the
// wall time of a benchmark swings with their load, the CPU its browser
// spent much less.
func descendantsCPU() float64 {
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	parent := map[int]int{}
	ticks := map[int]float64{}
	for _, p := range stats {
		b, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		s := string(b)
		i := strings.LastIndexByte(s, ')') // the command may hold spaces
		if i < 0 {
			continue
		}
		f := strings.Fields(s[i+1:]) // state, ppid, … utime (12th), stime (13th)
		if len(f) < 13 {
			continue
		}
		pid, _ := strconv.Atoi(filepath.Base(filepath.Dir(p)))
		parent[pid], _ = strconv.Atoi(f[1])
		u, _ := strconv.ParseFloat(f[11], 64)
		st, _ := strconv.ParseFloat(f[12], 64)
		ticks[pid] = u + st
	}
	self := os.Getpid()
	var sum float64
	for pid, t := range ticks {
		for p := parent[pid]; p > 1; p = parent[p] {
			if p == self {
				sum += t
				break
			}
		}
	}
	return sum / 100 // USER_HZ
}
