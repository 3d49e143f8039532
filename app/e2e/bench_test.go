package e2e

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/heapprofiler"
	"github.com/chromedp/cdproto/profiler"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// jsLongTasks records every long task of the document (startTime and
// duration, ms) in window.__longtasks, from before the app loads.
const jsLongTasks = `(() => {
	window.__longtasks = [];
	try {
		new PerformanceObserver(list => {
			for (const e of list.getEntries()) window.__longtasks.push({start: e.startTime, dur: e.duration});
		}).observe({type: 'longtask', buffered: true});
	} catch (e) {}
})()`

// jsDrawn sets window.__drawnAt to performance.now() (ms since the
// navigation started) when the library is first drawn: #library loaded
// with at least one li.article-item.
const jsDrawn = `(() => {
	window.__drawnAt = 0;
	const check = () => {
		if (window.__drawnAt) return true;
		if (document.querySelector('#library[data-status=loaded]') && document.querySelector('ol#article-list > li.article-item')) {
			window.__drawnAt = performance.now();
			return true;
		}
		return false;
	};
	new MutationObserver((m, o) => { if (check()) o.disconnect(); })
		.observe(document, {subtree: true, childList: true, attributes: true});
})()`

// jsProgress records in window.__progress, as [ms, data-done] pairs, each
// change of #import-status's data-done, to place long tasks in an import.
const jsProgress = `(() => {
	window.__progress = [];
	new MutationObserver(() => {
		const s = document.querySelector('#import-status');
		const d = s ? parseInt(s.dataset.done || '0', 10) : -1;
		const last = window.__progress[window.__progress.length - 1];
		if (!last || last[1] !== d) window.__progress.push([performance.now(), d]);
	}).observe(document, {subtree: true, childList: true, attributes: true, attributeFilter: ['data-done']});
})()`

// logLongTasks logs the five longest tasks since t0 (ms, page time) with
// the import progress before each, to show where the main thread blocks.
func (b *browser) logLongTasks(t0 float64) {
	type task struct{ Start, Dur float64 }
	tasks := eval[[]task](b, `(window.__longtasks || []).map(e => ({Start: e.start, Dur: e.dur}))`)
	progress := eval[[][2]float64](b, `window.__progress || []`)
	slices.SortFunc(tasks, func(x, y task) int { return int(y.Dur - x.Dur) })
	for _, tk := range tasks[:min(5, len(tasks))] {
		done := -1.0
		for _, p := range progress {
			if p[0] <= tk.Start {
				done = p[1]
			}
		}
		b.tb.Logf("long task at +%.0f ms for %.0f ms (data-done %.0f before it)", tk.Start-t0, tk.Dur, done)
	}
}

// memory is what the page holds: the JavaScript heap in use and the
// WebAssembly memories (the Go heap lives in one).
type memory struct {
	jsHeap, wasm float64 // bytes
}

// memory collects garbage and measures the page's memory. The wasm size
// is found through Runtime.queryObjects on WebAssembly.Memory.prototype,
// since go-app keeps its Go instance in a closure.
func (b *browser) memory() memory {
	b.tb.Helper()
	if _, err := chromedp.Call(b.ctx, heapprofiler.CollectGarbage, cdpEmpty); err != nil {
		b.tb.Logf("collecting garbage: %v", err)
	}
	m := memory{jsHeap: eval[float64](b, `performance.memory ? performance.memory.usedJSHeapSize : 0`)}
	proto, err := chromedp.Run(b.ctx, chromedp.Evaluate[*runtime.RemoteObject](`WebAssembly.Memory.prototype`))
	if err != nil {
		b.tb.Logf("WebAssembly.Memory.prototype: %v", err)
		return m
	}
	objs, err := chromedp.Call(b.ctx, runtime.QueryObjects, runtime.QueryObjectsParams{PrototypeObjectID: proto.ObjectID, ObjectGroup: "e2e-memory"})
	if err != nil || objs.Objects == nil {
		b.tb.Logf("querying wasm memories: %v", err)
		return m
	}
	defer chromedp.Call(b.ctx, runtime.ReleaseObjectGroup, runtime.ReleaseObjectGroupParams{ObjectGroup: "e2e-memory"})
	res, err := chromedp.Call(b.ctx, runtime.CallFunctionOn, runtime.CallFunctionOnParams{
		FunctionDeclaration: `function() { return this.reduce((s, m) => s + m.buffer.byteLength, 0); }`,
		ObjectID:            objs.Objects.ObjectID,
		ReturnByValue:       new(true),
	})
	if err != nil || res.Result == nil {
		b.tb.Logf("summing wasm memories: %v", err)
		return m
	}
	fmt.Sscan(string(res.Result.Value), &m.wasm)
	return m
}

