package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/broadsheet/broadsheet/parser"
)

// expectation is what importing a set of files should give, worked out
// with the same parser natively.
type expectation struct {
	errors int
	ids    map[string]string // id -> title
}

// expect parses paths natively.
func expect(t testing.TB, paths []string) expectation {
	t.Helper()
	e := expectation{ids: map[string]string{}}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		a, err := parser.Parse(data)
		if err != nil {
			e.errors++
			continue
		}
		e.ids[a.ID] = a.Title
	}
	return e
}

// sampleIDs returns the ids of the built-in sample articles.
func sampleIDs(t testing.TB) map[string]bool {
	t.Helper()
	ids := map[string]bool{}
	for _, name := range sampleFiles(t) {
		data, err := os.ReadFile(filepath.Join(siteDir, "web", "samples", filepath.FromSlash(name)))
		if err != nil {
			t.Fatal(err)
		}
		if a, err := parser.Parse(data); err == nil {
			ids[a.ID] = true
		}
	}
	return ids
}

func TestImportCorpus2000(t *testing.T) {
	const n = 2000
	base := serveSite(t)
	paths := corpusFiles(t, n)
	want := expect(t, paths)
	union := sampleIDs(t)
	for id := range want.ids {
		union[id] = true
	}

	b := newBrowser(t, base, browserOptions{timeout: 10 * time.Minute})
	b.navigate("")
	b.settle()
	start := time.Now()
	b.importFiles(paths)
	st := b.waitImport(n)
	t.Logf("imported %d corpus files in %v (%.0f files/s)", n, time.Since(start).Round(time.Millisecond), n/time.Since(start).Seconds())
	if st.State != "done" || st.Done != n || st.Errors != want.errors {
		t.Errorf("#import-status = %+v, want done, data-done=%d, data-errors=%d (files the parser rejects natively)", st, n, want.errors)
	}
	if rep := b.report(); len(rep) != st.Errors {
		t.Errorf("#import-report has %d items, want one per error (%d)", len(rep), st.Errors)
	}
	if c := b.settle(); c != len(union) {
		t.Errorf("#library-count = %d, want %d (the samples and %d distinct corpus articles)", c, len(union), len(want.ids))
	}
	b.reload()
	if c := b.settle(); c != len(union) {
		t.Errorf("#library-count after reload = %d, want %d", c, len(union))
	}
	for _, p := range []string{paths[0], paths[n/2], paths[n-1]} {
		e := expect(t, []string{p})
		for id, title := range e.ids {
			r := b.openReader(id)
			if r.Status != "loaded" || len(r.H1s) != 1 || r.H1s[0] != title {
				t.Errorf("reader of %s (%s): status %q, h1s %q, want loaded and %q", filepath.Base(p), id, r.Status, r.H1s, title)
			}
		}
	}
}

func TestCancelLargeImport(t *testing.T) {
	const n = 5000
	base := serveSite(t)
	set := synthFiles(t, n)

	b := newBrowser(t, base, browserOptions{timeout: 10 * time.Minute})
	b.navigate("")
	n0 := b.settle()
	b.importFiles(set.paths)
	// cancelled a fifth of the way, when the slices have their full size
	// (the worker holds importDepth of them)
	poll[bool](b, "a running import a fifth done", fmt.Sprintf(`(() => {
		const s = document.querySelector('#import-status');
		return !!s && s.dataset.state === 'running' && parseInt(s.dataset.done || '0', 10) >= %d
			&& !!document.querySelector('button#import-cancel');
	})()`, n/5), importTimeout)
	clicked := time.Now()
	b.do("clicking #import-cancel", chromedpClick("button#import-cancel"))
	st := poll[importStatus](b, "data-state=cancelled", `(() => {
		const st = `+jsImportStatus+`;
		return st && st.state !== 'running' ? st : null;
	})()`, 10*time.Second)
	t.Logf("cancel took effect after %v: %+v", time.Since(clicked).Round(time.Millisecond), st)
	if st.State != "cancelled" {
		t.Fatalf("#import-status after cancel = %+v, want data-state=cancelled", st)
	}
	if st.Done >= n || st.Total != n {
		t.Errorf("#import-status after cancel = %+v, want data-total=%d and data-done below it", st, n)
	}
	c := b.settle()
	imported := c - n0
	if imported < 0 || imported > st.Done {
		t.Errorf("after cancel %d articles were added, want between 0 and data-done=%d", imported, st.Done)
	}

	// What was imported is intact: it survives a reload and reads whole.
	b.reload()
	if c2 := b.settle(); c2 != c {
		t.Errorf("#library-count after reload = %d, want %d as before", c2, c)
	}
	if imported == 0 {
		return
	}
	it, ok := b.findItemFunc(func(it listItem) bool { return strings.HasPrefix(it.Title, synthTitlePrefix) })
	if !ok {
		t.Fatalf("%d synthetic articles were imported, but none is listed", imported)
	}
	r := b.openReader(it.ID)
	if r.Status != "loaded" || len(r.H1s) != 1 || r.H1s[0] != it.Title || len(r.Paragraphs) < 3 {
		t.Errorf("reader of %q after cancel: status %q, h1s %q, %d paragraphs; want loaded, its title, 3 or more", it.Title, r.Status, r.H1s, len(r.Paragraphs))
	}
}
