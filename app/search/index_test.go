package search

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/broadsheet/broadsheet/app/store"
)

// countingStore counts the reads and writes that reach a store.
type countingStore struct {
	store.Store
	gets, scans, writes int
}

func (c *countingStore) Get(ctx context.Context, table, key string) ([]byte, error) {
	c.gets++
	return c.Store.Get(ctx, table, key)
}

func (c *countingStore) Scan(ctx context.Context, table, start, end string, limit int, fn func(string, []byte) bool) error {
	c.scans++
	return c.Store.Scan(ctx, table, start, end, limit, fn)
}

func (c *countingStore) Write(ctx context.Context, b *store.Batch) error {
	c.writes++
	return c.Store.Write(ctx, b)
}

func day(n int) time.Time { return time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, n) }

// fixtures are the project's own text.
var fixtures = []Doc{
	{ID: "a", Title: "习近平会见外国领导人", Text: "国家主席习近平在北京会见来访的外国领导人。双方就经贸合作交换了意见。", Source: "新华社", Authors: []string{"王小明"}, Date: day(10)},
	{ID: "b", Title: "台湾地区选举结果揭晓", Text: "選舉結果於週六晚間公布。習近平未就此發表評論。", Source: "中央社", Authors: []string{"陈美玲"}, Date: day(20)},
	{ID: "c", Title: "G20峰会在南非开幕", Text: "二十国集团领导人峰会周六开幕。\n与会者讨论了气候变化与债务问题。", Source: "BBC中文", Authors: []string{"John Smith", "李华"}, Date: day(30)},
	{ID: "d", Title: "Apple发布新款iPhone", Text: "苹果公司2025年9月发布了iPhone 17。分析人士认为销量将创新高。", Source: "路透社", Date: day(40)},
	{ID: "e", Title: "气候变化报告", Text: "报告指出，全球气温持续上升。气候变化影响深远。", Source: "BBC中文", Date: day(5)},
}

func openMemory(t *testing.T) (*Index, *countingStore) {
	t.Helper()
	cs := &countingStore{Store: store.NewMemory(Tables()...)}
	ix, err := Open(context.Background(), cs)
	if err != nil {
		t.Fatal(err)
	}
	return ix, cs
}

// ids runs q and returns the hit IDs in order.
func ids(t *testing.T, ix *Index, q string, opt Options) []string {
	t.Helper()
	res, err := ix.Search(context.Background(), q, opt)
	if err != nil {
		t.Fatalf("Search(%q): %v", q, err)
	}
	var out []string
	for _, h := range res.Hits {
		out = append(out, h.ID)
	}
	if res.Total < len(out) {
		t.Errorf("Search(%q).Total = %d < %d hits", q, res.Total, len(out))
	}
	return out
}

func sorted(s []string) []string { return slices.Sorted(slices.Values(s)) }

func TestSearchFixtures(t *testing.T) {
	ix, _ := openMemory(t)
	if err := ix.Add(context.Background(), fixtures...); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		q    string
		want []string
	}{
		{"习近平", []string{"a", "b"}},
		{"習近平", []string{"a", "b"}},
		{"近", []string{"a", "b"}},
		{"气候变化", []string{"c", "e"}},
		{"气候 债务", []string{"c"}},
		{"气候变化 -债务", []string{"e"}},
		{"g20", []string{"c"}},
		{"Ｇ２０峰会", []string{"c"}},
		{"iphon", []string{"d"}},
		{"iphon ", nil},
		{"2025年", []string{"d"}},
		{"9月", []string{"d"}},
		{"17。", []string{"d"}},
		{"source:bbc", []string{"c", "e"}},
		{"author:smith 峰会", []string{"c"}},
		{"after:2025-01-15 before:2025-02-05", []string{"b", "c"}},
		{"北京会见外国", nil}, // not a substring
		{"会见", []string{"a"}},
		{"xyz", nil},
		{`"领导人峰会"`, []string{"c"}},
		{"峰会周", []string{"c"}},
		{"开幕。", []string{"c"}},
	}
	for _, tt := range tests {
		if got := sorted(ids(t, ix, tt.q, Options{})); !slices.Equal(got, tt.want) {
			t.Errorf("Search(%q) = %q, want %q", tt.q, got, tt.want)
		}
	}
}

