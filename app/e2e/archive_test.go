package e2e

import (
	"fmt"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/broadsheet/broadsheet/app/ghpages"
)

// The hosted archive (issue 6): a site built with --archive over
// testdata/hosted/v1 (six articles of our own, and an empty file, a
// picture and a note that are not articles); v2 adds one article.

// IDs of the hosted fixtures.
const (
	idFerry    = "archive.example.cn/2025/03/harbour-ferry"
	idRoad     = "archive.example.cn/2025/01/mountain-road"
	idKite     = "archive.example.cn/2023/04/kite-festival"
	idTheatre  = "archive.example.cn/2023/12/old-theatre"
	idNewSpan  = "archive.example.cn/2026/02/river-bridge"
	hostedV1   = 6
	archiveKey = "archive" // the origin of hosted articles (app/archive_source.go)
)

// buildHosted writes the site for siteBase with the archive of the
// article files under src into out, with the binary TestMain built.
func buildHosted(tb testing.TB, src, out string) {
	tb.Helper()
	cmd := exec.Command(filepath.Join("bin", "broadsheet"), "site", "--version", "hosted", "--base", siteBase, "--out", out, "--archive", src, "--archive-name", "Harbour archive")
	cmd.Dir = repoRoot()
	if data, err := cmd.CombinedOutput(); err != nil {
		tb.Fatalf("building the site with the archive %s: %v\n%s", src, err, data)
	}
	if _, err := os.Stat(filepath.Join(out, "archive", "manifest.json")); err != nil {
		tb.Fatalf("the site has no archive: %v", err)
	}
}

// copyFixtures copies testdata/hosted/VERSION into dir.
func copyFixtures(tb testing.TB, version, dir string) {
	tb.Helper()
	root := filepath.Join("testdata", "hosted", version)
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		writeFile(tb, filepath.Join(dir, rel), data)
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
}

// archiveTraffic counts the requests for archive files, their bytes and
// when each arrived and was answered.
type archiveTraffic struct {
	mu    sync.Mutex
	files []string
	bytes int64
	spans []span
}

// span is when a request for an archive file arrived and when its answer
// was written.
type span struct {
	file       string
	by         string // "page", or the script of the worker that fetched it
	start, end time.Time
}

// reset returns what was counted since the last reset, and starts again.
func (a *archiveTraffic) reset() (files []string, bytes int64) {
	files, bytes, _ = a.take()
	return files, bytes
}

// take is reset with the requests' spans.
func (a *archiveTraffic) take() (files []string, bytes int64, spans []span) {
	a.mu.Lock()
	defer a.mu.Unlock()
	files, bytes, spans = a.files, a.bytes, a.spans
	a.files, a.bytes, a.spans = nil, 0, nil
	return files, bytes, spans
}

// quiet waits until no request has come for d (at most a minute): the
// page's and the worker's own reads of a reload are over.
func (a *archiveTraffic) quiet(d time.Duration) {
	for end := time.Now().Add(time.Minute); time.Now().Before(end); {
		a.mu.Lock()
		n := len(a.files)
		a.mu.Unlock()
		time.Sleep(d)
		a.mu.Lock()
		same := len(a.files) == n
		a.mu.Unlock()
		if same {
			return
		}
	}
}

// roundTrips is the number of successive rounds of requests: a request
// that arrives after a request of the current round was answered starts
// a new round (it may have waited for that answer).
func roundTrips(spans []span) int {
	rounds := 0
	for _, r := range roundsOf(spans) {
		rounds = max(rounds, r)
	}
	return rounds
}

// roundsOf sorts spans by arrival and returns the round (from 1) of each,
// as roundTrips counts them.
func roundsOf(spans []span) []int {
	slices.SortFunc(spans, func(a, b span) int { return a.start.Compare(b.start) })
	of := make([]int, len(spans))
	rounds := 0
	var firstEnd time.Time
	for i, s := range spans {
		if rounds == 0 || s.start.After(firstEnd) {
			rounds++
			firstEnd = s.end
		} else if s.end.Before(firstEnd) {
			firstEnd = s.end
		}
		of[i] = rounds
	}
	return of
}

