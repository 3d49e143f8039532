package e2e

import (
	"bufio"
	"cmp"
	"encoding/json"
	"fmt"
	"html"
	"maps"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/broadsheet/broadsheet/app/search"
	"github.com/broadsheet/broadsheet/app/search/searchtest"
)

// The peers of the side-by-side benchmark: npm packages installed at run
// time into a temporary directory (development only: never committed,
// never shipped).
var peerPackages = []string{"flexsearch@0.8.212", "minisearch@7.2.0"}

// peerEngines are the engines of testdata/searchbench/bench.js, ours first.
var peerEngines = []string{"ours", "flexsearch-cjk", "flexsearch-cjk-context", "flexsearch-bigram", "minisearch-bigram"}

// benchDoc is one document of the benchmark corpus.
type benchDoc struct {
	ID    string `json:"id"`
	Title string `json:"title"`
	Text  string `json:"text"`
}

// engineFigures is what bench.js measures for one engine.
type engineFigures struct {
	Engine    string  `json:"engine"`
	Docs      int     `json:"docs"`
	BuildMs   float64 `json:"buildMs"`
	PersistMs float64 `json:"persistMs"`
	Stored    float64 `json:"storedBytes"`
	TextBytes float64 `json:"textBytes"`
	Heap      float64 `json:"heap"`
	HeapSys   float64 `json:"heapSys"`
	MemBefore float64 `json:"memBefore"`
	MemAfter  float64 `json:"memAfter"`
	ReopenMs  float64 `json:"reopenMs"`
	StartMs   float64 `json:"startMs"`
	OpenQuery float64 `json:"openQueryMs"`
	OpenIn    float64 `json:"openInMs"`
	FirstIn   float64 `json:"firstInMs"`
	// OpenSteps and FirstSteps are where the worker's open and first
	// query went: microseconds by step (ours only).
	OpenSteps  map[string]float64 `json:"openSteps"`
	FirstSteps map[string]float64 `json:"firstSteps"`
	// AddMs and AddInMs are each add's round trip and its time in the
	// engine's worker; StringifyMs is the page's time making requests'
	// JSON; BuildSteps (ours) is where the build went in the worker:
	// microseconds by stage, the split of search.BuildTimes and counts
	// ("adds", "segments", "merges", "joined", "mergedBytes").
	AddMs       []float64          `json:"addMs"`
	AddInMs     []float64          `json:"addInMs"`
	StringifyMs float64            `json:"stringifyMs"`
	BuildSteps  map[string]float64 `json:"buildSteps"`
	// QueryHeap and QuerySys are the live heap and the Go runtime's
	// memory of the worker that reopened the index and ran the queries
	// (ours), HeapSys and Heap those of the worker that built it.
	QueryHeap float64   `json:"queryHeap"`
	QuerySys  float64   `json:"querySys"`
	Truth     int       `json:"truth"`
	Missing   int       `json:"missing"`
	Extra     int       `json:"extra"`
	Exact     int       `json:"exact"`
	Queries   int       `json:"queries"`
	Returned  []int     `json:"returned"`
	RoundTrip []float64 `json:"roundTrip"`
	EngineMs  []float64 `json:"engineMs"`
	// EngineMinMs is each query's best time inside the engine over a
	// few passes (bench.js minPasses).
	EngineMinMs []float64 `json:"engineMinMs"`
}

