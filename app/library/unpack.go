package library

import (
	"fmt"
	"path"
	"strings"

	"github.com/broadsheet/broadsheet/parser"
)

// IsZip reports whether a file name is a zip archive's.
func IsZip(name string) bool {
	return strings.EqualFold(path.Ext(name), ".zip")
}

// TooLarge reports whether a file of size bytes named name is refused
// without reading it: over parser.MaxSize, unless it is a zip archive.
func TooLarge(name string, size int64) bool {
	return size > parser.MaxSize && !IsZip(name)
}

// ErrTooLarge is the error of a file TooLarge refuses.
func ErrTooLarge(size int64) error {
	return fmt.Errorf("%w: %d bytes", parser.ErrTooLarge, size)
}

// Unpack returns the files to import for f: f itself, or for a zip
// archive its entries named "ARCHIVE.zip/PATH" (ExpandZip). A damaged or
// empty archive gives one file named like the archive with Err set, so
// that Import reports it.
func Unpack(f File) []File {
	if f.Err != nil || !IsZip(f.Name) {
		return []File{f}
	}
	files, err := ExpandZip(f)
	if err == nil && len(files) == 0 {
		err = fmt.Errorf("%w: %s holds no files", parser.ErrEmpty, f.Name)
	}
	if err != nil {
		return []File{{Name: f.Name, Modified: f.Modified, Err: err}}
	}
	for i := range files {
		files[i].Name = f.Name + "/" + files[i].Name
	}
	return files
}