func TestRanking(t *testing.T) {
	ix, _ := openMemory(t)
	body := strings.Repeat("今天天气不错，大家出门散步。", 20)
	docs := []Doc{
		{ID: "body-once", Title: "一般新闻", Text: body + "央行宣布降息。", Date: day(1)},
		{ID: "title", Title: "央行宣布降息", Text: body, Date: day(1)},
		{ID: "body-thrice", Title: "一般新闻", Text: body + "央行宣布降息。央行宣布降息。央行宣布降息。", Date: day(1)},
		{ID: "lead", Title: "一般新闻", Text: "央行宣布降息。\n" + body, Date: day(1)},
		{ID: "newer", Title: "一般新闻", Text: body + "央行宣布降息。", Date: day(300)},
	}
	if err := ix.Add(context.Background(), docs...); err != nil {
		t.Fatal(err)
	}
	got := ids(t, ix, "央行降息 ", Options{})
	if len(got) != 0 {
		t.Errorf("Search(%q) = %q, want nothing (not a substring)", "央行降息", got)
	}
	got = ids(t, ix, "降息", Options{})
	want := []string{"title", "body-thrice", "lead", "newer", "body-once"}
	if !slices.Equal(got, want) {
		t.Errorf("Search(降息) = %q, want %q", got, want)
	}
	got = ids(t, ix, "降息", Options{Sort: ByDate})
	if got[0] != "newer" {
		t.Errorf("Search(降息, ByDate)[0] = %q, want newer", got[0])
	}
	got = ids(t, ix, "降息", Options{Offset: 1, Limit: 2})
	if !slices.Equal(got, want[1:3]) {
		t.Errorf("Search(降息, page 2 of 2) = %q, want %q", got, want[1:3])
	}
	// proximity: both parts close together beat the same parts far apart
	ix2, _ := openMemory(t)
	ix2.Add(context.Background(),
		Doc{ID: "far", Title: "x", Text: "石油价格" + body + "出口限制", Date: day(1)},
		Doc{ID: "near", Title: "x", Text: "石油价格与出口限制" + body, Date: day(1)},
	)
	if got := ids(t, ix2, "石油 出口", Options{}); !slices.Equal(got, []string{"near", "far"}) {
		t.Errorf("Search(石油 出口) = %q, want near first", got)
	}
}

func TestDeleteAndUpdate(t *testing.T) {
	ctx := context.Background()
	ix, _ := openMemory(t)
	if err := ix.Add(ctx, fixtures...); err != nil {
		t.Fatal(err)
	}
	if err := ix.Delete(ctx, "a", "nope"); err != nil {
		t.Fatal(err)
	}
	if got := ids(t, ix, "习近平", Options{}); !slices.Equal(got, []string{"b"}) {
		t.Errorf("after Delete(a): Search(习近平) = %q, want [b]", got)
	}
	// update b: the old text must no longer match, the new one must
	if err := ix.Add(ctx, Doc{ID: "b", Title: "台湾地区选举结果揭晓", Text: "更正：结果于周日公布。"}); err != nil {
		t.Fatal(err)
	}
	if got := ids(t, ix, "习近平", Options{}); len(got) != 0 {
		t.Errorf("after update of b: Search(习近平) = %q, want nothing", got)
	}
	if got := ids(t, ix, "更正", Options{}); !slices.Equal(got, []string{"b"}) {
		t.Errorf("after update of b: Search(更正) = %q, want [b]", got)
	}
	// the same ID twice in one call: the last wins
	ix.Add(ctx, Doc{ID: "x", Title: "第一版"}, Doc{ID: "x", Title: "第二版"})
	if got := ids(t, ix, "版", Options{}); !slices.Equal(got, []string{"x"}) {
		t.Errorf("Search(版) = %q, want [x]", got)
	}
	if got := ids(t, ix, "第一版", Options{}); len(got) != 0 {
		t.Errorf("Search(第一版) = %q, want nothing", got)
	}
	st := ix.Stats()
	if st.Docs != 5 || st.Deleted != 2 {
		t.Errorf("Stats = %d docs, %d deleted; want 5, 2", st.Docs, st.Deleted)
	}
}

