// search-worker.js: runs search-worker.wasm (app/searchworker), the search
// index, in a Web Worker. Messages that arrive while the wasm loads are
// kept and handed over in order once it is ready.
"use strict";
importScripts("../wasm_exec.js");

const early = [];
self.onmessage = (e) => { early.push(e); };

// Should the Go program stop (a fatal error no recover catches, such as
// running out of memory, or a trap of the wasm), the requests it has not
// answered are answered with an error, and so is every request after:
// the page's searches and imports end with an error, not a wait without
// end. Requests and replies begin with their ID ({"id":N,...}: a JSON
// string, alone or as the "req" or "reply" of an object). A parse worker
// (this script again, named "broadsheet-parse": parse_js.go) answers its
// parent with objects and is not watched.
const unanswered = new Set(), answered = new Set(); // answered: before its request was seen here
let stopped = "";
const idOf = (m) => {
	const s = typeof m === "string" ? m : (m !== null && typeof m === "object" ? (m.req ?? m.reply) : undefined);
	const id = typeof s === "string" ? /^\{"id":(\d+)/.exec(s) : null;
	return id ? Number(id[1]) : 0;
};
const post = self.postMessage.bind(self);
const fail = (id) => post(JSON.stringify({id, err: "search worker: " + stopped}));
const stop = (why) => {
	if (stopped) return;
	stopped = why;
	for (const id of unanswered) fail(id);
	unanswered.clear();
};
if (self.name !== "broadsheet-parse") {
	self.postMessage = function (m, ...rest) {
		const id = idOf(m);
		if (id && !unanswered.delete(id)) answered.add(id);
		return post(m, ...rest);
	};
	// after the Go program's own listener, which may have answered at once
	self.addEventListener("message", (e) => {
		const id = idOf(e.data);
		if (!id || answered.delete(id)) return;
		if (stopped) fail(id);
		else unanswered.add(id);
	});
	self.addEventListener("error", (e) => {
		if (e.error instanceof WebAssembly.RuntimeError || e.error instanceof RangeError) stop("it failed: " + e.error);
	});
}

const go = new Go();
WebAssembly.instantiateStreaming(fetch("search-worker.wasm"), go.importObject)
	.then((r) => {
		go.run(r.instance).then(() => stop("it stopped (see the console)"));
		for (const e of early.splice(0)) self.onmessage(e);
	})
	.catch((err) => { self.postMessage(JSON.stringify({id: 0, err: "search worker: " + err})); });
