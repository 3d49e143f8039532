//go:build !(js && wasm)

package static

import (
	"context"
	"errors"
	"io/fs"
	"math/rand/v2"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/broadsheet/broadsheet/app/ghpages"
	"github.com/broadsheet/broadsheet/app/store"
)

// TestOffline: after an online Open that kept what it read, an Open whose
// fetches all fail opens the kept manifest and reads the kept packs.
func TestOffline(t *testing.T) {
	recs := newsTable(rand.New(rand.NewPCG(9, 10)), 300)
	dir, m := writeDir(t, map[string][]record{"t": recs}, WriteOptions{DefaultTarget: 16 << 10})
	keep := store.NewMemory(KeepTable)
	f := counting(dir)
	s := openWith(t, f, Options{Keep: keep, KeepFetched: true})
	read := recs[10].key
	if _, err := s.Get(ctx, "t", read); err != nil {
		t.Fatal(err)
	}
	s.Close()

	f.fail = true
	s = openWith(t, f, Options{Keep: keep})
	if got, want := s.Manifest().Tables["t"], m.Tables["t"]; got.Packs != want.Packs || got.Index != want.Index {
		t.Errorf("offline manifest: table %+v, want %+v", got, want)
	}
	if v, err := s.Get(ctx, "t", read); err != nil || string(v) != string(recs[10].value) {
		t.Errorf("offline Get(read before) = %.20q, %v, want %.20q", v, err, recs[10].value)
	}
	if _, err := s.Get(ctx, "t", recs[len(recs)-1].key); err == nil || errors.Is(err, store.ErrNotFound) {
		t.Errorf("offline Get(never read) = %v, want a fetch error", err)
	}
	if _, err := Open(ctx, f, Options{Keep: store.NewMemory(KeepTable)}); err == nil {
		t.Errorf("offline Open with nothing kept = nil error")
	}
}

// TestKeepCleanup: a new manifest deletes the kept packs it no longer
// refers to, and keeps the others.
func TestKeepCleanup(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	recs := newsTable(r, 600)
	dir := t.TempDir()
	writeTo(t, dir, map[string][]record{"t": recs}, WriteOptions{DefaultTarget: 16 << 10})
	keep := store.NewMemory(KeepTable)
	s := openDir(t, dir, Options{Keep: keep})
	if err := s.Download(ctx, nil); err != nil {
		t.Fatal(err)
	}
	recs[300].value = []byte("changed")
	m2, _ := writeTo(t, dir, map[string][]record{"t": recs}, WriteOptions{DefaultTarget: 16 << 10})
	s2 := openDir(t, dir, Options{Keep: keep})
	done, total, err := s2.Kept(ctx)
	if want := m2.Tables["t"].Bytes + int64(m2.Tables["t"].IndexBytes); err != nil || done >= total || total != want {
		t.Errorf("Kept after a change = %d, %d, %v, want fewer than %d", done, total, err, want)
	}
	n, _ := keep.Count(ctx, KeepTable)
	kept := 0
	packs := tablePacks(t, dir, "t")
	for _, p := range packs {
		if _, err := keep.Get(ctx, KeepTable, p.File); err == nil {
			kept++
		}
	}
	if n != 1+2*kept || kept < len(packs)-2 {
		t.Errorf("Keep holds %d records, %d packs of %d in the manifest, want 1 + 2×kept (the old index deleted, the new one not kept), all but 1 or 2", n, kept, len(packs))
	}
}