// TestReopen checks that a reopened index answers at once: Open reads the
// manifest only, and the first query reads a bounded number of records,
// the same for a small and a ten times larger library, and writes nothing.
func TestReopen(t *testing.T) {
	ctx := context.Background()
	reads := map[int]int{}
	for _, n := range []int{50, 500} {
		mem := store.NewMemory(Tables()...)
		ix, err := Open(ctx, mem)
		if err != nil {
			t.Fatal(err)
		}
		var docs []Doc
		for i := range n {
			docs = append(docs, Doc{ID: fmt.Sprint(i), Title: fmt.Sprintf("第%d号公告", i), Text: strings.Repeat("市场保持稳定。", 50), Date: day(i)})
		}
		docs[7].Text += "罕见的台风登陆。"
		if err := ix.Add(ctx, docs...); err != nil {
			t.Fatal(err)
		}
		cs := &countingStore{Store: mem}
		ix2, err := Open(ctx, cs)
		if err != nil {
			t.Fatal(err)
		}
		if cs.gets != 1 || cs.scans != 0 {
			t.Errorf("n=%d: Open made %d gets and %d scans, want 1 get", n, cs.gets, cs.scans)
		}
		if got := ids(t, ix2, "台风", Options{}); !slices.Equal(got, []string{"7"}) {
			t.Errorf("n=%d: after reopen Search(台风) = %q, want [7]", n, got)
		}
		if cs.writes != 0 || cs.scans != 0 {
			t.Errorf("n=%d: the first query wrote %d times, scanned %d times", n, cs.writes, cs.scans)
		}
		reads[n] = cs.gets
	}
	if reads[500] > reads[50]+2 || reads[500] > 12 {
		t.Errorf("store reads for the first query: %d at 50 documents, %d at 500; want about the same", reads[50], reads[500])
	}
}