// packs counts the pack files among files.
func packs(files []string) int {
	n := 0
	for _, f := range files {
		if strings.HasSuffix(f, ".pack") {
			n++
		}
	}
	return n
}

// counting wraps h, counting archive/ requests in a.
func (a *archiveTraffic) counting(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.Contains(r.URL.Path, "/archive/") {
			h.ServeHTTP(w, r)
			return
		}
		cw := &countingWriter{ResponseWriter: w}
		start := time.Now()
		h.ServeHTTP(cw, r)
		a.mu.Lock()
		a.files = append(a.files, r.URL.Path[strings.Index(r.URL.Path, "/archive/")+len("/archive/"):])
		a.bytes += cw.n
		a.spans = append(a.spans, span{a.files[len(a.files)-1], fetcher(r), start, time.Now()})
		a.mu.Unlock()
	})
}

// fetcher says who fetched r: "page", or the script of a worker (the
// Referer of a worker's fetch is its script).
func fetcher(r *http.Request) string {
	if ref := path.Base(r.Referer()); strings.HasSuffix(ref, ".js") {
		return strings.TrimSuffix(ref, ".js")
	}
	return "page"
}

type countingWriter struct {
	http.ResponseWriter
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.ResponseWriter.Write(p)
	c.n += int64(n)
	return n, err
}

// serveHosted serves dir like GitHub Pages (no-store), counting archive
// traffic.
func serveHosted(tb testing.TB, dir string) (*httptest.Server, *archiveTraffic) {
	tb.Helper()
	a := &archiveTraffic{}
	srv := httptest.NewServer(a.counting(ghpages.New(dir, siteBase, ghpages.Options{NoStore: true})))
	tb.Cleanup(srv.Close)
	return srv, a
}

// serveHostedFar serves dir like GitHub Pages from afar: over HTTP/2 (TLS
// with a self-signed certificate), gzipped, latency added to every
// response, counting archive traffic.
func serveHostedFar(tb testing.TB, dir string, latency time.Duration) (*httptest.Server, *archiveTraffic) {
	tb.Helper()
	a := &archiveTraffic{}
	srv := httptest.NewUnstartedServer(a.counting(ghpages.New(dir, siteBase, ghpages.Options{NoStore: true, Gzip: true, Latency: latency})))
	srv.EnableHTTP2 = true
	srv.StartTLS()
	tb.Cleanup(srv.Close)
	return srv, a
}

// hostedSite checks that Chromium and the built binary are there, and
// builds the site with the archive of testdata/hosted/v1 (plus the
// versions given) into a temporary directory; it returns the site
// directory and the archive's source directory.
func hostedSite(t *testing.T, versions ...string) (site, src string) {
	t.Helper()
	serveSite(t) // skips or fails as every browser test does
	src, site = t.TempDir(), t.TempDir()
	for _, v := range append([]string{"v1"}, versions...) {
		copyFixtures(t, v, src)
	}
	buildHosted(t, src, site)
	return site, src
}

// openOptions opens the storage panel (a details element).
func (b *browser) openSettings() {
	b.tb.Helper()
	eval[bool](b, `(() => { const d = document.querySelector('#storage-panel'); if (d) d.open = true; return !!d; })()`)
}

// origins returns the options of select#filter-origin: value -> text.
func (b *browser) origins() map[string]string {
	b.tb.Helper()
	return eval[map[string]string](b, `Object.fromEntries([...document.querySelectorAll('#filter-origin option')].map(o => [o.value, o.textContent.trim()]))`)
}

// listOrigins returns the listed articles' ids by origin.
func (b *browser) listOrigins() map[string][]string {
	b.tb.Helper()
	return eval[map[string][]string](b, `(() => {
		const out = {};
		for (const li of document.querySelectorAll('ol#article-list > li.article-item')) {
			(out[li.dataset.origin] = out[li.dataset.origin] || []).push(li.dataset.id);
		}
		return out;
	})()`)
}

