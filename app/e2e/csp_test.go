package e2e

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// jsRecordViolations runs before the page's scripts and records every
// Content-Security-Policy violation of the document.
const jsRecordViolations = `window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', e => {
	window.__cspViolations.push(e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline') + ' at ' + e.sourceFile + ':' + e.lineNumber);
});`

// jsFirstInHead describes the first element of the head and the policy it
// sets.
const jsFirstInHead = `(() => {
	const m = document.head.firstElementChild;
	return m ? m.tagName.toLowerCase() + ' ' + (m.getAttribute('http-equiv') || '') + ' ' + (m.getAttribute('content') || '') : '';
})()`

// scriptFile matches a script element loading a file.
var scriptFile = regexp.MustCompile(`<script[^>]*\ssrc="[^"]+"[^>]*></script>`)

// violations returns the recorded violations.
func (b *browser) violations() []string {
	b.tb.Helper()
	return eval[[]string](b, `window.__cspViolations || ['the recorder did not run']`)
}

func TestCSPMetaFirstOnEveryPage(t *testing.T) {
	serveSite(t)
	pages, err := filepath.Glob(filepath.Join(siteDir, "*.html"))
	if err != nil || len(pages) < 2 {
		t.Fatalf("pages of the site: %v, %v; want index.html and read.html", pages, err)
	}
	for _, p := range pages {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		_, after, ok := strings.Cut(string(data), "<head>")
		after = strings.TrimSpace(after)
		if !ok || !strings.HasPrefix(after, `<meta http-equiv="Content-Security-Policy" content="default-src 'self';`) {
			t.Errorf("%s: the head does not start with the CSP meta: %.120q", filepath.Base(p), after)
		}
		if strings.Contains(string(data), " style=") || strings.Contains(string(data), "<style") {
			t.Errorf("%s has an inline style", filepath.Base(p))
		}
		if all, files := strings.Count(string(data), "<script"), len(scriptFile.FindAllString(string(data), -1)); all != files {
			t.Errorf("%s has %d scripts, %d of them files: want only files", filepath.Base(p), all, files)
		}
	}
}

func TestCSPNoViolations(t *testing.T) {
	b := newBrowser(t, serveSite(t), browserOptions{scripts: []string{jsRecordViolations}})
	b.navigate("")
	n0 := b.settle()
	if got := eval[string](b, jsFirstInHead); !strings.HasPrefix(got, "meta Content-Security-Policy default-src 'self'; script-src 'self' 'wasm-unsafe-eval';") {
		t.Errorf("library page: first element of the head = %q, want the CSP meta", got)
	}
	importAndCheck(t, b, fixtures(t, "articles"), n0, 3)
	if v := b.violations(); len(v) > 0 {
		t.Errorf("CSP violations while importing: %q", v)
	}
	bus, ok := wantTitles(t, b, titleNightBus)[titleNightBus]
	if !ok {
		t.FailNow()
	}
	r := b.openReader(bus.ID)
	checkNightBus(t, r)
	if got := eval[string](b, jsFirstInHead); !strings.HasPrefix(got, "meta Content-Security-Policy") {
		t.Errorf("reader page: first element of the head = %q, want the CSP meta", got)
	}
	if v := b.violations(); len(v) > 0 {
		t.Errorf("CSP violations while reading: %q", v)
	}
	b.navigate("")
	b.waitLibrary()
	if eval[bool](b, `!!document.querySelector('#search-box')`) {
		b.do("searching", chromedp.SendKeys(chromedp.CSS("#search-box"), "夜间公交\n"))
		time.Sleep(3 * time.Second)
		if v := b.violations(); len(v) > 0 {
			t.Errorf("CSP violations while searching: %q", v)
		}
	} else {
		t.Log("no #search-box: searching not checked")
	}
}

// expectCSPReport waits for the page's report of a blocked inline script
// or handler (a test planted one on purpose), drops it from the page's
// problems, and reports whether it came.
func (b *browser) expectCSPReport() bool {
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		b.mu.Lock()
		n := len(b.problems)
		b.problems = slices.DeleteFunc(b.problems, func(p string) bool {
			return strings.Contains(p, "violates the following Content Security Policy directive")
		})
		found := len(b.problems) < n
		b.mu.Unlock()
		if found {
			return true
		}
		time.Sleep(50 * time.Millisecond)
	}
	return false
}