// BenchmarkSearchPeers is SEARCH.md's side-by-side benchmark in one
// headless Chromium: ours (app/searchworker in a Worker, over IndexedDB)
// against FlexSearch 0.8.212 (CJK charset, with and without context, and
// fed bigrams) and MiniSearch 7.2.0 (bigram tokenizer, AND), each in its
// own Worker, on the same corpus (SEARCHBENCH_DOCS articles, default
// 10,000, recombined from ../shared/corpus/dev paragraphs) and the same
// frozen queries (app/search/testdata/queries.txt), with the substring
// ground truth. SEARCHBENCH_ENGINES limits the engines (comma-separated).
func BenchmarkSearchPeers(b *testing.B) {
	serveSite(b)
	n := 10000
	if v, err := strconv.Atoi(os.Getenv("SEARCHBENCH_DOCS")); err == nil && v > 0 {
		n = v
	}
	engines := peerEngines
	if v := os.Getenv("SEARCHBENCH_ENGINES"); v != "" {
		engines = strings.Split(v, ",")
	}
	tmp := b.TempDir()
	installPeers(b, tmp)
	docs := benchCorpus(b, n)
	queries := readBenchQueries(b)
	writeBenchData(b, filepath.Join(tmp, "data"), docs, queries)
	srv := httptest.NewServer(benchHandler(tmp))
	b.Cleanup(srv.Close)

	br := newBrowser(b, srv.URL+"/bench/", browserOptions{timeout: 3 * time.Hour})
	br.navigate("index.html")
	var all []engineFigures
	for range b.N {
		all = all[:0]
		for _, e := range engines {
			start := time.Now()
			eval[float64](br, "buildEngine("+quoteJS(e)+")")
			f := eval[engineFigures](br, `queryEngine()`)
			b.Logf("%s: measured in %v", e, time.Since(start).Round(time.Second))
			all = append(all, f)
			if e == "ours" {
				reportReopens(br, queries)
			}
		}
	}
	b.StopTimer()
	reportPeers(b, all)
	reportSlowest(all[0], queries, 15)
	best := all[0]
	best.Engine, best.EngineMs = best.Engine+" (best of 3 passes)", best.EngineMinMs
	reportSlowest(best, queries, 15)
}

// installPeers installs the peer packages with npm into dir.
func installPeers(tb testing.TB, dir string) {
	tb.Helper()
	if _, err := exec.LookPath("npm"); err != nil {
		missing(tb, "npm is not installed: %v", err)
	}
	cmd := exec.Command("npm", append([]string{"install", "--no-save", "--no-audit", "--no-fund", "--prefix", dir}, peerPackages...)...)
	if out, err := cmd.CombinedOutput(); err != nil {
		missing(tb, "npm install %v: %v\n%s", peerPackages, err, tail(out, 2000))
	}
}

// benchCorpus builds n documents from corpus paragraphs (HTML stripped):
// a title from the first paragraph's start and 3 to 12 paragraphs, the
// same for the same n.
func benchCorpus(tb testing.TB, n int) []benchDoc {
	ps := corpusParagraphs(tb)
	plain := make([]string, len(ps))
	for i, p := range ps {
		plain[i] = strings.TrimSpace(html.UnescapeString(tagRE.ReplaceAllString(p, "")))
	}
	docs := make([]benchDoc, n)
	for i := range docs {
		r := rand.New(rand.NewPCG(uint64(i), 0xbe9c4))
		picked := make([]string, 3+r.IntN(10))
		for k := range picked {
			picked[k] = plain[r.IntN(len(plain))]
		}
		title := []rune(picked[0])
		docs[i] = benchDoc{ID: strconv.Itoa(i), Title: string(title[:min(len(title), 18)]), Text: strings.Join(picked, "\n")}
	}
	return docs
}

// readBenchQueries reads the search package's frozen queries.
func readBenchQueries(tb testing.TB) []string {
	f, err := os.Open(filepath.Join("..", "search", "testdata", "queries.txt"))
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var qs []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if kind, q, ok := strings.Cut(sc.Text(), "\t"); ok && !strings.HasPrefix(kind, "#") {
			qs = append(qs, q)
		}
	}
	if len(qs) < 400 {
		tb.Fatalf("queries.txt: %d queries, want at least 400", len(qs))
	}
	return qs
}

// writeBenchData writes the corpus (raw for ours, folded for the peers),
// the queries (raw and folded) and the substring ground truth.
func writeBenchData(tb testing.TB, dir string, docs []benchDoc, queries []string) {
	folded := make([]benchDoc, len(docs))
	for i, d := range docs {
		folded[i] = benchDoc{ID: d.ID, Title: search.Normalize(d.Title), Text: search.Normalize(d.Text)}
	}
	fq := make([]string, len(queries))
	truth := make([][]int, len(queries))
	for i, q := range queries {
		fq[i] = search.Normalize(q)
		truth[i] = substringTruth(folded, fq[i])
	}
	for name, v := range map[string]any{"corpus.json": docs, "folded.json": folded, "queries.json": queries, "folded-queries.json": fq, "truth.json": truth} {
		data, err := json.Marshal(v)
		if err != nil {
			tb.Fatal(err)
		}
		writeFile(tb, filepath.Join(dir, name), data)
	}
}

