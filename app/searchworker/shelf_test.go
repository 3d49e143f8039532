package main

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/broadsheet/broadsheet/app/search"
	"github.com/broadsheet/broadsheet/app/searchworker/message"
	"github.com/broadsheet/broadsheet/app/store"
)

// TestShelf: opened with message.TextsTable, the worker writes the texts
// of the documents added to message.DocsTable and none to the index's
// text table, and shows its hits with the shelf's texts; stage "library"
// times the shelf's writes; an unknown Texts fails the open.
func TestShelf(t *testing.T) {
	ctx := context.Background()
	mem := store.NewMemory(append(search.Tables(), message.DocsTable)...)
	w := &worker{open: func(context.Context, string, []string) (store.Store, error) { return mem, nil }}
	if r := one(t, w.handle(ctx, request{ID: 1, Op: "open", Texts: "elsewhere"})); r.Err == "" {
		t.Errorf("open with texts \"elsewhere\" = %+v, want an error", r)
	}
	one(t, w.handle(ctx, request{ID: 2, Op: "open", Texts: message.TextsTable}))
	docs := []search.Doc{
		{ID: "a", Title: "江城试行夜间公交", Text: "末班车延后两小时。"},
		{ID: "b", Title: "湖区雨季", Text: "末班车因暴雨停运。"},
	}
	w.handle(ctx, request{ID: 3, Op: "add", Docs: docs})
	st := one(t, w.handle(ctx, request{ID: 4, Op: "stats"})[1:])
	if _, ok := st.Stages["library"]; !ok {
		t.Errorf("stats stages %v: no \"library\"", st.Stages)
	}
	for _, d := range docs {
		if rec, err := mem.Get(ctx, search.TextTable, d.ID); err == nil {
			t.Errorf("index text record of %s = %q, want none", d.ID, rec)
		}
	}
	got, err := (&shelf{s: mem}).texts(ctx, []string{"a", "b"})
	if err != nil || len(got) != 2 || got[0] == nil || got[1] == nil || !reflect.DeepEqual(*got[0], docs[0]) || !reflect.DeepEqual(*got[1], docs[1]) {
		t.Errorf("the shelf's texts of a and b = %v, %v; want the documents added", got, err)
	}
	r := one(t, w.handle(ctx, request{ID: 5, Op: "search", Q: "末班车"}))
	if r.Err != "" || r.Results == nil || len(r.Results.Hits) != 2 {
		t.Fatalf("search = %+v, want a and b", r)
	}
	for _, h := range r.Results.Hits {
		if !strings.Contains(h.Snippet, "末班车") || h.Title == "" {
			t.Errorf("hit %s: title %q, snippet %q; want the shelf's", h.ID, h.Title, h.Snippet)
		}
	}
}

// failingTable is a store whose writes to one table fail while fail is
// set.
type failingTable struct {
	store.Store
	table string
	fail  *bool
}

var errWriteFailed = errors.New("write refused")

func (f failingTable) Write(ctx context.Context, b *store.Batch) error {
	for _, op := range b.Ops {
		if *f.fail && op.Table == f.table {
			return errWriteFailed
		}
	}
	return f.Store.Write(ctx, b)
}

// TestShelfWriteFails: when the shelf cannot write the texts of a
// flush, which it writes while their segment is built, the segment is
// not written either: the adds are answered with the shelf's error, the
// index holds none of their documents, and the next flush, its texts
// written, indexes its own.
func TestShelfWriteFails(t *testing.T) {
	ctx := context.Background()
	mem := store.NewMemory(append(search.Tables(), message.DocsTable)...)
	fail := true
	s := failingTable{mem, message.DocsTable, &fail}
	w := &worker{open: func(context.Context, string, []string) (store.Store, error) { return s, nil }}
	one(t, w.handle(ctx, request{ID: 1, Op: "open", Texts: message.TextsTable}))
	if reps := w.handle(ctx, request{ID: 2, Op: "add", Docs: []search.Doc{{ID: "a", Title: "夜间公交", Text: "末班车延后。"}}}); len(reps) != 0 {
		t.Fatalf("a small add was answered at once: %+v", reps)
	}
	reps := w.handle(ctx, request{ID: 3, Op: "stats"}) // flushes the add
	if len(reps) != 2 || reps[0].ID != 2 || !strings.Contains(reps[0].Err, errWriteFailed.Error()) {
		t.Fatalf("replies to a flush whose texts failed = %+v, want add 2 answered with %q", reps, errWriteFailed)
	}
	if st := w.ix.Stats(); st.Docs != 0 {
		t.Errorf("index after a failed shelf write: %d documents, want 0", st.Docs)
	}
	fail = false
	w.handle(ctx, request{ID: 4, Op: "add", Docs: []search.Doc{{ID: "b", Title: "湖区雨季", Text: "末班车停运。"}}})
	if reps := w.handle(ctx, request{ID: 5, Op: "stats"}); len(reps) != 2 || reps[0].Err != "" {
		t.Fatalf("replies to the next flush = %+v, want add 4 answered without error", reps)
	}
	r := one(t, w.handle(ctx, request{ID: 6, Op: "search", Q: "末班车"}))
	if r.Results == nil || r.Results.Total != 1 || r.Results.Hits[0].ID != "b" {
		t.Errorf("search after the failed flush = %+v, want b alone", r.Results)
	}
}

