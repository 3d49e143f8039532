package e2e

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
)

// How long the UI may take: the first load compiles the wasm on a busy
// shared machine.
const (
	loadTimeout   = 90 * time.Second
	importTimeout = 5 * time.Minute
)

// importStatus is #import-status: data-state, data-done, data-total and
// data-errors.
type importStatus struct {
	State  string `json:"state"`
	Done   int    `json:"done"`
	Total  int    `json:"total"`
	Errors int    `json:"errors"`
}

// jsImportStatus reads #import-status as an importStatus, or null.
const jsImportStatus = `(() => {
	const s = document.querySelector('#import-status');
	if (!s || !s.dataset.state) return null;
	const n = k => parseInt(s.dataset[k] || '0', 10);
	return {state: s.dataset.state, done: n('done'), total: n('total'), errors: n('errors')};
})()`

// status returns the import status, or a zero one when none is shown.
func (b *browser) status() importStatus {
	b.tb.Helper()
	st := eval[*importStatus](b, jsImportStatus)
	if st == nil {
		return importStatus{}
	}
	return *st
}

// waitLibrary waits for #library[data-status] to be loaded, and fails the
// test when it is failed.
func (b *browser) waitLibrary() {
	b.tb.Helper()
	st := poll[string](b, "#library[data-status=loaded]", `(() => {
		const l = document.querySelector('#library');
		const s = l && l.dataset.status;
		return (s === 'loaded' || s === 'failed') ? s : '';
	})()`, loadTimeout)
	if st == "failed" {
		b.fatal("#library[data-status=failed]; #storage-error says %q", b.text("#storage-error"))
	}
}

// settle waits until the library is loaded, no import runs and the count
// has not changed for a while (the first visit imports the samples), and
// returns the count.
func (b *browser) settle() int {
	b.tb.Helper()
	b.waitLibrary()
	return poll[int](b, "a settled library", `new Promise(resolve => {
		const read = () => {
			const s = document.querySelector('#import-status');
			const running = s && s.dataset.state === 'running';
			const c = document.querySelector('#library-count');
			const l = document.querySelector('#library');
			if (running || !c || !l || l.dataset.status !== 'loaded') return -1;
			return parseInt(c.dataset.count, 10);
		};
		let last = read(), same = 0;
		const tick = () => {
			const now = read();
			if (now >= 0 && now === last) { if (++same >= 6) return resolve(now + 1); }
			else same = 0;
			last = now;
			setTimeout(tick, 100);
		};
		tick();
	})`, loadTimeout) - 1
}

// count returns #library-count[data-count].
func (b *browser) count() int {
	b.tb.Helper()
	s := eval[string](b, `(document.querySelector('#library-count') || {dataset: {}}).dataset.count || ''`)
	n, err := strconv.Atoi(s)
	if err != nil {
		b.fatal("#library-count[data-count] = %q, want a number", s)
	}
	return n
}

// importFiles sets the files of input#import-files, as a person picking
// them in the file dialog.
func (b *browser) importFiles(paths []string) {
	b.tb.Helper()
	b.do("setting the files of #import-files", chromedp.SetUploadFiles(chromedp.CSS("#import-files"), paths))
}

// dropFolder drags a folder from the desktop and drops it on the page.
func (b *browser) dropFolder(dir string) {
	b.tb.Helper()
	data := &input.DragData{Items: []*input.DragDataItem{}, Files: []string{dir}, DragOperationsMask: 1}
	for _, typ := range []input.DispatchDragEventType{
		input.DispatchDragEventTypeDragEnter, input.DispatchDragEventTypeDragOver, input.DispatchDragEventTypeDrop,
	} {
		_, err := chromedp.Call(b.ctx, input.DispatchDragEvent, input.DispatchDragEventParams{Type: typ, X: 640, Y: 400, Data: data})
		if err != nil {
			b.fatal("dispatching %s of %s: %v", typ, dir, err)
		}
	}
}