// substringTruth lists the documents whose folded title or text match the
// folded query q by searchtest's substring truth.
func substringTruth(docs []benchDoc, q string) []int {
	out := []int{}
	for i, d := range docs {
		if searchtest.Matches(d.Title, d.Text, q) {
			out = append(out, i)
		}
	}
	return out
}

// benchHandler serves the bench page and data under /bench/ and the site
// (its wasm_exec.js and web/search-worker.*) at /, cross-origin isolated
// so that the page can measure its workers' memory.
func benchHandler(tmp string) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/bench/data/", http.StripPrefix("/bench/data/", http.FileServer(http.Dir(filepath.Join(tmp, "data")))))
	mux.Handle("/bench/node_modules/", http.StripPrefix("/bench/node_modules/", http.FileServer(http.Dir(filepath.Join(tmp, "node_modules")))))
	mux.Handle("/bench/", http.StripPrefix("/bench/", http.FileServer(http.Dir(filepath.Join("testdata", "searchbench")))))
	mux.Handle("/", http.FileServer(http.Dir(siteDir)))
	mux.Handle(codePrefix+"/", http.StripPrefix(codePrefix, http.FileServer(http.Dir(siteDir))))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cross-Origin-Opener-Policy", "same-origin")
		w.Header().Set("Cross-Origin-Embedder-Policy", "require-corp")
		w.Header().Set("Cache-Control", "no-store")
		if strings.HasPrefix(r.URL.Path, codePrefix+"/") {
			w.Header().Set("Cache-Control", "max-age=3600")
		}
		mux.ServeHTTP(w, r)
	})
}

// reportPeers prints the side-by-side table (on stdout: benchmark logs
// are cut) and reports ours' figures as metrics. Memory is the growth of
// the page's and workers' memory (measureUserAgentSpecificMemory) while
// the built engine's worker is up; for ours, whose wasm memory that
// misses, the Go runtime's own figure (go-sys) counts.
func reportPeers(b *testing.B, all []engineFigures) {
	logf := func(format string, args ...any) { fmt.Printf(format+"\n", args...) }
	logf("%-24s %9s %9s %10s %9s %9s %9s %8s %8s %8s %8s %8s %10s %8s %9s %7s",
		"engine", "docs", "build-s", "stored-MB", "reopen-ms", "start-ms", "open+q-ms", "p50-ms", "p95-ms", "p99-ms", "rt-p95", "mem-MB", "recall", "false", "exact", "med-hits")
	for _, f := range all {
		recall := 1.0
		if f.Truth > 0 {
			recall = float64(f.Truth-f.Missing) / float64(f.Truth)
		}
		mem := memOf(f) / 1e6
		logf("%-24s %9d %9.1f %10.1f %9.0f %9.0f %9.1f %8.2f %8.2f %8.2f %8.2f %8.1f %9.4f%% %8d %5d/%d %7.0f",
			f.Engine, f.Docs, f.BuildMs/1000, f.Stored/1e6, f.ReopenMs, f.StartMs, f.OpenQuery,
			percentile(f.EngineMs, 50), percentile(f.EngineMs, 95), percentile(f.EngineMs, 99), percentile(f.RoundTrip, 95),
			mem, 100*recall, f.Extra, f.Exact, f.Queries, percentile(intsToFloats(f.Returned), 50))
		if f.Engine == "ours" {
			logf("ours: open %s; first query %s; after the build: live heap %.1f MB, Go sys %.1f MB; after the queries (a worker that only searched): live heap %.1f MB, Go sys %.1f MB",
				stepsOf(f.OpenSteps), stepsOf(f.FirstSteps), f.Heap/1e6, f.HeapSys/1e6, f.QueryHeap/1e6, f.QuerySys/1e6)
			logf("%s", buildSplit(f))
			b.ReportMetric(f.QuerySys/1e6, "ours-query-go-sys-MB")
			logf("ours: best of 3 passes per query: p50 %.2f ms, p95 %.2f ms, p99 %.2f ms",
				percentile(f.EngineMinMs, 50), percentile(f.EngineMinMs, 95), percentile(f.EngineMinMs, 99))
			b.ReportMetric(percentile(f.EngineMinMs, 95), "ours-best-of-3-p95-ms")
			b.ReportMetric(f.Heap/1e6, "ours-heap-MB")
			b.ReportMetric(f.BuildMs/1000, "ours-build-s")
			b.ReportMetric(f.Stored/max(f.TextBytes, 1), "ours-index/text")
			b.ReportMetric(f.TextBytes/1e6/(f.BuildMs/1000), "ours-MB/s")
			// the texts written apart, as the app's library writes its
			// articles' (bench.js): the index's build without them
			lib := f.BuildSteps["library"] / 1e6
			b.ReportMetric(lib, "ours-library-s")
			b.ReportMetric(f.TextBytes/1e6/(f.BuildMs/1000-lib), "ours-index-MB/s")
			b.ReportMetric(f.ReopenMs, "ours-reopen-ms")
			b.ReportMetric(f.StartMs, "ours-start-ms")
			b.ReportMetric(f.OpenQuery, "ours-open+query-ms")
			b.ReportMetric(f.OpenIn, "ours-open-in-ms")
			b.ReportMetric(f.FirstIn, "ours-first-in-ms")
			b.ReportMetric(percentile(f.EngineMs, 50), "ours-p50-ms")
			b.ReportMetric(percentile(f.EngineMs, 95), "ours-p95-ms")
			b.ReportMetric(percentile(f.EngineMs, 99), "ours-p99-ms")
			b.ReportMetric(float64(f.Extra), "ours-false-hits")
			b.ReportMetric(float64(f.Missing), "ours-missing")
			b.ReportMetric(f.HeapSys/1e6, "ours-go-sys-MB")
		}
	}
	ours := all[0]
	for _, f := range all[1:] {
		logf("ours / %s: build %.2f×, stored %.2f×, reopen %.2f× (start %.2f×, open+query %.2f×), p50 %.2f×, p95 %.2f×, p99 %.2f×, memory %.2f×",
			f.Engine, ours.BuildMs/f.BuildMs, ours.Stored/f.Stored, ours.ReopenMs/f.ReopenMs,
			ratio(ours.StartMs, f.StartMs), ratio(ours.OpenQuery, f.OpenQuery),
			ratio(percentile(ours.EngineMs, 50), percentile(f.EngineMs, 50)),
			ratio(percentile(ours.EngineMs, 95), percentile(f.EngineMs, 95)),
			ratio(percentile(ours.EngineMs, 99), percentile(f.EngineMs, 99)),
			ratio(memOf(ours), memOf(f)))
	}
}

