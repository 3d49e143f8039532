//go:build !linux

package scratch

import "os"

// mapFile maps nothing here: scans read their values (see mapped_linux.go; other systems differ in madvise).
func mapFile(*os.File, int64) []byte { return nil }

func dropMapped([]byte) {}

func unmapFile([]byte) {}
