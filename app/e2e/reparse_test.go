package e2e

import (
	"encoding/json"
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/broadsheet/broadsheet/app/search"
	"github.com/broadsheet/broadsheet/parser"
	"github.com/chromedp/chromedp"
)

// jsParsedRecord keeps window.__parsed equal to the library's "parsed"
// info record (the parser revision of the stored articles: "" when there
// is none), read every 100 ms in a connection of its own; called with a
// value, it first writes that value there.
const jsParsedRecord = `((db, set) => {
	const enc = s => new TextEncoder().encode(s);
	const open = f => { const rq = indexedDB.open(db); rq.onsuccess = () => f(rq.result); };
	if (set !== null) open(d => { const tx = d.transaction('info', 'readwrite'); tx.objectStore('info').put(enc(set), enc('parsed')); tx.oncomplete = () => d.close(); });
	window.__parsed = undefined;
	setInterval(() => open(d => {
		const g = d.transaction('info').objectStore('info').get(enc('parsed'));
		g.onsuccess = () => { window.__parsed = g.result ? new TextDecoder().decode(g.result) : ''; d.close(); };
	}), 100);
})`

// TestReparseAfterUpgrade: a library whose articles an older parser
// stored (its "parsed" record says revision 0) is parsed again by the
// search worker once the app starts, until the record says this
// parser's revision; the article still reads.
func TestReparseAfterUpgrade(t *testing.T) {
	b := newBrowser(t, serveSite(t), browserOptions{})
	b.navigate("")
	n0 := b.settle()
	b.importFiles(fixtures(t, "media"))
	if st := b.waitImport(1); st.State != "done" {
		t.Fatalf("importing the media fixture: %+v", st)
	}
	db := quoteJS("broadsheet:" + siteBase)
	want := strconv.Itoa(parser.Revision)
	eval[chromedp.Void](b, jsParsedRecord+"("+db+", null)")
	if got := poll[string](b, "the parsed record", `window.__parsed`, loadTimeout); got != want {
		t.Fatalf("parsed record of a new library = %q, want %q (marked as parsed by this parser)", got, want)
	}
	eval[chromedp.Void](b, jsParsedRecord+"("+db+", '0')") // as an older app left it
	poll[bool](b, "the parsed record to say 0", `window.__parsed === '0'`, loadTimeout)
	start := time.Now()
	b.reload()
	if n := b.settle(); n != n0+1 {
		t.Errorf("#library-count after the reload = %d, want %d", n, n0+1)
	}
	eval[chromedp.Void](b, jsParsedRecord+"("+db+", null)")
	poll[bool](b, "the worker to parse the stored articles again", fmt.Sprintf(`window.__parsed === %q`, want), loadTimeout)
	t.Logf("stored articles parsed again %v after the reload", time.Since(start).Round(time.Millisecond))
	it, ok := b.findItemFunc(func(it listItem) bool { return it.Title != "" && []rune(it.Title)[0] == '渡' })
	if !ok {
		t.Fatal("the library no longer lists the fixture")
	}
	b.do("opening the fixture", clickLink(it.ID))
	if r := b.waitReader(it.ID); r.Status != "loaded" {
		t.Errorf("reader after the re-parse: %+v", r)
	}
}

// jsIndexTables copies the records of the index's tables of database
// db (the library's stay as they are) into window.__index ("save"), or
// puts those copies back in place of what the tables hold ("restore"),
// in a connection of its own, and sets window.__indexDone once done.
const jsIndexTables = `((db, tables, op) => {
	window.__indexDone = false;
	const rq = indexedDB.open(db);
	rq.onsuccess = () => {
		const d = rq.result, tx = d.transaction(tables, op === 'save' ? 'readonly' : 'readwrite');
		if (op === 'save') window.__index = {};
		for (const t of tables) {
			const os = tx.objectStore(t);
			if (op === 'save') {
				const keys = os.getAllKeys(), vals = os.getAll();
				vals.onsuccess = () => { window.__index[t] = [keys.result, vals.result]; };
			} else {
				os.clear();
				const [keys, vals] = window.__index[t];
				keys.forEach((k, i) => os.put(vals[i], k));
			}
		}
		tx.oncomplete = () => { d.close(); window.__indexDone = true; };
	};
})`

// TestLostArticlesIndexed: articles stored in the library but not in
// the index, nor in its list of those to index (as a tab closed between
// an import's two writes leaves them: here the index's tables are put
// back as they were before the last import), are indexed by the search
// worker after a reload, without a new import.
func TestLostArticlesIndexed(t *testing.T) {
	b := newBrowser(t, serveSite(t), browserOptions{})
	b.navigate("")
	n0 := b.settle()
	files := fixtures(t, "articles") // library-hours, night-bus, spring-tea
	importAndCheck(t, b, files[:2], n0, 2)
	b.waitSearchable("末班车延后", 1, time.Minute)
	tables, err := json.Marshal(search.Tables())
	if err != nil {
		t.Fatal(err)
	}
	indexTables := func(op string) {
		eval[chromedp.Void](b, jsIndexTables+"("+quoteJS("broadsheet:"+siteBase)+", "+string(tables)+", "+quoteJS(op)+")")
		poll[bool](b, op+" the index's tables", `window.__indexDone`, loadTimeout)
	}
	indexTables("save")
	importAndCheck(t, b, files[2:], n0+2, 1)
	b.waitSearchable("茶农", 1, time.Minute)
	indexTables("restore")
	start := time.Now()
	b.reload()
	if n := b.settle(); n != n0+3 {
		t.Errorf("#library-count after the reload = %d, want %d", n, n0+3)
	}
	b.waitSearchable("茶农", 1, time.Minute)
	t.Logf("the lost article was found %v after the reload", time.Since(start).Round(time.Millisecond))
	b.waitSearchable("末班车延后", 1, time.Minute)
}