// reopenRounds is how many times reportReopens reopens ours' index in
// each way (SEARCHBENCH_REOPENS sets another number).
func reopenRounds() int {
	if n, err := strconv.Atoi(os.Getenv("SEARCHBENCH_REOPENS")); err == nil && n > 0 {
		return n
	}
	return 5
}

// reopenWays are the ways reportReopens reopens ours' index: the first
// query sent at once after the open (the worker's warm-up, which runs
// when it falls idle, is cut short), sent once the worker has been idle
// for a while (a user typing once the app has settled), and the same
// without the warm-up (app/searchworker/warmup.go).
//
// The site's files are served no-store, so that each reopen starts from
// wasm code the browser compiled afresh; the last way loads the worker
// from codePrefix, where the same files are cacheable, as a site that
// lets the browser cache them (GitHub Pages does) is reloaded: the
// browser then also keeps the wasm's optimized code (primed first).
var reopenWays = []struct {
	name, query string
	idleMs      int
	prefix      string
}{
	{"at once", "", 0, ""},
	{"after 1.5 s idle", "", 1500, ""},
	{"after 1.5 s idle, no warm-up", "?nowarm", 1500, ""},
	{"at once, wasm code cached", "", 0, codePrefix},
}

// codePrefix is where benchHandler serves the site's files cacheable.
const codePrefix = "/cached"

