package e2e

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// searchTimeout bounds one query, typed to drawn (the first one may wait
// for the index to be built in the background).
const searchTimeout = 60 * time.Second

// searchView is what #search-results shows.
type searchView struct {
	Status string      `json:"status"`
	Count  int         `json:"count"`
	Text   string      `json:"text"` // the count line, e.g. "3 articles"
	Time   string      `json:"time"`
	Hits   []searchHit `json:"hits"`
}

// searchHit is one li.search-hit.
type searchHit struct {
	ID      string   `json:"id"`
	Href    string   `json:"href"`
	Title   string   `json:"title"`
	Source  string   `json:"source"`
	Date    string   `json:"date"`
	Snippet string   `json:"snippet"`
	Marks   []string `json:"marks"` // the text of each mark, title then snippet
}

// jsSearchView reads #search-results once it shows the answer to q.
const jsSearchView = `((q) => {
	const r = document.querySelector('#search-results');
	if (!r || r.dataset.query !== q || (r.dataset.status !== 'loaded' && r.dataset.status !== 'failed')) return null;
	const one = (e, s) => ((e.querySelector(s) || {}).textContent || '').trim();
	return {
		status: r.dataset.status, count: parseInt(r.dataset.count || '0', 10),
		text: one(r, '#search-count'), time: one(r, '#search-time'),
		hits: [...r.querySelectorAll('li.search-hit')].map(li => ({
			id: li.dataset.id, href: (li.querySelector('a.article-link') || {}).href || '',
			title: one(li, '.article-title'), source: one(li, '.article-source'),
			date: one(li, '.article-date'), snippet: one(li, '.search-snippet'),
			marks: [...li.querySelectorAll('mark')].map(m => m.textContent),
		})),
	};
})`

// typeQuery puts q in the search box as typing does (an input event).
func (b *browser) typeQuery(q string) {
	b.tb.Helper()
	eval[chromedp.Void](b, fmt.Sprintf(`(() => {
		const s = document.querySelector('#search-box');
		s.focus();
		s.value = %s;
		s.dispatchEvent(new Event('input', {bubbles: true}));
	})()`, quoteJS(q)))
}

// search types q and waits for its results.
func (b *browser) search(q string) searchView {
	b.tb.Helper()
	b.typeQuery(q)
	v := poll[searchView](b, "#search-results of "+q, jsSearchView+"("+quoteJS(q)+")", searchTimeout)
	if v.Status != "loaded" {
		b.fatal("search %q: #search-results[data-status=%s]", q, v.Status)
	}
	return v
}

// hit returns the hit of the article id.
func (v searchView) hit(id string) (searchHit, bool) {
	for _, h := range v.Hits {
		if h.ID == id {
			return h, true
		}
	}
	return searchHit{}, false
}

// IDs of the fixtures searched (testdata/articles and testdata/hostile).
const (
	idNightBus = "news.example.cn/city/20251009/night-bus-trial"
	idTea      = "news.example.tw/life/20251010/spring-tea"
	idLibrary  = "news.example.org/local/2025/10/11/library-hours"
	idHearing  = "news.example.cn/city/20251018/port-hearing"
)