// TestDownload: progress never decreases, a cancelled download resumes,
// and no pack is fetched twice.
func TestDownload(t *testing.T) {
	recs := newsTable(rand.New(rand.NewPCG(13, 14)), 1000)
	dir, m := writeDir(t, map[string][]record{"t": recs, "u": recs[:100]}, WriteOptions{DefaultTarget: 16 << 10})
	packs := map[string][]PackRef{"t": tablePacks(t, dir, "t"), "u": tablePacks(t, dir, "u")}
	keep := store.NewMemory(KeepTable)
	f := counting(dir)
	s := openWith(t, f, Options{Keep: keep, KeepFetched: true})
	if _, err := s.Get(ctx, "t", recs[500].key); err != nil { // one pack kept by reading
		t.Fatal(err)
	}
	files := map[string]bool{}
	var total int64
	for name, tb := range m.Tables {
		if tb.Index != "" {
			total += int64(tb.IndexBytes)
		}
		for _, p := range packs[name] {
			if !files[p.File] {
				total += int64(p.Bytes)
			}
			files[p.File] = true
		}
	}
	var last int64
	calls := 0
	progress := func(done, tot int64) {
		calls++
		if done < last || tot != total || done > tot {
			t.Errorf("progress(%d, %d) after %d, total %d", done, tot, last, total)
		}
		last = done
	}
	cctx, cancel := context.WithCancel(ctx)
	err := s.Download(cctx, func(done, tot int64) {
		progress(done, tot)
		if calls == 5 {
			cancel()
		}
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled Download = %v, want context.Canceled", err)
	}
	mid, _, _ := s.Kept(ctx)
	if mid <= 0 || mid >= total {
		t.Errorf("Kept after cancel = %d of %d, want part", mid, total)
	}
	if err := s.Download(ctx, progress); err != nil {
		t.Fatalf("resumed Download = %v", err)
	}
	if done, tot, err := s.Kept(ctx); done != total || tot != total || err != nil {
		t.Errorf("Kept = %d, %d, %v, want %d, %d", done, tot, err, total, total)
	}
	if last != total {
		t.Errorf("last progress %d, want %d", last, total)
	}
	distinct := len(files) // pack files
	for _, tb := range m.Tables {
		if tb.Index != "" {
			files[tb.Index] = true
		}
	}
	for file := range files {
		if n := f.count(file); n != 1 {
			t.Errorf("%s fetched %d times, want once", file, n)
		}
	}
	if err := s.Download(ctx, nil); err != nil || f.packs() != distinct {
		t.Errorf("Download when all is kept = %v, %d fetches, want nil, %d", err, f.packs(), distinct)
	}
}

// TestHTTP opens an archive through HTTPFetcher from a Pages-like server
// on loopback.
func TestHTTP(t *testing.T) {
	recs := newsTable(rand.New(rand.NewPCG(15, 16)), 200)
	dir, _ := writeDir(t, map[string][]record{"t": recs}, WriteOptions{DefaultTarget: 16 << 10})
	srv := httptest.NewServer(ghpages.New(dir, "/REPO/", ghpages.Options{Gzip: true}))
	defer srv.Close()
	s := openWith(t, HTTPFetcher(srv.URL+"/REPO", nil), Options{})
	keys := []string{recs[3].key, "missing", recs[150].key}
	got, err := s.GetMany(ctx, "t", keys)
	if err != nil || string(got[0]) != string(recs[3].value) || got[1] != nil || string(got[2]) != string(recs[150].value) {
		t.Errorf("GetMany(%q) over HTTP = %.20q, %v", keys, got, err)
	}
	n := 0
	if err := s.Scan(ctx, "t", "", "", 0, func(string, []byte) bool { n++; return true }); err != nil || n != len(recs) {
		t.Errorf("Scan over HTTP = %d records, %v, want %d", n, err, len(recs))
	}
	if _, err := Open(ctx, HTTPFetcher(srv.URL+"/OTHER/", nil), Options{}); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Open(missing archive) = %v, want fs.ErrNotExist", err)
	}
	if _, err := BrowserFetcher(srv.URL+"/REPO/").Fetch(ctx, "p/missing.pack"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("BrowserFetcher(native).Fetch(missing) = %v, want fs.ErrNotExist", err)
	}
}

