package archive

import (
	"context"
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/broadsheet/broadsheet/app/search"
)

// TestSpool checks that documents come out of a spool as they went in,
// in order, while they are still being put, and that the reader ends once
// the spool is closed and read.
func TestSpool(t *testing.T) {
	dir := t.TempDir()
	q, err := newSpool(dir)
	if err != nil {
		t.Fatal(err)
	}
	var want [][]search.Doc
	for i := range 50 {
		var batch []search.Doc
		for j := range i % 7 {
			batch = append(batch, spoolDoc(i*10+j))
		}
		want = append(want, batch)
	}
	got := make(chan [][]search.Doc, 1)
	go func() {
		var out [][]search.Doc
		err := q.each(context.Background(), func(ds []search.Doc) error {
			out = append(out, ds)
			return nil
		})
		if err != nil {
			t.Errorf("each = %v", err)
		}
		got <- out
	}()
	var sent [][]search.Doc
	for _, batch := range want {
		if len(batch) == 0 {
			continue // importChunk queues no empty batch; put would take one
		}
		if err := q.put(batch); err != nil {
			t.Fatalf("put = %v", err)
		}
		sent = append(sent, batch)
	}
	q.close()
	out := <-got
	if len(out) != len(sent) {
		t.Fatalf("each read %d batches, want %d", len(out), len(sent))
	}
	for i := range sent {
		for j := range sent[i] {
			if g, w := out[i][j], sent[i][j]; !reflect.DeepEqual(docFields(g), docFields(w)) || g.Date.Unix() != w.Date.Unix() || g.Date.IsZero() != w.Date.IsZero() {
				t.Errorf("batch %d doc %d = %+v, want %+v", i, j, g, w)
			}
		}
	}
	if err := q.remove(); err != nil {
		t.Errorf("remove = %v", err)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Errorf("after remove the directory holds %d files, want 0", len(ents))
	}
}

// TestSpoolCancel checks that a reader waiting for more stops with its
// context.
func TestSpoolCancel(t *testing.T) {
	q, err := newSpool(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer q.remove()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- q.each(ctx, func([]search.Doc) error { return nil }) }()
	cancel()
	select {
	case err := <-done:
		if err != context.Canceled {
			t.Errorf("each after cancel = %v, want context.Canceled", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("each did not return after its context was cancelled")
	}
}

// TestDecodeDocsCorrupt checks that a damaged frame is an error, not a
// panic.
func TestDecodeDocsCorrupt(t *testing.T) {
	frame := appendDoc([]byte{1}, spoolDoc(3))
	for n := range len(frame) {
		if _, err := decodeDocs(frame[:n]); err == nil {
			t.Errorf("decodeDocs(frame[:%d]) = nil error, want one", n)
		}
	}
	if _, err := decodeDocs(append(frame, 0)); err == nil {
		t.Error("decodeDocs(frame + a byte) = nil error, want one")
	}
}

func spoolDoc(i int) search.Doc {
	d := search.Doc{
		ID:    fmt.Sprintf("news.example.cn/%06d", i),
		Title: fmt.Sprintf("第%d号：渡轮恢复夜间班次", i),
		Text:  strings.Repeat("江城公交集团宣布增加夜间线路。\n", i%5),
	}
	if i%3 != 0 {
		d.Source, d.Authors = "news.example.cn", []string{"林晓", "Tom Hale"}[:i%3]
		d.Date = time.Date(2024, 3, i%28+1, 8, 0, 0, 0, time.FixedZone("", 8*3600))
	}
	return d
}

// docFields is a document without its date (compared by instant).
func docFields(d search.Doc) search.Doc {
	d.Date = time.Time{}
	return d
}
