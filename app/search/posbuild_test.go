package search

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"
)

// samePosSegment builds docs into a segment with a posBuilder and with a
// builder and fails unless both write the same blob and header.
func samePosSegment(t *testing.T, docs []Doc) {
	t.Helper()
	samePosSegmentFrom(t, newPosBuilder(), docs)
}

// samePosSegmentFrom is samePosSegment with the posBuilder fast.
func samePosSegmentFrom(t *testing.T, fast *posBuilder, docs []Doc) {
	t.Helper()
	ref := newBuilder()
	for i := range docs {
		if !fast.add(&docs[i]) {
			t.Fatalf("posBuilder.add(%q): out of ranks", docs[i].ID)
		}
		ref.add(&docs[i])
	}
	blob, header := fast.finish()
	want, wantHeader := ref.finish()
	if !bytes.Equal(header, wantHeader) {
		t.Fatalf("posBuilder header of %d documents (%q…) = %x, want %x", len(docs), docs[0].Text[:min(len(docs[0].Text), 30)], header, wantHeader)
	}
	if i := firstByteDiff(blob, want); i >= 0 {
		t.Fatalf("posBuilder blob of %d documents (%q…): %d bytes, first difference at %d of %d bytes", len(docs), docs[0].Text[:min(len(docs[0].Text), 30)], len(blob), i, len(want))
	}
}

func firstByteDiff(a, b []byte) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	if len(a) != len(b) {
		return min(len(a), len(b))
	}
	return -1
}

// TestPosBuilderCorpus: the corpus's documents, in batches of 300 and all
// at once, make the segments a builder makes.
func TestPosBuilderCorpus(t *testing.T) {
	docs := loadCorpus(t)
	for i := 0; i < len(docs); i += 300 {
		samePosSegment(t, docs[i:min(i+300, len(docs))])
	}
	samePosSegment(t, docs)
}

// TestPosBuilderRanks: characters past the BMP take the ranks above the
// BMP's, in code point order whatever the order met; a batch with more
// of them than ranks is refused (Add builds it with a builder).
func TestPosBuilderRanks(t *testing.T) {
	var docs []Doc
	for i := range 40 {
		var s strings.Builder
		for j := range 50 {
			s.WriteRune(0x2A6DF - rune(i*50+j)) // descending
			if j%7 == 0 {
				s.WriteString("中文")
			}
		}
		docs = append(docs, Doc{ID: fmt.Sprint(i), Title: "标题" + s.String()[:8], Text: s.String() + "\nmetro 2025年𠮷"})
	}
	samePosSegment(t, docs)

	b := newPosBuilder()
	if addWide(b, "") {
		t.Fatalf("posBuilder.add of 20,000 characters past the BMP: ok, want out of ranks")
	}
	long := Doc{ID: "long", Text: strings.Repeat("长", 1<<posBits/3+1)}
	if b := newPosBuilder(); b.add(&long) {
		t.Fatalf("posBuilder.add of %d bytes: ok, want too long", len(long.Text))
	}
}

// TestPosBuilderRefused: a builder reset after a refused document (out
// of ranks) builds the next batch as a builder does, the refused
// document's characters included.
func TestPosBuilderRefused(t *testing.T) {
	b := newPosBuilder()
	if addWide(b, "宽字") {
		t.Fatalf("posBuilder.add of 20,000 characters past the BMP: ok, want out of ranks")
	}
	b.reset()
	// after a reset: the same segment as a builder's
	samePosSegmentFrom(t, b, []Doc{{ID: "a", Text: "宽字很宽"}, {ID: "b", Title: "字", Text: string(rune(0x20000+7)) + "宽"}})
}

// TestAddLongAndWide: Add indexes a document too long for a
// posBuilder's places, and a batch of too many characters past the BMP,
// with a builder.
func TestAddLongAndWide(t *testing.T) {
	ctx := context.Background()
	ix, _ := openMemory(t)
	docs := []Doc{{ID: "a", Text: "短文一篇"}, {ID: "long", Text: strings.Repeat("长", 1<<posBits/3) + "尾巴"}, {ID: "b", Text: "又一篇"}}
	for i := range 200 {
		var s strings.Builder
		for j := range 100 {
			s.WriteRune(0x20000 + rune(i*100+j))
		}
		docs = append(docs, Doc{ID: fmt.Sprint("w", i), Text: s.String() + "宽字"})
	}
	if err := ix.Add(ctx, docs...); err != nil {
		t.Fatal(err)
	}
	for q, want := range map[string]string{"长尾": "[long]", "短文": "[a]", "又一": "[b]", string(rune(0x20000+150*100+7)) + string(rune(0x20000+150*100+8)): "[w150]"} {
		if got := ids(t, ix, q, Options{}); fmt.Sprint(got) != want {
			t.Errorf("Search(%q) = %v, want %s", q, got, want)
		}
	}
	if got := ix.Stats().Docs; got != len(docs) {
		t.Errorf("Stats().Docs = %d, want %d", got, len(docs))
	}
}

