package e2e

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/broadsheet/broadsheet/app/archive/archivegen"
	"github.com/broadsheet/broadsheet/app/store/static"
)

// archiveLatency is added to every response of the benchmark's server, as
// a distant GitHub Pages would.
const archiveLatency = 50 * time.Millisecond

// archiveQueries are the benchmark's searches, each the first query of a
// fresh page: the first one cold (nothing of the index read yet), the
// others cold for their own terms (the packs read before are kept).
var archiveQueries = []string{"政府", "公交", "新冠疫情", "美国 总统"}

// BenchmarkBrowserArchive builds a site with an archive of 10,000 and of
// 100,000 articles generated from the paragraphs of ../shared/corpus/dev
// (app/archive/archivegen), serves it like GitHub Pages (HTTP/2, gzip)
// with 50 ms added to every response, and measures in Chromium what a first visitor pays
// beyond the app itself: the archive bytes, requests and round trips to
// see the library, the same for a first (cold) search and its latency
// (query typed to results drawn), the same for opening an article, and
// the time to keep the whole archive offline.
func BenchmarkBrowserArchive(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		b.Run(fmt.Sprintf("%dk", n/1000), func(b *testing.B) { benchArchive(b, n) })
	}
}

// archiveSite generates n articles and builds the site with them.
func archiveSite(b *testing.B, n int) string {
	b.Helper()
	serveSite(b)
	paras, err := archivegen.Paragraphs(filepath.Join(sharedDir(b), "corpus", "dev"))
	if err != nil {
		b.Fatal(err)
	}
	src, site := b.TempDir(), b.TempDir()
	size, err := archivegen.Write(src, n, paras, archivegen.Options{Seed: 6})
	if err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	buildHosted(b, src, site)
	files := archiveFiles(b, filepath.Join(site))
	var bytes int64
	for f := range files {
		if st, err := os.Stat(filepath.Join(site, "archive", f)); err == nil {
			bytes += st.Size()
		}
	}
	b.Logf("%d articles (%.1f MB of files): site built in %v; archive %d files, %.1f MB", n, float64(size)/1e6, time.Since(start).Round(time.Second), len(files), float64(bytes)/1e6)
	b.ReportMetric(float64(len(files)), "archive-files")
	b.ReportMetric(float64(bytes)/1e6, "archive-MB")
	return site
}

// visit is what one step of a visit cost in archive traffic.
type visit struct {
	requests, rounds int
	bytes            int64
	took             time.Duration
	files            []string
	spans            []span // sorted by arrival after roundTrips
}

func (v visit) String() string {
	return fmt.Sprintf("%d requests in %d round trips, %.1f KB, %v", v.requests, v.rounds, float64(v.bytes)/1e3, v.took.Round(time.Millisecond))
}

// tablesOf maps each file of the site's archive to the table it belongs
// to (a pack, or "name (index)" for a table's index file), as the
// archive's manifest and index files say; nil if it cannot be read.
func tablesOf(site string) map[string]string {
	ctx := context.Background()
	s, err := static.Open(ctx, static.DirFetcher(filepath.Join(site, "archive")), static.Options{})
	if err != nil {
		return nil
	}
	defer s.Close()
	table := map[string]string{}
	for name, t := range s.Manifest().Tables {
		if t.Index != "" {
			table[t.Index] = name + " (index)"
		}
		packs, err := s.Packs(ctx, name)
		if err != nil {
			return nil
		}
		for _, p := range packs {
			table[p.File] = name
		}
	}
	return table
}

// byTable counts files by the archive table they belong to (tablesOf);
// other files count under their own name.
func byTable(table map[string]string, files []string) map[string]int {
	out := map[string]int{}
	for _, f := range files {
		out[cmp.Or(table[f], f)]++
	}
	return out
}

