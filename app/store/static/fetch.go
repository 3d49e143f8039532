package static

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"strings"
)

// Fetcher reads the files of an archive. Names are relative to the
// archive's root ("manifest.json", "p/<hash>.pack"); a missing file gives
// an error matching fs.ErrNotExist.
type Fetcher interface {
	Fetch(ctx context.Context, name string) ([]byte, error)
}

// maxFetch is the largest file a fetcher reads.
const maxFetch = 1 << 30

// DirFetcher reads an archive from a directory of the local file system.
// No name reaches outside dir.
func DirFetcher(dir string) Fetcher { return dirFetcher(dir) }

type dirFetcher string

func (d dirFetcher) Fetch(ctx context.Context, name string) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	root, err := os.OpenRoot(string(d))
	if err != nil {
		return nil, err
	}
	defer root.Close()
	return root.ReadFile(name)
}

// withSlash ends a non-empty base URL with a slash, so names append to it.
func withSlash(base string) string {
	if base != "" && !strings.HasSuffix(base, "/") {
		return base + "/"
	}
	return base
}

// statusError turns an HTTP status other than 200 into an error; 404 and
// 410 match fs.ErrNotExist.
func statusError(code int, url string) error {
	switch code {
	case 200:
		return nil
	case 404, 410:
		return fmt.Errorf("static: %s: %w (HTTP %d)", url, fs.ErrNotExist, code)
	}
	return fmt.Errorf("static: %s: HTTP %d", url, code)
}