// longTasks returns the durations (ms) of the long tasks recorded since
// the document started, or since the last resetLongTasks.
func (b *browser) longTasks() []float64 {
	b.tb.Helper()
	return eval[[]float64](b, `(window.__longtasks || []).map(e => e.dur)`)
}

// resetLongTasks forgets the long tasks recorded so far.
func (b *browser) resetLongTasks() {
	b.tb.Helper()
	eval[chromedp.Void](b, `window.__longtasks = []`)
}

// waitImportAll waits up to timeout for an import to end with every file
// handled (data-done = data-total, at least atLeast), and returns it.
func (b *browser) waitImportAll(atLeast int, timeout time.Duration) importStatus {
	b.tb.Helper()
	return poll[importStatus](b, fmt.Sprintf("an import of %d articles to end", atLeast), fmt.Sprintf(`(() => {
		const st = %s;
		return st && st.state !== 'running' && st.total >= %d ? st : null;
	})()`, jsImportStatus, atLeast), timeout)
}

// reportLongTasks reports the longest task and the number over 200 ms.
func reportLongTasks(b *testing.B, tasks []float64) {
	longest, over := 0.0, 0
	for _, d := range tasks {
		longest = max(longest, d)
		if d > 200 {
			over++
		}
	}
	b.ReportMetric(longest, "longtask-max-ms")
	b.ReportMetric(float64(over), "longtasks>200ms")
}

// reportMemory reports the page's memory in MB.
func reportMemory(b *testing.B, m memory) {
	b.ReportMetric(m.jsHeap/1e6, "jsheap-MB")
	b.ReportMetric(m.wasm/1e6, "wasm-MB")
}

