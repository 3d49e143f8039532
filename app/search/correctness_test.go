package search

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/broadsheet/broadsheet/app/search/searchtest"
	"github.com/broadsheet/broadsheet/app/store"
)

var update = flag.Bool("update", false, "regenerate testdata/queries.txt from the corpus")

const queriesFile = "testdata/queries.txt"

// TestCorpusCorrectness indexes ../shared/corpus/dev in batches (so that
// segments are merged and some documents replaced) and checks every
// frozen query against the substring truth over the folded text: the
// same documents, no more, no fewer.
func TestCorpusCorrectness(t *testing.T) {
	docs := loadCorpus(t)
	if *update {
		writeQueries(t, docs)
	}
	queries := readQueries(t)
	ctx := context.Background()
	ix, err := Open(ctx, store.NewMemory(Tables()...))
	if err != nil {
		t.Fatal(err)
	}
	folded := indexCorpus(t, ix, docs)
	kinds := map[string][3]int{} // queries, exact, hits
	var totalHits, misses, falseHits int
	for _, q := range queries {
		want := truth(docs, folded, q.text)
		got, err := ix.matchIDs(ctx, q.text+" ")
		if err != nil {
			t.Fatal(err)
		}
		miss, extra := diff(want, got)
		misses += len(miss)
		falseHits += len(extra)
		totalHits += len(want)
		k := kinds[q.kind]
		k[0]++
		k[2] += len(want)
		if len(miss) == 0 && len(extra) == 0 {
			k[1]++
		} else {
			t.Errorf("Search(%q): %d hits, want %d (missing %.3q, extra %.3q)", q.text, len(got), len(want), miss, extra)
		}
		kinds[q.kind] = k
	}
	st := ix.Stats()
	t.Logf("index %d bytes / text %d bytes = %.3f", st.IndexBytes, st.TextBytes, float64(st.IndexBytes)/float64(st.TextBytes))
	t.Logf("%d documents, %d segments; %d queries, %d expected hits, %d missed, %d false", len(docs), st.Segments, len(queries), totalHits, misses, falseHits)
	for _, k := range slices.Sorted(mapsKeys(kinds)) {
		t.Logf("  %-8s %3d queries, %3d exact, %6d hits", k, kinds[k][0], kinds[k][1], kinds[k][2])
	}
}

// indexCorpus adds docs to ix in batches of 100 (so that segments merge),
// then a tenth of them again (tombstones in old segments, new versions),
// and returns their folded titles and texts for the substring truth.
func indexCorpus(t *testing.T, ix *Index, docs []Doc) [][2]string {
	t.Helper()
	ctx := context.Background()
	for i := 0; i < len(docs); i += 100 {
		if err := ix.Add(ctx, docs[i:min(i+100, len(docs))]...); err != nil {
			t.Fatal(err)
		}
	}
	for i := 0; i < len(docs); i += 10 {
		if err := ix.Add(ctx, docs[i]); err != nil {
			t.Fatal(err)
		}
	}
	folded := make([][2]string, len(docs))
	for i, d := range docs {
		folded[i] = [2]string{Normalize(d.Title), Normalize(d.Text)}
	}
	return folded
}

func mapsKeys[V any](m map[string]V) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// matchIDs returns the IDs of all documents matching q, unordered.
func (ix *Index) matchIDs(ctx context.Context, q string) ([]string, error) {
	query := ParseQuery(q)
	r, err := ix.rank(ctx, &query, ByRelevance, -1)
	if err != nil || r == nil {
		return nil, err
	}
	ids := make([]string, len(r.cands))
	for i, c := range r.cands {
		ids[i] = c.id
	}
	return ids, nil
}

// truth is the substring ground truth of searchtest over the folded
// titles and texts.
func truth(docs []Doc, folded [][2]string, q string) []string {
	var out []string
	fq := Normalize(q)
	for i, f := range folded {
		if searchtest.Matches(f[0], f[1], fq) {
			out = append(out, docs[i].ID)
		}
	}
	return out
}

