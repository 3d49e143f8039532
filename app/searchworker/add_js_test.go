//go:build js && wasm

package main

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"runtime"
	"runtime/debug"
	"strings"
	"syscall/js"
	"testing"
	"time"

	"github.com/broadsheet/broadsheet/app/search"
	"github.com/broadsheet/broadsheet/internal/proccpu"
)

// TestFillDocs: an add's titles and texts posted beside its JSON reach
// its documents in order, encoded by one call into JavaScript or, where
// the Function constructor is refused, a string at a time, the same
// (elements that are not strings as Array.prototype.join takes them);
// arrays of the wrong length are refused.
func TestFillDocs(t *testing.T) {
	lone := js.Global().Get("String").Call("fromCharCode", 0x61, 0xd800)
	cases := []struct {
		titles, texts []any
		want          [][2]string
	}{
		{[]any{"标题一", "Title 2", ""}, []any{"正文第一段\n第二段", "café 2025年 😀", "末尾"},
			[][2]string{{"标题一", "正文第一段\n第二段"}, {"Title 2", "café 2025年 😀"}, {"", "末尾"}}},
		{[]any{"一"}, []any{"只有一篇"}, [][2]string{{"一", "只有一篇"}}},
		{[]any{"含\x00空字符", "b"}, []any{"x", "y\x00z"}, [][2]string{{"含\x00空字符", "x"}, {"b", "y\x00z"}}},
		{[]any{"", ""}, []any{"", ""}, [][2]string{{"", ""}, {"", ""}}},
		{[]any{lone, nil, js.Undefined()}, []any{5, true, 1.5}, [][2]string{{"a\ufffd", "5"}, {"", "true"}, {"", "1.5"}}},
		{[]any{}, []any{}, [][2]string{}},
	}
	made := encodeDocs()
	defer func() { encodeDocsFunc = &made }()
	for _, way := range []js.Value{made, js.Undefined()} {
		encodeDocsFunc = &way
		for _, c := range cases {
			r := request{Docs: make([]search.Doc, len(c.want))}
			in := incoming{titles: js.ValueOf(c.titles), texts: js.ValueOf(c.texts)}
			if err := in.fillDocs(&r); err != nil {
				t.Fatalf("fillDocs(%v, %v) = %v", c.titles, c.texts, err)
			}
			for i, d := range r.Docs {
				if d.Title != c.want[i][0] || d.Text != c.want[i][1] {
					t.Errorf("fillDocs(%v, %v), Function %v: document %d = %q, %q, want %q, %q", c.titles, c.texts, way.Truthy(), i, d.Title, d.Text, c.want[i][0], c.want[i][1])
				}
			}
		}
		r := request{Docs: make([]search.Doc, 3)}
		in := incoming{titles: js.ValueOf([]any{"a", "b", "c"}), texts: js.ValueOf([]any{"a", "b"})}
		if err := in.fillDocs(&r); err != errAddTexts {
			t.Errorf("fillDocs of 2 texts for 3 documents = %v, want %v", err, errAddTexts)
		}
		in = incoming{titles: js.ValueOf("a"), texts: js.ValueOf([]any{"a"})}
		if err := in.fillDocs(&request{Docs: make([]search.Doc, 1)}); err != errAddTexts {
			t.Errorf("fillDocs of titles not an array = %v, want %v", err, errAddTexts)
		}
	}
	if !made.Truthy() {
		t.Error("encodeDocs could not be made")
	}
}

// TestDecode: a request posted as JSON alone (the app's adds: their
// documents in it) and an add posted with its titles and texts beside
// give the same request.
func TestDecode(t *testing.T) {
	date := time.Date(2020, 6, 30, 5, 16, 37, 0, time.UTC)
	want := request{ID: 3, Op: "add", Docs: []search.Doc{
		{ID: "a", Title: "标题 <一>", Text: "正文\n第二段", Source: "s", Authors: []string{"林晓"}, Date: date},
		{ID: "b", Title: "Title", Text: "text"},
	}}
	data, err := json.Marshal(want)
	if err != nil {
		t.Fatal(err)
	}
	got, err := incoming{msg: string(data)}.decode()
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("decode(%s) = %+v, %v; want %+v", data, got, err, want)
	}
	beside := `{"op":"add","id":3,"docs":[{"ID":"a","Source":"s","Authors":["林晓"],"Date":"2020-06-30T05:16:37Z"},{"ID":"b"}]}`
	in := incoming{msg: beside, titles: js.ValueOf([]any{"标题 <一>", "Title"}), texts: js.ValueOf([]any{"正文\n第二段", "text"})}
	if got, err := in.decode(); err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("decode(%s and its titles and texts) = %+v, %v; want %+v", beside, got, err, want)
	}
	if _, err := (incoming{msg: `{"op":"add","docs":[{"ID":"a"}]}`, titles: js.ValueOf([]any{}), texts: js.ValueOf([]any{})}).decode(); err != errAddTexts {
		t.Errorf("decode of an add of 1 document with no texts = %v, want %v", err, errAddTexts)
	}
	if _, err := (incoming{msg: `{"op":"add","docs":[{"ID":1}]}`}).decode(); err == nil {
		t.Errorf("decode of an add of a document whose ID is a number = nil, want an error")
	}
}

