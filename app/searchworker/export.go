package main

import (
	"archive/zip"
	"context"
	"io"
	"path"
	"strings"
	"time"

	"github.com/broadsheet/broadsheet/app/library"
)

// exportPage is the number of articles listed per step of an export.
const exportPage = 200

// exportLibrary writes every article's original file into a zip archive
// on w, the backup the import panel reads back (a zip is expanded on
// import). It runs in the worker, which holds the library's database
// too: the zip writer stays out of the page's wasm. Entry names are the files' names, made unique; times are the
// files' modification times. The archive streams out as it is written:
// the library is never held whole in memory. It returns the number of
// files.
func exportLibrary(ctx context.Context, l *library.Library, w io.Writer, now time.Time) (int, error) {
	zw := zip.NewWriter(w)
	used := map[string]bool{}
	n := 0
	q := library.Query{Limit: exportPage}
	for {
		items, _, err := l.List(ctx, q)
		if err != nil {
			return 0, err
		}
		for _, m := range items {
			if err := exportOne(ctx, zw, l, m.ID, used, now); err != nil {
				return 0, err
			}
			n++
		}
		if len(items) < exportPage {
			break
		}
		q.After = items[len(items)-1].ID
	}
	return n, zw.Close()
}

// exportOne adds article id's original file to the archive.
func exportOne(ctx context.Context, zw *zip.Writer, l *library.Library, id string, used map[string]bool, now time.Time) error {
	f, err := l.Original(ctx, id)
	if err != nil {
		return err
	}
	mod := f.Modified
	if mod.IsZero() {
		mod = now
	}
	w, err := zw.CreateHeader(&zip.FileHeader{
		Name:     exportName(f.Name, id, used),
		Method:   zip.Deflate,
		Modified: mod,
	})
	if err != nil {
		return err
	}
	_, err = w.Write(f.Data)
	return err
}

// exportName is a safe, unused entry name for a file: its path cleaned of
// leading slashes and "..", with the article id added before the
// extension when the name is taken (or the id alone when it is empty).
func exportName(name, id string, used map[string]bool) string {
	name = strings.TrimPrefix(path.Clean("/"+strings.ReplaceAll(name, "\\", "/")), "/")
	if name == "" || name == "." {
		name = id + ".md"
	}
	if used[name] {
		ext := path.Ext(name)
		name = strings.TrimSuffix(name, ext) + "-" + id + ext
	}
	used[name] = true
	return name
}
