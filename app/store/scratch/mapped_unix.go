//go:build unix

package scratch

import (
	"os"
	"syscall"
)

// mapFile maps the first size bytes of f read-only, for a scan that
// takes its values where they lie (ScanNoCopy) rather than copying each
// out by a system call; nil when it cannot (the scan then reads).
// Nothing is written in place in the file, and it only grows: the
// mapped bytes do not change while the mapping lives.
func mapFile(f *os.File, size int64) []byte {
	if size <= 0 || int64(int(size)) != size {
		return nil
	}
	b, err := syscall.Mmap(int(f.Fd()), 0, int(size), syscall.PROT_READ, syscall.MAP_SHARED)
	if err != nil {
		return nil
	}
	syscall.Madvise(b, syscall.MADV_SEQUENTIAL) // a hint: its error changes nothing
	return b
}

// unmapFile undoes mapFile.
func unmapFile(b []byte) {
	if b != nil {
		syscall.Munmap(b)
	}
}
