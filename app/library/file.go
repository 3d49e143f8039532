package library

import (
	"errors"
	"fmt"
	"time"

	"github.com/broadsheet/broadsheet/app/store"
	"github.com/broadsheet/broadsheet/parser"
)

// File is one file offered for import: its name (a path inside a folder or
// zip), its bytes and its modification time.
type File struct {
	Name     string
	Data     []byte
	Modified time.Time
	// Err is set by ExpandZip on an entry it could not read (too large,
	// corrupt); Import reports such a file as Failed with this error.
	Err error
}

// Meta is the light record of an article shown in lists.
type Meta struct {
	ID        string    `json:"id"`
	Title     string    `json:"title"`
	Source    string    `json:"source,omitempty"`
	Authors   []string  `json:"authors,omitempty"`
	Published string    `json:"published,omitempty"`
	SavedAt   time.Time `json:"savedAt,omitzero"`
	Lang      string    `json:"lang,omitempty"`
	FileName  string    `json:"fileName,omitempty"`
	Size      int       `json:"size"`
	Modified  time.Time `json:"modified,omitzero"`
	Imported  time.Time `json:"imported,omitzero"`
}

// Status is what Import did with one file.
type Status int

// The statuses of an import Result.
const (
	Added     Status = iota // a new article was stored
	Updated                 // a newer copy replaced the stored article
	Unchanged               // the stored copy is the same or newer
	Failed                  // the file was not stored; Result.Err says why
)

var statusNames = [...]string{"added", "updated", "unchanged", "failed"}

func (s Status) String() string {
	if s < 0 || int(s) >= len(statusNames) {
		return fmt.Sprintf("Status(%d)", int(s))
	}
	return statusNames[s]
}

// Result is the outcome of importing one file.
type Result struct {
	Name   string
	ID     string
	Status Status
	// Article is the parsed article of an Added or Updated file (for
	// indexing it); nil otherwise.
	Article *parser.Article
	// Err wraps the parser's error (parser.ErrNotArticle, ErrTooLarge, …)
	// or the store's when Status is Failed.
	Err error
}

// Reason says in plain words why a file was not added.
func (r Result) Reason() string {
	switch r.Status {
	case Added:
		return "added"
	case Updated:
		return "replaced an older copy"
	case Unchanged:
		return "already in the library"
	}
	return reason(r.Err)
}

// reason turns an import error into plain words.
func reason(err error) string {
	switch {
	case err == nil:
		return "failed"
	case errors.Is(err, parser.ErrEmpty):
		return "the file is empty"
	case errors.Is(err, parser.ErrBinary):
		return "not a text file"
	case errors.Is(err, parser.ErrTooLarge):
		return fmt.Sprintf("the file is too large (over %d MB)", parser.MaxSize>>20)
	case errors.Is(err, parser.ErrNotArticle):
		return "not a saved article"
	case errors.Is(err, parser.ErrEncoding):
		return "the text encoding could not be read"
	case errors.Is(err, ErrZip):
		return "a damaged entry of the zip file"
	case errors.Is(err, ErrParser):
		return "the file could not be read (an error in Broadsheet)"
	}
	return storeReason(err)
}

// storeReason turns a store error into plain words.
func storeReason(err error) string {
	switch {
	case errors.Is(err, store.ErrQuota):
		return "the browser's storage for this site is full"
	case errors.Is(err, store.ErrClosed):
		return "the library was closed"
	}
	return err.Error()
}