// TestScanFetchesLazily: a scan fetches the packs it visits, and reads at
// most one ahead, only when its limit needs more than the pack holds.
func TestScanFetchesLazily(t *testing.T) {
	recs := newsTable(rand.New(rand.NewPCG(17, 18)), 400)
	dir, _ := writeDir(t, map[string][]record{"t": recs}, WriteOptions{DefaultTarget: 16 << 10})
	packs := tablePacks(t, dir, "t")
	if len(packs) < 10 {
		t.Fatalf("%d packs, want at least 10", len(packs))
	}
	for _, c := range []struct {
		name        string
		reverse     bool
		limit, stop int
		minN, maxN  int
		start, end  string
	}{
		{"limit within the first pack", false, packs[0].Count, 0, 1, 1, "", ""},
		{"limit one past the first pack", false, packs[0].Count + 1, 0, 2, 2, "", ""},
		{"stop after one record", false, 0, 1, 1, 2, "", ""},
		{"reverse limit within the last pack", true, packs[len(packs)-1].Count, 0, 1, 1, "", ""},
		{"range inside one pack", false, 0, 0, 1, 1, packs[3].Lo, packs[3].Hi},
		{"whole table", false, 0, 0, len(packs), len(packs), "", ""},
	} {
		f := counting(dir)
		s := openWith(t, f, Options{})
		got := scanAll(t, s, "t", c.reverse, c.start, c.end, c.limit, c.stop)
		s.Close()
		time.Sleep(10 * time.Millisecond) // a read ahead may still be fetching
		if n := f.packs(); n < c.minN || n > c.maxN {
			t.Errorf("%s: %d packs fetched for %d records, want %d to %d", c.name, n, len(got), c.minN, c.maxN)
		}
	}
}

