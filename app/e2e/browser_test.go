package e2e

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/inspector"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// browser is one headless Chromium with a fresh profile, one tab on the
// served site, and the problems the page reported.
type browser struct {
	tb   testing.TB
	ctx  context.Context // the tab
	base string          // the site's address, ending in siteBase

	mu       sync.Mutex
	problems []string
	offline  bool // goOffline cut the network: loads fail by design
	stop     func()
}

// browserOptions change how Chromium is started.
type browserOptions struct {
	// scripts run in every new document before the page's own scripts.
	scripts []string
	// timeout bounds the whole browser session (default 3 minutes).
	timeout time.Duration
	// profile is the user data directory to use (default: a new one).
	profile string
	// selfSigned accepts the test server's self-signed certificate (an
	// HTTPS server, for HTTP/2 as GitHub Pages serves).
	selfSigned bool
}

// newBrowser starts Chromium on the served site and fails the test at
// its end if the page logged an error or threw.
func newBrowser(tb testing.TB, base string, o browserOptions) *browser {
	tb.Helper()
	if o.timeout == 0 {
		o.timeout = 3 * time.Minute
	}
	profile := o.profile
	if profile == "" {
		profile = tb.TempDir()
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromiumPath()),
		chromedp.DisableGPU,
		chromedp.UserDataDir(profile),
		chromedp.WindowSize(1280, 900),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("enable-precise-memory-info", true),
		// Only the test server resolves: a page cannot reach the network.
		chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"),
	)
	if o.selfSigned {
		opts = append(opts, chromedp.Flag("ignore-certificate-errors", true), chromedp.Flag("allow-insecure-localhost", true))
	}
	root, stop := context.WithTimeout(context.Background(), o.timeout)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(root, opts...)
	ctx, cancelTab := chromedp.NewContext(allocCtx)
	b := &browser{tb: tb, ctx: ctx, base: base}
	b.stop = sync.OnceFunc(func() {
		cancelTab()
		cancelAlloc()
		stop()
		b.reportProblems()
	})
	tb.Cleanup(b.close)
	if err := chromedp.Do(ctx); err != nil {
		tb.Fatalf("starting Chromium: %v", err)
	}
	b.watch(ctx)
	for _, src := range o.scripts {
		if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: src}); err != nil {
			tb.Fatalf("adding a script to new documents: %v", err)
		}
	}
	return b
}

// close ends the browser and reports the page's problems; the test's
// cleanup does it too.
func (b *browser) close() { b.stop() }

// newTab opens a second tab in the same browser (same profile); its
// problems are reported with the first tab's.
func (b *browser) newTab() *browser {
	b.tb.Helper()
	ctx, cancel := chromedp.NewContext(b.ctx)
	b.tb.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil {
		b.tb.Fatalf("opening a tab: %v", err)
	}
	t := &browser{tb: b.tb, ctx: ctx, base: b.base, stop: sync.OnceFunc(func() {})}
	t.watch(ctx)
	b.tb.Cleanup(t.reportProblems)
	return t
}

// watch records console errors, uncaught exceptions, crashes and failed
// loads of the test server's resources.
func (b *browser) watch(ctx context.Context) {
	err := chromedp.Listen(ctx, func(ev any) {
		switch ev := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeAssert {
				b.problem("console.%s: %s", ev.Type, argsText(ev.Args))
			}
		case *runtime.EventExceptionThrown:
			b.problem("uncaught exception: %s", exceptionText(ev.ExceptionDetails))
		case *log.EventEntryAdded:
			if e := ev.Entry; e != nil && e.Level == log.EntryLevelError && b.local(e.URL, e.Source) && !b.cutOff(e) {
				b.problem("log %s error: %s %s", e.Source, e.Text, e.URL)
			}
		case *inspector.EventTargetCrashed:
			b.problem("the page crashed")
		}
	})
	if err != nil {
		b.tb.Fatalf("listening to the page: %v", err)
	}
}

// local tells whether a log entry concerns the test server: loads of other
// hosts fail by design (no network).
func (b *browser) local(entryURL string, source log.EntrySource) bool {
	if source != log.EntrySourceNetwork {
		return true
	}
	u, err := url.Parse(entryURL)
	return err != nil || u.Hostname() == "127.0.0.1"
}

