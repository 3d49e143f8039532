package library

import "errors"

// ErrZip is wrapped by the errors of a damaged zip file or entry.
var ErrZip = errors.New("library: bad zip file")

// Limits of ExpandZip against zip bombs.
const (
	MaxZipEntries = 200_000
	MaxZipTotal   = 1 << 30 // total uncompressed bytes
)

// ExpandZip returns the files of a zip archive of articles: every regular
// file, with its path as Name, except folders, __MACOSX and dotfiles. An
// entry larger than parser.MaxSize or unreadable is returned with Err set
// and no Data. It fails if f is not a zip, has more than MaxZipEntries
// entries, or expands to more than MaxZipTotal bytes.
func ExpandZip(f File) ([]File, error) {
	return nil, errTODO
}