// BenchmarkBrowserImport10k imports 10,000 synthetic articles through the
// file input of a fresh profile and reports the throughput (parse and
// store), the main-thread tasks and the memory after it.
//
// articles/s and MB/s run from the files' selection to the end;
// app-articles/s and app-MB/s from the import's first progress (the app
// has the files) to its last: the app's parse and store, without the
// seconds Chromium takes to build the FileList first (select-task-ms).
//
// Long tasks are split at the first progress the page shows: the task
// that sets the files (select-task-ms) holds Chromium's own work of
// building a FileList of 10,000 files (about 9 s on a bare input with no
// handler on this machine under load) and the app's change handler;
// longtask-max-ms and longtasks>200ms count the import itself and the
// drawing of the library after it.
func BenchmarkBrowserImport10k(b *testing.B) {
	base := serveSite(b)
	set := synthFiles(b, 10000)
	var elapsed time.Duration
	var selectTask float64
	var tasks []float64
	var mem memory
	var readMS, storeMS, parsers float64
	var pageGC, cpu float64
	var appMS float64            // the app's own import: its first progress to its last
	var searchable time.Duration // from the selection until a search finds every article
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		br := newBrowser(b, base, browserOptions{scripts: []string{jsLongTasks, jsProgress}, timeout: 40 * time.Minute})
		br.navigate("")
		br.settle()
		br.resetLongTasks()
		t0 := eval[float64](br, `performance.now()`)
		prof := br.startProfile()
		b.StartTimer()
		start := time.Now()
		cpu0 := descendantsCPU()
		br.importFiles(set.paths)
		st := br.waitImportAll(set.count, 30*time.Minute)
		elapsed += time.Since(start)
		cpu += descendantsCPU() - cpu0
		b.StopTimer()
		// the worker indexes what was imported once the slices stop
		// coming: the time until a search finds them all is what a
		// user waits for
		br.waitSearchable(synthTitlePrefix, set.count, 20*time.Minute)
		searchable += time.Since(start)
		br.settle() // the library drawn after the import: its tasks count
		br.stopProfile(prof)
		br.logStages(set.count)
		if st.State != "done" || st.Done != set.count {
			b.Errorf("#import-status = %+v, want done with data-done=%d", st, set.count)
		}
		// where the import's time went: reading the files, and parsing
		// and storing them, as the import worker measured them (with two
		// slices in the worker at once, a slice's time includes waiting)
		readMS += eval[float64](br, `+document.querySelector('#import-status').dataset.readMs`)
		storeMS += eval[float64](br, `+document.querySelector('#import-status').dataset.storeMs`)
		// the parse workers of the import worker's last slice (0: it parsed alone)
		parsers = eval[float64](br, `+(document.documentElement.dataset.importParsers || 0)`)
		// the page's own garbage collections during the import
		pageGC += eval[float64](br, `+(document.documentElement.dataset.importGc || 0)`)
		appMS += br.importSpan(set.count)
		sel, during := br.splitLongTasks()
		selectTask = max(selectTask, sel)
		tasks = append(tasks, during...)
		br.logLongTasks(t0)
		mem = br.memory()
		br.close()
	}
	b.ReportMetric(float64(set.count*b.N)/elapsed.Seconds(), "articles/s")
	b.ReportMetric(float64(set.bytes*int64(b.N))/1e6/elapsed.Seconds(), "MB/s")
	b.ReportMetric(float64(set.count*b.N)/(appMS/1000), "app-articles/s")
	b.ReportMetric(float64(set.bytes*int64(b.N))/1e6/(appMS/1000), "app-MB/s")
	b.ReportMetric(float64(set.count*b.N)/searchable.Seconds(), "searchable-articles/s")
	b.ReportMetric((searchable-elapsed).Seconds()/float64(b.N), "index-after-import-s")
	b.ReportMetric(selectTask, "select-task-ms")
	b.ReportMetric(readMS/float64(set.count*b.N), "read-ms/article")
	b.ReportMetric(storeMS/float64(set.count*b.N), "parse+store-ms/article")
	b.ReportMetric(parsers, "parse-workers")
	b.ReportMetric(pageGC/float64(b.N), "page-gcs")
	// the browser's CPU over the import (the file selection included),
	// per article
	b.ReportMetric(cpu*1000/float64(set.count*b.N), "browser-cpu-ms/article")
	reportLongTasks(b, tasks)
	reportMemory(b, mem)
}

// logStages logs where the import's time went in the workers, per
// article (app/searchworker/import_stages.go names the stages).
func (b *browser) logStages(articles int) {
	b.tb.Helper()
	st := eval[map[string]float64](b, `window.__importStages || {}`)
	for _, k := range slices.Sorted(maps.Keys(st)) {
		b.tb.Logf("import stage %-6s %6.2f ms/article", k, st[k]/1000/float64(articles))
	}
}

// importSpan returns the time (ms) from the import's first progress (the
// app has the files: Chromium has built the input's FileList, seconds
// for 10,000 files, before the app sees any) to the progress that counts
// all n done.
func (b *browser) importSpan(n int) float64 {
	b.tb.Helper()
	return eval[float64](b, fmt.Sprintf(`(() => {
		const ps = window.__progress || [];
		const first = ps.find(p => p[1] >= 0), last = ps.find(p => p[1] >= %d);
		return first && last ? last[0] - first[0] : -1;
	})()`, n))
}

// splitLongTasks returns the longest task before the first progress of
// the import (the file selection) and the durations of those after.
func (b *browser) splitLongTasks() (selection float64, during []float64) {
	b.tb.Helper()
	type task struct{ Start, Dur float64 }
	tasks := eval[[]task](b, `(window.__longtasks || []).map(e => ({Start: e.start, Dur: e.dur}))`)
	first := eval[float64](b, `(() => { const p = (window.__progress || []).find(p => p[1] >= 0); return p ? p[0] : 0; })()`)
	for _, t := range tasks {
		if first == 0 || t.Start < first {
			selection = max(selection, t.Dur)
			continue
		}
		during = append(during, t.Dur)
	}
	return selection, during
}

