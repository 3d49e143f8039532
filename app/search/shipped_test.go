package search

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/broadsheet/broadsheet/app/store"
)

func shipDay(n int) time.Time { return time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, n) }

// shippedFixture is a small shipped index where the bigrams of 北京大学
// are in "apart" and "split" but the phrase only in "phrase" and "title".
func shippedFixture(t *testing.T) *Index {
	t.Helper()
	ctx := context.Background()
	ix, err := OpenShipped(ctx, store.NewMemory(Tables()...))
	if err != nil {
		t.Fatal(err)
	}
	docs := []Doc{
		{ID: "phrase", Title: "校园新闻", Text: "他今年考进北京大学读书。", Date: shipDay(3)},
		{ID: "apart", Title: "旅行笔记", Text: "北京的冬天很冷，大学的课业繁重，学读书要趁早。", Date: shipDay(9)},
		{ID: "title", Title: "北京大学迎来新生", Text: "新学期开始了。", Date: shipDay(1), Source: "校报"},
		{ID: "split", Title: "北京", Text: "大学 学读", Date: shipDay(7)},
		{ID: "other", Title: "天气", Text: "今天北方降温。", Date: shipDay(5)},
	}
	if err := ix.Add(ctx, docs...); err != nil {
		t.Fatal(err)
	}
	return ix
}

// newShipped returns a shipped index in a memory store, its merges held,
// with docs added in batches of batch.
func newShipped(tb testing.TB, docs []Doc, batch int) (*Index, *store.Memory) {
	tb.Helper()
	ctx := context.Background()
	st := store.NewMemory(Tables()...)
	ix, err := OpenShipped(ctx, st)
	if err != nil {
		tb.Fatal(err)
	}
	ix.HoldMerges()
	for i := 0; i < len(docs); i += batch {
		if err := ix.Add(ctx, docs[i:min(i+batch, len(docs))]...); err != nil {
			tb.Fatal(err)
		}
	}
	return ix, st
}

// textsOf returns Texts that gives the texts of docs (UseTexts).
func textsOf(docs []Doc) Texts {
	byID := make(map[string]*Doc, len(docs))
	for i := range docs {
		byID[docs[i].ID] = &docs[i]
	}
	return func(_ context.Context, ids []string) ([]*Doc, error) {
		out := make([]*Doc, len(ids))
		for i, id := range ids {
			out[i] = byID[id]
		}
		return out, nil
	}
}

func hitIDs(r *Results) []string {
	var ids []string
	for _, h := range r.Hits {
		ids = append(ids, h.ID)
	}
	return ids
}

func TestShippedPhraseVerified(t *testing.T) {
	ix := shippedFixture(t)
	ctx := context.Background()
	for _, c := range []struct {
		q         string
		ids       []string // in order
		total     int
		estimated bool
	}{
		{q: "北京大学", ids: []string{"title", "phrase"}, total: 2},
		// equal weights (title 3, lead 2) go newest first
		{q: "北京", ids: []string{"split", "title", "apart", "phrase"}, total: 4},
		{q: "大学 -北京大学", ids: []string{"apart", "split"}, total: 2},
		{q: "北京 -北京大学", ids: []string{"split", "apart"}, total: 2},
		{q: "北京大学 source:校报", ids: []string{"title"}, total: 1},
		{q: "北京大学 after:2024-01-03", ids: []string{"phrase"}, total: 1},
		{q: "南京", total: 0},
	} {
		r, err := ix.Search(ctx, c.q, Options{})
		if err != nil {
			t.Fatalf("Search(%q): %v", c.q, err)
		}
		if got := hitIDs(r); !slices.Equal(got, c.ids) || r.Total != c.total || r.Estimated != c.estimated {
			t.Errorf("Search(%q) = %q, total %d, estimated %v; want %q, %d, %v", c.q, got, r.Total, r.Estimated, c.ids, c.total, c.estimated)
		}
	}
	r, err := ix.Search(ctx, "北京大学", Options{})
	if err != nil || len(r.Hits) == 0 {
		t.Fatal(r, err)
	}
	if h := r.Hits[0]; h.ID != "title" || len(h.TitleMatches) != 1 || h.Date != shipDay(1) || h.Source != "校报" {
		t.Errorf("first hit = %+v, want title with one title match, date %v, source 校报", h, shipDay(1))
	}
}

