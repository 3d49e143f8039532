//go:build js && wasm

package main

import (
	"context"
	"encoding/json"
	"runtime/debug"
	"sync"
	"syscall/js"
	"time"

	"github.com/broadsheet/broadsheet/app/library"
	"github.com/broadsheet/broadsheet/app/search"
)

// parseWorkerName is the name parse workers are started with: the same
// script and wasm (no query string, so the service worker's cache
// answers offline), told apart by self.name.
const parseWorkerName = "broadsheet-parse"

// parseGOGC is a parse worker's GOGC.
const parseGOGC = 400

// isParseWorker reports whether this instance was started as a parse
// worker.
func isParseWorker() bool {
	return js.Global().Get("name").String() == parseWorkerName
}

// serveParse is a parse worker's loop: each message {req, files} is read
// and parsed and answered with {id, wire: Uint8Array (a uvarint count,
// then each file as appendParsed writes it; transferred), read: µs,
// stages: JSON}.
func serveParse() {
	// A parse worker's live heap is small (one slice of files) and it
	// allocates fast: a collection at every 4 MB would run often, and in
	// wasm a collection stops the worker.
	debug.SetGCPercent(parseGOGC)
	msgs := make(chan js.Value, 16)
	self := js.Global()
	self.Set("onmessage", js.FuncOf(func(this js.Value, args []js.Value) any {
		msgs <- args[0].Get("data")
		return nil
	}))
	for d := range msgs {
		var r request
		json.Unmarshal([]byte(d.Get("req").String()), &r)
		st := stages{}
		files, read := readPosted(d.Get("files"), r, d.Get("buf"))
		st["read"] = read.Microseconds()
		ps, docs := parseAll(files, st)
		t := time.Now()
		b := encodeParsed(ps, docs)
		wire := js.Global().Get("Uint8Array").New(len(b))
		js.CopyBytesToJS(wire, b)
		st.since("encode", t)
		sj, _ := json.Marshal(st)
		out := js.Global().Get("Object").New()
		out.Set("id", r.ID)
		out.Set("wire", wire)
		out.Set("read", read.Microseconds())
		out.Set("stages", string(sj))
		transfer := js.Global().Get("Array").New()
		transfer.Call("push", wire.Get("buffer"))
		self.Call("postMessage", out, transfer)
	}
}

// parsePool is the parse workers of an import, started on its first
// request.
type parsePool struct {
	workers []js.Value

	mu      sync.Mutex
	next    int
	pending map[int]chan js.Value // a reply, or undefined when the worker failed
	broken  bool                  // a worker failed: parse in this thread from now on
}

// newParsePool starts one parse worker per core but one (left to the
// page, whose tasks would otherwise stretch), at least one and at most
// maxParsers; nil when workers cannot be started here.
func newParsePool() *parsePool {
	ctor := js.Global().Get("Worker")
	if !ctor.Truthy() {
		return nil
	}
	n := js.Global().Get("navigator").Get("hardwareConcurrency").Int()
	p := &parsePool{pending: map[int]chan js.Value{}}
	for range min(max(n-1, 1), maxParsers) {
		w := ctor.New("search-worker.js", map[string]any{"name": parseWorkerName})
		w.Set("onmessage", js.FuncOf(func(this js.Value, args []js.Value) any {
			d := args[0].Get("data")
			if d.Type() == js.TypeObject {
				p.deliver(d.Get("id").Int(), d)
			}
			return nil
		}))
		w.Set("onerror", js.FuncOf(func(this js.Value, args []js.Value) any {
			p.failAll()
			return nil
		}))
		p.workers = append(p.workers, w)
	}
	return p
}

func (p *parsePool) deliver(id int, v js.Value) {
	p.mu.Lock()
	ch, ok := p.pending[id]
	delete(p.pending, id)
	p.mu.Unlock()
	if ok {
		ch <- v
	}
}

// failAll answers every request in flight as failed (a worker died) and
// stops the pool.
func (p *parsePool) failAll() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.broken = true
	for id, ch := range p.pending {
		ch <- js.Undefined()
		delete(p.pending, id)
	}
}

// parsing is an import request's files handed to the parse workers: one
// part per worker, in order.
type parsing struct {
	parts []parsePart
}

type parsePart struct {
	files js.Value // the part's files, to parse here should its worker fail
	req   request
	reply chan js.Value
}

