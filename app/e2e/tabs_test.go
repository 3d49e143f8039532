package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// tabArticles writes n articles of the town name into a new directory:
// each says "<name>城" once in its title and once in its text.
func tabArticles(t *testing.T, name, slug string, n int) []string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), slug)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	paths := make([]string, n)
	for i := range paths {
		paths[i] = filepath.Join(dir, fmt.Sprintf("%s-%03d.md", slug, i))
		body := fmt.Sprintf("[%s城第%d路夜班车今晚开通](https://tabs.example.cn/%s/%03d/)\n------\n\n"+
			"<p>%s城第%d路夜班车今晚开通，末班车延后两小时，沿线居民不必再赶早回家。</p>\n", name, i, slug, i, name, i)
		if err := os.WriteFile(paths[i], []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return paths
}

// TestTwoTabsImport imports two sets of files at the same time in two tabs
// of the app (two workers writing one database): each tab then finds the
// other's articles, and after a reload the library and the index hold
// both sets whole (writes from a stale index manifest would drop one).
func TestTwoTabsImport(t *testing.T) {
	const n = 150 // two slices of an import each
	one, two := tabArticles(t, "甲", "jia", n), tabArticles(t, "乙", "yi", n)
	a := newBrowser(t, serveSite(t), browserOptions{})
	a.navigate("")
	n0 := a.settle()
	b := a.newTab()
	b.navigate("")
	b.settle()

	a.importFiles(one)
	b.importFiles(two)
	for _, x := range []*browser{a, b} {
		if st := x.waitImportAll(n, loadTimeout); st.State != "done" || st.Done != n {
			t.Fatalf("import in a tab ended as %+v, want done with %d", st, n)
		}
	}
	for _, c := range []struct {
		tab  *browser
		name string
		q    string
	}{{a, "the first tab", "乙城"}, {b, "the second tab", "甲城"}, {a, "the first tab", "甲城"}} {
		if got := c.tab.searchCount(c.q, n); got != n {
			t.Errorf("in %s, search %q finds %d articles, want %d", c.name, c.q, got, n)
		}
	}
	a.navigate("")
	if got := a.settle(); got != n0+2*n {
		t.Errorf("#library-count after both imports = %d, want %d", got, n0+2*n)
	}
	if got := a.searchCount("夜班车", 2*n); got != 2*n {
		t.Errorf("after a reload, search 夜班车 finds %d articles, want %d", got, 2*n)
	}
}

// searchCount searches q until it finds want articles or 20 s have
// passed, and returns the last count: an import's articles are indexed
// in batches, a moment after the import reports them stored.
func (b *browser) searchCount(q string, want int) int {
	b.tb.Helper()
	got := -1
	for start := time.Now(); time.Since(start) < 20*time.Second; time.Sleep(250 * time.Millisecond) {
		b.typeQuery("")
		if got = b.search(q).Count; got == want {
			break
		}
	}
	return got
}
