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

// walk lists the files under dir, sorted by path: walkSorted's, all at
// once.
func walk(dir, out string) ([]source, error) {
	var srcs []source
	err := walkSorted(dir, out, func(s source) bool {
		srcs = append(srcs, s)
		return true
	})
	return srcs, err
}

// walkSorted calls yield with each file under dir in path order, as it
// finds them (so that a build parses the first files while the walk goes
// on), until yield returns false. It skips hidden files and folders
// (.git), the folder out when it lies inside dir, and follows a link
// only to a file inside dir (a link elsewhere is listed with a reason).
// Only a failure to read the folder is an error.
func walkSorted(dir, out string, yield func(source) bool) error {
	root, err := realPath(dir)
	if err != nil {
		return err
	}
	outAbs, err := realPath(out)
	if err != nil {
		return err
	}
	if fi, err := os.Stat(root); err != nil || !fi.IsDir() {
		return err // a file: no folder to list
	}
	w := walker{root: root, out: outAbs, yield: yield}
	_, err = w.dir(root, "")
	return err
}

// walker visits a folder's tree in path order.
type walker struct {
	root, out string
	yield     func(source) bool
}

// dir visits the folder at p, whose path in the archive is rel ("" for
// the root), and reports whether to go on.
func (w *walker) dir(p, rel string) (bool, error) {
	ents, err := os.ReadDir(p)
	if err != nil {
		return false, err
	}
	for _, e := range pathOrder(ents) {
		name := e.Name()
		if strings.HasPrefix(name, ".") {
			continue // hidden
		}
		abs, path := filepath.Join(p, name), name
		if rel != "" {
			path = rel + "/" + name
		}
		if e.IsDir() {
			if abs == w.out {
				continue
			}
			if more, err := w.dir(abs, path); !more || err != nil {
				return more, err
			}
			continue
		}
		s, err := describe(w.root, abs, e)
		s.path = path
		if !w.yield(s) || err != nil {
			return false, err
		}
	}
	return true, nil
}

// pathOrder sorts a folder's entries in the order of the paths under
// them: a folder's name sorts as if followed by "/" (so "a.txt" comes
// before the folder "a", whose files' paths are "a/…", as strings.Compare
// has it), a file's as itself.
func pathOrder(ents []fs.DirEntry) []fs.DirEntry {
	type keyed struct {
		key string
		e   fs.DirEntry
	}
	ks := make([]keyed, len(ents))
	for i, e := range ents {
		ks[i] = keyed{e.Name(), e}
		if e.IsDir() {
			ks[i].key += "/"
		}
	}
	slices.SortFunc(ks, func(a, b keyed) int { return strings.Compare(a.key, b.key) })
	for i := range ks {
		ents[i] = ks[i].e
	}
	return ents
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
