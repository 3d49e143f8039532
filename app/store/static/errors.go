package static

import "errors"

// Errors of this package; match them with errors.Is. A missing key, an
// unknown table, a closed store and a manifest of a newer format give the
// errors of package store.
var (
	// ErrReadOnly is returned by Store.Write: a static archive is changed
	// only by writing it again.
	ErrReadOnly = errors.New("static: the archive is read-only")
	// ErrCorrupt is returned for a pack or manifest whose bytes cannot be
	// decoded, do not hash to the pack's name, or disagree with the manifest.
	ErrCorrupt = errors.New("static: corrupt archive file")
	// ErrStale is returned, beside fs.ErrNotExist, when a pack named by
	// the manifest is missing: most likely the archive was rebuilt since
	// Open, and opening it again reads the new manifest.
	ErrStale = errors.New("static: pack missing: the archive changed since it was opened")
)
