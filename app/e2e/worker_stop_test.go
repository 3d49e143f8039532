package e2e

import (
	"encoding/json"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/broadsheet/broadsheet/app/ghpages"
)

// stoppingWorkerSource is a Go program for web/search-worker.js in
// place of the search worker: it answers "echo", never answers "hang",
// ends in a panic no recover catches on "die" (as a worker out of memory
// ends), and has JavaScript throw a RangeError on "throw" (as a wasm
// trap is thrown).
const stoppingWorkerSource = `package main

import (
	"strings"
	"syscall/js"
)

func main() {
	self := js.Global()
	self.Set("onmessage", js.FuncOf(func(this js.Value, args []js.Value) any {
		d := args[0].Get("data")
		if d.Type() == js.TypeObject {
			d = d.Get("req")
		}
		msg := d.String()
		id := msg[len("{\"id\":"):strings.IndexByte(msg, ',')]
		switch {
		case strings.Contains(msg, "\"op\":\"echo\""):
			self.Call("postMessage", "{\"id\":"+id+"}")
		case strings.Contains(msg, "\"op\":\"die\""):
			go func() { panic("stopping on purpose") }()
		case strings.Contains(msg, "\"op\":\"throw\""):
			self.Call("setTimeout", self.Get("Function").New("throw new RangeError('thrown on purpose')"), 0)
		}
		return nil
	}))
	self.Call("postMessage", "{\"id\":0,\"ready\":true}")
	select {}
}
`

// stopScript starts web/search-worker.js, has it answer "echo" 1, then
// posts "hang" 2 (a string) and 3 (the "req" of an object, as imports
// come), then op 4, waits for 2, 3 and 4, posts "echo" 5 and returns
// every reply. A reply that never comes leaves its ID out.
const stopScript = `(async (op) => {
	const w = new Worker("web/search-worker.js");
	w.onerror = (e) => e.preventDefault();
	const got = [];
	w.onmessage = (e) => got.push(JSON.parse(e.data));
	const until = async (f) => { for (let i = 0; i < 200 && !f(); i++) await new Promise(r => setTimeout(r, 25)); };
	const has = (id) => got.some(r => r.id === id);
	await until(() => got.some(r => r.ready));
	w.postMessage('{"id":1,"op":"echo"}');
	await until(() => has(1));
	w.postMessage('{"id":2,"op":"hang"}');
	w.postMessage({req: '{"id":3,"op":"hang"}', files: []});
	w.postMessage('{"id":4,"op":"' + op + '"}');
	await until(() => has(2) && has(3) && has(4));
	w.postMessage('{"id":5,"op":"echo"}');
	await until(() => has(5));
	await new Promise(r => setTimeout(r, 100)); // any reply more
	w.terminate();
	return JSON.stringify(got);
})`

// TestWorkerStopAnswered: when the search worker's Go program stops,
// by a panic no recover catches or by a trap thrown in it, search-worker.js
// answers each request it had not answered with an error, once, and
// each request after at once: the page's search or import fails, where
// it used to wait without end. A request answered before is not
// answered again.
func TestWorkerStopAnswered(t *testing.T) {
	serveSite(t) // fails or skips as every browser test does
	dir := t.TempDir()
	web := filepath.Join(dir, "web")
	if err := os.MkdirAll(web, 0o755); err != nil {
		t.Fatal(err)
	}
	src := filepath.Join(t.TempDir(), "stopping")
	for name, data := range map[string]string{"go.mod": "module stopping\n\ngo 1.26\n", "main.go": stoppingWorkerSource} {
		if err := os.MkdirAll(src, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(src, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command("go", "build", "-o", filepath.Join(web, "search-worker.wasm"), ".")
	cmd.Dir = src
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm", "GOFLAGS=", "GOPROXY=off", "GOWORK=off")
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("building the stopping worker: %v\n%s", err, msg)
	}
	for from, to := range map[string]string{
		filepath.Join(repoRoot(), "web", "search-worker.js"):           filepath.Join(web, "search-worker.js"),
		filepath.Join(runtime.GOROOT(), "lib", "wasm", "wasm_exec.js"): filepath.Join(dir, "wasm_exec.js"),
	} {
		data, err := os.ReadFile(from)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(to, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "index.html"), []byte("<!doctype html><link rel=\"icon\" href=\"data:,\"><title>stop</title>"), 0o644); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(ghpages.New(dir, "/", ghpages.Options{NoStore: true}))
	defer srv.Close()
	b := newBrowser(t, srv.URL+"/", browserOptions{})
	b.navigate("")
	for _, op := range []string{"die", "throw"} {
		var got []struct {
			ID    int    `json:"id"`
			Ready bool   `json:"ready"`
			Err   string `json:"err"`
		}
		if err := json.Unmarshal([]byte(eval[string](b, stopScript+`("`+op+`")`)), &got); err != nil {
			t.Fatal(err)
		}
		replies := map[int][]string{}
		for _, r := range got {
			if !r.Ready {
				replies[r.ID] = append(replies[r.ID], r.Err)
			}
		}
		if errs := replies[1]; len(errs) != 1 || errs[0] != "" {
			t.Errorf("%s: replies to echo 1, answered before = %q, want one without error", op, errs)
		}
		for _, id := range []int{2, 3, 4, 5} {
			errs := replies[id]
			if op == "throw" && id == 5 {
				continue // the stand-in for a trap goes on, and answers it itself
			}
			if len(errs) == 0 || !strings.HasPrefix(errs[0], "search worker: it ") {
				t.Errorf("%s: replies to request %d = %q, want an error saying the worker stopped", op, id, errs)
			}
			if op == "die" && len(errs) != 1 {
				t.Errorf("%s: %d replies to request %d (%q), want 1", op, len(errs), id, errs)
			}
		}
	}
}