func TestSearch(t *testing.T) {
	b := newBrowser(t, serveSite(t), browserOptions{scripts: []string{jsSentinel}})
	b.navigate("")
	n0 := b.settle()
	importAndCheck(t, b, append(fixtures(t, "articles"), fixtures(t, "hostile")...), n0, 4)

	for _, c := range []struct {
		q       string
		want    []string // IDs that must be found
		notWant []string // IDs that must not
		mark    string   // a mark's text in the hit of want[0]
	}{
		{q: "茶", want: []string{idTea}, notWant: []string{idNightBus, idLibrary}, mark: "茶"},
		{q: "茶农", want: []string{idTea}, mark: "茶農"},                 // Simplified finds Traditional
		{q: "夜間公交", want: []string{idNightBus}, mark: "夜间公交"},        // and the reverse
		{q: "末班车延后", want: []string{idNightBus}, mark: "末班车延后"},      // multi-character
		{q: "LIBRARY", want: []string{idLibrary}, mark: "library"},   // case-insensitive
		{q: "Riversi", want: []string{idLibrary}, mark: "Riverside"}, // prefix while typing
		{q: "公交 -司机", notWant: []string{idNightBus}},
		{q: `"末班车延后两小时"`, want: []string{idNightBus}, mark: "末班车延后两小时"},
		{q: `"末班车两小时"`, notWant: []string{idNightBus}},
		{q: "source:news.example.tw 一成", want: []string{idTea}, notWant: []string{idNightBus}},
		{q: "source:news.example.cn 一成", notWant: []string{idTea}},
		{q: "听证会", want: []string{idHearing}, mark: "听证会"},
		{q: "无此内容的查询词", notWant: []string{idNightBus, idTea, idLibrary, idHearing}},
	} {
		v := b.search(c.q)
		if len(v.Hits) != min(v.Count, 20) {
			t.Errorf("search %q: data-count = %d, %d hits shown, want min(count, 20)", c.q, v.Count, len(v.Hits))
		}
		if !strings.Contains(v.Text, fmt.Sprint(v.Count)) || v.Time == "" {
			t.Errorf("search %q: count %q and time %q, want the count %d and a time", c.q, v.Text, v.Time, v.Count)
		}
		for _, id := range c.want {
			if _, ok := v.hit(id); !ok {
				t.Errorf("search %q: no hit for %s; hits %+v", c.q, id, v.Hits)
			}
		}
		for _, id := range c.notWant {
			if _, ok := v.hit(id); ok {
				t.Errorf("search %q: hit for %s, want none", c.q, id)
			}
		}
		for _, h := range v.Hits {
			if len(h.Marks) == 0 && !strings.HasPrefix(c.q, "source:") {
				t.Errorf("search %q: hit %s has no mark in title %q or snippet %q", c.q, h.ID, h.Title, h.Snippet)
			}
			if h.Source == "" || h.Snippet == "" && h.Title == "" {
				t.Errorf("search %q: hit %s lacks source %q or text", c.q, h.ID, h.Source)
			}
		}
		if c.mark != "" && len(c.want) > 0 {
			if h, ok := v.hit(c.want[0]); ok && !slices.Contains(h.Marks, c.mark) {
				t.Errorf("search %q: hit %s marks %q, want %q among them", c.q, h.ID, h.Marks, c.mark)
			}
		}
	}
	b.screenshot("search-results")
	checkSamplesIndexed(t, b)
	if in := eval[string](b, `document.documentElement.dataset.searchIn || ''`); in != "worker" {
		t.Errorf("html[data-search-in] = %q, want worker (the index runs in a Web Worker)", in)
	}
	checkSearchRunsNothing(t, b)
	checkSort(t, b)
	checkOpenHit(t, b)
	checkClear(t, b)
	checkReloadSearch(t, b)
	checkDeleteUnindexes(t, b)
}

// checkSearchRunsNothing searches the hostile fixture's text and checks
// that nothing ran and no markup came through the results.
func checkSearchRunsNothing(t *testing.T, b *browser) {
	t.Helper()
	for _, q := range []string{"港口扩建", "pwned", "script", "数据"} {
		b.search(q)
		checkNothingRan(t, b, "search "+q)
		for _, bad := range eval[[]string](b, jsForbidden+"('#search-results')") {
			t.Errorf("search %q: %s", q, bad)
		}
	}
}

// checkSort orders the same query by date, newest first.
func checkSort(t *testing.T, b *browser) {
	t.Helper()
	q := "的"
	v := b.search(q)
	eval[chromedp.Void](b, `(() => {
		const s = document.querySelector('#search-sort');
		s.value = 'date';
		s.dispatchEvent(new Event('change', {bubbles: true}));
	})()`)
	poll[bool](b, "date order", `document.querySelector('#search-sort').value === 'date' && document.querySelector('#search-results').dataset.status === 'loaded'`, searchTimeout)
	time.Sleep(300 * time.Millisecond)
	byDate := poll[searchView](b, "results by date", jsSearchView+"("+quoteJS(q)+")", searchTimeout)
	if byDate.Count != v.Count {
		t.Errorf("search %q by date: %d results, by relevance %d", q, byDate.Count, v.Count)
	}
	for i := 1; i < len(byDate.Hits); i++ {
		if byDate.Hits[i].Date > byDate.Hits[i-1].Date {
			t.Errorf("search %q by date: %s (%s) after %s (%s)", q, byDate.Hits[i].ID, byDate.Hits[i].Date, byDate.Hits[i-1].ID, byDate.Hits[i-1].Date)
		}
	}
}

