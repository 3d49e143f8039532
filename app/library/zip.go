package library

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/broadsheet/broadsheet/parser"
)

// ErrZip is wrapped by the errors of a damaged or oversized zip file.
var ErrZip = errors.New("library: bad zip file")

// Limits of ExpandZip against zip bombs.
const (
	MaxZipEntries = 200_000
	MaxZipTotal   = 1 << 30 // total uncompressed bytes
)

// ExpandZip returns the files of a zip archive of articles: every regular
// file, with its path as Name, except folders, __MACOSX and dotfiles. An
// entry larger than parser.MaxSize, or one that cannot be read, is returned
// with Err set and no Data, so that Import reports it. It fails with an
// error wrapping ErrZip if f is not a zip, has more than MaxZipEntries
// entries, or expands to more than MaxZipTotal bytes.
func ExpandZip(f File) ([]File, error) {
	zr, err := zip.NewReader(bytes.NewReader(f.Data), int64(len(f.Data)))
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrZip, f.Name, err)
	}
	if len(zr.File) > MaxZipEntries {
		return nil, fmt.Errorf("%w: %s has %d entries, more than %d", ErrZip, f.Name, len(zr.File), MaxZipEntries)
	}
	var files []File
	total := 0
	for _, zf := range zr.File {
		if skipEntry(zf) {
			continue
		}
		data, err := readEntry(zf)
		total += len(data)
		if total > MaxZipTotal {
			return nil, fmt.Errorf("%w: %s expands to more than %d MB", ErrZip, f.Name, MaxZipTotal>>20)
		}
		files = append(files, File{Name: entryName(zf), Data: data, Modified: zf.Modified, Err: err})
	}
	return files, nil
}

// skipEntry reports whether a zip entry is not an article candidate:
// folders, links, macOS resource forks and dotfiles.
func skipEntry(zf *zip.File) bool {
	if !zf.Mode().IsRegular() || strings.HasSuffix(zf.Name, "/") {
		return true
	}
	for _, part := range strings.Split(path.Clean(zf.Name), "/") {
		if part == "__MACOSX" || strings.HasPrefix(part, ".") {
			return true
		}
	}
	return false
}

// entryName returns the name of an entry as valid UTF-8. Zips made on
// Chinese Windows store names in the local code page without the UTF-8
// flag: such a name is decoded as GB18030 when that gives valid text.
func entryName(zf *zip.File) string {
	name := zf.Name
	if utf8.ValidString(name) {
		return name
	}
	if dec, err := simplifiedchinese.GB18030.NewDecoder().String(name); err == nil && utf8.ValidString(dec) && !strings.ContainsRune(dec, utf8.RuneError) {
		return dec
	}
	return strings.ToValidUTF8(name, "\uFFFD")
}

// readEntry reads one entry, at most parser.MaxSize bytes of it whatever
// its header claims.
func readEntry(zf *zip.File) ([]byte, error) {
	if zf.UncompressedSize64 > parser.MaxSize {
		return nil, fmt.Errorf("%w: %d bytes", parser.ErrTooLarge, zf.UncompressedSize64)
	}
	rc, err := zf.Open()
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrZip, err)
	}
	defer rc.Close()
	data, err := io.ReadAll(io.LimitReader(rc, parser.MaxSize+1))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrZip, err)
	}
	if len(data) > parser.MaxSize {
		return nil, fmt.Errorf("%w: over %d bytes", parser.ErrTooLarge, parser.MaxSize)
	}
	return data, nil
}