// shelfDocs returns n documents of the shelf tests: texts of every size
// up to past a page, empty titles and texts, IDs that look like the
// shelf's own keys.
func shelfDocs(n int, version string) []search.Doc {
	docs := make([]search.Doc, n)
	for i := range docs {
		id := fmt.Sprintf("doc-%03d", i)
		switch i % 50 {
		case 7:
			id = "d/" + id
		case 8:
			id = "p/" + id + "/000000"
		case 9:
			id = "文章/" + id
		}
		text := strings.Repeat("夜间公交末班车延后。", (i*37)%60) + version
		if i%41 == 0 {
			text = strings.Repeat("湖区雨季", pageBytes/4) + version // more than a page
		}
		title := "标题" + id
		if i%13 == 0 {
			title = ""
		}
		if i%17 == 0 {
			text = ""
		}
		docs[i] = search.Doc{ID: id, Title: title, Text: text}
	}
	return docs
}

// TestShelfPages: the shelf keeps its texts several to a record and
// gives each document back as last put, through the shelf that put
// them (which had read the directories before the last batch) and
// through a new one (which reads them then); an ID it never held has
// nil.
func TestShelfPages(t *testing.T) {
	ctx := context.Background()
	mem := store.NewMemory(message.DocsTable)
	sh := &shelf{s: mem}
	docs := shelfDocs(300, "")
	for i := 0; i < len(docs); i += 100 {
		if err := sh.put(ctx, docs[i:i+100]); err != nil {
			t.Fatal(err)
		}
	}
	ids := []string{"none"}
	for _, d := range docs {
		ids = append(ids, d.ID)
	}
	if _, err := sh.texts(ctx, ids[:2]); err != nil { // reads the directories
		t.Fatal(err)
	}
	again := shelfDocs(60, " again") // docs 0-59 put again, in another batch
	if err := sh.put(ctx, again); err != nil {
		t.Fatal(err)
	}
	want := append(append([]search.Doc{}, again...), docs[60:]...)
	for name, s := range map[string]*shelf{"the same shelf": sh, "a new shelf": {s: mem}} {
		got, err := s.texts(ctx, ids)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if got[0] != nil {
			t.Errorf("%s: texts of an ID never put = %+v, want nil", name, got[0])
		}
		for i, d := range want {
			if g := got[i+1]; g == nil || !reflect.DeepEqual(*g, d) {
				t.Errorf("%s: texts of %s = %+v, want %+v", name, d.ID, g, d)
			}
		}
	}
	n, err := mem.Count(ctx, message.DocsTable)
	if err != nil || n > len(docs)/3 {
		t.Errorf("the shelf holds %d records for %d documents (%v), want a third or fewer", n, len(docs)+len(again), err)
	}
}

// TestShelfCorrupt: a directory or a page that does not decode fails
// the texts with errShelf, not a panic nor a wrong text.
func TestShelfCorrupt(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name   string
		damage func(key string, v []byte) []byte
	}{
		{"directory cut", func(key string, v []byte) []byte {
			if strings.HasPrefix(key, dirPrefix) {
				return v[:len(v)-3]
			}
			return v
		}},
		{"directory count too large", func(key string, v []byte) []byte {
			if strings.HasPrefix(key, dirPrefix) {
				return append([]byte{0xff, 0xff, 0x03}, v[1:]...)
			}
			return v
		}},
		{"page cut", func(key string, v []byte) []byte {
			if strings.HasPrefix(key, pagePrefix) {
				return v[:len(v)/2]
			}
			return v
		}},
	} {
		mem := store.NewMemory(message.DocsTable)
		docs := shelfDocs(40, "")
		if err := (&shelf{s: mem}).put(ctx, docs); err != nil {
			t.Fatal(err)
		}
		var b store.Batch
		if err := mem.Scan(ctx, message.DocsTable, "", "", 0, func(key string, v []byte) bool {
			b.Put(message.DocsTable, key, tc.damage(key, append([]byte(nil), v...)))
			return true
		}); err != nil {
			t.Fatal(err)
		}
		if err := mem.Write(ctx, &b); err != nil {
			t.Fatal(err)
		}
		ids := make([]string, len(docs))
		for i, d := range docs {
			ids[i] = d.ID
		}
		if got, err := (&shelf{s: mem}).texts(ctx, ids); !errors.Is(err, errShelf) {
			t.Errorf("%s: texts = %d documents, %v; want %v", tc.name, len(got), err, errShelf)
		}
	}
}

