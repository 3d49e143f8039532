package e2e

import (
	"archive/zip"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// paragraphRE finds the paragraphs of the corpus's feed HTML.
var paragraphRE = regexp.MustCompile(`(?s)<p[^>]*>(.*?)</p>`)

// tagRE finds tags, to take the text of a paragraph for a title.
var tagRE = regexp.MustCompile(`<[^>]*>`)

var (
	parasOnce sync.Once
	paras     []string
	parasErr  error
)

// corpusParagraphs returns the paragraphs of ../shared/corpus/dev: their
// inner HTML, without scripts, between 40 and 3,000 bytes.
func corpusParagraphs(tb testing.TB) []string {
	tb.Helper()
	dir := filepath.Join(sharedDir(tb), "corpus", "dev")
	parasOnce.Do(func() {
		entries, err := os.ReadDir(dir)
		if err != nil {
			parasErr = err
			return
		}
		for _, e := range entries {
			data, err := os.ReadFile(filepath.Join(dir, e.Name()))
			if err != nil {
				parasErr = err
				return
			}
			for _, m := range paragraphRE.FindAllSubmatch(data, -1) {
				p := strings.TrimSpace(string(m[1]))
				if len(p) >= 40 && len(p) <= 3000 && !strings.Contains(strings.ToLower(p), "<script") {
					paras = append(paras, p)
				}
			}
		}
	})
	if parasErr != nil {
		tb.Fatalf("reading the corpus: %v", parasErr)
	}
	if len(paras) < 100 {
		tb.Fatalf("the corpus gave %d paragraphs, want at least 100", len(paras))
	}
	return paras
}

// Made-up publications and authors of the synthetic library.
var (
	synthHosts   = []string{"news.example.cn", "daily.example.com", "times.example.tw", "wire.example.org", "post.example.hk", "herald.example.net"}
	synthAuthors = []string{"林晓", "周明远", "张雅婷", "何静", "孙立", "郑红", "Dana Whitfield", "Omar Reyes", "马骏", "黄蕾"}
)

// synthArticle builds article i of a synthetic library from corpus
// paragraphs: a new title and URL, a saved-at time, a byline and between
// minParas and maxParas paragraphs. The same i always gives the same bytes.
func synthArticle(i int, ps []string, minParas, maxParas int) []byte {
	r := rand.New(rand.NewPCG(uint64(i), 0x5eed))
	n := minParas + r.IntN(maxParas-minParas+1)
	picked := make([]string, n)
	for k := range picked {
		picked[k] = ps[r.IntN(len(ps))]
	}
	title := []rune(strings.TrimSpace(tagRE.ReplaceAllString(picked[0], "")))
	if len(title) > 18 {
		title = title[:18]
	}
	host := synthHosts[i%len(synthHosts)]
	published := time.Date(2015, 1, 1, 8, 0, 0, 0, time.UTC).Add(time.Duration(i%4000) * 24 * time.Hour).Add(time.Duration(i) * time.Minute)
	var sb strings.Builder
	fmt.Fprintf(&sb, "<!--%d-->\n", published.Add(time.Hour).UnixMilli())
	fmt.Fprintf(&sb, "[合成稿%06d：%s](https://%s/synth/%d/%06d/)\n------\n\n", i, strings.NewReplacer("[", "", "]", "").Replace(string(title)), host, published.Year(), i)
	fmt.Fprintf(&sb, "<address>%s</address>", synthAuthors[i%len(synthAuthors)])
	fmt.Fprintf(&sb, `<time pudate="%s" datetime="%[1]s">%d年%d月%d日</time><section>`, published.Format("2006-01-02 15:04:05"), published.Year(), published.Month(), published.Day())
	for _, p := range picked {
		sb.WriteString("<p>" + p + "</p>")
	}
	sb.WriteString("</section>\n")
	return []byte(sb.String())
}

// synthTitlePrefix starts the title of every synthetic article.
const synthTitlePrefix = "合成稿"

// synthSet is a synthetic library written to disk.
type synthSet struct {
	paths []string
	bytes int64
	count int // articles (a zip holds many)
}

var (
	synthMu    sync.Mutex
	synthCache = map[string]synthSet{}
	synthDir   string
)

// synthRoot is the directory holding every synthetic library of this test
// binary; it is removed at its end.
func synthRoot(tb testing.TB) string {
	tb.Helper()
	if synthDir == "" {
		d, err := os.MkdirTemp("", "broadsheet-synth-")
		if err != nil {
			tb.Fatal(err)
		}
		synthDir = d
	}
	return synthDir
}

// synthFiles writes n synthetic articles as one file each, once per test
// binary, and returns them.
func synthFiles(tb testing.TB, n int) synthSet {
	tb.Helper()
	synthMu.Lock()
	defer synthMu.Unlock()
	key := fmt.Sprintf("files-%d", n)
	if s, ok := synthCache[key]; ok {
		return s
	}
	ps := corpusParagraphs(tb)
	dir := filepath.Join(synthRoot(tb), key)
	var s synthSet
	for i := range n {
		p := filepath.Join(dir, fmt.Sprintf("%03d", i/1000), fmt.Sprintf("synth-%06d.md", i))
		data := synthArticle(i, ps, 3, 12)
		writeFile(tb, p, data)
		s.paths = append(s.paths, p)
		s.bytes += int64(len(data))
	}
	s.count = n
	synthCache[key] = s
	return s
}

// synthZips writes n short synthetic articles into zips of perZip
// articles each, once per test binary, and returns them.
func synthZips(tb testing.TB, n, perZip int) synthSet {
	tb.Helper()
	synthMu.Lock()
	defer synthMu.Unlock()
	key := fmt.Sprintf("zips-%d-%d", n, perZip)
	if s, ok := synthCache[key]; ok {
		return s
	}
	ps := corpusParagraphs(tb)
	dir := filepath.Join(synthRoot(tb), key)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		tb.Fatal(err)
	}
	var s synthSet
	for start := 0; start < n; start += perZip {
		p := filepath.Join(dir, fmt.Sprintf("library-%03d.zip", start/perZip))
		size, err := writeZip(p, start, min(n, start+perZip), ps)
		if err != nil {
			tb.Fatalf("writing %s: %v", p, err)
		}
		s.paths = append(s.paths, p)
		s.bytes += size
	}
	s.count = n
	synthCache[key] = s
	return s
}