// waitImport waits for the import of total files to end (done or
// cancelled) and returns its status.
func (b *browser) waitImport(total int) importStatus {
	b.tb.Helper()
	st := poll[importStatus](b, fmt.Sprintf("#import-status of %d files to end", total), fmt.Sprintf(`(() => {
		const st = %s;
		return st && st.state !== 'running' && st.total === %d ? st : null;
	})()`, jsImportStatus, total), importTimeout)
	return st
}

// reportItem is one li of ul#import-report.
type reportItem struct {
	Name   string `json:"name"`
	Reason string `json:"reason"`
}

// report returns the import report.
func (b *browser) report() []reportItem {
	b.tb.Helper()
	return eval[[]reportItem](b, `[...document.querySelectorAll('ul#import-report > li')].map(li => ({
		name: ((li.querySelector('.file-name') || {}).textContent || '').trim(),
		reason: ((li.querySelector('.reason') || {}).textContent || '').trim(),
	}))`)
}

// listItem is one li.article-item of the library list.
type listItem struct {
	ID      string `json:"id"`
	Title   string `json:"title"`
	Href    string `json:"href"`
	Source  string `json:"source"`
	Date    string `json:"date"`
	Authors string `json:"authors"`
	Select  bool   `json:"select"`
}

// items returns the articles the library list shows now.
func (b *browser) items() []listItem {
	b.tb.Helper()
	return eval[[]listItem](b, `[...document.querySelectorAll('ol#article-list > li.article-item')].map(li => {
		const t = s => ((li.querySelector(s) || {}).textContent || '').trim();
		const a = li.querySelector('a.article-link');
		return {id: li.dataset.id || '', title: t('.article-title'), href: a ? a.href : '',
			source: t('.article-source'), date: t('.article-date'), authors: t('.article-authors'),
			select: !!li.querySelector('input.article-select')};
	})`)
}

// findItem returns the listed article titled title, paging through the
// library from its first page when it pages.
func (b *browser) findItem(title string) (listItem, bool) {
	b.tb.Helper()
	return b.findItemFunc(func(it listItem) bool { return it.Title == title })
}

// findItemFunc returns the first listed article for which match is true,
// paging through the library from its first page when it pages.
func (b *browser) findItemFunc(match func(listItem) bool) (listItem, bool) {
	b.tb.Helper()
	b.firstPage()
	for range 500 {
		for _, it := range b.items() {
			if match(it) {
				return it, true
			}
		}
		if !b.nextPage() {
			return listItem{}, false
		}
	}
	return listItem{}, false
}

// nextPage clicks #page-next when it is there and enabled, and reports
// whether it did.
func (b *browser) nextPage() bool {
	b.tb.Helper()
	first := eval[string](b, `((document.querySelector('ol#article-list > li.article-item') || {dataset: {}}).dataset.id) || ''`)
	ok := eval[bool](b, `(() => {
		const n = document.querySelector('button#page-next');
		if (!n || n.disabled || n.hidden) return false;
		n.click();
		return true;
	})()`)
	if !ok {
		return false
	}
	poll[bool](b, "the next page", fmt.Sprintf(`((document.querySelector('ol#article-list > li.article-item') || {dataset: {}}).dataset.id || '') !== %q`, first), 10*time.Second)
	return true
}

// firstPage clicks #page-prev until it is gone or disabled.
func (b *browser) firstPage() {
	b.tb.Helper()
	for range 500 {
		first := eval[string](b, `((document.querySelector('ol#article-list > li.article-item') || {dataset: {}}).dataset.id) || ''`)
		ok := eval[bool](b, `(() => {
			const p = document.querySelector('button#page-prev');
			if (!p || p.disabled || p.hidden) return false;
			p.click();
			return true;
		})()`)
		if !ok {
			return
		}
		poll[bool](b, "the previous page", fmt.Sprintf(`((document.querySelector('ol#article-list > li.article-item') || {dataset: {}}).dataset.id || '') !== %q`, first), 10*time.Second)
	}
}