// filterOrigin chooses an origin in select#filter-origin and waits for
// the list to show only it.
func (b *browser) filterOrigin(origin string) {
	b.tb.Helper()
	eval[bool](b, fmt.Sprintf(`(() => {
		const s = document.querySelector('#filter-origin');
		s.value = %q;
		s.dispatchEvent(new Event('change', {bubbles: true}));
		return true;
	})()`, origin))
	poll[bool](b, "the list of origin "+origin, fmt.Sprintf(`(() => {
		const lis = [...document.querySelectorAll('ol#article-list > li.article-item')];
		return lis.length > 0 && lis.every(li => %q === '' || li.dataset.origin === %q);
	})()`, origin, origin), 20*time.Second)
}

// keepOffline clicks #archive-keep and waits until the whole archive is
// kept; it returns the time taken.
func (b *browser) keepOffline() time.Duration {
	b.tb.Helper()
	b.openSettings()
	poll[bool](b, "button#archive-keep", `!!document.querySelector('#archive-keep')`, loadTimeout)
	start := time.Now()
	b.do("clicking #archive-keep", chromedpClick("#archive-keep"))
	st := poll[string](b, "#archive-panel[data-status=done]", `(() => {
		const p = document.querySelector('#archive-panel');
		const s = p && p.dataset.status;
		return (s === 'done' || s === 'failed') ? s : '';
	})()`, 10*time.Minute)
	if st != "done" {
		b.fatal("keeping the archive offline: %s", b.text("#archive-kept"))
	}
	return time.Since(start)
}

// waitFacets waits until the list's filters are loaded.
func (b *browser) waitFacets() {
	b.tb.Helper()
	poll[bool](b, "#library[data-facets=true]", `(() => { const l = document.querySelector('#library'); return !!l && l.dataset.facets === 'true'; })()`, loadTimeout)
}

