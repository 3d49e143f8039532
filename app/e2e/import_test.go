package e2e

import (
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// fixtures returns the absolute paths of the files under testdata/dir.
func fixtures(t testing.TB, dir string) []string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("testdata", dir))
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			paths = append(paths, p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(paths)
	return paths
}

// The titles of the fixtures in testdata/articles and testdata/folder.
const (
	titleNightBus = "江城试行夜间公交，末班车延后两小时"
	titleTea      = "山城茶農提前採收，春茶產量預估增加一成"
	titleLibrary  = "Riverside library extends weekend hours after reader survey"
	titleFerry    = "海湾渡轮恢复夜航，首班加开观光航线"
	titleMarket   = "老城区早市重新规划摊位，居民担心交通拥堵"
	titleMeals    = "乡村学校午餐加入本地蔬菜，家长反映良好"
	titleBridge   = "跨江大桥完成荷载试验，月底通车"
	titleRain     = "气象台发布暴雨蓝色预警，部分航班延误"
)

// importAndCheck imports files through #import-files into a settled
// library of n0 articles and checks the status: all done, none failed,
// and added more articles listed.
func importAndCheck(t *testing.T, b *browser, paths []string, n0, added int) {
	t.Helper()
	b.importFiles(paths)
	st := b.waitImport(len(paths))
	want := importStatus{State: "done", Done: len(paths), Total: len(paths)}
	if st != want {
		t.Errorf("#import-status after importing %d files = %+v, want %+v; report: %+v", len(paths), st, want, b.report())
	}
	if n := b.settle(); n != n0+added {
		t.Errorf("#library-count = %d after importing %d new articles into %d, want %d", n, added, n0, n0+added)
	}
}

// wantTitles checks that the library lists every title.
func wantTitles(t *testing.T, b *browser, titles ...string) map[string]listItem {
	t.Helper()
	found := map[string]listItem{}
	for _, title := range titles {
		it, ok := b.findItem(title)
		if !ok {
			t.Errorf("the library does not list %q", title)
			continue
		}
		if it.ID == "" || it.Href == "" {
			t.Errorf("library item %q: data-id %q, a.article-link href %q, want both", title, it.ID, it.Href)
		}
		found[title] = it
	}
	return found
}

func TestImportFiles(t *testing.T) {
	b := newBrowser(t, serveSite(t), browserOptions{})
	b.navigate("")
	n0 := b.settle()
	importAndCheck(t, b, fixtures(t, "articles"), n0, 3)
	items := wantTitles(t, b, titleNightBus, titleTea, titleLibrary)
	bus, ok := items[titleNightBus]
	if !ok {
		t.FailNow()
	}
	if !strings.Contains(bus.Authors, "林晓") || !strings.Contains(bus.Authors, "周明远") {
		t.Errorf("library item %q: .article-authors = %q, want 林晓 and 周明远", titleNightBus, bus.Authors)
	}
	if bus.Date == "" || bus.Source == "" || !bus.Select {
		t.Errorf("library item %q: .article-date %q, .article-source %q, checkbox %v; want all", titleNightBus, bus.Date, bus.Source, bus.Select)
	}
	b.firstPage()
	b.screenshot("library")

	// Open the reader by clicking the article's link, as a person does.
	b.findItem(titleNightBus)
	b.do("clicking the article link", clickLink(bus.ID))
	r := b.waitReader(bus.ID)
	checkNightBus(t, r)
	b.screenshot("reader")

	for title, lang := range map[string]string{titleTea: "zh-Hant", titleLibrary: "en"} {
		it, ok := items[title]
		if !ok {
			continue
		}
		r := b.openReader(it.ID)
		if r.Status != "loaded" || !slices.Equal(r.H1s, []string{title}) {
			t.Errorf("reader of %q: status %q, h1s %q, want loaded and the title", title, r.Status, r.H1s)
		}
		if r.Lang != lang {
			t.Errorf("reader of %q: lang = %q, want %q", title, r.Lang, lang)
		}
		if len(r.Paragraphs) != 3 {
			t.Errorf("reader of %q: %d paragraphs, want 3: %q", title, len(r.Paragraphs), r.Paragraphs)
		}
	}
}

