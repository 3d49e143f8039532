package archive

import (
	"context"
	"fmt"
	"os"
	"reflect"
	"testing"
	"time"

	"github.com/broadsheet/broadsheet/app/library"
	"github.com/broadsheet/broadsheet/app/search"
	"github.com/broadsheet/broadsheet/parser"
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
	var want [][]*parser.Article
	for i := range 50 {
		var batch []*parser.Article
		for j := range i % 7 {
			batch = append(batch, spoolArticle(i*10+j))
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
	var sent [][]*parser.Article
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
			g, w := out[i][j], library.SearchDoc(sent[i][j])
			if !reflect.DeepEqual(docFields(g), docFields(w)) || g.Date.Unix() != w.Date.Unix() || g.Date.IsZero() != w.Date.IsZero() {
				t.Errorf("batch %d doc %d = %+v, want %+v", i, j, g, w)
			}
		}
	}
	all, _ := q.batches()
	k := 0
	for _, batch := range sent {
		for _, a := range batch {
			w := library.SearchDoc(a)
			if g := all[k]; g.ID != w.ID || g.Size != len(w.Title)+len(w.Text) || !g.Date.Equal(w.Date) || g.Size != docText(a) {
				t.Errorf("queued %d = %+v, want ID %q, size %d, date %v", k, g, w.ID, len(w.Title)+len(w.Text), w.Date)
			}
			k++
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
	frame, _ := appendArticleDoc([]byte{1}, spoolArticle(3))
	for n := range len(frame) {
		if _, err := decodeDocs(frame[:n]); err == nil {
			t.Errorf("decodeDocs(frame[:%d]) = nil error, want one", n)
		}
	}
	if _, err := decodeDocs(append(frame, 0)); err == nil {
		t.Error("decodeDocs(frame + a byte) = nil error, want one")
	}
}

// spoolArticle is an article of i paragraphs, less or more, with a
// quote, a list and a figure on the way.
func spoolArticle(i int) *parser.Article {
	a := &parser.Article{
		ID:    fmt.Sprintf("news.example.cn/%06d", i),
		Title: fmt.Sprintf("第%d号：渡轮恢复夜间班次", i),
	}
	for j := range i % 5 {
		a.Body = append(a.Body, parser.Block{Type: parser.BlockParagraph, Text: fmt.Sprintf("江城公交集团宣布增加第%d条夜间线路。", j)})
	}
	switch i % 4 {
	case 1:
		a.Body = append(a.Body, parser.Block{Type: parser.BlockQuote, Text: "引文", Blocks: []parser.Block{{Type: parser.BlockParagraph, Text: "渡轮每晚十点停航。"}, {Type: parser.BlockHeading, Text: "小标题"}}})
	case 2:
		a.Body = append(a.Body, parser.Block{Type: parser.BlockList, Text: "一 二", Items: []parser.Item{{Text: "一"}, {Text: ""}, {Text: "二"}}})
	case 3:
		a.Body = append(a.Body, parser.Block{Type: parser.BlockFigure, Src: "https://img.example.cn/1.jpg", Caption: "夜色中的码头"}, parser.Block{Type: parser.BlockFigure, Src: "https://img.example.cn/2.jpg"})
	}
	if i%3 != 0 {
		a.Source, a.Authors = "news.example.cn", []string{"林晓", "Tom Hale"}[:i%3]
		a.Published = fmt.Sprintf("2024-03-%02dT08:00:00", i%28+1)
	}
	if i%6 == 1 {
		a.Published, a.SavedAt = "", time.Date(2024, 4, 1, 8, 0, 0, 0, time.UTC)
	}
	return a
}

// docFields is a document without its date (compared by instant).
func docFields(d search.Doc) search.Doc {
	d.Date = time.Time{}
	return d
}