// TestSingleFetch: concurrent readers of a cold pack fetch it once.
func TestSingleFetch(t *testing.T) {
	recs := newsTable(rand.New(rand.NewPCG(19, 20)), 100)
	dir, _ := writeDir(t, map[string][]record{"t": recs}, WriteOptions{DefaultTarget: 1 << 20})
	f := counting(dir)
	s := openWith(t, slowFetcher{f, 20 * time.Millisecond}, Options{})
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Go(func() {
			if _, err := s.Get(ctx, "t", recs[i].key); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if n := f.packs(); n != 1 {
		t.Errorf("20 concurrent Gets from one pack fetched it %d times, want once", n)
	}
}

type slowFetcher struct {
	Fetcher
	delay time.Duration
}

func (s slowFetcher) Fetch(ctx context.Context, name string) ([]byte, error) {
	time.Sleep(s.delay)
	return s.Fetcher.Fetch(ctx, name)
}

// TestStale: a pack gone from the host (the archive was rebuilt) gives
// ErrStale, which also matches fs.ErrNotExist.
func TestStale(t *testing.T) {
	recs := newsTable(rand.New(rand.NewPCG(21, 22)), 100)
	dir, m := writeDir(t, map[string][]record{"t": recs}, WriteOptions{DefaultTarget: 16 << 10})
	s := openDir(t, dir, Options{})
	if err := os.Remove(filepath.Join(dir, m.Tables["t"].Inline[0].File)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get(ctx, "t", recs[0].key); !errors.Is(err, ErrStale) || !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Get from a deleted pack = %v, want ErrStale and fs.ErrNotExist", err)
	}
}

// TestKeptDamaged: a damaged kept manifest or pack is not used: the
// fetched manifest opens, the pack is fetched again and kept anew.
func TestKeptDamaged(t *testing.T) {
	recs := newsTable(rand.New(rand.NewPCG(23, 24)), 100)
	dir, m := writeDir(t, map[string][]record{"t": recs}, WriteOptions{DefaultTarget: 16 << 10})
	keep := store.NewMemory(KeepTable)
	s := openDir(t, dir, Options{Keep: keep})
	if err := s.Download(ctx, nil); err != nil {
		t.Fatal(err)
	}
	s.Close()
	file := m.Tables["t"].Inline[0].File
	var b store.Batch
	b.Put(KeepTable, file, []byte("damaged"))
	if err := keep.Write(ctx, &b); err != nil {
		t.Fatal(err)
	}
	f := counting(dir)
	s = openWith(t, f, Options{Keep: keep})
	if _, err := s.Get(ctx, "t", recs[0].key); err != nil {
		t.Errorf("Get from a damaged kept pack = %v, want it fetched again", err)
	}
	if n := f.count(file); n != 1 {
		t.Errorf("damaged kept pack fetched %d times, want once", n)
	}
	if done, total, _ := s.Kept(ctx); done >= total {
		t.Errorf("Kept = %d of %d after a damaged pack, want it no longer counted", done, total)
	}
	if err := s.Download(ctx, nil); err != nil || f.count(file) != 2 {
		t.Errorf("Download = %v, fetches of the damaged pack %d, want nil, 2", err, f.count(file))
	}
}

// TestOpenNotAManifest: a page that is not a manifest (a captive portal)
// opens the kept manifest; without one, Open fails with ErrCorrupt.
func TestOpenNotAManifest(t *testing.T) {
	recs := newsTable(rand.New(rand.NewPCG(25, 26)), 50)
	dir, _ := writeDir(t, map[string][]record{"t": recs}, WriteOptions{})
	keep := store.NewMemory(KeepTable)
	openDir(t, dir, Options{Keep: keep}).Close()
	if err := os.WriteFile(filepath.Join(dir, ManifestName), []byte("<html>sign in to the Wi-Fi</html>"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(ctx, DirFetcher(dir), Options{}); !errors.Is(err, ErrCorrupt) {
		t.Errorf("Open(not a manifest) = %v, want ErrCorrupt", err)
	}
	s := openDir(t, dir, Options{Keep: keep})
	if n, err := s.Count(ctx, "t"); n != len(recs) || err != nil {
		t.Errorf("Count from the kept manifest = %d, %v, want %d", n, err, len(recs))
	}
}

// TestDownloadOrder: the smallest tables come first, each in key order.
func TestDownloadOrder(t *testing.T) {
	r := rand.New(rand.NewPCG(29, 30))
	dir, _ := writeDir(t, map[string][]record{"big": newsTable(r, 300), "small": randomTable(r, 300, 100)}, WriteOptions{DefaultTarget: 8 << 10})
	s := openDir(t, dir, Options{})
	if err := s.allIndexes(ctx, s.readFile); err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, table := range []string{"small", "big"} {
		for _, p := range tablePacks(t, dir, table) {
			want = append(want, p.File)
		}
	}
	if got := s.downloadOrder(); !slices.Equal(got, want) {
		t.Errorf("downloadOrder = %q, want %q", got, want)
	}
}

// TestIndexLazily: the first and the last pack of a table are read
// without its index file (the first page of a list, from either end); a
// key between them reads the index once, whoever asks.
func TestIndexLazily(t *testing.T) {
	recs := newsTable(rand.New(rand.NewPCG(33, 34)), 400)
	dir, m := writeDir(t, map[string][]record{"t": recs}, WriteOptions{DefaultTarget: 16 << 10})
	idx := m.Tables["t"].Index
	if idx == "" || m.Tables["t"].Packs <= InlinePacks {
		t.Fatalf("table of %d packs, index %q: want an index file", m.Tables["t"].Packs, idx)
	}
	f := counting(dir)
	s := openWith(t, f, Options{})
	scanAll(t, s, "t", false, "", "", 5, 0)
	scanAll(t, s, "t", true, "", "", 5, 0)
	if _, err := s.Get(ctx, "t", recs[0].key); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get(ctx, "t", recs[len(recs)-1].key); err != nil {
		t.Fatal(err)
	}
	if n := f.count(idx); n != 0 || f.packs() != 2 {
		t.Errorf("both ends read: index fetched %d times, %d packs, want 0, 2", n, f.packs())
	}
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			k := recs[100+20*i].key
			if v, err := s.Get(ctx, "t", k); err != nil || string(v) != string(recs[100+20*i].value) {
				t.Errorf("Get(%q) = %.20q, %v", k, v, err)
			}
		})
	}
	wg.Wait()
	if n := f.count(idx); n != 1 {
		t.Errorf("index fetched %d times by 8 readers, want once", n)
	}
	if _, err := s.Get(ctx, "t", "a/00001235"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Get(absent) = %v, want ErrNotFound", err)
	}
}

// TestIndexKept: an index file read is kept with the packs read, so what
// was read stays readable offline.
func TestIndexKept(t *testing.T) {
	recs := newsTable(rand.New(rand.NewPCG(35, 36)), 400)
	dir, _ := writeDir(t, map[string][]record{"t": recs}, WriteOptions{DefaultTarget: 16 << 10})
	keep := store.NewMemory(KeepTable)
	f := counting(dir)
	s := openWith(t, f, Options{Keep: keep, KeepFetched: true})
	mid := recs[200]
	if _, err := s.Get(ctx, "t", mid.key); err != nil {
		t.Fatal(err)
	}
	s.Close()
	f.fail = true
	s = openWith(t, f, Options{Keep: keep})
	if v, err := s.Get(ctx, "t", mid.key); err != nil || string(v) != string(mid.value) {
		t.Errorf("offline Get(read before) = %.20q, %v, want %.20q", v, err, mid.value)
	}
}

// TestPreload: Open starts reading the index files of the tables
// Options.Preload names, so a read in their middle waits for no other.
func TestPreload(t *testing.T) {
	recs := newsTable(rand.New(rand.NewPCG(37, 38)), 400)
	dir, m := writeDir(t, map[string][]record{"t": recs, "u": recs[:300]}, WriteOptions{DefaultTarget: 16 << 10})
	f := counting(dir)
	s := openWith(t, f, Options{Preload: []string{"t", "missing"}})
	deadline := time.Now().Add(10 * time.Second)
	for f.count(m.Tables["t"].Index) == 0 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	if _, err := s.Get(ctx, "t", recs[200].key); err != nil {
		t.Fatal(err)
	}
	if n, u := f.count(m.Tables["t"].Index), f.count(m.Tables["u"].Index); n != 1 || u != 0 {
		t.Errorf("index of t fetched %d times, of u %d, want 1, 0", n, u)
	}
}

// TestWarm: Warm starts reading the first pack of each table it names
// (and of no other), once: a read of it then fetches nothing more.
func TestWarm(t *testing.T) {
	recs := newsTable(rand.New(rand.NewPCG(43, 44)), 400)
	dir, m := writeDir(t, map[string][]record{"t": recs, "u": recs[200:]}, WriteOptions{DefaultTarget: 16 << 10})
	f := counting(dir)
	s := openWith(t, f, Options{})
	s.Warm(ctx, []string{"t", "missing"})
	first := m.Tables["t"].Inline[0].File
	deadline := time.Now().Add(10 * time.Second)
	for f.count(first) == 0 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	if f.count(first) != 1 {
		t.Fatalf("first pack of t fetched %d times before any read, want once", f.count(first))
	}
	if _, err := s.Get(ctx, "t", recs[0].key); err != nil {
		t.Fatal(err)
	}
	if n, u := f.count(first), f.count(m.Tables["u"].Inline[0].File); n != 1 || u != 0 {
		t.Errorf("first pack of t fetched %d times, of u %d, want 1, 0", n, u)
	}
}

// TestCleanupReadsOnlyItsTables: after a rebuild, telling which kept packs
// are gone reads the new index files of only the tables they were of.
func TestCleanupReadsOnlyItsTables(t *testing.T) {
	r := rand.New(rand.NewPCG(39, 40))
	tables := map[string][]record{"t": newsTable(r, 400), "u": randomTable(r, 400, 400)}
	dir := t.TempDir()
	opts := WriteOptions{DefaultTarget: 8 << 10}
	m1, _ := writeTo(t, dir, tables, opts)
	keep := store.NewMemory(KeepTable)
	s := openDir(t, dir, Options{Keep: keep, KeepFetched: true})
	scanAll(t, s, "t", false, "", "", 1, 0)
	scanAll(t, s, "u", false, "", "", 1, 0)
	s.Close()
	tables["t"][0].value = []byte("changed") // in the first pack of t
	m2, _ := writeTo(t, dir, tables, opts)
	if m1.Tables["t"].Inline[0] == m2.Tables["t"].Inline[0] || m1.Tables["u"].Index != m2.Tables["u"].Index {
		t.Fatalf("the rebuild changed other packs than t's first")
	}
	f := counting(dir)
	s = openWith(t, f, Options{Keep: keep, KeepFetched: true})
	s.Kept(ctx) // waits for the cleanup
	if n, u := f.count(m2.Tables["t"].Index), f.count(m2.Tables["u"].Index); n != 1 || u != 0 {
		t.Errorf("cleanup fetched the index of t %d times, of u %d, want 1, 0", n, u)
	}
	if _, err := keep.Get(ctx, KeepTable, m1.Tables["t"].Inline[0].File); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("the old first pack of t is still kept: %v", err)
	}
	if _, err := keep.Get(ctx, KeepTable, m1.Tables["u"].Inline[0].File); err != nil {
		t.Errorf("the first pack of u is no longer kept: %v", err)
	}
}

