//go:build !unix

package scratch

import "os"

// mapFile maps nothing here: scans read their values (see mapped_unix.go).
func mapFile(*os.File, int64) []byte { return nil }

func dropMapped([]byte) {}

func unmapFile([]byte) {}