// checkNightBus checks the reader of testdata/articles/night-bus.md.
func checkNightBus(t *testing.T, r reader) {
	t.Helper()
	if r.Status != "loaded" {
		t.Fatalf("reader: data-status = %q, want loaded", r.Status)
	}
	if !slices.Equal(r.H1s, []string{titleNightBus}) {
		t.Errorf("reader: the page's h1s = %q, want only %q", r.H1s, titleNightBus)
	}
	if !strings.HasPrefix(r.Lang, "zh") {
		t.Errorf("reader: lang = %q, want zh-Hans", r.Lang)
	}
	if w, ok := containsAll(r.Byline, "林晓", "周明远", "2025"); !ok {
		t.Errorf("reader: .byline = %q, want it to hold %q", r.Byline, w)
	}
	if !r.LeadImg || !strings.Contains(r.Caption, "夜间公交试运行首日，乘客在江滨终点站排队上车。") || r.Credit != "陈光/示例通讯社" {
		t.Errorf("reader: lead img %v, figcaption %q, .credit %q; want the picture, its caption and 陈光/示例通讯社", r.LeadImg, r.Caption, r.Credit)
	}
	first := "江城公交集团周四宣布，三条主干线路的末班车将从晚上十点推迟到午夜，试行期为三个月。"
	if len(r.Paragraphs) < 4 || r.Paragraphs[0] != first {
		t.Errorf("reader: paragraphs = %q, want at least 4 starting with %q", r.Paragraphs, first)
	}
	if !slices.Contains(r.Headings, "司机排班成为难题") {
		t.Errorf("reader: headings = %q, want 司机排班成为难题", r.Headings)
	}
	if len(r.Quotes) != 1 || !strings.Contains(r.Quotes[0], "现在能省下一大笔钱") {
		t.Errorf("reader: blockquotes = %q, want the passenger's words", r.Quotes)
	}
	if !slices.Equal(r.ListItems, []string{"夜间线路票价不变", "站点广播增加外语提示", "试行结束后公开评估报告"}) {
		t.Errorf("reader: list items = %q, want the three measures", r.ListItems)
	}
	if !strings.Contains(r.Footer, "林晓是本报驻江城记者") {
		t.Errorf("reader: footer.article-footer = %q, want the reporters' note", r.Footer)
	}
	if r.Original != "https://news.example.cn/city/20251009/night-bus-trial/" {
		t.Errorf("reader: a.original-link = %q, want the article's URL", r.Original)
	}
	if !r.Back {
		t.Errorf("reader: no a#back-to-library")
	}
}

func TestImportFolderByDrop(t *testing.T) {
	b := newBrowser(t, serveSite(t), browserOptions{})
	b.navigate("")
	n0 := b.settle()
	dir, err := filepath.Abs(filepath.Join("testdata", "folder"))
	if err != nil {
		t.Fatal(err)
	}
	b.dropFolder(dir)
	st := b.waitImport(3)
	if want := (importStatus{State: "done", Done: 3, Total: 3}); st != want {
		t.Errorf("#import-status after dropping a folder of 3 articles (one in a subfolder) = %+v, want %+v; report %+v", st, want, b.report())
	}
	if n := b.settle(); n != n0+3 {
		t.Errorf("#library-count = %d after dropping 3 articles into %d, want %d", n, n0, n0+3)
	}
	wantTitles(t, b, titleFerry, titleMarket, titleMeals)
}