// cutOff tells whether a log entry is a load that failed because the
// test cut the network (goOffline): the page may try the network before
// its offline copy, and Chromium logs the failure.
func (b *browser) cutOff(e *log.Entry) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.offline && e.Source == log.EntrySourceNetwork && strings.Contains(e.Text, "ERR_INTERNET_DISCONNECTED")
}

// problem records something the page reported.
func (b *browser) problem(format string, args ...any) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.problems = append(b.problems, fmt.Sprintf(format, args...))
}

// reportProblems fails the test for every recorded problem.
func (b *browser) reportProblems() {
	b.mu.Lock()
	defer b.mu.Unlock()
	for i, p := range b.problems {
		if i == 20 {
			b.tb.Errorf("… and %d more problems", len(b.problems)-i)
			break
		}
		b.tb.Errorf("page: %s", p)
	}
	b.problems = nil
}

// argsText formats console call arguments.
func argsText(args []*runtime.RemoteObject) string {
	var parts []string
	for _, a := range args {
		switch {
		case len(a.Value) > 0:
			parts = append(parts, string(a.Value))
		case a.Description != "":
			parts = append(parts, a.Description)
		default:
			parts = append(parts, string(a.Type))
		}
	}
	return strings.Join(parts, " ")
}

// exceptionText formats an uncaught exception.
func exceptionText(d *runtime.ExceptionDetails) string {
	if d == nil {
		return "?"
	}
	s := d.Text
	if d.Exception != nil && d.Exception.Description != "" {
		s += " " + d.Exception.Description
	}
	return fmt.Sprintf("%s (%s:%d:%d)", s, d.URL, d.LineNumber+1, d.ColumnNumber+1)
}

// do runs actions in the tab and fails the test on error.
func (b *browser) do(what string, actions ...chromedp.Action[chromedp.Void]) {
	b.tb.Helper()
	if err := chromedp.Do(b.ctx, actions...); err != nil {
		b.fatal("%s: %v", what, err)
	}
}

// eval evaluates a JavaScript expression in the page and decodes its value.
func eval[T any](b *browser, expr string) T {
	b.tb.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		b.fatal("evaluating %s: %v", short(expr), err)
	}
	return v
}

// poll waits until the JavaScript expression is truthy and returns it.
func poll[T any](b *browser, what, expr string, timeout time.Duration) T {
	b.tb.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Poll[T](expr,
		chromedp.WithPollingTimeout(timeout), chromedp.WithPollingInterval(50*time.Millisecond)))
	if err != nil {
		b.fatal("waiting for %s: %v", what, err)
	}
	return v
}

// fatal saves a screenshot of the page, then fails the test.
func (b *browser) fatal(format string, args ...any) {
	b.tb.Helper()
	b.screenshot("failure-" + b.tb.Name())
	b.tb.Fatalf(format, args...)
}

// short abbreviates a script for messages.
func short(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 80 {
		return s[:80] + "…"
	}
	return s
}

// shotsDir is where screenshots go: $E2E_SHOTS, or shots/ in the system's
// temporary directory (never the repository).
func shotsDir() string {
	if d := os.Getenv("E2E_SHOTS"); d != "" {
		return d
	}
	return filepath.Join(os.TempDir(), "shots")
}

// screenshot saves a full-page PNG of the tab as NAME.png in shotsDir.
func (b *browser) screenshot(name string) {
	ctx, cancel := context.WithTimeout(b.ctx, 20*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.tb.Logf("screenshot %s: %v", name, err)
		return
	}
	dir := shotsDir()
	name = strings.NewReplacer("/", "-", " ", "_").Replace(name)
	if err := os.MkdirAll(dir, 0o755); err == nil {
		p := filepath.Join(dir, name+".png")
		if err := os.WriteFile(p, png, 0o644); err == nil {
			b.tb.Logf("screenshot: %s", p)
		}
	}
}

// navigate loads a path relative to the site's base in the tab.
func (b *browser) navigate(rel string) {
	b.tb.Helper()
	b.do("navigating to "+rel, chromedp.Navigate(b.base+rel))
}

// reload reloads the tab.
func (b *browser) reload() {
	b.tb.Helper()
	b.do("reloading", chromedp.Reload())
}
