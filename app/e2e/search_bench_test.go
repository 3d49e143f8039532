package e2e

import (
	"slices"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// jsTypedToDrawn types q into the search box and resolves with the time
// (ms) until #search-results shows its answer.
const jsTypedToDrawn = `((q) => new Promise(resolve => {
	const s = document.querySelector('#search-box');
	const t0 = performance.now();
	const done = () => {
		const r = document.querySelector('#search-results');
		if (r && r.dataset.query === q && r.dataset.status === 'loaded') { o.disconnect(); resolve(performance.now() - t0); }
	};
	const o = new MutationObserver(done);
	o.observe(document, {subtree: true, childList: true, attributes: true});
	s.value = q;
	s.dispatchEvent(new Event('input', {bubbles: true}));
}))`

// searchBenchQueries are typed after the import, in the page (own text:
// words that the synthetic articles, built from the corpus, may or may
// not hold).
var searchBenchQueries = []string{"中国", "美国", "经济", "政府", "习近平", "特朗普", "新冠", "香港", "台湾", "北京", "人", "的", "发展 合作", "\"国际社会\"", "北京 -上海", "2020年", "疫情", "俄罗斯", "不存在的词语组合", "选举"}

// BenchmarkBrowserImportSearch2k imports 2,000 synthetic articles with
// indexing and reports the import's long tasks (indexing runs in the same
// slices), the index figures, then the end-to-end latency of queries typed
// into the box (typed to drawn, including the 150 ms debounce, reported
// apart), and a reload's first query.
func BenchmarkBrowserImportSearch2k(b *testing.B) {
	base := serveSite(b)
	set := synthFiles(b, 2000)
	for range b.N {
		br := newBrowser(b, base, browserOptions{scripts: []string{jsLongTasks, jsProgress}, timeout: 30 * time.Minute})
		br.navigate("")
		br.settle()
		br.resetLongTasks()
		t0 := eval[float64](br, `performance.now()`)
		start := time.Now()
		br.importFiles(set.paths)
		st := br.waitImportAll(set.count, 20*time.Minute)
		elapsed := time.Since(start)
		if st.State != "done" || st.Done != set.count {
			b.Errorf("#import-status = %+v, want done with data-done=%d", st, set.count)
		}
		sel, during := br.splitLongTasks()
		br.logLongTasks(t0)
		b.ReportMetric(float64(set.bytes)/1e6/elapsed.Seconds(), "import+index-MB/s")
		b.ReportMetric(sel, "select-task-ms")
		reportLongTasks(b, during)
		b.ReportMetric(float64(countOver(during, 50)), "longtasks>50ms")
		br.settle()
		lat := typedToDrawn(br)
		b.ReportMetric(percentile(lat, 50), "typed-drawn-p50-ms")
		b.ReportMetric(percentile(lat, 95), "typed-drawn-p95-ms")
		reportMemory(b, br.memory())

		br.reload()
		br.waitLibrary()
		first := eval[float64](br, jsTypedToDrawn+"('经济')")
		b.ReportMetric(first, "first-after-reload-ms")
		if n := eval[string](br, `document.documentElement.dataset.indexBuilds || '0'`); n != "0" {
			b.Errorf("the reload built the index again (%s builds)", n)
		}
		br.close()
	}
}

// typedToDrawn types each bench query (twice: the second run is warm)
// and returns the times, less the debounce, in ms.
func typedToDrawn(br *browser) []float64 {
	var lat []float64
	for range 2 {
		for _, q := range searchBenchQueries {
			d := eval[float64](br, jsTypedToDrawn+"("+quoteJS(q)+")")
			lat = append(lat, d-150)
			eval[chromedp.Void](br, `new Promise(r => setTimeout(r, 20))`)
		}
	}
	return lat
}

// countOver counts the durations over ms.
func countOver(ds []float64, ms float64) int {
	n := 0
	for _, d := range ds {
		if d > ms {
			n++
		}
	}
	return n
}

// percentile returns the p-th percentile of xs (nearest rank).
func percentile(xs []float64, p float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	i := int(p/100*float64(len(s))+0.5) - 1
	return s[min(max(i, 0), len(s)-1)]
}
