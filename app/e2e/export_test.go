package e2e

import (
	"archive/zip"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/storage"
	"github.com/chromedp/chromedp"
)

// ids returns the sorted ids of the articles listed on the first page.
func (b *browser) ids() []string {
	b.tb.Helper()
	var ids []string
	for _, it := range b.items() {
		ids = append(ids, it.ID)
	}
	slices.Sort(ids)
	return ids
}

// waitDownload waits for one finished file in dir and returns its path.
func waitDownload(t *testing.T, dir string) string {
	t.Helper()
	deadline := time.Now().Add(loadTimeout)
	for time.Now().Before(deadline) {
		names, _ := filepath.Glob(filepath.Join(dir, "*.zip"))
		if len(names) == 1 {
			return names[0]
		}
		time.Sleep(100 * time.Millisecond)
	}
	entries, _ := os.ReadDir(dir)
	t.Fatalf("no finished .zip download in %s (it holds %v)", dir, entries)
	return ""
}

func TestExportClearImport(t *testing.T) {
	b := newBrowser(t, serveSite(t), browserOptions{})
	b.navigate("")
	n0 := b.settle()
	importAndCheck(t, b, fixtures(t, "articles"), n0, 3)
	before := b.ids()
	if len(before) != n0+3 {
		t.Fatalf("the library lists %d articles, want %d on its first page", len(before), n0+3)
	}
	usage := poll[string](b, "#storage-usage[data-usage] > 0", `(() => {
		const u = document.querySelector('#storage-usage');
		return u && parseInt(u.dataset.usage, 10) > 0 ? u.textContent : '';
	})()`, loadTimeout)
	t.Logf("#storage-usage: %s", usage)
	if !eval[bool](b, fmt.Sprintf(`localStorage.getItem(%q) === 'true'`, "persist-asked:"+siteBase)) {
		t.Error("persistent storage was not asked for after the first import")
	}

	dir := t.TempDir()
	yes := true
	if _, err := chromedp.Call(b.ctx, cdpbrowser.SetDownloadBehavior, cdpbrowser.SetDownloadBehaviorParams{
		Behavior: cdpbrowser.SetDownloadBehaviorBehaviorAllow, DownloadPath: dir, EventsEnabled: &yes,
	}); err != nil {
		t.Fatalf("Browser.setDownloadBehavior: %v", err)
	}
	b.do("exporting", chromedp.Click(chromedp.CSS("#storage-panel > summary")), chromedp.Click(chromedp.CSS("#export-library")))
	count := poll[string](b, "#export-status[data-status=loaded]", `(() => {
		const s = document.querySelector('#export-status');
		return s && s.dataset.status !== 'loading' ? s.dataset.status + ' ' + s.dataset.count : '';
	})()`, loadTimeout)
	if want := fmt.Sprintf("loaded %d", len(before)); count != want {
		t.Errorf("#export-status = %q, want %q", count, want)
	}
	b.screenshot("storage-panel")
	zipPath := waitDownload(t, dir)
	checkZip(t, zipPath, len(before))

	u, _ := url.Parse(b.base)
	if _, err := chromedp.Call(b.ctx, storage.ClearDataForOrigin, storage.ClearDataForOriginParams{
		Origin: u.Scheme + "://" + u.Host, StorageTypes: "all",
	}); err != nil {
		t.Fatalf("Storage.clearDataForOrigin: %v", err)
	}
	b.navigate("")
	n1 := b.settle()
	if n1 >= len(before) {
		t.Fatalf("#library-count after clearing the site's data = %d, want fewer than %d", n1, len(before))
	}
	b.importFiles([]string{zipPath})
	b.waitImport(len(before))
	b.settle()
	if after := b.ids(); !slices.Equal(after, before) {
		t.Errorf("ids after importing the export = %q, want %q", after, before)
	}
}

// checkZip checks that the export holds n files of article text.
func checkZip(t *testing.T, p string, n int) {
	t.Helper()
	zr, err := zip.OpenReader(p)
	if err != nil {
		t.Fatalf("the export %s: %v", p, err)
	}
	defer zr.Close()
	if len(zr.File) != n {
		t.Errorf("the export holds %d files, want %d", len(zr.File), n)
	}
	for _, f := range zr.File {
		if strings.HasPrefix(f.Name, "/") || strings.Contains(f.Name, "..") || f.UncompressedSize64 == 0 {
			t.Errorf("export entry %q (%d bytes): want a relative name and content", f.Name, f.UncompressedSize64)
		}
	}
}