// clickLink clicks the a.article-link of the listed article id.
func clickLink(id string) chromedp.Action[chromedp.Void] {
	return chromedp.Click(chromedp.CSS(fmt.Sprintf(`li.article-item[data-id=%q] a.article-link`, id)))
}

// chromedpClick clicks the first element matching a CSS selector.
func chromedpClick(sel string) chromedp.Action[chromedp.Void] {
	return chromedp.Click(chromedp.CSS(sel))
}

// text returns the trimmed text of the first element matching sel, or "".
func (b *browser) text(sel string) string {
	b.tb.Helper()
	return eval[string](b, fmt.Sprintf(`((document.querySelector(%q) || {}).textContent || '').trim()`, sel))
}

// readerURL is the reader's address for an article id, relative to the
// site's base.
func readerURL(id string) string { return "read?id=" + url.QueryEscape(id) }

// reader is what article#reader shows.
type reader struct {
	Status     string   `json:"status"`
	ID         string   `json:"id"`
	Lang       string   `json:"lang"`
	H1s        []string `json:"h1s"`
	Byline     string   `json:"byline"`
	LeadImg    bool     `json:"leadImg"`
	Caption    string   `json:"caption"`
	Credit     string   `json:"credit"`
	Paragraphs []string `json:"paragraphs"`
	Headings   []string `json:"headings"`
	Quotes     []string `json:"quotes"`
	ListItems  []string `json:"listItems"`
	Footer     string   `json:"footer"`
	Original   string   `json:"original"`
	Back       bool     `json:"back"`
}

// jsReader reads article#reader.
const jsReader = `(() => {
	const r = document.querySelector('article#reader');
	if (!r) return null;
	const all = s => [...r.querySelectorAll(s)].map(e => e.textContent.replace(/\s+/g, ' ').trim());
	const one = s => ((r.querySelector(s) || {}).textContent || '').replace(/\s+/g, ' ').trim();
	const orig = r.querySelector('a.original-link');
	return {
		status: r.dataset.status || '', id: r.dataset.id || '', lang: r.getAttribute('lang') || '',
		h1s: [...document.querySelectorAll('h1')].map(e => e.textContent.trim()),
		byline: one('.byline'),
		leadImg: !!r.querySelector('figure.lead > img'),
		caption: one('figure.lead > figcaption'), credit: one('figure.lead .credit'),
		paragraphs: all('.article-body p'), headings: all('.article-body h2, .article-body h3, .article-body h4'),
		quotes: all('.article-body blockquote'), listItems: all('.article-body li'),
		footer: one('footer.article-footer'), original: orig ? orig.href : '',
		back: !!document.querySelector('a#back-to-library'),
	};
})()`

// openReader loads the reader of an article id and waits until it has
// loaded (or failed).
func (b *browser) openReader(id string) reader {
	b.tb.Helper()
	b.navigate(readerURL(id))
	return b.waitReader(id)
}

// waitReader waits for article#reader of id to be loaded or failed.
func (b *browser) waitReader(id string) reader {
	b.tb.Helper()
	return poll[reader](b, "article#reader of "+id, fmt.Sprintf(`(() => {
		const r = %s;
		return r && r.id === %q && (r.status === 'loaded' || r.status === 'failed') ? r : null;
	})()`, jsReader, id), loadTimeout)
}

// within runs f with the tab's context limited to d.
func (b *browser) within(d time.Duration, f func(ctx context.Context) error) error {
	ctx, cancel := context.WithTimeout(b.ctx, d)
	defer cancel()
	return f(ctx)
}

// containsAll reports the first of wants not found in s.
func containsAll(s string, wants ...string) (string, bool) {
	for _, w := range wants {
		if !strings.Contains(s, w) {
			return w, false
		}
	}
	return "", true
}
