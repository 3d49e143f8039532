// bench.js: runs one search engine at a time in its own Worker behind the
// same messages (build, persist, open, query) and returns its figures.
// BenchmarkSearchPeers (app/e2e/search_peers_test.go) serves this page,
// the corpus (data/corpus.json: [{id, title, text}], texts already folded
// for the peers), the queries (data/queries.json) and the npm packages
// (node_modules/, installed at run time, never committed), and calls
// buildEngine(name) then queryEngine() for each engine.
"use strict";

const engines = {
	// Ours: app/searchworker, the worker the app itself uses.
	ours: {script: "/web/search-worker.js", proto: "go"},
	"flexsearch-cjk": {script: "peer-worker.js#flex-cjk", proto: "peer"},
	"flexsearch-cjk-context": {script: "peer-worker.js#flex-cjk-context", proto: "peer"},
	"flexsearch-bigram": {script: "peer-worker.js#flex-bigram", proto: "peer"},
	"minisearch-bigram": {script: "peer-worker.js#mini-bigram", proto: "peer"},
};

// worker wraps a Worker in request/reply promises (JSON strings, like the
// app's worker).
function worker(url) {
	const w = new Worker(url);
	let next = 0;
	const pending = new Map();
	let readyResolve, readyReject;
	const ready = new Promise((res, rej) => { readyResolve = res; readyReject = rej; });
	w.onmessage = (e) => {
		const r = JSON.parse(e.data);
		if (r.id === 0) { r.err ? readyReject(new Error(r.err)) : readyResolve(); return; }
		const p = pending.get(r.id);
		pending.delete(r.id);
		if (p) r.err ? p.reject(new Error(r.err)) : p.resolve(r);
	};
	w.onerror = (e) => readyReject(new Error("worker failed: " + (e.message || url)));
	return {
		ready,
		// stringifyMs: the page's time making the requests' JSON
		stringifyMs: 0,
		// call posts req as JSON, or as {req: JSON, ...beside} (ours'
		// adds: the titles and texts beside, as strings)
		call(req, beside) {
			req.id = ++next;
			return new Promise((resolve, reject) => {
				pending.set(req.id, {resolve, reject});
				const t = performance.now();
				const msg = JSON.stringify(req);
				this.stringifyMs += performance.now() - t;
				w.postMessage(beside ? {req: msg, ...beside} : msg);
			});
		},
		terminate() { w.terminate(); },
	};
}

async function fetchJSON(url) {
	const r = await fetch(url);
	if (!r.ok) throw new Error(url + ": HTTP " + r.status);
	return r.json();
}

// corpus: raw documents for ours; folded: the same folded for the peers;
// queries and folded queries; truth: per query, the sorted indexes of
// the documents holding it (substring ground truth).
let corpus, folded, queries, foldedQueries, truth;

async function load() {
	if (!corpus) {
		corpus = await fetchJSON("data/corpus.json");
		folded = await fetchJSON("data/folded.json");
		queries = await fetchJSON("data/queries.json");
		foldedQueries = await fetchJSON("data/folded-queries.json");
		truth = (await fetchJSON("data/truth.json")).map(ids => new Set(ids));
	}
}

// memory measures the page's and its workers' memory (the page is
// cross-origin isolated), or 0 where that is not available.
async function memory() {
	if (!self.crossOriginIsolated || !performance.measureUserAgentSpecificMemory) return 0;
	const timeout = new Promise(r => setTimeout(() => r({bytes: 0}), 60000));
	return (await Promise.race([performance.measureUserAgentSpecificMemory(), timeout])).bytes;
}

const batch = 1000;
const minPasses = 3;
const limit = 20;

// Ours keeps the documents' texts in a table of their own (search_docs,
// written before each batch is indexed and timed apart as "library"),
// several texts to a record (app/searchworker/shelf.go; the app's library
// keeps its articles', three records an article, written by the import):
// the index keeps their places alone and reads its hits' texts from
// there. The peers keep no texts.
const tables = ["search_meta", "search_pages", "search_ids", "search_text", "search_docs"];
const texts = "table";
let run; // the engine being measured: {name, e, db, out, persisted}

