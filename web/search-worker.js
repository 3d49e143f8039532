// search-worker.js: runs search-worker.wasm (app/searchworker), the search
// index, in a Web Worker. Messages that arrive while the wasm loads are
// kept and handed over in order once it is ready.
"use strict";
importScripts("../wasm_exec.js");

const early = [];
self.onmessage = (e) => { early.push(e); };

const go = new Go();
WebAssembly.instantiateStreaming(fetch("search-worker.wasm"), go.importObject)
	.then((r) => {
		go.run(r.instance);
		for (const e of early.splice(0)) self.onmessage(e);
	})
	.catch((err) => { self.postMessage(JSON.stringify({id: 0, err: "search worker: " + err})); });