func TestHostedArchive(t *testing.T) {
	site, _ := hostedSite(t)
	report, err := os.ReadFile(filepath.Join(site, "archive-report.json"))
	if err != nil {
		t.Errorf("the build report: %v", err)
	}
	for _, bad := range []string{"empty.txt", "picture.png", "notes.txt"} {
		if !strings.Contains(string(report), bad) {
			t.Errorf("the build report does not list %s", bad)
		}
	}
	srv, traffic := serveHosted(t, site)
	base := srv.URL + siteBase
	b := newBrowser(t, base, browserOptions{})

	// The library: the archive's articles, drawn from its first packs.
	b.navigate("")
	if n := b.settle(); n != hostedV1 {
		t.Errorf("#library-count with the archive = %d, want %d (no samples beside an archive)", n, hostedV1)
	}
	files, bytes := traffic.reset()
	t.Logf("library drawn: %d archive requests (%d packs), %d bytes: %v", len(files), packs(files), bytes, files)
	if files[0] != "manifest.json" {
		t.Errorf("first archive request = %q, want manifest.json", files[0])
	}
	// The schema, the counts, the order (one or two packs), and the search
	// index's manifest, read by the worker as it opens.
	if packs(files) > 5 {
		t.Errorf("the library was drawn after %d pack requests, want at most 5: %v", packs(files), files)
	}
	b.waitFacets()
	if o := b.origins(); o[originImported] == "" || !strings.Contains(o[archiveKey], "(6)") {
		t.Errorf("#filter-origin options = %v, want imported and the archive with 6", o)
	}
	if got := b.listOrigins(); len(got[archiveKey]) != hostedV1 {
		t.Errorf("listed origins = %v, want %d hosted", got, hostedV1)
	}
	if eval[bool](b, `[...document.querySelectorAll('li.article-item[data-origin=archive] input.article-select')].some(c => !c.disabled)`) {
		t.Error("a hosted article can be selected for deletion")
	}
	b.screenshot("hosted-library")

	// A local import beside the archive; the origin filter.
	importAndCheck(t, b, []string{fixtures(t, "articles")[1]}, hostedV1, 1) // night-bus.md
	b.waitFacets()
	b.filterOrigin(originImported)
	if got := b.listOrigins(); !slices.Equal(got[originImported], []string{idNightBus}) || len(got) != 1 {
		t.Errorf("list of imported articles = %v, want only %s", got, idNightBus)
	}
	b.filterOrigin(archiveKey)
	if got := b.listOrigins(); len(got[archiveKey]) != hostedV1 || len(got) != 1 {
		t.Errorf("list of the archive's articles = %v, want %d hosted only", got, hostedV1)
	}
	b.filterOrigin("")

	// Search over both.
	traffic.reset()
	v := b.search("江城")
	files, bytes = traffic.reset()
	t.Logf("search 江城: %d archive requests (%d packs), %d bytes", len(files), packs(files), bytes)
	if _, ok := v.hit(idFerry); !ok {
		t.Errorf("search 江城 = %+v, want the hosted %s", v.Hits, idFerry)
	}
	if _, ok := v.hit(idNightBus); !ok {
		t.Errorf("search 江城 = %+v, want the imported %s", v.Hits, idNightBus)
	}
	if v.Count != 2 {
		t.Errorf("search 江城 count = %d, want 2", v.Count)
	}
	b.screenshot("hosted-search")
	b.typeQuery("")

	// A hosted article opens, fetching only its packs.
	traffic.reset()
	b.navigate(readerURL(idTheatre))
	r := b.waitReader(idTheatre)
	files, bytes = traffic.reset()
	t.Logf("hosted article opened: %d archive requests (%d packs), %d bytes", len(files), packs(files), bytes)
	if r.Status != "loaded" || len(r.H1s) == 0 || !strings.Contains(r.H1s[0], "百年老剧院") {
		t.Errorf("reader of %s = %+v", idTheatre, r)
	}
	if b.text("#reader-origin") == "" {
		t.Error("the reader does not say the article comes from the archive")
	}
	b.screenshot("hosted-reader")

	// Keep the whole archive offline, then go offline.
	b.navigate("")
	b.settle()
	took := b.keepOffline()
	t.Logf("whole archive kept offline in %v", took.Round(time.Millisecond))
	b.screenshot("hosted-kept")
	b.waitControlled()
	srv.Close()
	b.goOffline()
	b.reload()
	if n := b.settle(); n != hostedV1+1 {
		t.Errorf("#library-count offline = %d, want %d", n, hostedV1+1)
	}
	if v := b.search("青石岭"); v.Count != 1 || len(v.Hits) != 1 || v.Hits[0].ID != idRoad {
		t.Errorf("offline search 青石岭 = %+v, want %s", v, idRoad)
	}
	b.typeQuery("")
	b.navigate(readerURL(idKite)) // never opened online
	if r := b.waitReader(idKite); r.Status != "loaded" || len(r.H1s) == 0 || !strings.Contains(r.H1s[0], "风筝节") {
		t.Errorf("offline reader of %s = %+v", idKite, r)
	}
	b.screenshot("hosted-offline-reader")
}

func TestHostedArchiveUpdate(t *testing.T) {
	site, src := hostedSite(t)
	srv, _ := serveHosted(t, site)
	b := newBrowser(t, srv.URL+siteBase, browserOptions{})
	b.navigate("")
	if n := b.settle(); n != hostedV1 {
		t.Fatalf("#library-count = %d, want %d", n, hostedV1)
	}
	importAndCheck(t, b, []string{fixtures(t, "articles")[1]}, hostedV1, 1)
	b.navigate(readerURL(idFerry)) // read: its pack is kept
	b.waitReader(idFerry)

	// The archive grows and is built again over the same site.
	before := archiveFiles(t, site)
	copyFixtures(t, "v2", src)
	buildHosted(t, src, site)
	after := archiveFiles(t, site)
	kept := 0
	for f := range after {
		if before[f] {
			kept++
		}
	}
	t.Logf("rebuild with one more article: %d of %d archive files kept their names", kept, len(after))

	b.navigate("")
	b.reload()
	if n := b.settle(); n != hostedV1+2 {
		t.Errorf("#library-count after the archive grew = %d, want %d", n, hostedV1+2)
	}
	wantTitles(t, b, "跨江大桥主桥合龙，明年夏天有望通车", titleNightBus)
	if v := b.search("合龙"); v.Count != 1 || len(v.Hits) == 0 || v.Hits[0].ID != idNewSpan {
		t.Errorf("search 合龙 after the update = %+v, want %s", v, idNewSpan)
	}
	b.typeQuery("")
	b.waitFacets()
	b.filterOrigin(originImported)
	if got := b.listOrigins(); !slices.Equal(got[originImported], []string{idNightBus}) {
		t.Errorf("imported articles after the update = %v, want %s", got, idNightBus)
	}
	b.screenshot("hosted-updated")
}