// buildEngine builds the corpus with one engine in a new worker and
// persists it; the worker stays up (the benchmark measures memory then).
async function buildEngine(name) {
	await load();
	const e = engines[name];
	run = {name, e, db: "bench-" + name + "-" + Date.now(), out: {engine: name, docs: corpus.length}};
	const out = run.out;
	out.memBefore = await memory();
	const docsOf = e.proto === "go" ? corpus : folded;
	run.w = worker(e.script);
	await run.w.ready;
	let t0 = performance.now();
	await run.w.call({op: "open", db: run.db, tables, texts});
	// each add's round trip and time in the worker (ours: the flush of
	// its documents into the index)
	out.addMs = [];
	out.addInMs = [];
	for (let i = 0; i < corpus.length; i += batch) {
		const docs = docsOf.slice(i, i + batch);
		const t = performance.now();
		// ours: the documents' IDs in JSON, their titles and texts beside
		// as strings (app/searchworker/add_js.go)
		const r = await (e.proto === "go"
			? run.w.call({op: "add", docs: docs.map(d => ({ID: d.id}))},
				{titles: docs.map(d => d.title), texts: docs.map(d => d.text)})
			: run.w.call({op: "add", docs}));
		out.addMs.push(performance.now() - t);
		out.addInMs.push((r.micros || 0) / 1000);
	}
	const st = await run.w.call({op: "stats"});
	out.buildMs = performance.now() - t0;
	out.stringifyMs = run.w.stringifyMs;
	// ours: where the build went in the worker (microseconds by stage)
	out.buildSteps = st.stages || null;
	t0 = performance.now();
	if (e.proto === "go") {
		out.storedBytes = st.stats.IndexBytes;
		out.textBytes = st.stats.TextBytes;
	} else {
		run.persisted = await run.w.call({op: "persist"});
		out.storedBytes = run.persisted.bytes;
	}
	out.persistMs = performance.now() - t0;
	const mem = await run.w.call({op: "mem"}).catch(() => ({}));
	out.heap = mem.bytes || 0;
	out.heapSys = mem.sys || 0;
	out.memAfter = await memory();
	return out.buildMs;
}