// BenchmarkBrowserLibrary10k measures the time from a reload to a drawn
// library of 10,000 articles (imported once as files).
func BenchmarkBrowserLibrary10k(b *testing.B) {
	benchLibrary(b, synthFiles(b, 10000))
}

// BenchmarkBrowserLibrary100k measures the time from a reload to a drawn
// library of 100,000 articles. The library is filled once per test binary
// by importing ten zips of 10,000 short synthetic articles each through
// the file input, which also gives the import throughput at that size.
func BenchmarkBrowserLibrary100k(b *testing.B) {
	benchLibrary(b, synthZips(b, 100000, 10000))
}

var (
	profilesMu sync.Mutex
	profiles   = map[int]string{} // library size -> filled profile
)

// filledProfile returns a Chromium profile whose library holds set,
// importing it the first time, and reports the fill throughput then.
func filledProfile(b *testing.B, base string, set synthSet) string {
	profilesMu.Lock()
	defer profilesMu.Unlock()
	if p, ok := profiles[set.count]; ok {
		return p
	}
	p := filepath.Join(synthRoot(b), fmt.Sprintf("profile-%d", set.count))
	br := newBrowser(b, base, browserOptions{profile: p, scripts: []string{jsLongTasks}, timeout: 90 * time.Minute})
	br.navigate("")
	br.settle()
	br.resetLongTasks()
	start := time.Now()
	br.importFiles(set.paths)
	st := br.waitImportAll(set.count, 80*time.Minute)
	d := time.Since(start)
	if st.State != "done" || st.Done < set.count {
		b.Fatalf("filling a library of %d: #import-status = %+v", set.count, st)
	}
	n := br.settle()
	tasks := br.longTasks()
	br.close()
	b.Logf("filled a library of %d (count %d) from %d files in %v: %.0f articles/s, %.1f MB/s, longest task %.0f ms",
		set.count, n, len(set.paths), d.Round(time.Millisecond), float64(set.count)/d.Seconds(),
		float64(set.bytes)/1e6/d.Seconds(), slices.Max(append(tasks, 0)))
	profiles[set.count] = p
	return p
}

// benchLibrary reloads the library page of a filled profile b.N times and
// reports the mean time from the reload to the drawn list, the longest
// task meanwhile, and the memory once drawn.
func benchLibrary(b *testing.B, set synthSet) {
	base := serveSite(b)
	profile := filledProfile(b, base, set)
	br := newBrowser(b, base, browserOptions{profile: profile, scripts: []string{jsLongTasks, jsDrawn}, timeout: 30 * time.Minute})
	br.navigate("")
	n := br.settle()
	if n < set.count {
		b.Fatalf("#library-count = %d, want at least %d", n, set.count)
	}
	var drawn float64
	var tasks []float64
	b.ResetTimer()
	for range b.N {
		br.reload()
		drawn += poll[float64](br, "the drawn library", `window.__drawnAt`, 5*time.Minute)
		tasks = append(tasks, br.longTasks()...)
	}
	b.StopTimer()
	b.ReportMetric(drawn/float64(b.N), "draw-ms")
	reportLongTasks(b, tasks)
	reportMemory(b, br.memory())
}

// cdpEmpty is the empty parameter of commands without parameters.
var cdpEmpty = struct{}{}

// pageProfile is a CPU profile of the page's main thread, started with
// startProfile when BROADSHEET_PROFILE is set (to see what its long
// tasks are made of), and the page time it started at.
type pageProfile struct {
	on    bool
	start float64 // performance.now() at the start, ms
}

