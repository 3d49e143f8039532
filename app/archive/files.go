package archive

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/broadsheet/broadsheet/app/library"
	"github.com/broadsheet/broadsheet/parser"
)

// FilesTable is the archive's table of its files: path -> fileRec JSON.
// A rebuild reads it to parse only the files whose bytes changed.
const FilesTable = "archive_files"

// fileRec is what a build learnt about one file.
type fileRec struct {
	Hash  string    `json:"h,omitempty"` // of the bytes (fileHash)
	ID    string    `json:"id,omitempty"`
	Saved time.Time `json:"s,omitzero"`  // the article's savedAt
	Text  int       `json:"t,omitempty"` // UTF-8 bytes of its title and text, when indexed
	Skip  string    `json:"e,omitempty"` // why it is not an article
	Err   string    `json:"err,omitempty"`
	// Size is the file's bytes, for the report (not stored: the table
	// keeps the hash).
	Size int64 `json:"-"`
}

func (r fileRec) marshal() []byte {
	b, err := json.Marshal(r)
	if err != nil {
		panic(err) // a struct of strings and a time
	}
	return b
}

func unmarshalRec(b []byte) (fileRec, error) {
	var r fileRec
	err := json.Unmarshal(b, &r)
	return r, err
}

// fileHash names a file's bytes: 16 hex digits of their SHA-256.
func fileHash(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:8])
}

// reasonOf says in the library's plain words why a file is no article.
func reasonOf(err error) string {
	return library.Result{Status: library.Failed, Err: err}.Reason()
}

// parse is parser.Parse; tests replace it.
var parse = parser.Parse

// safeParse is parser.Parse, with a panic turned into an error of the
// file (library.ErrParser) and an article without ID refused as the
// library refuses it.
func safeParse(data []byte) (a *parser.Article, err error) {
	defer func() {
		if r := recover(); r != nil {
			a, err = nil, fmt.Errorf("%w: %v", library.ErrParser, r)
		}
	}()
	a, err = parse(data)
	if err == nil && a.ID == "" {
		a, err = nil, fmt.Errorf("%w: no id", parser.ErrNotArticle)
	}
	return a, err
}

// recOf is the record of a file parsed to a or err.
func recOf(hash string, a *parser.Article, err error) fileRec {
	r := fileRec{Hash: hash}
	if err != nil {
		r.Skip = reasonOf(err)
		if errors.Is(err, library.ErrParser) {
			r.Err = err.Error()
		}
		return r
	}
	r.ID, r.Saved = a.ID, a.SavedAt
	return r
}

// newerSaved is the library's rule for two copies of one article without
// modification times: the later savedAt, when both have one.
func newerSaved(a, b time.Time) bool {
	return !a.IsZero() && !b.IsZero() && a.After(b)
}

// winners returns, for each article ID, the path of the file that holds
// it: of the files with that ID, in path order, each newer copy replaces
// the one before (what importing them in that order does).
func winners(paths []string, recs map[string]fileRec) map[string]string {
	w := map[string]string{}
	for _, p := range paths {
		r := recs[p]
		if r.ID == "" {
			continue
		}
		if cur, ok := w[r.ID]; !ok || newerSaved(r.Saved, recs[cur].Saved) {
			w[r.ID] = p
		}
	}
	return w
}
