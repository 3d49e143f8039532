package archive

import (
	"fmt"
	"slices"
	"sync"

	"github.com/broadsheet/broadsheet/parser"
)

// Buffers reused: of file bytes, which nothing keeps once a file is
// parsed, and of articles' JSON, which importChunk puts back once the
// store has copied them.
var (
	fileBufs = sync.Pool{New: func() any { return new([]byte) }}
	jsonBufs = sync.Pool{New: func() any { return new([]byte) }}
)

// readSource reads the file of s into buf (grown as needed) and returns
// its bytes, or why it is skipped: larger than parser.MaxSize, which the
// walk leaves to the read to find (it does not stat each file). size is
// the file's size in bytes either way.
func readSource(s source, buf []byte) (data []byte, size int64, skip string, err error) {
	f, err := openFile(s.abs)
	if err != nil {
		return buf[:0], 0, "", err
	}
	defer f.close()
	data, err = f.readAll(slices.Grow(buf[:0], int(max(s.size, 4<<10))+1), parser.MaxSize+1)
	switch {
	case err != nil:
		return data, 0, "", err
	case len(data) <= parser.MaxSize:
		return data, int64(len(data)), "", nil
	}
	if size, err = f.size(); err != nil {
		return data, 0, "", err
	}
	return data[:0], size, reasonOf(fmt.Errorf("%w: %d bytes", parser.ErrTooLarge, size)), nil
}
