package e2e

import (
	"encoding/json"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/broadsheet/broadsheet/app/ghpages"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// documents records the service worker source of every main document the
// tab receives.
type documents struct {
	mu      sync.Mutex
	sources map[string]network.ServiceWorkerResponseSource // by URL
}

// watchDocuments enables the network domain and records documents.
func (b *browser) watchDocuments() *documents {
	b.tb.Helper()
	d := &documents{sources: map[string]network.ServiceWorkerResponseSource{}}
	err := chromedp.Listen(b.ctx, func(ev any) {
		if ev, ok := ev.(*network.EventResponseReceived); ok && ev.Type == network.ResourceTypeDocument && ev.Response != nil {
			d.mu.Lock()
			d.sources[ev.Response.URL] = ev.Response.ServiceWorkerResponseSource
			d.mu.Unlock()
		}
	})
	if err != nil {
		b.fatal("listening to the network: %v", err)
	}
	if _, err := chromedp.Call(b.ctx, network.Enable, network.EnableParams{}); err != nil {
		b.fatal("enabling the network domain: %v", err)
	}
	return d
}

// source is how the document at url was answered ("" if not seen).
func (d *documents) source(url string) (network.ServiceWorkerResponseSource, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	s, ok := d.sources[url]
	return s, ok
}

// goOffline cuts the tab off the network, its service worker included.
func (b *browser) goOffline() {
	b.tb.Helper()
	b.mu.Lock()
	b.offline = true
	b.mu.Unlock()
	if _, err := chromedp.Call(b.ctx, emulateOfflineByRule, json.RawMessage(offlineByRule)); err != nil {
		b.fatal("emulating offline: %v", err)
	}
	if _, err := chromedp.Call(b.ctx, network.OverrideNetworkState, network.OverrideNetworkStateParams{Offline: true}); err != nil {
		b.fatal("overriding the network state: %v", err)
	}
}

// emulateOfflineByRule is Network.emulateNetworkConditionsByRule with the
// parameters of offlineByRule, which every Chromium we meet accepts:
// before version 15x the method wants "offline" at the top (Debian's 148
// answers cdproto's form, which lacks it, with "Invalid parameters"),
// after it each rule's "offline" and "emulateOfflineServiceWorker" (the
// worker's fetches fail too); each version ignores what it does not know.
var emulateOfflineByRule = cdp.Command[json.RawMessage, json.RawMessage]{Method: network.CommandEmulateNetworkConditionsByRule}

const offlineByRule = `{"offline":true,"emulateOfflineServiceWorker":true,"matchedNetworkConditions":[` +
	`{"urlPattern":"","latency":0,"downloadThroughput":0,"uploadThroughput":0,"packetReordering":false,"offline":true}]}`

// serveStoppable serves the site like serveSite and returns the server,
// to be stopped by the test.
func serveStoppable(tb testing.TB) *httptest.Server {
	tb.Helper()
	serveSite(tb) // skips or fails as every browser test does
	srv := httptest.NewServer(ghpages.New(siteDir, siteBase, ghpages.Options{NoStore: true}))
	tb.Cleanup(srv.Close)
	return srv
}

func TestOfflineStart(t *testing.T) {
	srv := serveStoppable(t)
	base := srv.URL + siteBase
	b := newBrowser(t, base, browserOptions{})
	docs := b.watchDocuments()
	b.navigate("")
	n0 := b.settle()
	importAndCheck(t, b, fixtures(t, "articles"), n0, 3)
	bus, ok := wantTitles(t, b, titleNightBus)[titleNightBus]
	if !ok {
		t.FailNow()
	}
	if url := b.waitControlled(); !strings.HasPrefix(url, base) {
		t.Errorf("the controlling worker is %s, want one under %s", url, base)
	}

	srv.Close()
	b.goOffline()
	if eval[bool](b, `navigator.onLine`) {
		t.Error("navigator.onLine is true offline")
	}
	b.reload()
	if n := b.settle(); n != n0+3 {
		t.Errorf("#library-count offline = %d, want %d", n, n0+3)
	}
	wantTitles(t, b, titleNightBus, titleTea, titleLibrary)
	if src, _ := docs.source(base); src != network.ServiceWorkerResponseSourceCacheStorage {
		t.Errorf("offline reload of %s: service worker response source %q, want cache-storage", base, src)
	}

	deep := base + readerURL(bus.ID)
	b.navigate(readerURL(bus.ID))
	checkNightBus(t, b.waitReader(bus.ID))
	if src, _ := docs.source(deep); src != network.ServiceWorkerResponseSourceCacheStorage {
		t.Errorf("offline deep link %s: service worker response source %q, want cache-storage", deep, src)
	}
}