// writeZip writes articles [from, to) into a zip at p and returns the
// uncompressed size.
func writeZip(p string, from, to int, ps []string) (int64, error) {
	f, err := os.Create(p)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	zw := zip.NewWriter(f)
	var size int64
	for i := from; i < to; i++ {
		w, err := zw.Create(fmt.Sprintf("synth/%06d.md", i))
		if err != nil {
			return 0, err
		}
		data := synthArticle(i, ps, 1, 3)
		size += int64(len(data))
		if _, err := w.Write(data); err != nil {
			return 0, err
		}
	}
	if err := zw.Close(); err != nil {
		return 0, err
	}
	return size, f.Close()
}

// corpusFiles returns the first n files of ../shared/corpus/dev, then of
// dev-frontmatter, in name order.
func corpusFiles(tb testing.TB, n int) []string {
	tb.Helper()
	var paths []string
	for _, sub := range []string{"dev", "dev-frontmatter"} {
		dir := filepath.Join(sharedDir(tb), "corpus", sub)
		entries, err := os.ReadDir(dir)
		if err != nil {
			tb.Fatalf("reading %s: %v", dir, err)
		}
		var names []string
		for _, e := range entries {
			if e.Type().IsRegular() {
				names = append(names, e.Name())
			}
		}
		slices.Sort(names)
		for _, name := range names {
			if len(paths) == n {
				return paths
			}
			paths = append(paths, filepath.Join(dir, name))
		}
	}
	if len(paths) < n {
		tb.Fatalf("the corpus holds %d files, want %d", len(paths), n)
	}
	return paths
}