// dispatch splits an import's files between the workers and posts them
// (it does not wait: it runs in the message callback, so that the parse
// workers start on the next request while this worker stores the last),
// each part once its Files are read (postRead). It returns nil once a
// worker has failed.
func (p *parsePool) dispatch(r request, files js.Value) *parsing {
	p.mu.Lock()
	broken := p.broken
	p.mu.Unlock()
	if broken {
		return nil
	}
	all, values := describePosted(files, r)
	n := len(all)
	k := min(len(p.workers), max(n, 1))
	job := &parsing{}
	for i := range k {
		a, b := i*n/k, (i+1)*n/k
		sub := request{Op: "parse", Names: make([]string, 0, b-a), Modified: make([]int64, 0, b-a)}
		for _, f := range all[a:b] {
			var ms int64 // 0: unknown
			if !f.Modified.IsZero() {
				ms = f.Modified.UnixMilli()
			}
			sub.Names, sub.Modified = append(sub.Names, f.Name), append(sub.Modified, ms)
		}
		p.mu.Lock()
		p.next++
		sub.ID = p.next
		ch := make(chan js.Value, 1)
		p.pending[sub.ID] = ch
		p.mu.Unlock()
		part := parsePart{files: files.Call("slice", a, b), req: sub, reply: ch}
		p.postRead(p.workers[i], part, planTogether(values[a:b], all[a:b]))
		job.parts = append(job.parts, part)
	}
	return job
}

// postRead posts part to worker w once its Files (t) are read, with the
// bytes ({req, files, buf}, buf transferred): the read waits on the
// browser while this worker stores the slice before, instead of holding
// up the parse worker, which only parses (reading took it as long as
// parsing). Should the read fail, the part goes without bytes and the
// parse worker reads each file on its own.
func (p *parsePool) postRead(w js.Value, part parsePart, t together) {
	j, _ := json.Marshal(part.req)
	msg := js.Global().Get("Object").New()
	msg.Set("req", string(j))
	msg.Set("files", part.files)
	if len(t.which) == 0 {
		w.Call("postMessage", msg)
		return
	}
	var read, failed js.Func
	release := func() {
		read.Release()
		failed.Release()
	}
	read = js.FuncOf(func(this js.Value, args []js.Value) any {
		release()
		buf := args[0]
		msg.Set("buf", buf)
		transfer := js.Global().Get("Array").New()
		transfer.Call("push", buf)
		w.Call("postMessage", msg, transfer)
		return nil
	})
	failed = js.FuncOf(func(this js.Value, args []js.Value) any {
		release()
		w.Call("postMessage", msg)
		return nil
	})
	js.Global().Get("Blob").New(t.parts).Call("arrayBuffer").Call("then", read, failed)
}

// wait collects the parts' parsed files in order; a part whose worker
// failed is read and parsed here. It adds the parts' stages to st, and
// its own ("wait", "decode").
func (job *parsing) wait(st stages) (ps []library.Parsed, docs []search.Doc, read time.Duration, parsers int) {
	for _, part := range job.parts {
		t := time.Now()
		v := <-part.reply
		t = st.since("wait", t)
		if v.IsUndefined() {
			files, took := readPosted(part.files, part.req, js.Undefined())
			p, d := parseAll(files, st)
			ps, docs, read = append(ps, p...), append(docs, d...), read+took
			continue
		}
		p, d, err := decodeParsed(v)
		st.since("decode", t)
		if err != nil {
			files, took := readPosted(part.files, part.req, js.Undefined())
			p, d = parseAll(files, st)
			read += took
		} else {
			parsers++
			var theirs map[string]int64
			json.Unmarshal([]byte(v.Get("stages").String()), &theirs)
			st.merge(theirs)
		}
		ps, docs = append(ps, p...), append(docs, d...)
		read += time.Duration(v.Get("read").Int()) * time.Microsecond
	}
	return ps, docs, read, parsers
}

// decodeParsed reads a parse worker's reply (parse_wire.go).
func decodeParsed(v js.Value) ([]library.Parsed, []search.Doc, error) {
	wire := v.Get("wire")
	if !wire.Truthy() {
		return nil, nil, errWire
	}
	return decodeParsedWire(bytesOf(wire))
}

// handleParsed stores the files of an import request parsed by the pool.
func (im *importer) handleParsed(ctx context.Context, r request, job *parsing) reply {
	start := time.Now()
	st := stages{}
	ps, docs, read, parsers := job.wait(st)
	rep := im.importParsed(ctx, r, ps, docs, start, read, st)
	rep.Parsers = parsers
	rep.Stages = st
	return rep
}
