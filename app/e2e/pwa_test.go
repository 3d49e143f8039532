package e2e

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/broadsheet/broadsheet/app/ghpages"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/pwa"
	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"
)

// waitControlled waits until a service worker controls the page and
// returns its script's address.
func (b *browser) waitControlled() string {
	b.tb.Helper()
	return poll[string](b, "navigator.serviceWorker.controller",
		`navigator.serviceWorker.controller ? navigator.serviceWorker.controller.scriptURL : ''`, loadTimeout)
}

// version is html[data-version]: the version the page runs.
func (b *browser) version() string {
	b.tb.Helper()
	return poll[string](b, "html[data-version]", `document.documentElement.dataset.version || ''`, loadTimeout)
}

// pollAcross waits until the expression is true in the tab, through the
// navigation the page itself started (a poll dies with its document).
func (b *browser) pollAcross(what, expr string) {
	b.tb.Helper()
	deadline := time.Now().Add(loadTimeout)
	for {
		v, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](expr))
		if err == nil && v {
			return
		}
		if time.Now().After(deadline) {
			b.fatal("waiting for %s: last error %v", what, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// swapServer serves one site directory at a time like GitHub Pages: a
// deploy is a swap.
type swapServer struct {
	h   atomic.Pointer[http.Handler]
	srv *httptest.Server
}

// newSwapServer serves dir under siteBase until swapped.
func newSwapServer(tb testing.TB, dir string) *swapServer {
	s := &swapServer{}
	s.deploy(dir)
	s.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		(*s.h.Load()).ServeHTTP(w, r)
	}))
	tb.Cleanup(s.srv.Close)
	return s
}

// deploy serves dir from now on.
func (s *swapServer) deploy(dir string) {
	h := ghpages.New(dir, siteBase, ghpages.Options{NoStore: true})
	s.h.Store(&h)
}

// url is the site's address, ending in siteBase.
func (s *swapServer) url() string { return s.srv.URL + siteBase }

// buildVersion writes the site for siteBase with version v into a new
// directory, with the binary ./build.sh site built for TestMain.
func buildVersion(tb testing.TB, v string) string {
	tb.Helper()
	dir := filepath.Join(tb.TempDir(), v)
	cmd := exec.Command(filepath.Join("bin", "broadsheet"), "site", "--version", v, "--base", siteBase, "--out", dir)
	cmd.Dir = repoRoot()
	if out, err := cmd.CombinedOutput(); err != nil {
		tb.Fatalf("building the site version %s: %v\n%s", v, err, out)
	}
	return dir
}

// siteManifest is what the tests read of manifest.webmanifest.
type siteManifest struct {
	ID           string `json:"id"`
	Scope        string `json:"scope"`
	StartURL     string `json:"start_url"`
	Name         string `json:"name"`
	ShortName    string `json:"short_name"`
	ThemeColor   string `json:"theme_color"`
	Background   string `json:"background_color"`
	Icons        []struct{ Src, Sizes, Type, Purpose string }
	FileHandlers []struct {
		Action string              `json:"action"`
		Accept map[string][]string `json:"accept"`
	} `json:"file_handlers"`
	LaunchHandler struct {
		ClientMode string `json:"client_mode"`
	} `json:"launch_handler"`
}

func TestManifestInstallable(t *testing.T) {
	b := newBrowser(t, serveSite(t), browserOptions{})
	b.navigate("")
	b.waitLibrary()
	b.waitControlled()

	var m siteManifest
	raw := eval[string](b, `fetch(document.querySelector('link[rel=manifest]').href).then(r => r.text())`)
	if err := json.Unmarshal([]byte(raw), &m); err != nil {
		t.Fatalf("manifest: %v\n%s", err, raw)
	}
	for name, got := range map[string]string{"id": m.ID, "scope": m.Scope, "start_url": m.StartURL} {
		if got != siteBase {
			t.Errorf("manifest %s = %q, want %q", name, got, siteBase)
		}
	}
	if m.Name == "" || m.ShortName == "" || m.ThemeColor == "" || m.Background == "" {
		t.Errorf("manifest names and colours: %+v, want all set", m)
	}
	checkIcons(t, b, m)
	checkFileHandlers(t, m)

	appID, err := chromedp.Call(b.ctx, page.GetAppID, cdp.Empty{})
	if err != nil {
		t.Fatal(err)
	}
	if want := b.base; appID.AppID != want {
		t.Errorf("Page.getAppId = %q, want %q", appID.AppID, want)
	}
	errs, err := chromedp.Call(b.ctx, page.GetInstallabilityErrors, cdp.Empty{})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range errs.InstallabilityErrors {
		t.Errorf("installability error %s %+v", e.ErrorID, e.ErrorArguments)
	}
}