// TestShippedPaging: a page of one hit at a time walks the verified hits
// in order; when only one hit is read, the total is an estimate.
func TestShippedPaging(t *testing.T) {
	ix := shippedFixture(t)
	ctx := context.Background()
	var got []string
	for off := 0; off < 3; off++ {
		r, err := ix.Search(ctx, "北京大学", Options{Offset: off, Limit: 1})
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, hitIDs(r)...)
	}
	if want := []string{"title", "phrase"}; !slices.Equal(got, want) {
		t.Errorf("pages of 北京大学 = %q, want %q", got, want)
	}
}

// TestShippedEstimated: with more candidates than a page can verify, the
// total counts the unverified ones and says so.
func TestShippedEstimated(t *testing.T) {
	ctx := context.Background()
	ix, err := OpenShipped(ctx, store.NewMemory(Tables()...))
	if err != nil {
		t.Fatal(err)
	}
	var docs []Doc
	for i := range 60 {
		text := "北京大学招生。"
		if i%2 == 1 {
			text = "北京很大，大学很多。"
		}
		docs = append(docs, Doc{ID: fmt.Sprintf("d%02d", i), Title: "新闻", Text: text, Date: shipDay(i)})
	}
	if err := ix.Add(ctx, docs...); err != nil {
		t.Fatal(err)
	}
	r, err := ix.Search(ctx, "北京大学", Options{Limit: 5})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Hits) != 5 || !r.Estimated || r.Total < 30 || r.Total > 60 {
		t.Errorf("Search = %d hits, total %d, estimated %v; want 5 hits, 30 ≤ total ≤ 60, estimated", len(r.Hits), r.Total, r.Estimated)
	}
	for _, h := range r.Hits {
		var n int
		fmt.Sscanf(h.ID, "d%d", &n)
		if n%2 == 1 {
			t.Errorf("hit %s does not hold the phrase", h.ID)
		}
	}
	// newest first among equal scores: the hits are the five newest
	if got, want := hitIDs(r), []string{"d58", "d56", "d54", "d52", "d50"}; !slices.Equal(got, want) {
		t.Errorf("hits = %q, want %q", got, want)
	}
	all, err := ix.Search(ctx, "北京大学", Options{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	if len(all.Hits) != 30 || all.Total != 30 || all.Estimated {
		t.Errorf("Search(limit 100) = %d hits, total %d, estimated %v; want 30, 30, false", len(all.Hits), all.Total, all.Estimated)
	}
}

// TestShippedDateOrder: documents are numbered by date within a segment
// and again when segments merge, so a search by date lists the newest
// first without reading the doc table of every candidate.
func TestShippedDateOrder(t *testing.T) {
	ctx := context.Background()
	ix, err := OpenShipped(ctx, store.NewMemory(Tables()...))
	if err != nil {
		t.Fatal(err)
	}
	// batches added in a shuffled date order, enough of them to merge
	for b := range 6 {
		var docs []Doc
		for i := range 300 {
			n := (i*7 + b*13) % 1800
			docs = append(docs, Doc{ID: fmt.Sprintf("b%d-%03d", b, i), Title: "简讯", Text: "市场消息。", Date: shipDay(n)})
		}
		if err := ix.Add(ctx, docs...); err != nil {
			t.Fatal(err)
		}
	}
	r, err := ix.Search(ctx, "市场", Options{Sort: ByDate, Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Hits) != 50 || r.Total != 1800 {
		t.Fatalf("Search = %d hits of %d, want 50 of 1800", len(r.Hits), r.Total)
	}
	for i := 1; i < len(r.Hits); i++ {
		if r.Hits[i].Date.After(r.Hits[i-1].Date) {
			t.Fatalf("hit %d dated %v after hit %d dated %v", i, r.Hits[i].Date, i-1, r.Hits[i-1].Date)
		}
	}
	if newest := shipDay(1799); !r.Hits[0].Date.Equal(newest) {
		t.Errorf("newest hit dated %v, want %v", r.Hits[0].Date, newest)
	}
	st := ix.Stats()
	if st.Segments >= 6 {
		t.Errorf("%d segments: the batches were not merged", st.Segments)
	}
}

// TestOpenShippedRefusesIndex: a store holding an ordinary index is not
// made a shipped one.
func TestOpenShippedRefusesIndex(t *testing.T) {
	ctx := context.Background()
	st := store.NewMemory(Tables()...)
	ix, err := Open(ctx, st)
	if err != nil {
		t.Fatal(err)
	}
	if err := ix.Add(ctx, Doc{ID: "a", Title: "标题", Text: "正文"}); err != nil {
		t.Fatal(err)
	}
	if _, err := OpenShipped(ctx, st); err != ErrNotShipped {
		t.Errorf("OpenShipped over an index = %v, want ErrNotShipped", err)
	}
}

// TestShippedCorpus indexes ../shared/corpus/dev as a shipped index (in
// batches, so that segments merge, and a tenth replaced) and checks every
// frozen query: all the hits asked for are exactly the substring truth,
// and a first page holds only true hits with a total that is exact or,
// when estimated, not below the truth.
func TestShippedCorpus(t *testing.T) {
	docs := loadCorpus(t)
	queries := readQueries(t)
	ctx := context.Background()
	ix, err := OpenShipped(ctx, store.NewMemory(Tables()...))
	if err != nil {
		t.Fatal(err)
	}
	folded := indexCorpus(t, ix, docs)
	var exact, estimated, hits int
	for _, q := range queries {
		want := truth(docs, folded, q.text)
		all, err := ix.Search(ctx, q.text, Options{Limit: len(docs)})
		if err != nil {
			t.Fatal(err)
		}
		miss, extra := diff(want, hitIDs(all))
		if len(miss) > 0 || len(extra) > 0 || all.Total != len(want) || all.Estimated {
			t.Errorf("Search(%q) all: %d hits, total %d, estimated %v; want %d (missing %.3q, extra %.3q)", q.text, len(all.Hits), all.Total, all.Estimated, len(want), miss, extra)
			continue
		}
		exact++
		hits += len(want)
		page, err := ix.Search(ctx, q.text, Options{Limit: 20})
		if err != nil {
			t.Fatal(err)
		}
		_, extra = diff(want, hitIDs(page))
		if len(extra) > 0 || len(page.Hits) != min(20, len(want)) || page.Total < len(want) || !page.Estimated && page.Total != len(want) {
			t.Errorf("Search(%q) page: %d hits (false %.3q), total %d, estimated %v; want %d hits of %d", q.text, len(page.Hits), extra, page.Total, page.Estimated, min(20, len(want)), len(want))
		}
		if page.Estimated {
			estimated++
		}
	}
	st := ix.Stats()
	t.Logf("shipped: %d queries, %d exact (%d hits); first pages estimated for %d; index %d bytes / text %d bytes = %.3f, %d segments",
		len(queries), exact, hits, estimated, st.IndexBytes, st.TextBytes, float64(st.IndexBytes)/float64(st.TextBytes), st.Segments)
}

// TestCompact merges every segment into one; the documents, their order
// by date and the deletions are kept.
func TestCompact(t *testing.T) {
	ctx := context.Background()
	ix, err := OpenShipped(ctx, store.NewMemory(Tables()...))
	if err != nil {
		t.Fatal(err)
	}
	for b := range 3 {
		var docs []Doc
		for i := range 50 {
			docs = append(docs, Doc{ID: fmt.Sprintf("b%d-%02d", b, i), Title: "简讯", Text: "港口消息。", Date: shipDay(200 - b*50 - i)})
		}
		if err := ix.Add(ctx, docs...); err != nil {
			t.Fatal(err)
		}
	}
	if err := ix.Delete(ctx, "b1-00"); err != nil {
		t.Fatal(err)
	}
	if err := ix.Compact(ctx); err != nil {
		t.Fatal(err)
	}
	if st := ix.Stats(); st.Segments != 1 || st.Docs != 149 {
		t.Errorf("after Compact: %d segments, %d documents; want 1, 149", st.Segments, st.Docs)
	}
	r, err := ix.Search(ctx, "港口", Options{Sort: ByDate, Limit: 3})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := hitIDs(r), []string{"b0-00", "b0-01", "b0-02"}; r.Total != 149 || !slices.Equal(got, want) {
		t.Errorf("Search by date = %q of %d, want %q of 149", got, r.Total, want)
	}
}

// TestUseTexts: the hits' texts come from the source given, and from the
// index's table only for the IDs the source lacks.
func TestUseTexts(t *testing.T) {
	ix := shippedFixture(t)
	ctx := context.Background()
	calls := 0
	ix.UseTexts(func(_ context.Context, ids []string) ([]*Doc, error) {
		calls++
		out := make([]*Doc, len(ids))
		for i, id := range ids {
			if id == "phrase" {
				out[i] = &Doc{ID: id, Title: "文库里的标题", Text: "他今年考进北京大学读书。"}
			}
		}
		return out, nil
	})
	r, err := ix.Search(ctx, "北京大学", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := hitIDs(r); !slices.Equal(got, []string{"title", "phrase"}) || calls != 1 {
		t.Fatalf("Search = %q, %d calls of the source; want [title phrase], 1", got, calls)
	}
	if r.Hits[1].Title != "文库里的标题" || r.Hits[0].Title != "北京大学迎来新生" {
		t.Errorf("titles %q, %q: want the source's for phrase, the table's for title", r.Hits[0].Title, r.Hits[1].Title)
	}
}

// TestShippedSnippetMarks: a shipped hit's snippet has its matches marked,
// found in its text (the index has no positions).
func TestShippedSnippetMarks(t *testing.T) {
	ix := shippedFixture(t)
	r, err := ix.Search(context.Background(), "读书", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Hits) != 2 {
		t.Fatalf("Search(读书) = %d hits, want 2", len(r.Hits))
	}
	for _, h := range r.Hits {
		if len(h.SnippetMatches) != 1 {
			t.Errorf("hit %s: snippet %q marks %v, want one match", h.ID, h.Snippet, h.SnippetMatches)
			continue
		}
		if m := h.SnippetMatches[0]; h.Snippet[m[0]:m[1]] != "读书" {
			t.Errorf("hit %s: marked %q, want 读书", h.ID, h.Snippet[m[0]:m[1]])
		}
	}
}

// TestShippedPages: a shipped index is cut into small pages, an ordinary
// one into large pages, and a manifest giving an absurd page size is
// refused.
func TestShippedPages(t *testing.T) {
	ctx := context.Background()
	var docs []Doc
	for i := range 1500 {
		docs = append(docs, Doc{ID: fmt.Sprintf("d%04d", i), Title: "简讯", Text: fmt.Sprintf("第%d号港口消息，码头第%d泊位。", i, i*7), Date: shipDay(i)})
	}
	for _, c := range []struct {
		shipped bool
		max     int
	}{{true, shippedPageSize}, {false, pageSize}} {
		st := store.NewMemory(Tables()...)
		open := Open
		if c.shipped {
			open = OpenShipped
		}
		ix, err := open(ctx, st)
		if err != nil {
			t.Fatal(err)
		}
		if err := ix.Add(ctx, docs...); err != nil {
			t.Fatal(err)
		}
		largest := 0
		if err := st.Scan(ctx, tablePages, "", "", 0, func(_ string, v []byte) bool {
			largest = max(largest, len(v))
			return true
		}); err != nil {
			t.Fatal(err)
		}
		if largest > c.max || c.shipped && largest != c.max {
			t.Errorf("shipped %v: largest page %d bytes, want at most %d", c.shipped, largest, c.max)
		}
	}
	st := store.NewMemory(Tables()...)
	b := &store.Batch{}
	b.Put(tableMeta, "manifest", []byte(fmt.Sprintf(`{"version":%d,"next":1,"pageSize":3}`, formatVersion)))
	if err := st.Write(ctx, b); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(ctx, st); err == nil {
		t.Errorf("Open of a manifest with 3-byte pages succeeded, want an error")
	}
}

// TestHoldMerges: with merges held, segments accumulate until Compact.
func TestHoldMerges(t *testing.T) {
	ctx := context.Background()
	ix, err := OpenShipped(ctx, store.NewMemory(Tables()...))
	if err != nil {
		t.Fatal(err)
	}
	ix.HoldMerges()
	for b := range mergeFactor + 1 {
		if err := ix.Add(ctx, Doc{ID: fmt.Sprint(b), Title: "简讯", Text: "港口消息。", Date: shipDay(b)}); err != nil {
			t.Fatal(err)
		}
	}
	if st := ix.Stats(); st.Segments != mergeFactor+1 {
		t.Errorf("%d segments with merges held, want %d", st.Segments, mergeFactor+1)
	}
	if err := ix.Compact(ctx); err != nil {
		t.Fatal(err)
	}
	if st := ix.Stats(); st.Segments != 1 || st.Docs != mergeFactor+1 {
		t.Errorf("after Compact: %d segments, %d documents; want 1, %d", st.Segments, st.Docs, mergeFactor+1)
	}
}

// TestShippedColdReads: a cold query on a compacted shipped index reads
// the store three times: its term blocks with their lists, the doc-table
// chunks of the hits shown, and their texts. The lists are long enough
// to span pages and several term blocks, and the queries mix one
// character, bigrams, two parts, an exclusion and a word prefix.
func TestShippedColdReads(t *testing.T) {
	ctx := context.Background()
	words := strings.Fields("港口 码头 泊位 船舶 货运 航线 集装箱 吞吐量 增长 下降 天气 台风 暴雨 预警 交通 地铁 公交 线路 开通 市民 出行 政府 会议 发布 通知 港")
	var docs []Doc
	for i := range 3000 {
		var text strings.Builder
		text.WriteString([]string{"harbor ", "harvest ", "metro ", "typhoon "}[i%4])
		for j := range 40 {
			text.WriteString(words[(i*7+j*j*13+j*i)%len(words)])
			if j%6 == 5 {
				text.WriteString("，")
			}
		}
		if i%5 == 0 {
			text.WriteString("台风暴雨")
		}
		docs = append(docs, Doc{ID: fmt.Sprintf("d%04d", i), Title: words[i%len(words)] + "讯", Text: text.String() + "。", Date: shipDay(i % 900)})
	}
	ix, st := newShipped(t, docs, 500)
	if err := ix.Compact(ctx); err != nil {
		t.Fatal(err)
	}
	texts := textsOf(docs)
	for _, q := range []string{"港", "码头", "台风暴雨", "公交 地铁", "政府 -会议", "harv", "typhoon 预警"} {
		// texts from the index's table, and from elsewhere (a hosted
		// archive's articles, which the store does not count)
		for _, elsewhere := range []bool{false, true} {
			rc := &readCounter{Store: st}
			cold, err := OpenShipped(ctx, rc)
			if err != nil {
				t.Fatal(err)
			}
			want, what := 3, "term blocks with lists (and their parents'), doc table, texts"
			if elsewhere {
				cold.UseTexts(texts)
				want, what = 2, "term blocks with lists (and their parents'), doc table"
			}
			before := rc.reads
			r, err := cold.Search(ctx, q, Options{})
			if err != nil {
				t.Fatalf("Search(%q) = %v", q, err)
			}
			if len(r.Hits) == 0 {
				t.Errorf("Search(%q) found nothing; the fixture should match it", q)
			}
			if n := rc.reads - before; n != want {
				t.Errorf("cold Search(%q), texts elsewhere %v, read the store %d times, want %d (%s)", q, elsewhere, n, want, what)
			}
		}
	}
}

// TestNextK: ranking again keeps at least twice the candidates, up to
// four times when few of those checked were true.
func TestNextK(t *testing.T) {
	for _, c := range []struct{ k, checked, dropped, want, min, max int }{
		{29, 29, 5, 20, 58, 58},    // most true: twice
		{29, 29, 17, 20, 58, 116},  // 12 of 29 true: what fills the page, with room
		{29, 29, 28, 20, 116, 116}, // 1 of 29: four times
		{29, 29, 29, 20, 116, 116}, // none: four times
	} {
		r := &ranker{k: c.k, checked: c.checked, dropped: c.dropped}
		if got := r.nextK(c.want); got < c.min || got > c.max {
			t.Errorf("nextK after %d of %d checked were false (k %d, want %d) = %d, want %d to %d", c.dropped, c.checked, c.k, c.want, got, c.min, c.max)
		}
	}
}
