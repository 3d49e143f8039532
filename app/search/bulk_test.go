package search

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/broadsheet/broadsheet/app/store"
)

var bulkCtx = context.Background()

// bulkDocs makes n documents of made-up text in batches of size, some
// IDs given again in later batches (a newer copy), dates with ties, a
// few Han characters past the BMP (and, in the eighth document, more
// than a run's narrow keys can rank).
func bulkDocs(n, size int) [][]Doc {
	rng := rand.New(rand.NewPCG(uint64(n), 7))
	han := []rune("市政府宣布增加夜间公交线路渡轮班次春茶收购河道清理学校午餐自行车道老桥维修居民反应不一费用由财政承担𪚥𠮷𡘙")
	words := []string{"metro", "ferry", "2025", "tea", "Budget", "ＢＵＳ", "broadsh", "broadshe", "broadsheet", "broadsheets", "broadshelf", "infrastructure"}
	base := time.Date(2021, 3, 1, 0, 0, 0, 0, time.UTC)
	var batches [][]Doc
	var batch []Doc
	for i := range n {
		var b strings.Builder
		for range 20 + rng.IntN(200) {
			if rng.IntN(12) == 0 {
				fmt.Fprintf(&b, " %s ", words[rng.IntN(len(words))])
				continue
			}
			b.WriteRune(han[rng.IntN(len(han))])
			if rng.IntN(30) == 0 {
				b.WriteString("。\n")
			}
		}
		if i == 7 { // more characters past the BMP than a run's narrow keys have ranks for
			for c := range rune(5000) {
				b.WriteRune(0x20000 + 3*c)
			}
		}
		id := fmt.Sprintf("doc/%05d", i)
		if i > size && rng.IntN(10) == 0 {
			id = fmt.Sprintf("doc/%05d", rng.IntN(i-size)) // a newer copy of an earlier batch's
		}
		batch = append(batch, Doc{
			ID: id, Title: "夜间" + string(han[rng.IntN(len(han))]) + "报道", Text: b.String(),
			Source: "example.com", Authors: []string{"林晓"},
			Date: base.Add(time.Duration(rng.IntN(400)) * time.Hour),
		})
		if len(batch) == size || i == n-1 {
			batches, batch = append(batches, batch), nil
		}
	}
	return batches
}