// checkIcons checks the 192, 512 and maskable icons: listed, served, and
// of their stated size.
func checkIcons(t *testing.T, b *browser, m siteManifest) {
	t.Helper()
	want := map[string]bool{"192x192 any": false, "512x512 any": false, "512x512 maskable": false}
	for _, ic := range m.Icons {
		if ic.Type != "image/png" {
			continue
		}
		want[ic.Sizes+" "+ic.Purpose] = true
		size := eval[string](b, fmt.Sprintf(`new Promise((ok, fail) => {
			const img = new Image();
			img.onload = () => ok(img.naturalWidth + 'x' + img.naturalHeight);
			img.onerror = () => ok('error');
			img.src = %q;
		})`, ic.Src))
		if size != ic.Sizes {
			t.Errorf("icon %s: loads as %s, want %s", ic.Src, size, ic.Sizes)
		}
	}
	for k, ok := range want {
		if !ok {
			t.Errorf("manifest has no %s PNG icon", k)
		}
	}
}

// checkFileHandlers checks that the installed app opens article files.
func checkFileHandlers(t *testing.T, m siteManifest) {
	t.Helper()
	exts := map[string]bool{}
	for _, fh := range m.FileHandlers {
		if fh.Action != siteBase {
			t.Errorf("file handler action %q, want %q", fh.Action, siteBase)
		}
		for _, es := range fh.Accept {
			for _, e := range es {
				exts[e] = true
			}
		}
	}
	for _, e := range []string{".md", ".markdown", ".txt", ".html"} {
		if !exts[e] {
			t.Errorf("manifest file_handlers do not accept %s", e)
		}
	}
	if m.LaunchHandler.ClientMode != "focus-existing" {
		t.Errorf("launch_handler.client_mode = %q, want focus-existing", m.LaunchHandler.ClientMode)
	}
}

func TestLaunchFileInInstalledApp(t *testing.T) {
	b := newBrowser(t, serveSite(t), browserOptions{})
	b.navigate("")
	n0 := b.settle()
	b.waitControlled()

	id := b.base
	if _, err := chromedp.Call(b.ctx, pwa.Install, pwa.InstallParams{ManifestID: id}); err != nil {
		t.Fatalf("PWA.install %s: %v", id, err)
	}
	file, err := filepath.Abs(filepath.Join("testdata", "articles", "night-bus.md"))
	if err != nil {
		t.Fatal(err)
	}
	res, err := chromedp.Call(b.ctx, pwa.LaunchFilesInApp, pwa.LaunchFilesInAppParams{ManifestID: id, Files: []string{file}})
	if err != nil {
		t.Fatalf("PWA.launchFilesInApp: %v", err)
	}
	if len(res.TargetIDs) == 0 {
		t.Fatal("PWA.launchFilesInApp opened no window")
	}
	win := b.appWindow()
	r := poll[reader](win, "the opened file in the reader", fmt.Sprintf(`(() => {
		const r = %s;
		return r && r.status === 'loaded' ? r : null;
	})()`, jsReader), loadTimeout)
	if len(r.H1s) == 0 || r.H1s[len(r.H1s)-1] != titleNightBus {
		t.Errorf("the app opened with night-bus.md shows h1s %q, want %q", r.H1s, titleNightBus)
	}
	b.navigate("")
	if n := b.settle(); n != n0+1 {
		t.Errorf("#library-count after opening one new file = %d, want %d", n, n0+1)
	}
}

