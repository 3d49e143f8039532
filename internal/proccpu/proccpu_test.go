//go:build unix

package proccpu

import (
	"testing"
	"time"
)

// TestUsedGrows: natively the CPU time is known and grows with work.
func TestUsedGrows(t *testing.T) {
	before := Used()
	if before <= 0 {
		t.Fatalf("Used() = %v, want the process's CPU time", before)
	}
	x := uint64(1)
	for start := time.Now(); time.Since(start) < 50*time.Millisecond; {
		x = x*6364136223846793005 + 1
	}
	if after := Used(); after <= before {
		t.Errorf("Used() after 50 ms of work = %v, before %v (%d)", after, before, x)
	}
}

func TestSystemWithinUsed(t *testing.T) {
	if s, u := System(), Used(); s < 0 || s > u {
		t.Errorf("System() = %v, Used() = %v: want 0 ≤ system ≤ all", s, u)
	}
}
