package e2e

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// jsSentinel runs in every new document and frame before the page's own
// scripts: each payload of testdata/hostile assigns window.__pwned (or
// parent.__pwned), and the setter records the assignment where the page
// cannot erase it.
const jsSentinel = `(() => {
	const hits = [];
	const top = window.top === window ? window : null;
	Object.defineProperty(window, '__pwned', {configurable: false,
		get() { return hits.length ? hits[hits.length - 1] : undefined; },
		set(v) { hits.push(v); try { if (!top) window.top.__pwned = v; } catch (e) {} }});
	Object.defineProperty(window, '__pwnedHits', {configurable: false, get() { return hits.slice(); }});
})()`

// jsForbidden lists what must never appear inside the elements matching
// a selector (the regions that show article content: the list, the
// import report and the reader): script, frames, objects, svg, style and the like, event
// handler attributes, and javascript:, vbscript: or data:text/html URLs.
const jsForbidden = `((sel) => {
	const tags = new Set(['script', 'iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'svg', 'math',
		'style', 'link', 'meta', 'base', 'form', 'template', 'noscript', 'portal']);
	const urlAttrs = new Set(['href', 'src', 'action', 'formaction', 'xlink:href', 'data', 'poster', 'background', 'srcset', 'ping', 'cite']);
	const bad = [];
	for (const root of document.querySelectorAll(sel)) {
		for (const el of [root, ...root.querySelectorAll('*')]) {
			const tag = el.localName;
			if (tags.has(tag) || el.namespaceURI !== 'http://www.w3.org/1999/xhtml') bad.push('<' + tag + '> in ' + sel);
			for (const a of el.attributes) {
				const n = a.name.toLowerCase();
				const v = a.value.replace(/[\u0000-\u0020\u007f-\u00a0]/g, '').toLowerCase();
				if (n.startsWith('on')) bad.push(n + ' on <' + tag + '> in ' + sel);
				if (n === 'srcdoc') bad.push('srcdoc on <' + tag + '> in ' + sel);
				if (urlAttrs.has(n) && /^(javascript|vbscript|data:text\/html|data:image\/svg)/.test(v)) bad.push(n + '=' + a.value + ' on <' + tag + '> in ' + sel);
				if (n === 'style' && /url\(|expression|javascript/.test(v)) bad.push('style=' + a.value + ' on <' + tag + '> in ' + sel);
			}
		}
	}
	return bad;
})`

// checkNothingRan fails the test if a payload ran or left a forbidden
// element or attribute in the library or the reader.
func checkNothingRan(t *testing.T, b *browser, when string) {
	t.Helper()
	time.Sleep(1500 * time.Millisecond) // let image errors, loads and timers fire
	if hits := eval[[]int](b, `window.__pwnedHits`); len(hits) > 0 {
		t.Errorf("%s: payloads ran and set window.__pwned: %v", when, hits)
	}
	for _, sel := range []string{"ol#article-list", "#import-report", "article#reader"} {
		for _, bad := range eval[[]string](b, jsForbidden+"("+quoteJS(sel)+")") {
			t.Errorf("%s: %s", when, bad)
		}
	}
	scripts := eval[[]string](b, `[...document.scripts].map(s => s.src || ('inline: ' + s.textContent.slice(0, 80)))`)
	for _, s := range scripts {
		if strings.Contains(s, "__pwned") || (s != "" && !strings.HasPrefix(s, "inline") && !strings.HasPrefix(s, strings.TrimSuffix(b.base, siteBase)+"/")) {
			t.Errorf("%s: a script that is not the app's: %q", when, s)
		}
	}
	if n := eval[int](b, `document.querySelectorAll('iframe, object, embed, frame').length`); n > 0 {
		t.Errorf("%s: %d iframe/object/embed/frame elements in the document", when, n)
	}
}

// clickThrough fires the mouse and focus events a reader's pointer would
// on every element of the reader, and clicks every element that is not a
// link (links leave the page).
func clickThrough() chromedp.Action[chromedp.Void] {
	return chromedp.Evaluate[chromedp.Void](`(() => {
		for (const el of document.querySelectorAll('article#reader *')) {
			for (const type of ['mouseover', 'mouseenter', 'focus']) el.dispatchEvent(new Event(type));
			if (!el.closest('a')) el.click();
		}
	})()`)
}