// checkOpenHit opens a hit by a click and the first hit by Enter: the
// reader marks the matches and scrolls the first into view.
func checkOpenHit(t *testing.T, b *browser) {
	t.Helper()
	v := b.search("乘客")
	h, ok := v.hit(idNightBus)
	if !ok {
		t.Fatalf("search 乘客: no hit for %s", idNightBus)
	}
	if !strings.Contains(h.Href, "q=") {
		t.Errorf("hit link %q does not carry the query", h.Href)
	}
	eval[chromedp.Void](b, fmt.Sprintf(`document.querySelector('li.search-hit[data-id=%q] a.article-link').click()`, h.ID))
	checkReaderMarks(t, b, idNightBus, "乘客")

	b.navigate("")
	b.waitLibrary()
	b.search("採收")
	eval[chromedp.Void](b, `document.querySelector('#search-box').form.requestSubmit()`)
	checkReaderMarks(t, b, idTea, "採收")
}

// checkReaderMarks waits for the reader of id and checks its marks.
func checkReaderMarks(t *testing.T, b *browser, id, want string) {
	t.Helper()
	r := b.waitReader(id)
	if r.Status != "loaded" {
		t.Fatalf("reader of %s: status %q", id, r.Status)
	}
	marks := poll[[]string](b, "mark.search-match in the reader", `(() => {
		const m = [...document.querySelectorAll('#reader mark.search-match')].map(e => e.textContent);
		return m.length ? m : null;
	})()`, loadTimeout)
	for _, m := range marks {
		if m != want {
			t.Errorf("reader of %s: mark %q, want only %q", id, m, want)
		}
	}
	inView := poll[bool](b, "the first match in view", `(() => {
		const r = document.querySelector('#reader mark.search-match').getBoundingClientRect();
		return r.top >= 0 && r.bottom <= innerHeight;
	})()`, 10*time.Second)
	if !inView {
		t.Errorf("reader of %s: the first match is not in view", id)
	}
	b.screenshot("search-reader-" + strings.ReplaceAll(id, "/", "_"))
}

// checkClear empties the box: the list is back.
func checkClear(t *testing.T, b *browser) {
	t.Helper()
	b.navigate("")
	b.waitLibrary()
	b.search("茶")
	b.typeQuery("")
	poll[bool](b, "the list after clearing the box", `!document.querySelector('#search-results') && !!document.querySelector('#library[data-status=loaded]')`, loadTimeout)
}

// checkReloadSearch reloads and searches again: the index is read, not
// built again.
func checkReloadSearch(t *testing.T, b *browser) {
	t.Helper()
	before := b.search("听证会")
	b.reload()
	b.waitLibrary()
	after := b.search("听证会")
	if after.Count != before.Count || after.Count == 0 {
		t.Errorf("search 听证会 after a reload: %d results, before %d", after.Count, before.Count)
	}
	if n := eval[string](b, `document.documentElement.dataset.indexBuilds || '0'`); n != "0" {
		t.Errorf("after a reload the index was built again (html[data-index-builds] = %s)", n)
	}
}

// checkSamplesIndexed searches the samples seeded on the first visit:
// the worker indexed them as it imported them, so no background build ran.
func checkSamplesIndexed(t *testing.T, b *browser) {
	t.Helper()
	v := b.search("GitHub Pages")
	if _, ok := v.hit("broadsheet.example/guide/github-pages"); !ok {
		t.Errorf("search GitHub Pages: no hit for the seeded sample broadsheet.example/guide/github-pages; hits %+v", v.Hits)
	}
	if n := eval[string](b, `document.documentElement.dataset.indexBuilds || '0'`); n != "0" {
		t.Errorf("first visit: html[data-index-builds] = %s, want 0 (the samples indexed by their import)", n)
	}
}

// checkDeleteUnindexes deletes an article from the library: search no
// longer finds it.
func checkDeleteUnindexes(t *testing.T, b *browser) {
	t.Helper()
	if v := b.search("茶农"); len(v.Hits) == 0 {
		t.Fatalf("search 茶农 before deleting: no hit")
	}
	b.typeQuery("")
	b.waitLibrary()
	eval[chromedp.Void](b, fmt.Sprintf(`(() => {
		window.confirm = () => true;
		document.querySelector('li.article-item[data-id=%q] input.article-select').click();
	})()`, idTea))
	poll[bool](b, "#delete-selected enabled", `!document.querySelector('#delete-selected').disabled`, loadTimeout)
	eval[chromedp.Void](b, `document.querySelector('#delete-selected').click()`)
	poll[bool](b, "the deleted article gone from the list", fmt.Sprintf(`!document.querySelector('li.article-item[data-id=%q]')`, idTea), loadTimeout)
	if v := b.search("茶农"); len(v.Hits) != 0 {
		t.Errorf("search 茶农 after deleting %s: hits %+v, want none", idTea, v.Hits)
	}
}