// TestBulkSameAsCompact: a Bulk writes the index that adding each batch
// and compacting writes (its documents' texts aside: a Bulk keeps none),
// its runs built concurrently.
func TestBulkSameAsCompact(t *testing.T) {
	for _, c := range []struct{ n, size int }{{1, 1}, {300, 300}, {1200, 250}, {2000, 90}} {
		t.Run(fmt.Sprintf("%d/%d", c.n, c.size), func(t *testing.T) {
			batches := bulkDocs(c.n, c.size)
			want := store.NewMemory(Tables()...)
			ix, err := OpenShipped(bulkCtx, want)
			if err != nil {
				t.Fatal(err)
			}
			ix.HoldMerges()
			for _, b := range batches {
				if err := ix.Add(bulkCtx, b...); err != nil {
					t.Fatal(err)
				}
			}
			if err := ix.Compact(bulkCtx); err != nil {
				t.Fatal(err)
			}

			got := store.NewMemory(Tables()...)
			bix, err := OpenShipped(bulkCtx, got)
			if err != nil {
				t.Fatal(err)
			}
			bk, err := bix.NewBulk(t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			defer bk.Close()
			bk.rangeBytes = 2 << 10 // many ranges
			buildBatches(t, bk, batches)
			if err := bk.Finish(bulkCtx); err != nil {
				t.Fatal(err)
			}
			for _, table := range []string{tableMeta, tablePages, tableIDs} {
				if w, g := dumpTable(t, want, table), dumpTable(t, got, table); w != g {
					t.Errorf("table %s: the bulk load wrote %d bytes of records, Add and Compact %d, not the same", table, len(g), len(w))
				}
			}
			byID := map[string]*Doc{}
			for _, b := range batches {
				for i := range b {
					byID[b[i].ID] = &b[i]
				}
			}
			bix.UseTexts(func(_ context.Context, ids []string) ([]*Doc, error) {
				out := make([]*Doc, len(ids))
				for i, id := range ids {
					out[i] = byID[id]
				}
				return out, nil
			})
			res, err := bix.Search(bulkCtx, "夜间", Options{Limit: 5})
			if err != nil {
				t.Fatalf("Search(夜间) on the bulk-loaded index: %v", err)
			}
			if res.Total == 0 {
				t.Errorf("Search(夜间) on the bulk-loaded index: no hit")
			}
		})
	}
}

func dumpTable(t testing.TB, s store.Store, table string) string {
	var b bytes.Buffer
	err := s.Scan(bulkCtx, table, "", "", 0, func(k string, v []byte) bool {
		fmt.Fprintf(&b, "%q=%x\n", k, v)
		return true
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestNewBulkNeedsEmptyShipped(t *testing.T) {
	ix, err := Open(bulkCtx, store.NewMemory(Tables()...))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ix.NewBulk(t.TempDir()); err == nil {
		t.Errorf("NewBulk on an index that is not shipped: no error")
	}
	six, err := OpenShipped(bulkCtx, store.NewMemory(Tables()...))
	if err != nil {
		t.Fatal(err)
	}
	if err := six.Add(bulkCtx, Doc{ID: "a", Text: "渡轮恢复"}); err != nil {
		t.Fatal(err)
	}
	if _, err := six.NewBulk(t.TempDir()); err == nil {
		t.Errorf("NewBulk on an index holding a segment: no error")
	}
}

// refAdd is runBuilder.add over tokenizer.run, a call per token: the
// runBuilder's own loop (tokens) must put the same records.
func (rb *runBuilder) refAdd(d *Doc) {
	info := docInfo{id: d.ID, source: d.Source, authors: d.Authors}
	if !d.Date.IsZero() {
		info.date = d.Date.Unix()
	}
	var n uint32
	titleEnd, leadEnd := math.MaxInt, 0
	emit := func(t token) {
		var key uint64
		switch t.kind {
		case tokChar:
			if rb.charCount[t.a] == 0 {
				rb.charList = append(rb.charList, t.a)
			}
			rb.charCount[t.a]++
			return
		case tokWord:
			key = rb.wordKey(t.word)
			n++
		case tokBigram:
			key = rb.hanKey(tokBigram, t.a, t.b)
			n++
		default:
			key = rb.hanKey(t.kind, t.a, 0)
		}
		w := uint64(1)
		switch {
		case t.pos < titleEnd:
			w = shippedTitle
		case t.pos < leadEnd:
			w = shippedLead
		}
		rb.putAll([]uint64{key<<2 | w})
	}
	end := rb.tz.run(d.Title, 0, emit)
	info.titleEnd = uint32(end)
	lead, _, _ := strings.Cut(d.Text, "\n")
	info.leadEnd = uint32(end + 1 + min(utf8.RuneCountInString(lead), maxLead))
	titleEnd, leadEnd = end, int(info.leadEnd)
	rb.tz.run(d.Text, end+1, emit)
	info.length = n
	rb.endDoc(info, len(d.Title)+len(d.Text))
}

// FuzzRunBuilderTokens: a runBuilder's records, documents and words are
// those of tokenizer.run's tokens (refAdd), for any title and text, in
// a batch of a few documents (a character past the BMP widens the keys
// of the documents before it).
func FuzzRunBuilderTokens(f *testing.F) {
	for _, s := range []string{"", "夜间公交", "2025年3月 G20峰会在ＢＵＳ站", "峰会G20", "臺灣　選舉\n第二段", "𠮷野家の牛丼", "\xff\xe4\xb8", "\xed\xa0\x80新闻", strings.Repeat("metro", 20) + "中"} {
		f.Add("标题"+s, s)
	}
	f.Fuzz(func(t *testing.T, title, text string) {
		docs := []Doc{
			{ID: "a", Title: "夜间报道", Text: "市政府宣布 metro 2025年\n渡轮"},
			{ID: "b", Title: title, Text: text},
			{ID: "c", Title: text, Text: title + "\n" + text},
		}
		fast := &runBuilder{charCount: make([]uint32, hanLimit)}
		ref := &runBuilder{charCount: make([]uint32, hanLimit)}
		for i := range docs {
			fast.add(&docs[i])
			ref.refAdd(&docs[i])
		}
		if !slices.Equal(fast.recs, ref.recs) || !slices.Equal(fast.ends, ref.ends) || fast.wide != ref.wide || fast.n != ref.n {
			t.Fatalf("runBuilder.add(%q, %q): records %x (wide %v), want tokenizer.run's %x (wide %v)", title, text, fast.recs, fast.wide, ref.recs, ref.wide)
		}
		if !slices.Equal(fast.words, ref.words) {
			t.Fatalf("runBuilder.add(%q, %q): words %q, want %q", title, text, fast.words, ref.words)
		}
		for i := range docs {
			if a, b := fast.docs[i], ref.docs[i]; a.length != b.length || a.titleEnd != b.titleEnd || a.leadEnd != b.leadEnd {
				t.Fatalf("runBuilder.add(%q, %q): document %d is %+v, want %+v", title, text, i, a, b)
			}
		}
	})
}

// TestWordTable: words of any length get numbers in the order met, the
// same number each time, across the table's growth and a reset.
func TestWordTable(t *testing.T) {
	var wt wordTable
	for round := range 2 {
		var words []string
		want := map[string]uint32{}
		for i := range 5000 {
			for _, w := range []string{fmt.Sprint(i), fmt.Sprintf("w%dx", i%700), strings.Repeat("long", 1+i%5) + fmt.Sprint(i%300), "é" + fmt.Sprint(i%9)} {
				id := wt.id([]byte(w), &words)
				if n, ok := want[w]; ok && n != id {
					t.Fatalf("round %d: id(%q) = %d, want %d as before", round, w, id, n)
				}
				if _, ok := want[w]; !ok {
					if id != uint32(len(want)) {
						t.Fatalf("round %d: id(%q) = %d for a new word, want %d", round, w, id, len(want))
					}
					want[w] = id
				}
				if words[id] != w {
					t.Fatalf("round %d: words[%d] = %q, want %q", round, id, words[id], w)
				}
			}
		}
		wt.reset()
	}
}

// TestSortNarrow: the sort of narrow records by buckets puts them in the
// order of the LSD sort over the whole run, for documents in any date
// order: every kind of key, skewed, a bucket of many words, tiny
// buckets.
func TestSortNarrow(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 9))
	for _, docs := range []int{1, 7, 300, 3000} {
		a := &runBuilder{}
		for range docs {
			for range rng.IntN(400) {
				var key uint64
				x := uint64(rng.IntN(1 + rng.IntN(1<<narrowChar)))
				switch kind := tokenKind(rng.IntN(4)); kind {
				case tokBigram:
					key = x<<narrowChar | uint64(rng.IntN(1+rng.IntN(1<<narrowChar)))
				case tokWord:
					key = uint64(kind)<<narrowKind | uint64(rng.IntN(1+rng.IntN(5000)))
				default:
					key = uint64(kind)<<narrowKind | x<<narrowChar
				}
				a.recs = append(a.recs, key<<2|uint64(rng.IntN(4)))
			}
			a.ends = append(a.ends, len(a.recs))
		}
		order := rng.Perm(docs)
		b := &runBuilder{recs: slices.Clone(a.recs), ends: a.ends}
		got := slices.Clone(a.sortNarrow(order))
		want := b.sortLSD(order)
		if !slices.Equal(got, want) {
			i := 0
			for i < len(got) && got[i] == want[i] {
				i++
			}
			t.Fatalf("%d documents: sortNarrow's record %d of %d is %x, sortLSD's %x", docs, i, len(got), got[i], want[i])
		}
	}
}

// TestRunTreeOrder: the tournament tree of a merge gives the readers'
// terms in the order of a sort of all of them by key, then (long terms
// after the 8-byte one they start with) by name, then by run, with
// readers that start at their end, and from 1 to 9 runs.
func TestRunTreeOrder(t *testing.T) {
	type term struct {
		key  uint64
		long bool
		name string
		run  int
	}
	rng := rand.New(rand.NewPCG(11, 12))
	names := []string{"", "broadsheet", "broadshelf", "broadsheets"}
	for n := 1; n <= 9; n++ {
		// each run's terms, ascending and distinct, from few keys so
		// that runs share them
		runs := make([][]term, n)
		var all []term
		for k := range runs {
			seen := map[term]bool{}
			for range rng.IntN(40) {
				tm := term{key: uint64(rng.IntN(12)), run: k}
				if nm := names[rng.IntN(len(names))]; nm != "" {
					tm.long, tm.name = true, nm
				}
				if !seen[tm] {
					seen[tm] = true
					runs[k] = append(runs[k], tm)
				}
			}
			slices.SortFunc(runs[k], func(a, b term) int { return cmpTerm(a.key, a.long, a.name, b.key, b.long, b.name) })
			all = append(all, runs[k]...)
		}
		slices.SortFunc(all, func(a, b term) int {
			if c := cmpTerm(a.key, a.long, a.name, b.key, b.long, b.name); c != 0 {
				return c
			}
			return a.run - b.run
		})
		rrs := make([]runReader, n)
		at := make([]int, n)
		load := func(k int) {
			rr := &rrs[k]
			if rr.ok = at[k] < len(runs[k]); rr.ok {
				tm := runs[k][at[k]]
				rr.key, rr.long, rr.name = tm.key, tm.long, []byte(tm.name)
				at[k]++
			}
		}
		for k := range rrs {
			load(k)
		}
		tree := newRunTree(rrs, nil)
		var got []term
		for !tree.empty() {
			k := tree.top()
			rr := &rrs[k]
			got = append(got, term{rr.key, rr.long, string(rr.name), k})
			load(k)
			tree.moved()
		}
		if !slices.Equal(got, all) {
			t.Errorf("%d runs: the tree gave\n%v\nwant\n%v", n, got, all)
		}
	}
}

// cmpTerm orders terms as a merge does: by key, an 8-byte term before
// the longer ones it starts, longer ones by name.
func cmpTerm(ak uint64, along bool, aname string, bk uint64, blong bool, bname string) int {
	switch {
	case ak != bk:
		if ak < bk {
			return -1
		}
		return 1
	case along != blong:
		if blong {
			return -1
		}
		return 1
	}
	return strings.Compare(aname, bname)
}

// TestBulkPagesTo: with PagesTo, Finish hands the segment's pages to the
// function, in key order, and stores the rest as it does without; a
// failure of the function fails Finish, which then stores nothing.
func TestBulkPagesTo(t *testing.T) {
	batches := bulkDocs(1200, 250)
	want := bulkLoad(t, 0, func(bk *Bulk) error {
		buildBatches(t, bk, batches)
		return bk.Finish(bulkCtx)
	})
	pages := store.NewMemory(Tables()...)
	last := ""
	got := bulkLoad(t, 0, func(bk *Bulk) error {
		bk.PagesTo(func(table, key string, page []byte) error {
			if key <= last {
				t.Errorf("PagesTo: page %q after %q", key, last)
			}
			last = key
			var b store.Batch
			b.Put(table, key, page)
			return pages.Write(bulkCtx, &b)
		})
		buildBatches(t, bk, batches)
		return bk.Finish(bulkCtx)
	})
	for _, c := range []struct {
		table string
		got   store.Store
	}{{tableMeta, got}, {tableIDs, got}, {tablePages, pages}} {
		if w, g := dumpTable(t, want, c.table), dumpTable(t, c.got, c.table); w != g {
			t.Errorf("table %s: %d bytes of records with PagesTo, %d without, not the same", c.table, len(g), len(w))
		}
	}
	if n, _ := got.Count(bulkCtx, tablePages); n != 0 {
		t.Errorf("with PagesTo, the index's store holds %d pages, want none", n)
	}

	failed := errors.New("disk full")
	st, bk := newShippedBulk(t)
	defer bk.Close()
	bk.PagesTo(func(string, string, []byte) error { return failed })
	buildBatches(t, bk, batches)
	if err := bk.Finish(bulkCtx); !errors.Is(err, failed) {
		t.Errorf("Finish with a failing PagesTo = %v, want its error", err)
	}
	if n, _ := st.Count(bulkCtx, tableIDs); n != 0 {
		t.Errorf("after a failed Finish, the store holds %d document IDs, want none", n)
	}
}
