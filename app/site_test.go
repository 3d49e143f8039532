//go:build !(js && wasm)

package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// testWebDir is a copy of ../web with a stand-in app.wasm.
func testWebDir(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "web")
	if err := copyDir(filepath.Join("..", "web"), dir); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "app.wasm"), []byte("\x00asm stand-in"), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func readSiteFile(t *testing.T, out, name string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(out, name))
	if err != nil {
		t.Fatalf("site file %s: %v", name, err)
	}
	return string(data)
}

func TestWriteSite(t *testing.T) {
	web := testWebDir(t)
	for _, c := range []struct{ base, prefix string }{
		{"/", ""},
		{"/REPO/", "/REPO"},
		{"REPO", "/REPO"},
	} {
		out := filepath.Join(t.TempDir(), "site")
		if err := writeSite(siteOptions{base: c.base, out: out, version: "v-test", web: web}); err != nil {
			t.Fatalf("writeSite(base %q): %v", c.base, err)
		}
		for _, name := range []string{"index.html", "read.html", "app.js", "wasm_exec.js", "web/app.wasm", "web/app.css", "web/icons/icon-192.png", "manifest.webmanifest", "app-worker.js"} {
			if _, err := os.Stat(filepath.Join(out, name)); err != nil {
				t.Errorf("base %q: %s missing: %v", c.base, name, err)
			}
		}
		index := readSiteFile(t, out, "index.html")
		for _, want := range []string{`id="drop-zone"`, `id="import-files"`, `id="library"`, c.prefix + "/web/app.css", c.prefix + "/app.js"} {
			if !strings.Contains(index, want) {
				t.Errorf("base %q: index.html lacks %q", c.base, want)
			}
		}
		if read := readSiteFile(t, out, "read.html"); !strings.Contains(read, `id="reader"`) {
			t.Errorf("base %q: read.html lacks the reader", c.base)
		}
		appJS := readSiteFile(t, out, "app.js")
		for _, want := range []string{c.prefix + "/web/app.wasm", "v-test", `"BROADSHEET_BASE":"` + "/" + strings.Trim(c.base, "/")} {
			if !strings.Contains(appJS, strings.ReplaceAll(want, "//", "/")) {
				t.Errorf("base %q: app.js lacks %q", c.base, want)
			}
		}
		var idx sampleIndex
		if err := json.Unmarshal([]byte(readSiteFile(t, out, "web/samples/index.json")), &idx); err != nil {
			t.Fatalf("base %q: samples index: %v", c.base, err)
		}
		if len(idx.Files) < 4 {
			t.Errorf("base %q: samples index lists %v, want at least 4 files", c.base, idx.Files)
		}
		for _, f := range idx.Files {
			if _, err := os.Stat(filepath.Join(out, "web", "samples", f)); err != nil {
				t.Errorf("base %q: sample %s listed but missing", c.base, f)
			}
		}
	}
}

func TestWriteSiteNeedsWasm(t *testing.T) {
	web := testWebDir(t)
	os.Remove(filepath.Join(web, "app.wasm"))
	if err := writeSite(siteOptions{base: "/", out: t.TempDir(), web: web}); err == nil {
		t.Error("writeSite without app.wasm succeeded, want an error")
	}
}

func TestNormalizeBase(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"/", "/"}, {"", "/"}, {"REPO", "/REPO/"}, {"/REPO", "/REPO/"}, {"/REPO/", "/REPO/"}, {"/a/b/", "/a/b/"},
	} {
		got, err := normalizeBase(c.in)
		if err != nil || got != c.want {
			t.Errorf("normalizeBase(%q) = %q, %v; want %q", c.in, got, err, c.want)
		}
	}
	for _, bad := range []string{"/a/../b/", "/a b/", "/a?x/"} {
		if _, err := normalizeBase(bad); err == nil {
			t.Errorf("normalizeBase(%q) succeeded, want an error", bad)
		}
	}
}