// appWindow is the page the installed app shows opened files in: with
// launch_handler focus-existing, this tab when it is on the site, else a
// new window (PWA.launchFilesInApp names the window's tab target, which
// has no page domains: its page target is looked up).
func (b *browser) appWindow() *browser {
	b.tb.Helper()
	self := chromedp.FromContext(b.ctx).Target.TargetID
	deadline := time.Now().Add(loadTimeout)
	for {
		infos, err := chromedp.Targets(b.ctx)
		if err != nil {
			b.fatal("listing targets: %v", err)
		}
		for _, in := range infos {
			if in.Type == "page" && in.TargetID != self && strings.HasPrefix(in.URL, b.base) {
				return b.attach(in.TargetID)
			}
		}
		if p, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](`location.pathname`)); err == nil && strings.HasSuffix(p, "/read") {
			return b
		}
		if time.Now().After(deadline) {
			for _, in := range infos {
				b.tb.Logf("target %s %s %s", in.TargetID, in.Type, in.URL)
			}
			b.fatal("no app window shows a file on %s", b.base)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// attach returns a browser on another page target of the same browser.
func (b *browser) attach(id target.ID) *browser {
	b.tb.Helper()
	ctx, cancel := chromedp.NewContext(b.ctx, chromedp.WithTargetID(id))
	b.tb.Cleanup(cancel)
	win := &browser{tb: b.tb, ctx: ctx, base: b.base, stop: func() {}}
	if err := chromedp.Do(ctx); err != nil {
		b.fatal("attaching to the app window: %v", err)
	}
	win.watch(ctx)
	b.tb.Cleanup(win.reportProblems)
	return win
}

// jsPreferChinese makes the browser's preferred languages Chinese.
const jsPreferChinese = `Object.defineProperty(navigator, 'languages', {get: () => ['zh-CN', 'zh']});
Object.defineProperty(navigator, 'language', {get: () => 'zh-CN'});`

func TestUpdatePrompt(t *testing.T) {
	if testing.Short() || chromiumPath() == "" || siteErr != nil {
		serveSite(t) // skips or fails as every browser test does
	}
	v1, v2 := buildVersion(t, "pwa-test-v1"), buildVersion(t, "pwa-test-v2")
	srv := newSwapServer(t, v1)
	// The reader prefers Chinese: the prompt is in the interface language.
	b := newBrowser(t, srv.url(), browserOptions{scripts: []string{jsPreferChinese}})
	b.navigate("")
	b.waitLibrary()
	b.waitControlled()
	if v := b.version(); v != "pwa-test-v1" {
		t.Fatalf("html[data-version] = %q, want pwa-test-v1", v)
	}
	// A first install activates a worker too: no prompt.
	time.Sleep(2 * time.Second)
	if eval[bool](b, `!!document.querySelector('#update-banner')`) {
		t.Error("#update-banner shown on the first install, want none")
	}

	// Caches of other sites on the same origin must survive the update.
	eval[bool](b, `Promise.all(['broadsheet:/OTHER/:v9', 'app-0123'].map(n => caches.open(n))).then(() => true)`)

	srv.deploy(v2)
	eval[bool](b, `navigator.serviceWorker.getRegistration().then(r => r.update()).then(() => true)`)
	text := poll[string](b, "#update-banner", `(document.querySelector('#update-banner') || {}).textContent || ''`, loadTimeout)
	if text == "" {
		t.Fatal("no #update-banner text")
	}
	if !strings.Contains(text, "新版本") || !strings.Contains(text, "重新加载") {
		t.Errorf("#update-banner = %q, want the Chinese prompt (新版本, 重新加载)", text)
	}
	b.screenshot("pwa-update-banner")
	if v := b.version(); v != "pwa-test-v1" {
		t.Errorf("html[data-version] before the reload = %q, want pwa-test-v1", v)
	}
	b.do("clicking #update-reload", chromedp.Click(chromedp.CSS("#update-reload")))
	b.pollAcross("html[data-version=pwa-test-v2]", `document.documentElement.dataset.version === 'pwa-test-v2'`)
	b.waitLibrary()
	time.Sleep(time.Second)
	if eval[bool](b, `!!document.querySelector('#update-banner')`) {
		t.Error("#update-banner shown after the reload into the new version")
	}
	got := eval[[]string](b, `caches.keys().then(ks => ks.sort())`)
	want := []string{"app-0123", "broadsheet:/OTHER/:v9", "broadsheet:" + siteBase + ":pwa-test-v2"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("caches after the update = %q, want %q (this site's v2 and the other sites')", got, want)
	}
}