// TestShelfOtherTab: a shelf that read its directories finds a document
// another tab's shelf put since (not taken for gone, which would have it
// deleted from the index), and, told the other tab wrote (forget), that
// tab's newer text of one it held, even when the other tab's clock is
// behind the first batch's stamp.
func TestShelfOtherTab(t *testing.T) {
	ctx := context.Background()
	mem := store.NewMemory(message.DocsTable)
	// mine's clock an hour ahead: as the same tick of a browser's coarse
	// clock, or a clock set back in the other tab
	mine, other := &shelf{s: mem, last: time.Now().Add(time.Hour).UnixMicro()}, &shelf{s: mem}
	docs := shelfDocs(20, "")
	if err := mine.put(ctx, docs); err != nil {
		t.Fatal(err)
	}
	if got, err := mine.texts(ctx, []string{docs[3].ID}); err != nil || got[0] == nil {
		t.Fatalf("texts = %v, %v", got, err)
	}
	changed := search.Doc{ID: docs[3].ID, Title: "改过的标题", Text: "改过的正文"}
	if err := other.put(ctx, []search.Doc{changed}); err != nil {
		t.Fatal(err)
	}
	mine.forget()
	got, err := mine.texts(ctx, []string{changed.ID})
	if err != nil || got[0] == nil || !reflect.DeepEqual(*got[0], changed) {
		t.Errorf("texts of a document another tab put again = %+v, %v; want %+v", got, err, changed)
	}
	later := search.Doc{ID: "later", Title: "新标题", Text: "新正文"}
	if err := other.put(ctx, []search.Doc{later}); err != nil {
		t.Fatal(err)
	}
	got, err = mine.texts(ctx, []string{later.ID})
	if err != nil || got[0] == nil || !reflect.DeepEqual(*got[0], later) {
		t.Errorf("texts of a document another tab put = %+v, %v; want %+v", got, err, later)
	}
}

// fingerprintTwins returns two IDs of the same fingerprint.
func fingerprintTwins(t *testing.T) (string, string) {
	seen := map[uint32]string{}
	for i := range 1 << 22 {
		id := fmt.Sprintf("twin-%d", i)
		if other, ok := seen[fingerprint(id)]; ok {
			return other, id
		}
		seen[fingerprint(id)] = id
	}
	t.Fatal("no two IDs of the same fingerprint")
	return "", ""
}

// TestShelfFingerprintTwins: two IDs of the same fingerprint, put in
// one batch or in two, are each read with its own text, the older one
// behind a newer page of its twin's.
func TestShelfFingerprintTwins(t *testing.T) {
	ctx := context.Background()
	x, y := fingerprintTwins(t)
	dx := search.Doc{ID: x, Title: "甲", Text: strings.Repeat("甲文", pageBytes/4)}
	dy := search.Doc{ID: y, Title: "乙", Text: strings.Repeat("乙文", pageBytes/4)}
	for name, batches := range map[string][][]search.Doc{
		"one batch":   {{dy, dx}},
		"x then y":    {{dx}, {dy}},
		"y then x":    {{dy}, {dx}},
		"with others": {shelfDocs(30, ""), {dx}, shelfDocs(10, " again"), {dy}},
	} {
		mem := store.NewMemory(message.DocsTable)
		for _, docs := range batches {
			if err := (&shelf{s: mem}).put(ctx, docs); err != nil {
				t.Fatal(err)
			}
		}
		got, err := (&shelf{s: mem}).texts(ctx, []string{x, y, "none"})
		if err != nil || got[0] == nil || got[1] == nil || got[2] != nil ||
			!reflect.DeepEqual(*got[0], dx) || !reflect.DeepEqual(*got[1], dy) {
			t.Errorf("%s: texts of twins %q, %q = %+v, %v", name, x, y, got, err)
		}
	}
}

// TestShelfStampsIncrease: a batch put after the directories were read
// sorts after the newest of them, even when that one's stamp is ahead
// of the clock (a clock set back since), so it is the one read.
func TestShelfStampsIncrease(t *testing.T) {
	ctx := context.Background()
	mem := store.NewMemory(message.DocsTable)
	first := &shelf{s: mem, last: time.Now().Add(time.Hour).UnixMicro()} // a clock an hour ahead
	if err := first.put(ctx, []search.Doc{{ID: "a", Text: "旧"}}); err != nil {
		t.Fatal(err)
	}
	later := &shelf{s: mem}
	if _, err := later.texts(ctx, []string{"a"}); err != nil { // reads the directories
		t.Fatal(err)
	}
	if err := later.put(ctx, []search.Doc{{ID: "a", Text: "新"}}); err != nil {
		t.Fatal(err)
	}
	got, err := (&shelf{s: mem}).texts(ctx, []string{"a"})
	if err != nil || got[0] == nil || got[0].Text != "新" {
		t.Errorf("texts of a, put again after a batch stamped ahead of the clock = %+v, %v; want the new text", got, err)
	}
}

// TestFingerprintIsFNV1a: the shelf's fingerprint, written in its
// directories, is FNV-1a as hash/fnv computes it (written out to hash an
// ID without an allocation): directories stay readable whatever changes.
func TestFingerprintIsFNV1a(t *testing.T) {
	for _, id := range append([]string{"", "a", "doc-001", "文章/二〇二五"}, fmt.Sprint(t.Name())) {
		h := fnv.New32a()
		h.Write([]byte(id))
		if got, want := fingerprint(id), h.Sum32(); got != want {
			t.Errorf("fingerprint(%q) = %#x, want FNV-1a %#x", id, got, want)
		}
	}
}
