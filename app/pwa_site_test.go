//go:build !(js && wasm)

package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

func TestSitePWA(t *testing.T) {
	web := testWebDir(t)
	for _, base := range []string{"/", "/REPO/"} {
		out := filepath.Join(t.TempDir(), "site")
		if err := writeSite(siteOptions{base: base, out: out, version: "v-pwa", web: web}); err != nil {
			t.Fatalf("writeSite(base %q): %v", base, err)
		}
		var m manifest
		if err := json.Unmarshal([]byte(readSiteFile(t, out, "manifest.webmanifest")), &m); err != nil {
			t.Fatalf("base %q: manifest: %v", base, err)
		}
		if m.ID != base || m.Scope != base || m.StartURL != base {
			t.Errorf("base %q: manifest id, scope, start_url = %q, %q, %q; want the base", base, m.ID, m.Scope, m.StartURL)
		}
		for _, ic := range m.Icons {
			if !strings.HasPrefix(ic.Src, base+"web/") {
				t.Errorf("base %q: icon %q is not under the base", base, ic.Src)
			}
		}
		for _, page := range []string{"index.html", "read.html"} {
			html := readSiteFile(t, out, page)
			if !strings.Contains(html, "<head>"+cspMeta) {
				t.Errorf("base %q: %s does not start its head with the CSP meta", base, page)
			}
			if strings.Contains(html, `href="`+base+strings.TrimPrefix(base, "/")) && base != "/" {
				t.Errorf("base %q: %s has a link prefixed twice", base, page)
			}
		}
		if appJS := readSiteFile(t, out, "app.js"); strings.Contains(appJS, registerCall) || !strings.Contains(appJS, "function goappInitServiceWorker()") {
			t.Errorf("base %q: app.js registers the worker as it loads, or lost the registration function", base)
		}
		worker := readSiteFile(t, out, "app-worker.js")
		for _, want := range []string{`"` + base + `web/app.wasm"`, `"` + base + `web/app.css"`, `"` + base + `web/icons/icon-192.png"`, `const base = "` + base + `"`, `const version = "v-pwa"`, `cache: "reload"`, `"` + base + `read"`} {
			if !strings.Contains(worker, want) {
				t.Errorf("base %q: app-worker.js lacks %q", base, want)
			}
		}
		if strings.Contains(worker, "web/samples/") {
			t.Errorf("base %q: app-worker.js precaches the samples", base)
		}
		if strings.Contains(worker, "{{") {
			t.Errorf("base %q: app-worker.js has an unfilled placeholder", base)
		}
	}
}

func TestBaseResolver(t *testing.T) {
	r := baseResolver{prefix: "/REPO"}
	for in, want := range map[string]string{
		"/": "/REPO/", "": "/REPO/", "/web/app.css": "/REPO/web/app.css", "web/x.png": "/REPO/web/x.png",
		"/REPO/": "/REPO/", "/REPO/read?id=a": "/REPO/read?id=a", "/read": "/REPO/read",
		"https://example.com/a": "https://example.com/a", "read?id=b": "read?id=b", "/REPOSITORY": "/REPO/REPOSITORY",
	} {
		if got := r.Resolve(in); got != want {
			t.Errorf("Resolve(%q) = %q, want %q", in, got, want)
		}
	}
	if got := (baseResolver{}).Resolve("/web/app.css"); got != "/web/app.css" {
		t.Errorf("root Resolve(/web/app.css) = %q", got)
	}
}