func diff(want, got []string) (missing, extra []string) {
	w := map[string]bool{}
	for _, id := range want {
		w[id] = true
	}
	g := map[string]bool{}
	for _, id := range got {
		g[id] = true
		if !w[id] {
			extra = append(extra, id)
		}
	}
	for _, id := range want {
		if !g[id] {
			missing = append(missing, id)
		}
	}
	return missing, extra
}

type frozenQuery struct{ kind, text string }

func readQueries(t *testing.T) []frozenQuery {
	f, err := os.Open(queriesFile)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []frozenQuery
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		kind, text, ok := strings.Cut(sc.Text(), "\t")
		if ok && !strings.HasPrefix(kind, "#") {
			out = append(out, frozenQuery{kind, text})
		}
	}
	if len(out) < 400 {
		t.Fatalf("%s: %d queries, want ≥ 400", queriesFile, len(out))
	}
	return out
}

// writeQueries draws the frozen queries from the corpus with a fixed seed:
// Han substrings of 1 to 8 characters, name-like strings from titles,
// word+Han strings, two-part queries and strings that are not there.
func writeQueries(t *testing.T, docs []Doc) {
	rng := rand.New(rand.NewPCG(2026, 11))
	var b strings.Builder
	b.WriteString("# Frozen search queries drawn from ../shared/corpus/dev by TestCorpusCorrectness -update (seeded).\n")
	b.WriteString("# kind\tquery\n")
	seen := map[string]bool{}
	add := func(kind, q string) {
		if q != "" && !seen[q] {
			seen[q] = true
			fmt.Fprintf(&b, "%s\t%s\n", kind, q)
		}
	}
	pick := func() []rune { d := docs[rng.IntN(len(docs))]; return []rune(Normalize(d.Text)) }
	for n := 1; n <= 8; n++ {
		for range 40 {
			add(fmt.Sprintf("han%d", n), hanSubstring(rng, pick(), n))
		}
	}
	for range 40 {
		d := docs[rng.IntN(len(docs))]
		add("name", hanSubstring(rng, []rune(Normalize(d.Title)), 3+rng.IntN(2)))
	}
	for range 80 {
		add("mixed", mixedSubstring(rng, pick()))
	}
	for range 40 {
		// as written in the original, often Traditional: folded by the index
		d := docs[rng.IntN(len(docs))]
		add("orig", hanSubstring(rng, []rune(d.Text), 2+rng.IntN(4)))
	}
	for range 50 {
		rs := pick()
		add("two", hanSubstring(rng, rs, 2+rng.IntN(3))+" "+hanSubstring(rng, pick(), 2+rng.IntN(2)))
	}
	for range 30 {
		rs := []rune(hanSubstring(rng, pick(), 4))
		rng.Shuffle(len(rs), func(i, j int) { rs[i], rs[j] = rs[j], rs[i] })
		add("nohit", string(rs)+"葳")
	}
	if err := os.MkdirAll(filepath.Dir(queriesFile), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(queriesFile, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

// hanSubstring returns n characters of a Han run of rs, or "".
func hanSubstring(rng *rand.Rand, rs []rune, n int) string {
	for range 50 {
		if len(rs) < n {
			return ""
		}
		i := rng.IntN(len(rs) - n + 1)
		ok := true
		for _, r := range rs[i : i+n] {
			ok = ok && isHan(r)
		}
		if ok {
			return string(rs[i : i+n])
		}
	}
	return ""
}

// mixedSubstring returns a whole word followed by 1 to 3 Han characters.
func mixedSubstring(rng *rand.Rand, rs []rune) string {
	for range 200 {
		i := rng.IntN(max(len(rs)-1, 1))
		if i >= len(rs)-1 || !isWordRune(rs[i]) || !isHan(rs[i+1]) {
			continue
		}
		s := i
		for s > 0 && isWordRune(rs[s-1]) {
			s--
		}
		e := i + 1
		for e < len(rs) && e < i+1+1+rng.IntN(3) && isHan(rs[e]) {
			e++
		}
		return string(rs[s:e])
	}
	return ""
}
