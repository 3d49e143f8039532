package e2e

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/broadsheet/broadsheet/app/ghpages"
)

// siteBase is the base path the site is built for, as for a GitHub Pages
// project site named REPO.
const siteBase = "/REPO/"

// The site built once by TestMain, or why it could not be built.
var (
	siteDir string
	siteErr error
)

func TestMain(m *testing.M) {
	flag.Parse()
	os.Exit(runMain(m))
}

// runMain builds the site when a browser is there to use it, runs the
// tests and removes the site.
func runMain(m *testing.M) int {
	if testing.Short() {
		siteErr = errors.New("-short: the site was not built")
		return m.Run()
	}
	if chromiumPath() == "" {
		siteErr = errors.New("no Chromium: the site was not built")
		return m.Run()
	}
	dir, err := os.MkdirTemp("", "broadsheet-site-")
	if err != nil {
		siteErr = err
		return m.Run()
	}
	defer os.RemoveAll(dir)
	siteDir = dir
	siteErr = buildSite(dir)
	code := m.Run()
	if synthDir != "" {
		os.RemoveAll(synthDir)
	}
	return code
}

// repoRoot is the repository root, two levels above this package.
func repoRoot() string {
	abs, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		panic(err)
	}
	return abs
}

// buildSite runs exactly `./build.sh site --base /REPO/ --out DIR` from the
// repository root.
func buildSite(dir string) error {
	cmd := exec.Command("./build.sh", "site", "--base", siteBase, "--out", dir)
	cmd.Dir = repoRoot()
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("./build.sh site --base %s --out %s: %v\n%s", siteBase, dir, err, tail(out, 3000))
	}
	if _, err := os.Stat(filepath.Join(dir, "index.html")); err != nil {
		return fmt.Errorf("./build.sh site wrote no index.html: %v", err)
	}
	return nil
}

// tail returns the last n bytes of b as text.
func tail(b []byte, n int) string {
	if len(b) > n {
		b = b[len(b)-n:]
	}
	return string(b)
}

// inCI tells whether the tests run in CI, where nothing may be skipped.
func inCI() bool { return os.Getenv("CI") == "true" }

// missing fails the test in CI and skips it elsewhere.
func missing(tb testing.TB, format string, args ...any) {
	tb.Helper()
	if inCI() {
		tb.Fatalf(format, args...)
	}
	tb.Skipf(format, args...)
}

// chromiumPath returns Debian's Chromium, or "" when it is not installed.
func chromiumPath() string {
	for _, p := range []string{"/usr/bin/chromium"} {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	if p, err := exec.LookPath("chromium"); err == nil {
		return p
	}
	return ""
}

// serveSite checks that Chromium and the site are there, and serves the
// site like GitHub Pages on a random port of 127.0.0.1. It returns the
// site's address, ending in siteBase.
func serveSite(tb testing.TB) string {
	tb.Helper()
	if testing.Short() {
		tb.Skip("browser tests do not run with -short")
	}
	if chromiumPath() == "" {
		missing(tb, "Chromium is not installed (apt-get install chromium)")
	}
	if siteErr != nil {
		tb.Fatalf("building the site: %v", siteErr)
	}
	srv := httptest.NewServer(ghpages.New(siteDir, siteBase, ghpages.Options{NoStore: true}))
	tb.Cleanup(srv.Close)
	return srv.URL + siteBase
}

// sharedDir returns ../shared beside the repository, holding the samples
// and the corpus.
func sharedDir(tb testing.TB) string {
	tb.Helper()
	dir := filepath.Join(repoRoot(), "..", "shared")
	if _, err := os.Stat(filepath.Join(dir, "corpus", "dev")); err != nil {
		missing(tb, "the corpus is not at %s: %v", dir, err)
	}
	return dir
}

// sampleFiles returns the file names of the built-in sample library, as
// the site lists them in web/samples/index.json.
func sampleFiles(tb testing.TB) []string {
	tb.Helper()
	data, err := os.ReadFile(filepath.Join(siteDir, "web", "samples", "index.json"))
	if err != nil {
		tb.Fatalf("reading the sample index: %v", err)
	}
	var idx struct {
		Files []string `json:"files"`
	}
	if err := json.Unmarshal(data, &idx); err != nil {
		tb.Fatalf("decoding the sample index: %v", err)
	}
	var names []string
	for _, f := range idx.Files {
		if !strings.HasSuffix(f, "/") {
			names = append(names, f)
		}
	}
	return names
}
