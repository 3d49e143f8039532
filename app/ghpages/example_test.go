package ghpages_test

import (
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"

	"github.com/broadsheet/broadsheet/app/ghpages"
)

// A project site under /REPO/: the base without its slash is redirected,
// and /REPO/read is served by read.html as GitHub Pages does.
func ExampleNew() {
	dir, _ := os.MkdirTemp("", "site")
	defer os.RemoveAll(dir)
	os.WriteFile(filepath.Join(dir, "index.html"), []byte("library"), 0o644)
	os.WriteFile(filepath.Join(dir, "read.html"), []byte("reader"), 0o644)

	h := ghpages.New(dir, "/REPO/", ghpages.Options{NoStore: true})
	for _, target := range []string{"/REPO", "/REPO/", "/REPO/read?id=a%2Fb", "/REPO/gone"} {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest("GET", target, nil))
		fmt.Println(target, w.Code, w.Header().Get("Location"), w.Header().Get("Cache-Control"))
	}
	// Output:
	// /REPO 301 /REPO/ no-store
	// /REPO/ 200  no-store
	// /REPO/read?id=a%2Fb 200  no-store
	// /REPO/gone 404  no-store
}