// archiveFiles returns the names of the files of the site's archive.
func archiveFiles(tb testing.TB, site string) map[string]bool {
	tb.Helper()
	files := map[string]bool{}
	root := filepath.Join(site, "archive")
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(root, p)
			files[rel] = true
		}
		return err
	})
	if err != nil {
		tb.Fatal(err)
	}
	return files
}

// originImported is the origin of imported articles (app/archive_source.go).
const originImported = "imported"

func TestHostedArchiveKeepCancelResume(t *testing.T) {
	site, _ := hostedSite(t)
	a := &archiveTraffic{}
	srv := httptest.NewServer(a.counting(ghpages.New(site, siteBase, ghpages.Options{NoStore: true, Latency: 700 * time.Millisecond})))
	t.Cleanup(srv.Close)
	b := newBrowser(t, srv.URL+siteBase, browserOptions{timeout: 5 * time.Minute})
	b.navigate("")
	b.settle()
	b.openSettings()
	poll[bool](b, "button#archive-keep", `!!document.querySelector('#archive-keep')`, loadTimeout)
	done0 := eval[int](b, `parseInt(document.querySelector('#archive-panel').dataset.done, 10)`)
	b.do("clicking #archive-keep", chromedpClick("#archive-keep"))
	poll[bool](b, "a first pack kept", fmt.Sprintf(`(() => {
		const p = document.querySelector('#archive-panel');
		return p.dataset.status === 'running' && parseInt(p.dataset.done, 10) > %d;
	})()`, done0), time.Minute)
	b.do("clicking #archive-cancel", chromedpClick("#archive-cancel"))
	st := poll[string](b, "the download stopped", `(() => {
		const s = document.querySelector('#archive-panel').dataset.status;
		return s === 'running' ? '' : s;
	})()`, time.Minute)
	stopped := eval[[2]int](b, `(() => { const p = document.querySelector('#archive-panel').dataset; return [parseInt(p.done, 10), parseInt(p.total, 10)]; })()`)
	if st != "cancelled" || stopped[0] >= stopped[1] {
		t.Fatalf("#archive-panel after stop: status %s, %d of %d bytes kept; want cancelled, part kept", st, stopped[0], stopped[1])
	}
	b.screenshot("hosted-keep-stopped")

	b.reload()
	b.settle()
	b.openSettings()
	label := poll[string](b, "button#archive-keep after a reload", `(() => { const k = document.querySelector('#archive-keep'); return k ? k.textContent : ''; })()`, loadTimeout)
	if again := eval[int](b, `parseInt(document.querySelector('#archive-panel').dataset.done, 10)`); again < stopped[0] || !strings.Contains(label, "Resume") {
		t.Errorf("after a reload: %d bytes kept (stopped at %d), button %q; want the kept packs and Resume", again, stopped[0], label)
	}
	// the reload's own reads (the library's first page, the worker's
	// index) may fetch a pack the download fetches too: let them end
	a.quiet(2 * time.Second)
	a.take()
	took := b.keepOffline()
	files, _ := a.reset()
	t.Logf("resumed and completed in %v, %d more packs fetched", took.Round(time.Millisecond), packs(files))
	seen := map[string]bool{}
	for _, f := range files {
		if seen[f] && strings.HasSuffix(f, ".pack") {
			t.Errorf("pack %s fetched twice while resuming", f)
		}
		seen[f] = true
	}
}