// quoteJS quotes s as a JavaScript string.
func quoteJS(s string) string { return "'" + strings.ReplaceAll(s, "'", `\'`) + "'" }

func TestHostileFixtureRunsNothing(t *testing.T) {
	b := newBrowser(t, serveSite(t), browserOptions{scripts: []string{jsSentinel}})
	b.navigate("")
	n0 := b.settle()
	b.importFiles(fixtures(t, "hostile"))
	st := b.waitImport(1)
	if want := (importStatus{State: "done", Done: 1, Total: 1}); st != want {
		t.Errorf("#import-status after importing the hostile fixture = %+v, want %+v; report %+v", st, want, b.report())
	}
	if n := b.settle(); n != n0+1 {
		t.Errorf("#library-count = %d, want %d", n, n0+1)
	}
	checkNothingRan(t, b, "library after import")

	it, ok := b.findItemFunc(func(it listItem) bool { return strings.HasPrefix(it.Title, "港口扩建听证会") })
	if !ok {
		t.Fatalf("the library does not list the hostile fixture (title starting 港口扩建听证会)")
	}
	if strings.Contains(it.Authors, "script") || !strings.Contains(it.Authors, "韩冰") || !strings.Contains(it.Authors, "许诺") {
		t.Errorf("hostile fixture: .article-authors = %q, want 韩冰 and 许诺 without markup", it.Authors)
	}
	b.screenshot("hostile-library")
	b.do("clicking the hostile article's link", clickLink(it.ID))
	r := b.waitReader(it.ID)
	if r.Status != "loaded" {
		t.Fatalf("reader of the hostile fixture: data-status = %q, want loaded", r.Status)
	}
	checkNothingRan(t, b, "reader")
	if w, ok := containsAll(strings.Join(r.Paragraphs, "\n"), "二十多位居民代表到场发言", "港务局表示，将在三十天内书面答复居民提出的意见。", "下一次听证会定于十一月举行"); !ok {
		t.Errorf("reader of the hostile fixture: the text around the payloads is gone: no %q in %q", w, r.Paragraphs)
	}
	if vis := eval[string](b, `getComputedStyle(document.querySelector('article#reader')).display`); vis == "none" {
		t.Errorf("the fixture's <style> hid article#reader")
	}
	if path := eval[string](b, `location.pathname`); path != "/REPO/read" {
		t.Errorf("after reading the hostile fixture the page is at %q, want /REPO/read (a meta refresh ran?)", path)
	}
	b.do("hovering and clicking through the reader", clickThrough())
	checkNothingRan(t, b, "reader after clicks")
	b.screenshot("hostile-reader")
}

// TestHostileChecksDetect shows that the checks above can fail: the
// sentinel records an assignment and jsForbidden finds planted markup.
func TestHostileChecksDetect(t *testing.T) {
	b := newBrowser(t, serveSite(t), browserOptions{scripts: []string{jsSentinel}})
	b.navigate("")
	b.waitLibrary()
	eval[chromedp.Void](b, `window.__pwned = 7`)
	if hits := eval[[]int](b, `window.__pwnedHits`); len(hits) != 1 || hits[0] != 7 {
		t.Errorf("after window.__pwned = 7, __pwnedHits = %v, want [7]", hits)
	}
	eval[chromedp.Void](b, `(() => {
		const d = document.createElement('div');
		d.id = 'probe';
		d.innerHTML = '<svg></svg><a href=" JavaScript:x">a</a><p onclick="x">p</p><iframe></iframe>';
		document.body.append(d);
	})()`)
	bad := eval[[]string](b, jsForbidden+"('#probe')")
	// Chromium reports a blocked inline handler when the event fires (148
	// does not at parsing), so fire it.
	eval[chromedp.Void](b, `document.querySelector('#probe p').click()`)
	eval[chromedp.Void](b, `document.querySelector('#probe').remove()`)
	if !b.expectCSPReport() {
		t.Error("the Content-Security-Policy did not report the planted inline handler")
	}
	if len(bad) != 4 {
		t.Errorf("jsForbidden on planted svg, javascript: link, onclick and iframe found %q, want 4 findings", bad)
	}
}