// FuzzPosBuilder: for any title and text, a posBuilder writes the
// segment a builder writes (tokenizer.run's tokens).
func FuzzPosBuilder(f *testing.F) {
	for _, s := range []string{"", "夜间公交", "2025年3月 G20峰会在ＢＵＳ站", "峰会G20", "臺灣　選舉\n第二段", "𠮷野家の牛丼", "\xff\xe4\xb8", "\xed\xa0\x80新闻", strings.Repeat("metro", 20) + "中", "a年b 年 c年"} {
		f.Add("标题"+s, s)
	}
	f.Fuzz(func(t *testing.T, title, text string) {
		day := time.Date(2025, 1, 2, 0, 0, 0, 0, time.UTC)
		samePosSegment(t, []Doc{
			{ID: "a", Title: "夜间报道", Text: "市政府宣布 metro 2025年\n渡轮", Date: day},
			{ID: "b", Title: title, Text: text, Source: "s", Authors: []string{"x"}},
			{ID: "c", Title: text, Text: title + "\n" + text},
			{ID: "d"},
			{ID: "e", Title: title},
		})
	})
}

// BenchmarkBatch builds a batch of 1,000 synthetic documents (an Add's)
// into a segment with a posBuilder and with a builder: tokenizing, then
// sorting and writing (finish).
func BenchmarkBatch(b *testing.B) {
	docs := synthetic(b, 1000)
	b.Run("pos", func(b *testing.B) {
		b.SetBytes(int64(textBytes(docs)))
		for b.Loop() {
			pb := newPosBuilder()
			pb.reserve(textBytes(docs))
			for i := range docs {
				pb.add(&docs[i])
			}
			pb.finish()
		}
	})
	b.Run("builder", func(b *testing.B) {
		b.SetBytes(int64(textBytes(docs)))
		for b.Loop() {
			rb := newBuilder()
			for i := range docs {
				rb.add(&docs[i])
			}
			rb.finish()
		}
	})
}

// TestPosSortStable: records come out by key, those of a key in the
// order they were added, for keys in few buckets and in many, and
// buckets of every size.
func TestPosSortStable(t *testing.T) {
	rng := rand.New(rand.NewPCG(2, 2))
	for _, spread := range []uint64{1, 40, 1 << 12, 1 << 21, 1 << 32} {
		b := newPosBuilder()
		for i := range 100_000 {
			key := rng.Uint64N(spread)
			if spread == 1<<32 && i%3 == 0 {
				key = 0x12345 // one large bucket among small ones
			}
			b.recs = append(b.recs, key<<32|uint64(i))
		}
		want := slices.Clone(b.recs)
		slices.SortStableFunc(want, func(x, y uint64) int { return cmp.Compare(x>>32, y>>32) })
		b.sort()
		if !slices.Equal(b.recs, want) {
			t.Fatalf("sort of keys below %d: not the stable order", spread)
		}
	}
}

// BenchmarkPosSort sorts the records of 1,000 synthetic documents.
func BenchmarkPosSort(b *testing.B) {
	docs := synthetic(b, 1000)
	pb := newPosBuilder()
	for i := range docs {
		pb.add(&docs[i])
	}
	recs := slices.Clone(pb.recs)
	b.SetBytes(int64(8 * len(recs)))
	for b.Loop() {
		pb.recs = append(pb.recs[:0], recs...)
		pb.sort()
	}
}

// addWide adds to b documents of 100 characters past the BMP each (and
// then tail), 20,000 different ones in all, until b refuses one; it
// reports whether b took them all.
func addWide(b *posBuilder, tail string) bool {
	for i := range 200 {
		var s strings.Builder
		for j := range 100 {
			s.WriteRune(0x20000 + rune(i*100+j))
		}
		if d := (Doc{ID: fmt.Sprint(i), Text: s.String() + tail}); !b.add(&d) {
			return false
		}
	}
	return true
}