func TestMerge(t *testing.T) {
	ctx := context.Background()
	ix, _ := openMemory(t)
	for i := range 40 {
		d := Doc{ID: fmt.Sprint(i), Title: fmt.Sprintf("公告%d", i), Text: "内容" + strings.Repeat("甲乙", i+1), Date: day(i)}
		if err := ix.Add(ctx, d); err != nil {
			t.Fatal(err)
		}
		if i%3 == 0 {
			ix.Delete(ctx, fmt.Sprint(i))
		}
	}
	st := ix.Stats()
	if st.Segments >= 40/mergeFactor+mergeFactor {
		t.Errorf("%d segments after 40 single adds, want merges", st.Segments)
	}
	if st.Docs != 26 {
		t.Errorf("Stats.Docs = %d, want 26", st.Docs)
	}
	res, err := ix.Search(ctx, "内容", Options{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	if res.Total != 26 {
		t.Errorf("Search(内容).Total = %d, want 26", res.Total)
	}
	for _, h := range res.Hits {
		var i int
		fmt.Sscan(h.ID, &i)
		if i%3 == 0 {
			t.Errorf("deleted document %s found", h.ID)
		}
	}
	// a reopened index sees the merged state
	ix2, err := Open(ctx, ix.st)
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(t, ix2, "甲乙甲乙甲乙甲乙甲乙甲乙甲乙甲乙甲乙甲乙甲乙甲乙甲乙甲乙甲乙甲乙甲乙甲乙甲乙甲乙甲乙甲乙甲乙甲乙甲乙甲乙甲乙甲乙甲乙甲乙甲乙甲乙甲乙甲乙甲乙甲乙甲乙甲乙甲乙", Options{}); !slices.Equal(got, []string{"38"}) {
		t.Errorf("after reopen: long query = %q, want [38]", got)
	}
}

func TestSnippetAndHighlight(t *testing.T) {
	text := strings.Repeat("无关的句子。", 30) + "中央银行周三宣布下调利率。" + strings.Repeat("其他内容。", 30)
	q := ParseQuery("下调利率")
	snip, spans := snippet(text, &q)
	if len([]rune(snip)) > snippetLen+2 {
		t.Errorf("snippet has %d characters, want ≤ %d", len([]rune(snip)), snippetLen+2)
	}
	if !strings.HasPrefix(snip, "…中央银行") {
		t.Errorf("snippet = %q, want it to start at the sentence", snip)
	}
	if len(spans) != 1 || snip[spans[0][0]:spans[0][1]] != "下调利率" {
		t.Errorf("snippet spans %v of %q, want [下调利率]", spans, snip)
	}
	hl := Highlight("習近平與习近平", "习近平")
	want := [][2]int{{0, 9}, {12, 21}}
	if !slices.Equal(hl, want) {
		t.Errorf("Highlight = %v, want %v", hl, want)
	}
	if hl := Highlight("Trump and trumpet", "trum"); !slices.Equal(hl, [][2]int{{0, 5}, {10, 17}}) {
		t.Errorf("Highlight(prefix) = %v, want whole words", hl)
	}
	if hl := Highlight("中美关系", "美"); !slices.Equal(hl, [][2]int{{3, 6}}) {
		t.Errorf("Highlight(美) = %v", hl)
	}
}

func TestSearchCanceled(t *testing.T) {
	mem := store.NewMemory(Tables()...)
	ix, _ := Open(context.Background(), mem)
	if err := ix.Add(context.Background(), fixtures...); err != nil {
		t.Fatal(err)
	}
	ix2, _ := Open(context.Background(), mem) // cold: must read the store
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := ix2.Search(ctx, "习近平", Options{}); err == nil {
		t.Error("Search with a canceled context: no error")
	}
}

// TestOpenFormatVersions: an index of an older format is dropped (to be
// built again), one of a newer format is refused.
func TestOpenFormatVersions(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		version int
		wantErr bool
	}{{readableVersion - 1, false}, {formatVersion + 1, true}} {
		st := store.NewMemory(Tables()...)
		ix, err := Open(ctx, st)
		if err != nil {
			t.Fatal(err)
		}
		if err := ix.Add(ctx, fixtures...); err != nil {
			t.Fatal(err)
		}
		var b store.Batch
		b.Put(tableMeta, "manifest", []byte(fmt.Sprintf(`{"version":%d,"next":9,"segments":[{"id":1,"docs":3}]}`, tc.version)))
		if err := st.Write(ctx, &b); err != nil {
			t.Fatal(err)
		}
		ix, err = Open(ctx, st)
		if tc.wantErr {
			if !errors.Is(err, ErrVersion) {
				t.Errorf("Open(version %d) = %v, want ErrVersion", tc.version, err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("Open(version %d) = %v, want an empty index", tc.version, err)
		}
		for _, table := range Tables() {
			if n, err := st.Count(ctx, table); err != nil || n != 0 {
				t.Errorf("after Open(version %d): %s holds %d records (%v), want 0", tc.version, table, n, err)
			}
		}
		if s := ix.Stats(); s.Docs != 0 || s.Segments != 0 {
			t.Errorf("Open(version %d).Stats() = %+v, want empty", tc.version, s)
		}
		if err := ix.Add(ctx, fixtures...); err != nil {
			t.Fatal(err)
		}
		r, err := ix.Search(ctx, "习近平", Options{})
		if err != nil || r.Total != 2 {
			t.Errorf("Search(习近平) after rebuilding = %+v, %v; want 2 hits", r, err)
		}
	}
}

// TestPreload: after Preload a first query reads no doc table: fewer
// store reads than on an index opened without it, and the same hits.
// A shipped index is left alone.
func TestPreload(t *testing.T) {
	ctx := context.Background()
	mem := store.NewMemory(Tables()...)
	ix, err := Open(ctx, mem)
	if err != nil {
		t.Fatal(err)
	}
	for batch := range 2 { // two segments
		var docs []Doc
		for i := range 300 {
			n := batch*300 + i
			docs = append(docs, Doc{ID: fmt.Sprint(n), Title: fmt.Sprintf("第%d号公告", n), Text: strings.Repeat("市场保持稳定。", 40), Date: day(n)})
		}
		docs[7].Text += "罕见的台风登陆。"
		if err := ix.Add(ctx, docs...); err != nil {
			t.Fatal(err)
		}
	}
	// each opened over a store seen as another: with no cache of ix's
	plain, err := Open(ctx, &countingStore{Store: mem})
	if err != nil {
		t.Fatal(err)
	}
	want := ids(t, plain, "台风", Options{})
	plainReads := plain.Stats().Reads
	pre, err := Open(ctx, &countingStore{Store: mem})
	if err != nil {
		t.Fatal(err)
	}
	if err := pre.Preload(ctx); err != nil {
		t.Fatal(err)
	}
	for id, s := range pre.segs {
		if s.decoded != len(s.chunks) {
			t.Errorf("segment %d: %d of %d doc-table chunks decoded after Preload", id, s.decoded, len(s.chunks))
		}
	}
	if len(pre.segs) != 2 {
		t.Errorf("Preload opened %d segments, want 2", len(pre.segs))
	}
	before := pre.Stats().Reads
	if got := ids(t, pre, "台风", Options{}); !slices.Equal(got, want) || len(want) != 2 {
		t.Errorf("Search(台风) after Preload = %q, without %q; want 2 hits, the same", got, want)
	}
	if d := pre.Stats().Reads - before; d >= plainReads {
		t.Errorf("the first query after Preload made %d store reads, %d without it; want fewer", d, plainReads)
	}

	shipped, err := OpenShipped(ctx, store.NewMemory(Tables()...))
	if err != nil {
		t.Fatal(err)
	}
	if err := shipped.Preload(ctx); err != nil || shipped.Stats().Reads != 0 {
		t.Errorf("Preload of a shipped index = %v, %d reads; want nil, none", err, shipped.Stats().Reads)
	}
}