// timeline says what each round trip of v fetched and when it started:
// "+0ms search_meta, search_pages (index); +160ms search_pages×4".
func timeline(table map[string]string, v visit) string {
	rounds := roundsOf(v.spans)
	var b strings.Builder
	for i := 0; i < len(v.spans); {
		j := i
		for j < len(v.spans) && rounds[j] == rounds[i] {
			j++
		}
		var files []string
		for _, s := range v.spans[i:j] {
			files = append(files, s.file+" by "+s.by)
		}
		if i > 0 {
			b.WriteString("; ")
		}
		fmt.Fprintf(&b, "+%dms", v.spans[i].start.Sub(v.spans[0].start).Milliseconds())
		counts := map[string]int{}
		for _, f := range files {
			file, by, _ := strings.Cut(f, " by ")
			counts[cmp.Or(table[file], file)+" ("+by+")"]++
		}
		for _, name := range slices.Sorted(maps.Keys(counts)) {
			fmt.Fprintf(&b, " %s", name)
			if counts[name] > 1 {
				fmt.Fprintf(&b, "×%d", counts[name])
			}
		}
		i = j
	}
	return b.String()
}

// measure runs step and returns the archive traffic it caused.
func measure(t *archiveTraffic, step func()) visit {
	t.take()
	start := time.Now()
	step()
	took := time.Since(start)
	files, bytes, spans := t.take()
	return visit{requests: len(files), rounds: roundTrips(spans), bytes: bytes, took: took, files: files, spans: spans}
}

func benchArchive(b *testing.B, n int) {
	site := archiveSite(b, n)
	srv, traffic := serveHostedFar(b, site, archiveLatency)
	base := srv.URL + siteBase
	var library, open, keep visit
	var searches []visit
	b.ResetTimer()
	for range b.N {
		br := newBrowser(b, base, browserOptions{timeout: 30 * time.Minute, selfSigned: true})
		library = measure(traffic, func() {
			br.navigate("")
			br.waitLibrary()
		})
		searches = searches[:0]
		for _, q := range archiveQueries {
			br.navigate("")
			br.waitLibrary()
			traffic.take()
			searches = append(searches, measure(traffic, func() { br.search(q) }))
			br.typeQuery("")
		}
		br.navigate("")
		br.waitLibrary()
		items := br.items()
		if len(items) == 0 {
			b.Fatal("the library lists nothing")
		}
		id := items[len(items)-1].ID
		open = measure(traffic, func() { // in the app: no reload
			br.do("opening "+id, clickLink(id))
			br.waitReader(id)
		})
		br.navigate("")
		br.waitLibrary()
		keep = measure(traffic, func() { br.keepOffline() })
		br.close()
	}
	b.StopTimer()
	table := tablesOf(site)
	b.Logf("library drawn: %v; rounds: %s", library, timeline(table, library))
	for i, q := range archiveQueries {
		b.Logf("cold search %q: %v; rounds: %s", q, searches[i], timeline(table, searches[i]))
	}
	b.Logf("article opened: %v; rounds: %s", open, timeline(table, open))
	b.Logf("whole archive kept offline: %v", keep)
	b.ReportMetric(float64(library.bytes)/1e3, "library-KB")
	b.ReportMetric(float64(library.rounds), "library-rounds")
	b.ReportMetric(library.took.Seconds()*1e3, "library-ms")
	sorted := append([]visit(nil), searches...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].took < sorted[j].took })
	b.ReportMetric(float64(searches[0].bytes)/1e3, "search1-KB")
	b.ReportMetric(float64(library.bytes+searches[0].bytes)/1e3, "library+search1-KB")
	b.ReportMetric(searches[0].took.Seconds()*1e3, "search1-ms")
	b.ReportMetric(sorted[len(sorted)/2].took.Seconds()*1e3, "search-median-ms")
	b.ReportMetric(float64(maxRounds(searches)), "search-max-rounds")
	b.ReportMetric(float64(open.bytes)/1e3, "open-KB")
	b.ReportMetric(keep.took.Seconds(), "keep-offline-s")
}

// maxRounds is the most round trips of the visits.
func maxRounds(vs []visit) int {
	m := 0
	for _, v := range vs {
		m = max(m, v.rounds)
	}
	return m
}
