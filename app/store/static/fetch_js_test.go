//go:build js && wasm

package static

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"sync"
	"syscall/js"
	"testing"
	"time"

	"github.com/broadsheet/broadsheet/app/store"
	"github.com/broadsheet/broadsheet/app/store/indexeddb"
)

// These tests run in headless Chromium (wasmbrowsertest), where no server
// serves an archive: the page's fetch is replaced by a stub that answers
// from Go with real Response objects, and records the requests. The real
// fetch is exercised on a data: URL and on the test server itself.

// memArchive encodes tables as archive files, perPack records a pack.
func memArchive(t *testing.T, tables map[string][]record, perPack int) map[string][]byte {
	files := map[string][]byte{}
	m := Manifest{Version: FormatVersion, Tables: map[string]TableInfo{}}
	for name, recs := range tables {
		var info TableInfo // every pack inline
		for i := 0; i < len(recs); i += perPack {
			part := recs[i:min(i+perPack, len(recs))]
			data := encodeRecords(t, part)
			ref := PackRef{File: PackName(data), Count: len(part), Bytes: len(data)}
			if i > 0 {
				ref.Lo = separator(recs[i-1].key, part[0].key)
				info.Inline[len(info.Inline)-1].Hi = ref.Lo
			}
			files[ref.File] = data
			info.Inline = append(info.Inline, ref)
			info.Packs++
			info.Count += ref.Count
			info.Bytes += int64(ref.Bytes)
		}
		m.Tables[name] = info
	}
	data, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	files[ManifestName] = data
	return files
}

// request is one call of the stubbed fetch.
type request struct {
	url, cache string
}

// stub replaces the global fetch for the test.
type stub struct {
	mu       sync.Mutex
	files    map[string][]byte
	requests []request
	offline  bool // reject every request as a network failure
	hang     bool // never answer; reject when the request is aborted
	aborted  bool // a hanging request saw its signal abort
}

const stubBase = "https://archive.invalid/a/"

func newStub(t *testing.T, files map[string][]byte) *stub {
	s := &stub{files: files}
	orig := js.Global().Get("fetch")
	fn := js.FuncOf(s.fetch)
	js.Global().Set("fetch", fn)
	t.Cleanup(func() {
		js.Global().Set("fetch", orig)
		fn.Release()
	})
	return s
}

func (s *stub) fetch(_ js.Value, args []js.Value) any {
	url, init := args[0].String(), args[1]
	s.mu.Lock()
	defer s.mu.Unlock()
	cache := ""
	if c := init.Get("cache"); c.Type() == js.TypeString {
		cache = c.String()
	}
	s.requests = append(s.requests, request{url, cache})
	promise := js.Global().Get("Promise")
	switch {
	case s.offline:
		return promise.Call("reject", js.Global().Get("TypeError").New("Failed to fetch"))
	case s.hang:
		signal := init.Get("signal")
		var executor js.Func
		executor = js.FuncOf(func(_ js.Value, pargs []js.Value) any {
			reject := pargs[1]
			var onAbort js.Func
			onAbort = js.FuncOf(func(js.Value, []js.Value) any {
				s.mu.Lock()
				s.aborted = true
				s.mu.Unlock()
				reject.Invoke(js.Global().Get("DOMException").New("aborted", "AbortError"))
				onAbort.Release()
				return nil
			})
			signal.Call("addEventListener", "abort", onAbort)
			executor.Release()
			return nil
		})
		return promise.New(executor)
	}
	data, ok := s.files[strings.TrimPrefix(url, stubBase)]
	if !ok {
		return promise.Call("resolve", js.Global().Get("Response").New("not found", map[string]any{"status": 404}))
	}
	arr := js.Global().Get("Uint8Array").New(len(data))
	js.CopyBytesToJS(arr, data)
	return promise.Call("resolve", js.Global().Get("Response").New(arr, map[string]any{"status": 200}))
}

func (s *stub) set(f func(s *stub)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f(s)
}

func (s *stub) calls() []request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]request(nil), s.requests...)
}

func testTables() map[string][]record {
	var recs []record
	for i := range 50 {
		recs = append(recs, record{fmt.Sprintf("k%03d", i), []byte(fmt.Sprintf("值 %d", i))})
	}
	return map[string][]record{"t": recs, "empty": nil}
}