// startProfile starts Chromium's sampling profiler on the page when
// BROADSHEET_PROFILE is set.
func (b *browser) startProfile() pageProfile {
	b.tb.Helper()
	if os.Getenv("BROADSHEET_PROFILE") == "" {
		return pageProfile{}
	}
	_, err := chromedp.Call(b.ctx, profiler.Enable, cdpEmpty)
	if err == nil {
		_, err = chromedp.Call(b.ctx, profiler.SetSamplingInterval, profiler.SetSamplingIntervalParams{Interval: 500})
	}
	if err == nil {
		_, err = chromedp.Call(b.ctx, profiler.Start, cdpEmpty)
	}
	if err != nil {
		b.tb.Fatalf("starting the profiler: %v", err)
	}
	return pageProfile{on: true, start: eval[float64](b, `performance.now()`)}
}

// stopProfile stops the profiler and logs the functions the page's
// thread spent most time in, overall and within the long tasks, and
// writes the profile (for DevTools) to $BROADSHEET_PROFILE.
func (b *browser) stopProfile(p pageProfile) {
	b.tb.Helper()
	if !p.on {
		return
	}
	res, err := chromedp.Call(b.ctx, profiler.Stop, cdpEmpty)
	if err != nil || res.Profile == nil {
		b.tb.Fatalf("stopping the profiler: %v", err)
	}
	prof := res.Profile
	if data, err := json.Marshal(prof); err == nil {
		os.WriteFile(os.Getenv("BROADSHEET_PROFILE"), data, 0o644)
	}
	tasks := eval[[]longTask](b, `(window.__longtasks || []).map(e => ({Start: e.start, Dur: e.dur}))`)
	name := map[int64]string{}
	for _, n := range prof.Nodes {
		name[n.ID] = n.CallFrame.FunctionName
		if name[n.ID] == "" {
			name[n.ID] = "(anonymous " + filepath.Base(n.CallFrame.URL) + ")"
		}
	}
	all, inLong := map[string]float64{}, map[string]float64{}
	at := 0.0 // ms since the profile started
	for i, id := range prof.Samples {
		dt := float64(prof.TimeDeltas[i]) / 1000
		at += dt
		all[name[id]] += dt
		t := p.start + at
		for _, tk := range tasks {
			if t >= tk.Start && t < tk.Start+tk.Dur {
				inLong[name[id]] += dt
				break
			}
		}
	}
	logTop(b.tb, "page thread", all)
	logTop(b.tb, "page thread in long tasks", inLong)
	logLongTaskStacks(b.tb, prof, p.start, tasks)
}

// longTask is a long task of the page: its start and duration (ms).
type longTask struct{ Start, Dur float64 }

// logLongTaskStacks logs, for each of the five longest tasks, the
// functions its samples were in (inclusive: every function on a
// sample's stack counts once), to attribute each long task.
func logLongTaskStacks(tb testing.TB, prof *profiler.Profile, start float64, tasks []longTask) {
	parent, name := map[int64]int64{}, map[int64]string{}
	for _, n := range prof.Nodes {
		name[n.ID] = n.CallFrame.FunctionName
		for _, c := range n.Children {
			parent[c] = n.ID
		}
	}
	slices.SortFunc(tasks, func(x, y longTask) int { return int(y.Dur - x.Dur) })
	for _, tk := range tasks[:min(5, len(tasks))] {
		incl := map[string]float64{}
		at := 0.0
		for i, id := range prof.Samples {
			at += float64(prof.TimeDeltas[i]) / 1000
			if t := start + at; t < tk.Start || t >= tk.Start+tk.Dur {
				continue
			}
			seen := map[string]bool{}
			for n, ok := id, true; ok; n, ok = parent[n] {
				if f := name[n]; f != "" && !seen[f] {
					seen[f] = true
					incl[f] += float64(prof.TimeDeltas[i]) / 1000
				}
			}
		}
		logTop(tb, fmt.Sprintf("long task at %.0f ms for %.0f ms, inclusive", tk.Start-start, tk.Dur), incl)
	}
}

// logTop logs the 15 largest of ms by name.
func logTop(tb testing.TB, what string, ms map[string]float64) {
	names := slices.Collect(maps.Keys(ms))
	slices.SortFunc(names, func(x, y string) int { return int(ms[y]*1000 - ms[x]*1000) })
	for _, n := range names[:min(15, len(names))] {
		tb.Logf("%s: %8.0f ms %s", what, ms[n], n)
	}
}
