package e2e

import (
	"encoding/json"
	"net/http/httptest"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/broadsheet/broadsheet/app/ghpages"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// TestDomainRootSite checks the site built with --base / (a custom domain,
// or a USER.github.io site) as the /REPO/ tests check theirs: the library
// is drawn, the manifest's id, scope and start_url are "/", it installs,
// the service worker controls the root, and an offline reload starts from
// the worker's cache with the samples in place.
func TestDomainRootSite(t *testing.T) {
	serveSite(t) // fails or skips as every browser test does, and builds bin/broadsheet
	dir := filepath.Join(t.TempDir(), "root")
	cmd := exec.Command(filepath.Join("bin", "broadsheet"), "site", "--base", "/", "--out", dir)
	cmd.Dir = repoRoot()
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("broadsheet site --base / --out %s: %v\n%s", dir, err, out)
	}
	srv := httptest.NewServer(ghpages.New(dir, "/", ghpages.Options{NoStore: true}))
	defer srv.Close()
	base := srv.URL + "/"

	b := newBrowser(t, base, browserOptions{})
	docs := b.watchDocuments()
	b.navigate("")
	n := b.settle()
	if n == 0 {
		t.Fatal("#library-count = 0 at the domain root, want the sample articles")
	}
	if url := b.waitControlled(); !strings.HasPrefix(url, base) {
		t.Errorf("the controlling worker is %s, want one under %s", url, base)
	}

	var m siteManifest
	raw := eval[string](b, `fetch(document.querySelector('link[rel=manifest]').href).then(r => r.text())`)
	if err := json.Unmarshal([]byte(raw), &m); err != nil {
		t.Fatalf("manifest: %v\n%s", err, raw)
	}
	for name, got := range map[string]string{"id": m.ID, "scope": m.Scope, "start_url": m.StartURL} {
		if got != "/" {
			t.Errorf("manifest %s = %q, want %q", name, got, "/")
		}
	}
	errs, err := chromedp.Call(b.ctx, page.GetInstallabilityErrors, cdp.Empty{})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range errs.InstallabilityErrors {
		t.Errorf("installability error %s %+v", e.ErrorID, e.ErrorArguments)
	}

	srv.Close()
	b.goOffline()
	b.reload()
	if got := b.settle(); got != n {
		t.Errorf("#library-count offline = %d, want %d", got, n)
	}
	if src, _ := docs.source(base); src != network.ServiceWorkerResponseSourceCacheStorage {
		t.Errorf("offline reload of %s: service worker response source %q, want cache-storage", base, src)
	}
	b.screenshot("root-base-offline")
}