// benchAdds are the adds of BenchmarkDecodeAdd, 10 of 1,000 documents
// (~2 KB of text each, mixed Han and ASCII, cut from ../shared/corpus/dev,
// tags and markup taken out): as app/e2e's search benchmark posts them
// (beside: their IDs in the JSON, their titles and texts beside it), and
// as the app posts them (json: the documents in the JSON, as json.Marshal
// writes library.SearchDoc's).
func benchAdds(b *testing.B) (beside, inJSON []incoming, size int64) {
	dir := filepath.Join("..", "..", "..", "shared", "corpus", "dev")
	entries, err := os.ReadDir(dir)
	if err != nil {
		b.Skipf("no corpus: %v", err)
	}
	var pool []rune
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			b.Fatal(err)
		}
		text := benchTagRE.ReplaceAllString(string(data), "\n")
		for _, line := range strings.Split(text, "\n") {
			if line = strings.TrimSpace(line); line != "" {
				pool = append(append(pool, []rune(line)...), '\n')
			}
		}
		if len(pool) > 4<<20 {
			break
		}
	}
	r := rand.New(rand.NewPCG(1, 2))
	piece := func(bytes int) string {
		start := r.IntN(len(pool) - bytes)
		var s strings.Builder
		for _, c := range pool[start:] {
			if s.Len() >= bytes {
				break
			}
			s.WriteRune(c)
		}
		return s.String()
	}
	array := js.Global().Get("Array")
	for a := range 10 {
		var msg strings.Builder
		fmt.Fprintf(&msg, `{"op":"add","docs":[`)
		ti, te := array.New(), array.New()
		req := request{ID: a + 2, Op: "add"}
		for d := range 1000 {
			if d > 0 {
				msg.WriteByte(',')
			}
			id := fmt.Sprintf("bench-%02d-%04d", a, d)
			fmt.Fprintf(&msg, `{"ID":%q}`, id)
			title, text := strings.ReplaceAll(piece(60), "\n", " "), piece(2000)
			ti.Call("push", title)
			te.Call("push", text)
			size += int64(len(title) + len(text))
			req.Docs = append(req.Docs, search.Doc{ID: id, Title: title, Text: text, Source: "https://news.example.cn/a/" + id,
				Authors: []string{"林晓"}, Date: time.Date(2020, 7, 17, 15, 14, d%60, 0, time.UTC)})
		}
		fmt.Fprintf(&msg, `],"id":%d}`, a+2)
		beside = append(beside, incoming{msg: msg.String(), titles: ti, texts: te})
		data, err := json.Marshal(req)
		if err != nil {
			b.Fatal(err)
		}
		inJSON = append(inJSON, incoming{msg: string(data)})
	}
	return beside, inJSON, size
}

var benchTagRE = regexp.MustCompile(`<[^>]*>|\]\([^)]*\)|[\[\]#*]+|-{3,}`)

// BenchmarkDecodeAdd: the worker's decode of an add (main_js.go:
// ParseRequest and fillDocs), 10 adds of 1,000 documents an op, each
// kept until the op's end (the worker keeps an add's documents until
// they are indexed), with the worker's GOGC; cpu-ms/op is Node's user
// and system time (0 under wasmbrowsertest).
func BenchmarkDecodeAdd(b *testing.B) {
	beside, inJSON, size := benchAdds(b)
	defer debug.SetGCPercent(debug.SetGCPercent(workerGOGC))
	for _, form := range []struct {
		name string
		adds []incoming
	}{{"beside", beside}, {"json", inJSON}} {
		b.Run(form.name, func(b *testing.B) {
			kept := make([]request, len(form.adds))
			b.SetBytes(size)
			b.ReportAllocs()
			runtime.GC()
			b.ResetTimer()
			cpu := proccpu.Used()
			for b.Loop() {
				for i, in := range form.adds {
					r, err := in.decode()
					if err != nil || len(r.Docs) != 1000 || r.Docs[999].Text == "" {
						b.Fatalf("add %d: %d documents, %v", i, len(r.Docs), err)
					}
					kept[i] = r
				}
			}
			b.ReportMetric(float64((proccpu.Used()-cpu).Microseconds())/1000/float64(b.N), "cpu-ms/op")
		})
	}
}