// keepReads counts the reads of a Keep store: Gets of packs and
// GetManys.
type keepReads struct {
	store.Store
	mu         sync.Mutex
	gets, many int
}

func (k *keepReads) Get(ctx context.Context, table, key string) ([]byte, error) {
	k.mu.Lock()
	if strings.HasSuffix(key, ".pack") {
		k.gets++
	}
	k.mu.Unlock()
	return k.Store.Get(ctx, table, key)
}

func (k *keepReads) GetMany(ctx context.Context, table string, keys []string) ([][]byte, error) {
	k.mu.Lock()
	k.many++
	k.mu.Unlock()
	return k.Store.GetMany(ctx, table, keys)
}

// TestGetManyReadsKeepOnce: the packs of a GetMany are looked up in Keep
// in one read (a read per pack would start their fetches at scattered
// times); the kept ones are not fetched, a damaged or missing one is.
func TestGetManyReadsKeepOnce(t *testing.T) {
	recs := newsTable(rand.New(rand.NewPCG(41, 42)), 300)
	dir, _ := writeDir(t, map[string][]record{"t": recs}, WriteOptions{DefaultTarget: 8 << 10})
	mem := store.NewMemory(KeepTable)
	s := openDir(t, dir, Options{Keep: mem})
	if err := s.Download(ctx, nil); err != nil {
		t.Fatal(err)
	}
	packs, err := s.Packs(ctx, "t")
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if len(packs) < 4 {
		t.Fatalf("%d packs, want at least 4", len(packs))
	}
	var b store.Batch
	b.Put(KeepTable, packs[1].File, []byte("damaged"))
	b.Delete(KeepTable, packs[2].File)
	if err := mem.Write(ctx, &b); err != nil {
		t.Fatal(err)
	}
	keep := &keepReads{Store: mem}
	f := counting(dir)
	s = openWith(t, f, Options{Keep: keep, KeepFetched: true})
	keep.mu.Lock()
	keep.gets, keep.many = 0, 0
	keep.mu.Unlock()
	var keys []string
	for _, p := range packs[:4] {
		for _, r := range recs {
			if r.key >= p.Lo && (p.Hi == "" || r.key < p.Hi) {
				keys = append(keys, r.key)
				break
			}
		}
	}
	vals, err := s.GetMany(ctx, "t", keys)
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range vals {
		if v == nil {
			t.Errorf("GetMany: no value for %q", keys[i])
		}
	}
	if keep.gets != 0 || keep.many != 1 {
		t.Errorf("GetMany over 4 packs read Keep with %d Gets of packs and %d GetManys, want 0 and 1", keep.gets, keep.many)
	}
	for i, p := range packs[:4] {
		want := 0
		if i == 1 || i == 2 {
			want = 1
		}
		if n := f.count(p.File); n != want {
			t.Errorf("pack %d fetched %d times, want %d", i, n, want)
		}
	}
}
