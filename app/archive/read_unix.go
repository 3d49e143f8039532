//go:build unix

package archive

import (
	"slices"
	"syscall"
)

// file is an open file read by system calls: os.Open's *os.File costs
// five more a file (the poller's registration and flags), a hundred
// thousand of them in a build.
type file int

func openFile(path string) (file, error) {
	for {
		fd, err := syscall.Open(path, syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
		if err != syscall.EINTR {
			return file(fd), err
		}
	}
}

// readAll appends the file's bytes to buf, up to limit bytes in all: one
// read when buf has room for them, since a short read of a regular file
// is its end.
func (f file) readAll(buf []byte, limit int) ([]byte, error) {
	for len(buf) < limit {
		if len(buf) == cap(buf) {
			buf = slices.Grow(buf, min(cap(buf), limit-len(buf)))
		}
		want := min(cap(buf), limit) - len(buf)
		n, err := syscall.Read(int(f), buf[len(buf):len(buf)+want])
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return buf, err
		}
		buf = buf[:len(buf)+n]
		if n < want {
			break
		}
	}
	return buf, nil
}

func (f file) size() (int64, error) {
	var st syscall.Stat_t
	err := syscall.Fstat(int(f), &st)
	return st.Size, err
}

func (f file) close() { syscall.Close(int(f)) }
