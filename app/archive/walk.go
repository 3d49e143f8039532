package archive

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/broadsheet/broadsheet/parser"
)

// source is one file of the archive's folder.
type source struct {
	path string // slash-separated, relative to the folder: the file's name in the archive
	abs  string // where to read it
	size int64  // -1: not known before it is read (a regular file: the walk does not stat it)
	skip string // why it is not read at all (a link out of the folder, too large), or ""
}

// walk lists the files under dir, sorted by path. It skips hidden files
// and folders (.git), the folder out when it lies inside dir, and follows
// a link only to a file inside dir (a link elsewhere is listed with a
// reason). Only a failure to read the folder is an error.
func walk(dir, out string) ([]source, error) {
	root, err := realPath(dir)
	if err != nil {
		return nil, err
	}
	outAbs, err := realPath(out)
	if err != nil {
		return nil, err
	}
	var srcs []source
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p == root {
			return nil
		}
		hidden := strings.HasPrefix(d.Name(), ".")
		if d.IsDir() {
			if hidden || p == outAbs {
				return filepath.SkipDir
			}
			return nil
		}
		if hidden {
			return nil
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		s, err := describe(root, p, d)
		s.path = filepath.ToSlash(rel)
		srcs = append(srcs, s)
		return err
	})
	slices.SortFunc(srcs, func(a, b source) int { return strings.Compare(a.path, b.path) })
	return srcs, err
}

// describe says how to read the file p of the folder root. A regular
// file is not stat'ed: its size, and whether it is too large, are found
// as it is read (readSource), on the workers, not here before any.
func describe(root, p string, d fs.DirEntry) (source, error) {
	s := source{abs: p}
	switch {
	case d.Type().IsRegular():
		s.size = -1
		return s, nil
	case d.Type()&fs.ModeSymlink != 0:
		target, err := filepath.EvalSymlinks(p)
		if err != nil {
			s.skip = "a broken link"
			return s, nil
		}
		if !inside(root, target) {
			s.skip = "a link to outside the archive (not followed)"
			return s, nil
		}
		s.abs = target
	case !d.Type().IsRegular():
		s.skip = "not a regular file"
		return s, nil
	}
	fi, err := os.Stat(s.abs)
	if err != nil {
		return s, err
	}
	switch {
	case fi.IsDir():
		s.skip = "a link to a folder (not followed)"
	case !fi.Mode().IsRegular():
		s.skip = "not a regular file"
	case fi.Size() > parser.MaxSize:
		s.skip = reasonOf(fmt.Errorf("%w: %d bytes", parser.ErrTooLarge, fi.Size()))
	}
	s.size = fi.Size()
	return s, nil
}

// realPath is p made absolute, with links resolved when it exists.
func realPath(p string) (string, error) {
	abs, err := filepath.Abs(p)
	if err != nil {
		return "", err
	}
	if r, err := filepath.EvalSymlinks(abs); err == nil {
		return r, nil
	}
	return abs, nil
}

// inside reports whether path p lies under root.
func inside(root, p string) bool {
	rel, err := filepath.Rel(root, p)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}
