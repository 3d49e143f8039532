//go:build !unix

package archive

import (
	"io"
	"os"
	"slices"
)

// file is an open file.
type file struct{ f *os.File }

func openFile(path string) (file, error) {
	f, err := os.Open(path)
	return file{f}, err
}

// readAll appends the file's bytes to buf, up to limit bytes in all.
func (f file) readAll(buf []byte, limit int) ([]byte, error) {
	for len(buf) < limit {
		if len(buf) == cap(buf) {
			buf = slices.Grow(buf, min(cap(buf), limit-len(buf)))
		}
		want := min(cap(buf), limit) - len(buf)
		n, err := f.f.Read(buf[len(buf) : len(buf)+want])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			break
		}
		if err != nil {
			return buf, err
		}
	}
	return buf, nil
}

func (f file) size() (int64, error) {
	fi, err := f.f.Stat()
	if err != nil {
		return 0, err
	}
	return fi.Size(), nil
}

func (f file) close() { f.f.Close() }
