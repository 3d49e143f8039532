//go:build linux

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
	return b
}

// dropMapped lets go of the pages of b the process has touched: the
// file's pages stay in the page cache, but no longer count in the
// process's resident memory, which a scan of the whole file would
// otherwise grow by the file's size (its peak is the builder's bound).
func dropMapped(b []byte) {
	if b != nil {
		syscall.Madvise(b, syscall.MADV_DONTNEED) // an error keeps them counted, no more
	}
}

// unmapFile undoes mapFile.
func unmapFile(b []byte) {
	if b != nil {
		syscall.Munmap(b)
	}
}