// TestBrowserFetcher: the manifest is fetched with cache "no-cache", packs
// with the default cache; a 404 matches fs.ErrNotExist.
func TestBrowserFetcher(t *testing.T) {
	st := newStub(t, memArchive(t, testTables(), 8))
	s, err := Open(ctx, BrowserFetcher(strings.TrimSuffix(stubBase, "/")), Options{})
	if err != nil {
		t.Fatalf("Open = %v", err)
	}
	defer s.Close()
	if v, err := s.Get(ctx, "t", "k017"); err != nil || string(v) != "值 17" {
		t.Errorf("Get(k017) = %q, %v", v, err)
	}
	got, err := s.GetMany(ctx, "t", []string{"k001", "k049", "missing"})
	if err != nil || string(got[0]) != "值 1" || string(got[1]) != "值 49" || got[2] != nil {
		t.Errorf("GetMany = %q, %v", got, err)
	}
	for _, r := range st.calls() {
		want := ""
		if strings.HasSuffix(r.url, ManifestName) {
			want = "no-cache"
		}
		if r.cache != want {
			t.Errorf("fetch(%s) with cache %q, want %q", r.url, r.cache, want)
		}
	}
	if n := len(st.calls()); n != 4 { // the manifest and three packs
		t.Errorf("%d fetches, want 4", n)
	}
	if _, err := BrowserFetcher(stubBase).Fetch(ctx, "p/0123456789abcdef0123.pack"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Fetch(missing) = %v, want fs.ErrNotExist", err)
	}
}

// TestBrowserFetcherAbort: cancelling the context aborts the request.
func TestBrowserFetcherAbort(t *testing.T) {
	st := newStub(t, nil)
	st.set(func(s *stub) { s.hang = true })
	cctx, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	if _, err := BrowserFetcher(stubBase).Fetch(cctx, ManifestName); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Fetch past its deadline = %v, want DeadlineExceeded", err)
	}
	for range 100 {
		time.Sleep(time.Millisecond)
		if st.set(func(*stub) {}); st.aborted {
			break
		}
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	if !st.aborted {
		t.Errorf("the request was not aborted")
	}
}

// TestBrowserRealFetch uses the browser's own fetch: a data: URL gives its
// bytes, and an error status of the test server an error that is not
// fs.ErrNotExist.
func TestBrowserRealFetch(t *testing.T) {
	data, err := BrowserFetcher("data:text/plain,archive/").Fetch(ctx, "hello")
	if err != nil || string(data) != "archive/hello" {
		t.Errorf("Fetch(data: URL) = %q, %v, want %q", data, err, "archive/hello")
	}
	// wasmbrowsertest answers /fs/ requests without its token with 400.
	if _, err := BrowserFetcher("/fs/").Fetch(ctx, "nothing"); err == nil || errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), "400") {
		t.Errorf("Fetch(a 400 answer) = %v, want an HTTP 400 error", err)
	}
	if _, err := BrowserFetcher("unknownscheme://x/").Fetch(ctx, "y"); err == nil {
		t.Errorf("Fetch(unknown scheme) = nil error")
	}
}

// TestBrowserKeepIndexedDB downloads an archive into IndexedDB, then opens
// it offline from there.
func TestBrowserKeepIndexedDB(t *testing.T) {
	st := newStub(t, memArchive(t, testTables(), 8))
	name := "broadsheet-static-test"
	indexeddb.Delete(ctx, name)
	t.Cleanup(func() { indexeddb.Delete(ctx, name) })
	keep, err := indexeddb.Open(ctx, name, []string{KeepTable})
	if err != nil {
		t.Fatal(err)
	}
	defer keep.Close()
	s, err := Open(ctx, BrowserFetcher(stubBase), Options{Keep: keep})
	if err != nil {
		t.Fatalf("Open = %v", err)
	}
	var last int64
	if err := s.Download(ctx, func(done, total int64) { last = done }); err != nil {
		t.Fatalf("Download = %v", err)
	}
	done, total, err := s.Kept(ctx)
	if err != nil || done != total || last != total || total == 0 {
		t.Errorf("Kept = %d, %d, %v (last progress %d), want all", done, total, err, last)
	}
	s.Close()
	st.set(func(s *stub) { s.offline = true })
	s, err = Open(ctx, BrowserFetcher(stubBase), Options{Keep: keep})
	if err != nil {
		t.Fatalf("offline Open = %v", err)
	}
	defer s.Close()
	n := 0
	err = s.ScanReverse(ctx, "t", "", "", 0, func(string, []byte) bool { n++; return true })
	if err != nil || n != 50 {
		t.Errorf("offline ScanReverse = %d records, %v, want 50", n, err)
	}
	if c, err := s.Count(ctx, "empty"); c != 0 || err != nil {
		t.Errorf("Count(empty) = %d, %v", c, err)
	}
	if _, err := s.Get(ctx, "t", "nope"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Get(missing) = %v, want ErrNotFound", err)
	}
}