// queryEngine reopens the built index in a fresh worker (time to the
// first answer), then runs every query twice: for all the matches
// (correctness; ours returns its exact total and first page) and for the
// first page (latency: round trip and time inside the engine).
async function queryEngine() {
	const {e, db, out} = run;
	run.w.terminate();
	// reopenMs = startMs (the worker's script and wasm loaded and
	// started: the app pays it at page load, before any query) +
	// openQueryMs (the index opened and its first query answered).
	let t0 = performance.now();
	const w = worker(e.script);
	await w.ready;
	out.startMs = performance.now() - t0;
	const t1 = performance.now();
	const open = {op: "open", db, tables, texts, reopen: true};
	if (run.persisted) { open.stored = run.persisted.stored; open.docs = run.persisted.docs; }
	const opened = await w.call(open);
	const first = await w.call({op: "search", q: queries[0], limit});
	out.openQueryMs = performance.now() - t1;
	// inside the worker: the open and the first query's own times
	out.openInMs = (opened.micros || 0) / 1000;
	out.firstInMs = (first.micros || 0) / 1000;
	// and where they went (ours: microseconds by step)
	out.openSteps = opened.stages || null;
	out.firstSteps = first.stages || null;
	out.reopenMs = performance.now() - t0;
	run.persisted = null;

	// Correctness: ours gives its exact total and a first page; a peer
	// gives every match. missing = matches not returned (or counted),
	// extra = returned documents that do not hold the query.
	out.truth = 0;
	out.missing = 0;
	out.extra = 0;
	out.exact = 0;
	out.returned = [];
	for (let i = 0; i < queries.length; i++) {
		const want = truth[i];
		let ids, total;
		if (e.proto === "go") {
			const r = await w.call({op: "search", q: queries[i], limit});
			total = r.results ? r.results.Total : 0;
			ids = r.results && r.results.Hits ? r.results.Hits.map(h => Number(h.ID)) : [];
		} else {
			const r = await w.call({op: "search", q: foldedQueries[i], limit: 1e9});
			ids = r.ids.map(Number);
			total = ids.length;
		}
		const extra = ids.filter(id => !want.has(id)).length;
		const found = e.proto === "go" ? Math.min(total - extra, want.size) : ids.length - extra;
		out.truth += want.size;
		out.missing += want.size - found;
		out.extra += e.proto === "go" ? extra + Math.max(0, total - want.size) : extra;
		if (found === want.size && total === want.size && extra === 0) out.exact++;
		out.returned.push(total);
	}
	out.queries = queries.length;
	out.roundTrip = [];
	out.engineMs = [];
	for (let i = 0; i < queries.length; i++) {
		const q = e.proto === "go" ? queries[i] : foldedQueries[i];
		const t = performance.now();
		const r = await w.call({op: "search", q, limit});
		out.roundTrip.push(performance.now() - t);
		out.engineMs.push((r.micros || 0) / 1000);
	}
	// engineMinMs: each query's best of minPasses passes (this one and
	// more): on a shared machine a query descheduled or paused by a
	// collection in one pass is not in another, so the queries' own
	// cost shows beside the single pass's figures
	out.engineMinMs = out.engineMs.slice();
	for (let pass = 1; pass < minPasses; pass++) {
		for (let i = 0; i < queries.length; i++) {
			const q = e.proto === "go" ? queries[i] : foldedQueries[i];
			const r = await w.call({op: "search", q, limit});
			out.engineMinMs[i] = Math.min(out.engineMinMs[i], (r.micros || 0) / 1000);
		}
	}
	// the memory of the worker that only searched (ours)
	const mem = await w.call({op: "mem"}).catch(() => ({}));
	out.queryHeap = mem.bytes || 0;
	out.querySys = mem.sys || 0;
	w.terminate();
	return out;
}

// primeCode loads ours' worker from prefix (served cacheable), runs
// the queries on the index queryEngine measured and waits a while with
// it up, so that the browser keeps its wasm's optimized code (V8 caches
// a module's code, after its hot functions were optimized, for the next
// load of the same cached response).
async function primeCode(prefix, waitMs) {
	const {e, db} = run;
	const w = worker(prefix + e.script);
	await w.ready;
	await w.call({op: "open", db, tables, texts, reopen: true});
	for (const q of queries) await w.call({op: "search", q, limit});
	await new Promise(resolve => setTimeout(resolve, waitMs));
	w.terminate();
	return 0;
}

// reopenEngine opens the index queryEngine measured in a fresh worker of
// the script with the given query string (ours: "?nowarm" leaves out
// the warm-up), answers q as its first query idleMs after the open (a
// user typing once the app has settled: ours warms up when idle), and
// returns the times (the same figures as queryEngine's reopen, the
// pause left out, and ours' steps).
async function reopenEngine(q, query, idleMs, prefix) {
	const {e, db} = run;
	const t0 = performance.now();
	const w = worker((prefix || "") + e.script + (query || ""));
	await w.ready;
	const out = {startMs: performance.now() - t0};
	let t1 = performance.now();
	const opened = await w.call({op: "open", db, tables, texts, reopen: true});
	if (idleMs) {
		const t = performance.now();
		await new Promise(resolve => setTimeout(resolve, idleMs));
		t1 += performance.now() - t;
	}
	const first = await w.call({op: "search", q, limit});
	out.openQueryMs = performance.now() - t1;
	out.openInMs = (opened.micros || 0) / 1000;
	out.firstInMs = (first.micros || 0) / 1000;
	out.openSteps = opened.stages || null;
	out.firstSteps = first.stages || null;
	w.terminate();
	return out;
}
