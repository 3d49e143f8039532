package archive

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/broadsheet/broadsheet/app/archive/archivegen"
	"github.com/broadsheet/broadsheet/app/search"
	"github.com/broadsheet/broadsheet/app/store"
	"github.com/broadsheet/broadsheet/parser"
)

// TestIncremental builds a generated archive, grows it (new files, one
// changed, one removed) and builds again over the first build: most pack
// files keep their names, and the archive reads as a fresh build of the
// grown folder does.
func TestIncremental(t *testing.T) {
	const n = 1000
	dir, out := t.TempDir(), t.TempDir()
	paras := archivegen.Synthetic(300, 7)
	if _, err := archivegen.Write(dir, n, paras, archivegen.Options{Seed: 7}); err != nil {
		t.Fatal(err)
	}
	first := build(t, dir, out)
	if first.Articles != n {
		t.Fatalf("first build: %d articles, want %d", first.Articles, n)
	}

	if _, err := archivegen.Write(dir, 4, paras, archivegen.Options{Seed: 7, First: n}); err != nil {
		t.Fatal(err)
	}
	newFile := filepath.Join(dir, "new", "tunnel.md")
	os.MkdirAll(filepath.Dir(newFile), 0o755)
	os.WriteFile(newFile, []byte("<!--1800000000000-->\n[海底隧道今日通车](https://news.example.cn/city/tunnel/)\n------\n\n<section><p>连接两岸的海底隧道今天上午正式通车。</p></section>\n"), 0o644)
	changed := archivegen.Path(dir, 100)
	data, _ := os.ReadFile(changed)
	os.WriteFile(changed, []byte(strings.Replace(string(data), "</section>", "<p>码头夜航补充报道。</p></section>", 1)), 0o644)
	removed := archivegen.Path(dir, 200)
	removedID := idOf(t, removed)
	os.Remove(removed)

	second := build(t, dir, out)
	if !second.Reused || second.Added != 5 || second.Updated != 1 || second.Removed != 1 || second.Articles != n+4 {
		t.Errorf("rebuild: reused %v, %d added, %d updated, %d removed, %d articles; want true, 5, 1, 1, %d",
			second.Reused, second.Added, second.Updated, second.Removed, second.Articles, n+4)
	}
	idx, _ := filepath.Glob(filepath.Join(out, Dir, "p", "*.idx")) // pack index files: one changes with any of its table's packs
	packs := second.Output.Files - 1 - len(idx)
	// A table of one pack (counts, ids) changes with any article; the
	// facet index changes at the top of each source and author the new
	// articles name. The rest stays. (1,000 articles: at 600, with
	// compact article records, the tables' fixed changes were half the
	// packs, 21 of 43.)
	if second.Output.Reused*2 < packs {
		t.Errorf("rebuild kept %d of %d packs, want at least half", second.Output.Reused, packs)
	}
	t.Logf("first build %d files %d bytes; rebuild kept %d of %d packs, wrote %d bytes, deleted %d",
		first.Output.Files, first.Output.Bytes, second.Output.Reused, packs, second.Output.Written, second.Output.Deleted)

	l, ix, _ := hosted(t, out)
	if got := searchIDs(t, ix, "海底隧道"); !slices.Equal(got, []string{"news.example.cn/city/tunnel"}) {
		t.Errorf("Search(海底隧道) = %q, want the new article", got)
	}
	if got, want := searchIDs(t, ix, "码头夜航补充报道"), []string{idOf(t, changed)}; !slices.Equal(got, want) {
		t.Errorf("Search(the changed article's new sentence) = %q, want %q", got, want)
	}
	if got := searchIDs(t, ix, "第200号"); len(got) != 0 {
		t.Errorf("Search(第200号) = %q, want nothing: its file was removed", got)
	}
	if _, err := l.Get(ctx, removedID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Get(removed article) = %v, want ErrNotFound", err)
	}
	if q := fmt.Sprintf("第%d号", n+3); len(searchIDs(t, ix, q)) != 1 {
		t.Errorf("Search(%s) = %q, want the new article %d", q, searchIDs(t, ix, q), n+3)
	}

	fresh := t.TempDir()
	build(t, dir, fresh)
	fl, fix, _ := hosted(t, fresh)
	if a, b := listIDs(t, l), listIDs(t, fl); !slices.Equal(a, b) {
		t.Errorf("rebuilt and fresh archives list %d and %d articles, want the same", len(a), len(b))
	}
	for _, q := range []string{"夜间公交线路", "江城 渡轮", "author:陈思", "码头"} {
		a, b := searchAll(t, ix, q), searchAll(t, fix, q)
		if !slices.Equal(a, b) {
			t.Errorf("Search(%q): rebuilt archive finds %d, fresh one %d, or others", q, len(a), len(b))
		}
	}
}

func idOf(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	a, err := parser.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	return a.ID
}

// searchAll returns the IDs of every hit of q, sorted.
func searchAll(t *testing.T, ix *search.Index, q string) []string {
	t.Helper()
	res, err := ix.Search(ctx, q, search.Options{Limit: 10000})
	if err != nil {
		t.Fatalf("Search(%q) = %v", q, err)
	}
	if len(res.Hits) != res.Total {
		t.Fatalf("Search(%q): %d hits of %d", q, len(res.Hits), res.Total)
	}
	var ids []string
	for _, h := range res.Hits {
		ids = append(ids, h.ID)
	}
	slices.Sort(ids)
	return ids
}