// reportReopens reopens ours' index in fresh workers in each of
// reopenWays in turn, each time with another of the first queries, and
// prints the median figures of each: one reopen is too noisy on a
// shared machine.
func reportReopens(br *browser, queries []string) {
	type reopen struct {
		Start      float64            `json:"startMs"`
		OpenQuery  float64            `json:"openQueryMs"`
		OpenIn     float64            `json:"openInMs"`
		FirstIn    float64            `json:"firstInMs"`
		FirstSteps map[string]float64 `json:"firstSteps"`
	}
	runs := map[string][]reopen{}
	eval[float64](br, fmt.Sprintf("primeCode(%s, 4000)", quoteJS(codePrefix)))
	rounds := reopenRounds()
	for i := range rounds {
		q := quoteJS(queries[i*len(queries)/rounds])
		for _, w := range reopenWays {
			runs[w.name] = append(runs[w.name], eval[reopen](br, fmt.Sprintf("reopenEngine(%s, %s, %d, %s)", q, quoteJS(w.query), w.idleMs, quoteJS(w.prefix))))
		}
	}
	for _, w := range reopenWays {
		v := w.name
		med := func(f func(reopen) float64) float64 {
			var xs []float64
			for _, r := range runs[v] {
				xs = append(xs, f(r))
			}
			return percentile(xs, 50)
		}
		steps := map[string]float64{}
		for _, r := range runs[v] {
			for k, ms := range r.FirstSteps {
				steps[k] += ms / float64(len(runs[v]))
			}
		}
		fmt.Printf("ours, first query %s: reopened %d times, medians: start %.0f ms, open+first query %.1f ms (in the worker: open %.1f, query %.1f); query steps, mean: %s\n",
			v, len(runs[v]), med(func(r reopen) float64 { return r.Start }), med(func(r reopen) float64 { return r.OpenQuery }),
			med(func(r reopen) float64 { return r.OpenIn }), med(func(r reopen) float64 { return r.FirstIn }), stepsOf(steps))
	}
}

// reportSlowest prints the n queries the engine of f took longest over
// (inside the engine), with their totals.
func reportSlowest(f engineFigures, queries []string, n int) {
	if len(f.EngineMs) != len(queries) {
		return
	}
	order := make([]int, len(queries))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return cmp.Compare(f.EngineMs[b], f.EngineMs[a]) })
	var out []string
	for _, i := range order[:min(n, len(order))] {
		out = append(out, fmt.Sprintf("%q %.2f ms (%d hits)", queries[i], f.EngineMs[i], f.Returned[i]))
	}
	fmt.Printf("%s: slowest queries: %s\n", f.Engine, strings.Join(out, ", "))
}

// stepsOf lists steps in milliseconds, longest first.
func stepsOf(steps map[string]float64) string {
	names := slices.Collect(maps.Keys(steps))
	slices.SortFunc(names, func(a, b string) int { return cmp.Compare(steps[b], steps[a]) })
	var out []string
	for _, n := range names {
		out = append(out, fmt.Sprintf("%s %.1f", n, steps[n]/1000))
	}
	return strings.Join(out, ", ") + " ms"
}

// memOf is an engine's memory: the measured growth, or for ours the Go
// runtime's memory when larger.
func memOf(f engineFigures) float64 { return max(f.MemAfter-f.MemBefore, f.HeapSys) }

func ratio(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return a / b
}

func intsToFloats(xs []int) []float64 {
	out := make([]float64, len(xs))
	for i, x := range xs {
		out[i] = float64(x)
	}
	return out
}

// buildCounts are the steps of ours' build that count things, not
// microseconds.
var buildCounts = []string{"adds", "segments", "merges", "joined", "mergedBytes"}

// buildSplit describes where ours' build went: the adds' round trips
// from the page, their time in the worker and, in the worker, the split
// of the index's building (search.BuildTimes: tokenize … mergeWrite), the
// rest of Index.Add, and the worker's time around it (app/searchworker:
// the lock and reopen, the messages' receive, decode, reply, its wait
// for them, the collector's CPU).
func buildSplit(f engineFigures) string {
	sum := func(xs []float64) float64 {
		t := 0.0
		for _, x := range xs {
			t += x
		}
		return t
	}
	out := fmt.Sprintf("ours: build %.1f s: %d adds, round trips %.1f s (median %.0f ms), in the worker %.1f s; the page's JSON.stringify %.1f s",
		f.BuildMs/1000, len(f.AddMs), sum(f.AddMs)/1000, percentile(f.AddMs, 50), sum(f.AddInMs)/1000, f.StringifyMs/1000)
	st := maps.Clone(f.BuildSteps)
	if st == nil {
		return out
	}
	counts := make([]string, 0, len(buildCounts))
	for _, k := range buildCounts {
		counts = append(counts, fmt.Sprintf("%s %.0f", k, st[k]))
		delete(st, k)
	}
	split := 0.0
	for _, k := range []string{"tokenize", "encode", "lookup", "write", "mergeRead", "merge", "mergeWrite"} {
		split += st[k]
	}
	st["add-other"] = st["add"] - split
	delete(st, "add")
	return out + "\nours: build split in the worker: " + stepsOf(st) + " (" + strings.Join(counts, ", ") + ")"
}
