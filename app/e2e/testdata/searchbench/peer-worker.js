// peer-worker.js: FlexSearch 0.8.212 or MiniSearch 7.2.0 in a Worker,
// speaking the messages of app/searchworker (open, add, stats, persist,
// search) plus mem. The variant is the URL's fragment:
//   flex-cjk          FlexSearch with its CJK charset (one term per character)
//   flex-cjk-context  the same with contextual (neighbour) scoring
//   flex-bigram       FlexSearch fed pre-tokenized bigrams: its best case
//   mini-bigram       MiniSearch with a bigram tokenizer, AND
// Texts arrive already folded (full-width, case, Traditional) by the
// benchmark, so the peers get that for free.
"use strict";
const variant = self.location.hash.slice(1);
if (variant.startsWith("flex")) importScripts("node_modules/flexsearch/dist/flexsearch.bundle.min.js");
else importScripts("node_modules/minisearch/dist/umd/index.js");

// tokens cuts text into terms: lower-cased words, and for each Han run
// its overlapping bigrams; documents also get every Han character (so
// that one-character queries can match), queries only their bigrams (a
// lone character stays itself).
function tokens(text, isQuery) {
	const out = [];
	for (const run of text.toLowerCase().match(/\p{Script=Han}+|[\p{L}\p{N}]+/gu) || []) {
		if (!/\p{Script=Han}/u.test(run)) { out.push(run); continue; }
		const cs = [...run];
		if (cs.length === 1 || !isQuery) out.push(...cs);
		for (let i = 0; i + 1 < cs.length; i++) out.push(cs[i] + cs[i + 1]);
	}
	return out;
}

let ix, stored = null, docsByNum = [];

function make() {
	switch (variant) {
	case "flex-cjk": return new FlexSearch.Index({encoder: FlexSearch.Charset.CJK});
	case "flex-cjk-context": return new FlexSearch.Index({encoder: FlexSearch.Charset.CJK, context: true});
	case "flex-bigram": return new FlexSearch.Index({tokenize: "strict", encoder: new FlexSearch.Encoder({split: " ", normalize: false})});
	default: return new MiniSearch({fields: ["title", "text"], idField: "n", tokenize: (s) => tokens(s), processTerm: (t) => t,
		searchOptions: {combineWith: "AND", prefix: false, fuzzy: false, tokenize: (s) => tokens(s, true), processTerm: (t) => t}});
	}
}

function add(docs) {
	for (const d of docs) {
		const n = docsByNum.length;
		docsByNum.push(d.id);
		if (variant === "mini-bigram") ix.add({n, title: d.title, text: d.text});
		else if (variant === "flex-bigram") ix.add(n, tokens(d.title + "\n" + d.text).join(" "));
		else ix.add(n, d.title + "\n" + d.text);
	}
}

function search(q, limit) {
	if (variant === "mini-bigram") return ix.search(q).slice(0, limit).map(r => r.id);
	const parts = q.split(/\s+/).filter(Boolean);
	const text = variant === "flex-bigram" ? parts.map(p => tokens(p, true).join(" ")).join(" ") : q;
	return ix.search(text, {limit});
}

async function persist() {
	if (variant === "mini-bigram") {
		stored = {kind: "json", data: JSON.stringify(ix)};
		return stored.data.length;
	}
	const chunks = [];
	await ix.export((key, data) => { chunks.push([key, data]); });
	stored = {kind: "chunks", data: chunks};
	return chunks.reduce((s, [k, d]) => s + k.length + (d ? String(d).length : 0), 0);
}

// Persisted data stays in the worker's global between messages only; the
// benchmark passes it to the reopened worker through the page.
async function handle(r) {
	const t = performance.now();
	const rep = {id: r.id};
	switch (r.op) {
	case "open":
		if (r.reopen && r.stored) {
			ix = make();
			docsByNum = r.docs;
			if (r.stored.kind === "json") ix = MiniSearch.loadJSON(r.stored.data, {fields: ["title", "text"], idField: "n", tokenize: (s) => tokens(s), processTerm: (t) => t,
				searchOptions: {combineWith: "AND", prefix: false, fuzzy: false, tokenize: (s) => tokens(s, true), processTerm: (t) => t}});
			else for (const [k, d] of r.stored.data) await ix.import(k, d);
		} else ix = make();
		break;
	case "add": add(r.docs); break;
	case "stats": rep.stats = {Docs: docsByNum.length}; break;
	case "persist": rep.bytes = await persist(); rep.stored = stored; rep.docs = docsByNum; break;
	case "search": {
		const nums = search(r.q, r.limit);
		rep.ids = nums.map(n => docsByNum[n]);
		break;
	}
	case "mem": rep.bytes = self.performance && performance.memory ? performance.memory.usedJSHeapSize : 0; break;
	default: throw new Error("unknown op " + r.op);
	}
	rep.micros = Math.round((performance.now() - t) * 1000);
	return rep;
}

self.onmessage = (e) => {
	const r = JSON.parse(e.data);
	handle(r).then(rep => self.postMessage(JSON.stringify(rep)),
		err => self.postMessage(JSON.stringify({id: r.id, err: String(err && err.stack || err)})));
};
self.postMessage(JSON.stringify({id: 0, ready: true}));