func TestBadFilesReported(t *testing.T) {
	b := newBrowser(t, serveSite(t), browserOptions{})
	b.navigate("")
	n0 := b.settle()
	dir := t.TempDir()
	for _, p := range fixtures(t, "bad") {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(dir, filepath.Base(p)), data)
	}
	binary := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
	for i := range 2048 {
		binary = append(binary, byte(i*7+i/13))
	}
	writeFile(t, filepath.Join(dir, "binary.md"), binary)
	writeFile(t, filepath.Join(dir, "empty.md"), nil)
	names := []string{"README.md", "binary.md", "empty.md", "good-bridge.md", "good-rain.md"}
	var paths []string
	for _, n := range names {
		paths = append(paths, filepath.Join(dir, n))
	}

	b.importFiles(paths)
	st := b.waitImport(len(paths))
	if want := (importStatus{State: "done", Done: 5, Total: 5, Errors: 3}); st != want {
		t.Errorf("#import-status = %+v, want %+v", st, want)
	}
	rep := b.report()
	var got []string
	for _, it := range rep {
		got = append(got, it.Name)
		if it.Reason == "" {
			t.Errorf("#import-report item %q has no .reason", it.Name)
		}
	}
	slices.Sort(got)
	if want := []string{"README.md", "binary.md", "empty.md"}; !slices.Equal(got, want) {
		t.Errorf("#import-report names = %q, want %q", got, want)
	}
	if n := b.settle(); n != n0+2 {
		t.Errorf("#library-count = %d after importing 2 good files into %d, want %d", n, n0, n0+2)
	}
	wantTitles(t, b, titleBridge, titleRain)
	b.screenshot("import-report")
}

// writeFile writes data to p or fails the test.
func writeFile(t testing.TB, p string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestReloadAndDeepLink(t *testing.T) {
	b := newBrowser(t, serveSite(t), browserOptions{})
	b.navigate("")
	n0 := b.settle()
	importAndCheck(t, b, fixtures(t, "articles"), n0, 3)

	b.reload()
	if n := b.settle(); n != n0+3 {
		t.Errorf("#library-count after reload = %d, want %d", n, n0+3)
	}
	items := wantTitles(t, b, titleNightBus, titleTea, titleLibrary)
	bus, ok := items[titleNightBus]
	if !ok {
		t.FailNow()
	}

	tab := b.newTab()
	res, err := chromedp.Run(tab.ctx, chromedp.NavigateResponse(b.base+readerURL(bus.ID)))
	if err != nil {
		t.Fatalf("opening the deep link %s in a new tab: %v", readerURL(bus.ID), err)
	}
	if res.Status != 200 {
		t.Errorf("deep link %s: HTTP status %d, want 200", readerURL(bus.ID), res.Status)
	}
	checkNightBus(t, tab.waitReader(bus.ID))

	const unknown = "news.example.cn/no/such/article"
	if r := tab.openReader(unknown); r.Status != "failed" {
		t.Errorf("reader of an unknown id: data-status = %q, want failed", r.Status)
	}
}

func TestReimportUpdatesWithoutDuplicate(t *testing.T) {
	b := newBrowser(t, serveSite(t), browserOptions{})
	b.navigate("")
	n0 := b.settle()
	const oldTitle, newTitle = "新图书馆开工建设", "新图书馆开工建设，设计方案增加儿童阅览区"
	importAndCheck(t, b, fixtures(t, "update/v1"), n0, 1)
	old := wantTitles(t, b, oldTitle)[oldTitle]

	importAndCheck(t, b, fixtures(t, "update/v2"), n0+1, 0)
	it, ok := b.findItem(newTitle)
	if !ok {
		t.Fatalf("after re-importing story.md with a newer timestamp, the library does not list %q", newTitle)
	}
	if _, ok := b.findItem(oldTitle); ok {
		t.Errorf("after the update the library still lists the old title %q", oldTitle)
	}
	if old.ID != "" && it.ID != old.ID {
		t.Errorf("the updated article's data-id = %q, want the same as before, %q", it.ID, old.ID)
	}
	r := b.openReader(it.ID)
	if !slices.Equal(r.H1s, []string{newTitle}) || len(r.Paragraphs) != 2 {
		t.Errorf("reader of the updated article: h1s %q, paragraphs %q; want the new title and 2 paragraphs", r.H1s, r.Paragraphs)
	}
}
