//go:build !(js && wasm)

package static

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/broadsheet/broadsheet/app/store"
	"github.com/broadsheet/broadsheet/app/store/storetest"
)

// rewriting is a store.Store whose writes go to a Memory store, after which
// the whole archive is written again and reopened: it runs the store
// contract against the reader (and the writer) of this package.
type rewriting struct {
	t      *testing.T
	tables []string
	mem    *store.Memory
	dir    string
	opts   WriteOptions
	*Store
}

func newRewriting(t *testing.T, tables []string, opts WriteOptions) *rewriting {
	r := &rewriting{t: t, tables: tables, mem: store.NewMemory(tables...), dir: t.TempDir(), opts: opts}
	if err := r.rewrite(); err != nil {
		t.Fatal(err)
	}
	return r
}

func (r *rewriting) rewrite() error {
	if _, _, err := Write(ctx, r.mem, r.tables, r.dir, r.opts); err != nil {
		return err
	}
	s, err := Open(ctx, DirFetcher(r.dir), Options{})
	if err != nil {
		return err
	}
	if r.Store != nil {
		r.Store.Close()
	}
	r.Store = s
	return nil
}

func (r *rewriting) Write(ctx context.Context, b *store.Batch) error {
	if err := r.Store.Write(ctx, b); !errors.Is(err, ErrReadOnly) {
		return err // closed
	}
	if err := r.mem.Write(ctx, b); err != nil {
		return err
	}
	return r.rewrite()
}

func TestContract(t *testing.T) {
	storetest.Test(t, func(t *testing.T, tables []string) store.Store {
		return newRewriting(t, tables, WriteOptions{DefaultTarget: 200})
	})
}

func TestWriteReadOnly(t *testing.T) {
	s := openWritten(t, map[string][]record{"a": {{"k", []byte("v")}}}, WriteOptions{})
	var b store.Batch
	b.Put("a", "k", []byte("w"))
	if err := s.Write(ctx, &b); !errors.Is(err, ErrReadOnly) {
		t.Errorf("Write = %v, want ErrReadOnly", err)
	}
	s.Close()
	if err := s.Write(ctx, &b); !errors.Is(err, store.ErrClosed) {
		t.Errorf("Write after Close = %v, want ErrClosed", err)
	}
}

// writeDir writes tables (records in any order) as an archive into a new
// directory.
func writeDir(t testing.TB, tables map[string][]record, opts WriteOptions) (string, *Manifest) {
	t.Helper()
	dir := t.TempDir()
	m, _ := writeTo(t, dir, tables, opts)
	return dir, m
}

// tablePacks returns every pack of a table of the archive in dir.
func tablePacks(t testing.TB, dir, table string) []PackRef {
	t.Helper()
	s, err := Open(ctx, DirFetcher(dir), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	packs, err := s.Packs(ctx, table)
	if err != nil {
		t.Fatal(err)
	}
	return packs
}

func writeTo(t testing.TB, dir string, tables map[string][]record, opts WriteOptions) (*Manifest, WriteStats) {
	t.Helper()
	w := NewWriter(dir, opts)
	for _, name := range sortedKeys(tables) {
		recs := slices.Clone(tables[name])
		slices.SortFunc(recs, func(a, b record) int { return cmpString(a.key, b.key) })
		if err := w.AddTable(name); err != nil {
			t.Fatal(err)
		}
		for _, r := range recs {
			if err := w.Add(name, r.key, r.value); err != nil {
				t.Fatalf("Add(%q, %q) = %v", name, r.key, err)
			}
		}
	}
	m, st, err := w.Close()
	if err != nil {
		t.Fatalf("Close = %v", err)
	}
	return m, st
}

func cmpString(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func sortedKeys[V any](m map[string]V) []string {
	var keys []string
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func openWritten(t testing.TB, tables map[string][]record, opts WriteOptions) *Store {
	t.Helper()
	dir, _ := writeDir(t, tables, opts)
	s, err := Open(ctx, DirFetcher(dir), Options{})
	if err != nil {
		t.Fatalf("Open = %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// randomTable returns n records with distinct random keys (some binary,
// with \x00 and \xff, some sharing long prefixes) and values of random
// sizes, a few of them larger than big.
// memoryOf returns a memory store holding tables.
func memoryOf(t *testing.T, tables map[string][]record) *store.Memory {
	t.Helper()
	mem := store.NewMemory(sortedKeys(tables)...)
	for name, recs := range tables {
		var b store.Batch
		for _, rec := range recs {
			b.Put(name, rec.key, rec.value)
		}
		if err := mem.Write(ctx, &b); err != nil {
			t.Fatal(err)
		}
	}
	return mem
}

func randomTable(r *rand.Rand, n, big int) []record {
	seen := map[string]bool{}
	var recs []record
	alphabet := []byte("\x00\x01ab\x7f\x80\xfe\xff/é中")
	for len(recs) < n {
		var k []byte
		switch r.IntN(3) {
		case 0:
			k = fmt.Appendf(nil, "article/%06d", r.IntN(1_000_000))
		case 1:
			for range r.IntN(6) {
				k = append(k, alphabet[r.IntN(len(alphabet))])
			}
		default:
			k = fmt.Appendf(nil, "t/%s/%d", []string{"中文", "x", "\xff\xff"}[r.IntN(3)], r.IntN(5000))
		}
		if seen[string(k)] {
			continue
		}
		seen[string(k)] = true
		size := r.IntN(300)
		if r.IntN(50) == 0 {
			size = big + r.IntN(big)
		}
		v := make([]byte, size)
		for i := range v {
			v[i] = byte('a' + r.IntN(4))
		}
		recs = append(recs, record{string(k), v})
	}
	return recs
}

// TestDifferential compares the reader with store.Memory holding the same
// records, over random tables and many scan bounds.
func TestDifferential(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	tables := map[string][]record{
		"empty": nil,
		"one":   {{"only", []byte("value")}},
		"small": randomTable(r, 40, 1000),
		"many":  randomTable(r, 3000, 1000),
		"big":   {{"a", bytes.Repeat([]byte("x"), 5000)}, {"b", nil}, {"c", bytes.Repeat([]byte("y"), 9000)}},
		"bin":   {{"", []byte("empty key")}, {"\x00", []byte("0")}, {"\x00\x00", nil}, {"\xff", []byte("ff")}, {"\xff\xff\xff", []byte("fff")}},
	}
	mem := memoryOf(t, tables)
	for _, target := range []int{400, 4000, 1 << 20} {
		t.Run(fmt.Sprint("target", target), func(t *testing.T) {
			s := openWritten(t, tables, WriteOptions{DefaultTarget: target, Meta: map[string]int{"target": target}})
			if got := s.Manifest().Tables["many"].Packs; target == 400 && got < 100 {
				t.Errorf("target 400: %d packs for table many, want many", got)
			}
			for _, name := range sortedKeys(tables) {
				compareTable(t, r, mem, s, name, tables[name])
			}
		})
	}
}

func compareTable(t *testing.T, r *rand.Rand, mem *store.Memory, s *Store, table string, recs []record) {
	wantN, _ := mem.Count(ctx, table)
	if n, err := s.Count(ctx, table); n != wantN || err != nil {
		t.Errorf("Count(%q) = %d, %v, want %d", table, n, err, wantN)
	}
	probes := []string{"", "\x00", "\xff", "\xff\xff\xff\xff", "article/", "t/", "zzz", "a", "b"}
	for _, rec := range recs {
		probes = append(probes, rec.key, rec.key+"\x00", rec.key[:len(rec.key)/2])
	}
	for _, k := range probes {
		want, wantErr := mem.Get(ctx, table, k)
		got, err := s.Get(ctx, table, k)
		if !bytes.Equal(got, want) || (err == nil) != (wantErr == nil) || (err != nil && !errors.Is(err, store.ErrNotFound)) {
			t.Fatalf("Get(%q, %q) = %.20q, %v, want %.20q, %v", table, k, got, err, want, wantErr)
		}
	}
	for range 20 {
		keys := make([]string, r.IntN(30))
		for i := range keys {
			keys[i] = probes[r.IntN(len(probes))]
		}
		want, _ := mem.GetMany(ctx, table, keys)
		got, err := s.GetMany(ctx, table, keys)
		if err != nil || len(got) != len(want) {
			t.Fatalf("GetMany(%q, %q) = %d values, %v, want %d", table, keys, len(got), err, len(want))
		}
		for i := range want {
			if (got[i] == nil) != (want[i] == nil) || !bytes.Equal(got[i], want[i]) {
				t.Fatalf("GetMany(%q, %q)[%d] = %.20q, want %.20q", table, keys, i, got[i], want[i])
			}
		}
	}
	for range 120 {
		start, end := probes[r.IntN(len(probes))], probes[r.IntN(len(probes))]
		if r.IntN(4) == 0 {
			end = ""
		}
		if r.IntN(4) == 0 {
			start = ""
		}
		limit, stop := r.IntN(5)*r.IntN(40), r.IntN(3)*r.IntN(60)
		for _, reverse := range []bool{false, true} {
			want := scanAll(t, mem, table, reverse, start, end, limit, stop)
			got := scanAll(t, s, table, reverse, start, end, limit, stop)
			if !slices.Equal(got, want) {
				t.Fatalf("Scan(%q, reverse %v, %q, %q, limit %d, stop %d) = %d records %.40q, want %d %.40q",
					table, reverse, start, end, limit, stop, len(got), got, len(want), want)
			}
		}
	}
}

// scanAll returns key=value of the records a scan visits, stopping after
// stop records when stop > 0.
func scanAll(t *testing.T, s store.Store, table string, reverse bool, start, end string, limit, stop int) []string {
	t.Helper()
	f := s.Scan
	if reverse {
		f = s.ScanReverse
	}
	var out []string
	err := f(ctx, table, start, end, limit, func(k string, v []byte) bool {
		out = append(out, k+"="+string(v))
		return stop <= 0 || len(out) < stop
	})
	if err != nil {
		t.Fatalf("Scan(%q, %q, %q) = %v", table, start, end, err)
	}
	return out
}

func TestUnknownTableAndClosed(t *testing.T) {
	s := openWritten(t, map[string][]record{"a": {{"k", []byte("v")}}}, WriteOptions{})
	if _, err := s.Get(ctx, "nope", "k"); !errors.Is(err, store.ErrUnknownTable) {
		t.Errorf("Get(unknown table) = %v, want ErrUnknownTable", err)
	}
	s.Close()
	if _, err := s.Get(ctx, "a", "k"); !errors.Is(err, store.ErrClosed) {
		t.Errorf("Get after Close = %v, want ErrClosed", err)
	}
}

func TestWriterOrder(t *testing.T) {
	w := NewWriter(t.TempDir(), WriteOptions{})
	if err := w.Add("a", "b", nil); err != nil {
		t.Fatal(err)
	}
	if err := w.Add("b", "a", nil); err != nil { // another table: its own order
		t.Fatal(err)
	}
	if err := w.Add("a", "b", nil); err == nil {
		t.Errorf("Add of a repeated key = nil, want an error")
	}
	if _, _, err := w.Close(); err == nil {
		t.Errorf("Close after a failed Add = nil, want the error")
	}
	w = NewWriter(t.TempDir(), WriteOptions{})
	if err := w.Add("a", string(make([]byte, MaxKey+1)), nil); err == nil {
		t.Errorf("Add of a key of %d bytes = nil, want an error", MaxKey+1)
	}
}

// TestBigRecords: a record larger than the target gets a pack of its own.
func TestBigRecords(t *testing.T) {
	recs := []record{{"a", []byte("small")}, {"b", make([]byte, 3000)}, {"c", []byte("small")}, {"d", make([]byte, 3000)}, {"e", make([]byte, 3000)}}
	dir, _ := writeDir(t, map[string][]record{"t": recs}, WriteOptions{DefaultTarget: 1000})
	var got []string
	for _, p := range tablePacks(t, dir, "t") {
		got = append(got, p.Lo+".."+p.Hi)
	}
	want := []string{"..b", "b..c", "c..d", "d..e", "e.."}
	if !slices.Equal(got, want) {
		t.Errorf("packs = %q, want %q", got, want)
	}
}

func TestManifestBinaryKeys(t *testing.T) {
	big := bytes.Repeat([]byte("v"), 3000) // a pack each
	dir, m := writeDir(t, map[string][]record{"t": {{"\x00\xff", big}, {"\xffz", big}}}, WriteOptions{DefaultTarget: 1000})
	s, err := Open(ctx, DirFetcher(dir), Options{})
	if err != nil {
		t.Fatal(err)
	}
	p := s.Manifest().Tables["t"].Inline[1]
	if p.Lo != "\xff" || p.Hi != "" {
		t.Errorf("reopened pack range %q..%q, want %q..%q", p.Lo, p.Hi, "\xff", "")
	}
	if m.Tables["t"].Inline[1] != p {
		t.Errorf("reopened pack %+v, written %+v", p, m.Tables["t"].Inline[1])
	}
	for _, k := range []string{"\x00\xff", "\xffz"} {
		if _, err := s.Get(ctx, "t", k); err != nil {
			t.Errorf("Get(%q) = %v", k, err)
		}
	}
}

// countingFetcher counts the fetches of each file that returned bytes.
type countingFetcher struct {
	Fetcher
	mu      sync.Mutex
	fetched map[string]int
	fail    bool // every fetch fails, as offline
}

func (c *countingFetcher) Fetch(ctx context.Context, name string) ([]byte, error) {
	c.mu.Lock()
	fail := c.fail
	c.mu.Unlock()
	if fail {
		return nil, errors.New("offline")
	}
	data, err := c.Fetcher.Fetch(ctx, name)
	if err == nil {
		c.mu.Lock()
		c.fetched[name]++
		c.mu.Unlock()
	}
	return data, err
}

func (c *countingFetcher) count(name string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.fetched[name]
}

// packs counts the fetches of pack files (not of the manifest or index
// files).
func (c *countingFetcher) packs() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for name, k := range c.fetched {
		if strings.HasSuffix(name, ".pack") {
			n += k
		}
	}
	return n
}

func counting(dir string) *countingFetcher {
	return &countingFetcher{Fetcher: DirFetcher(dir), fetched: map[string]int{}}
}

// TestCorrupt: a pack of bad bytes, and a pack whose bytes do not hash to
// its name, give ErrCorrupt and are not kept.
func TestCorrupt(t *testing.T) {
	recs := randomTable(rand.New(rand.NewPCG(3, 4)), 500, 100)
	for _, c := range []struct {
		name   string
		damage func(data []byte) []byte
	}{
		{"flipped byte", func(d []byte) []byte { d[len(d)/2] ^= 1; return d }},
		{"truncated", func(d []byte) []byte { return d[:len(d)-3] }},
		{"other pack", nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir, _ := writeDir(t, map[string][]record{"t": recs}, WriteOptions{DefaultTarget: 2000})
			packs := tablePacks(t, dir, "t")
			victim := filepath.Join(dir, packs[1].File)
			data, err := os.ReadFile(victim)
			if err != nil {
				t.Fatal(err)
			}
			if c.damage != nil {
				data = c.damage(data)
			} else if data, err = os.ReadFile(filepath.Join(dir, packs[2].File)); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(victim, data, 0o644); err != nil {
				t.Fatal(err)
			}
			keep := store.NewMemory(KeepTable)
			s, err := Open(ctx, DirFetcher(dir), Options{Keep: keep, KeepFetched: true})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := s.Get(ctx, "t", packs[1].Lo); !errors.Is(err, ErrCorrupt) {
				t.Errorf("Get from a damaged pack = %v, want ErrCorrupt", err)
			}
			if err := s.Scan(ctx, "t", "", "", 0, func(string, []byte) bool { return true }); !errors.Is(err, ErrCorrupt) {
				t.Errorf("Scan over a damaged pack = %v, want ErrCorrupt", err)
			}
			if _, err := s.Get(ctx, "t", slices.MinFunc(recs, func(a, b record) int { return cmpString(a.key, b.key) }).key); err != nil {
				t.Errorf("Get from a sound pack = %v", err)
			}
			if _, err := keep.Get(ctx, KeepTable, packs[1].File); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("damaged pack kept: Keep.Get = %v, want ErrNotFound", err)
			}
			if err := s.Download(ctx, nil); !errors.Is(err, ErrCorrupt) {
				t.Errorf("Download = %v, want ErrCorrupt", err)
			}
		})
	}
}

func TestOpenErrors(t *testing.T) {
	dir := t.TempDir()
	if _, err := Open(ctx, DirFetcher(dir), Options{}); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Open(empty dir) = %v, want fs.ErrNotExist", err)
	}
	for _, c := range []struct {
		manifest string
		want     error
	}{
		{`{"version":4,"tables":{}}`, store.ErrVersion},
		{`{"version":1,"tables":{}}`, store.ErrVersion},
		{`{"version":2,"tables":{"t":{"count":1,"bytes":10,"packs":1,"inline":[{"file":"../x.pack","count":1,"bytes":10}]}}}`, ErrCorrupt},
		{`{"version":2,"tables":{"t":{"count":2,"bytes":10,"packs":1,"inline":[{"file":"p/0123456789abcdef0123.pack","count":1,"bytes":10}]}}}`, ErrCorrupt},
		{`{"version":2,"tables":{"t":{"count":2,"bytes":20,"packs":2,"inline":[{"file":"p/0123456789abcdef0123.pack","hi":"b","count":1,"bytes":10},{"file":"p/0123456789abcdef0124.pack","lo":"c","count":1,"bytes":10}]}}}`, ErrCorrupt},
		{`{"version":2,"tables":{"t":{"count":9,"bytes":90,"packs":3,"index":"p/0123456789abcdef0125.idx","index_bytes":5,"inline":[{"file":"p/0123456789abcdef0123.pack","hi":"b","count":1,"bytes":10},{"file":"p/0123456789abcdef0124.pack","lo":"a","count":1,"bytes":10}]}}}`, ErrCorrupt},
		{`{"version":2,"tables":{"t":{"count":9,"bytes":90,"packs":3,"index":"../x.idx","index_bytes":5,"inline":[{"file":"p/0123456789abcdef0123.pack","hi":"b","count":1,"bytes":10},{"file":"p/0123456789abcdef0124.pack","lo":"c","count":1,"bytes":10}]}}}`, ErrCorrupt},
		{`{"version":`, ErrCorrupt},
	} {
		if err := os.WriteFile(filepath.Join(dir, ManifestName), []byte(c.manifest), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := Open(ctx, DirFetcher(dir), Options{}); !errors.Is(err, c.want) {
			t.Errorf("Open(%s) = %v, want %v", c.manifest, err, c.want)
		}
	}
}

func openDir(t testing.TB, dir string, opts Options) *Store {
	t.Helper()
	return openWith(t, DirFetcher(dir), opts)
}

func openWith(t testing.TB, f Fetcher, opts Options) *Store {
	t.Helper()
	s, err := Open(ctx, f, opts)
	if err != nil {
		t.Fatalf("Open = %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// TestWriteInline: a table WriteOptions.Inline names has all its packs in
// the manifest, however many, and no index file; the others get one.
func TestWriteInline(t *testing.T) {
	recs := newsTable(rand.New(rand.NewPCG(41, 42)), 300)
	dir, m := writeDir(t, map[string][]record{"listed": recs, "indexed": recs[:299]}, WriteOptions{DefaultTarget: 8 << 10, Inline: []string{"listed"}})
	l, x := m.Tables["listed"], m.Tables["indexed"]
	if l.Index != "" || len(l.Inline) != l.Packs || l.Packs <= InlinePacks {
		t.Errorf("listed table: %d packs, %d inline, index %q; want all inline, no index", l.Packs, len(l.Inline), l.Index)
	}
	if x.Index == "" || len(x.Inline) != 2 {
		t.Errorf("other table: %d packs, %d inline, index %q; want an index and 2 inline", x.Packs, len(x.Inline), x.Index)
	}
	f := counting(dir)
	s := openWith(t, f, Options{})
	if v, err := s.Get(ctx, "listed", recs[150].key); err != nil || string(v) != string(recs[150].value) {
		t.Errorf("Get(listed middle) = %.20q, %v", v, err)
	}
	if n := f.count(x.Index); n != 0 || f.packs() != 1 {
		t.Errorf("a listed table's read fetched %d packs and the other's index %d times, want 1, 0", f.packs(), n)
	}
}

// TestOpenVersion2: an archive written before version 3 (the same files,
// manifest version 2) is still read, values and all.
func TestOpenVersion2(t *testing.T) {
	dir, m := writeDir(t, map[string][]record{"t": {{"a", []byte("一")}, {"b", []byte("二")}}}, WriteOptions{})
	if m.Version != FormatVersion {
		t.Fatalf("written manifest version %d, want %d", m.Version, FormatVersion)
	}
	p := filepath.Join(dir, ManifestName)
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	old := bytes.Replace(data, fmt.Appendf(nil, `"version":%d`, FormatVersion), []byte(`"version":2`), 1)
	if bytes.Equal(old, data) {
		t.Fatalf("manifest %s has no version field to rewrite", data)
	}
	if err := os.WriteFile(p, old, 0o644); err != nil {
		t.Fatal(err)
	}
	s := openDir(t, dir, Options{})
	if v, err := s.Get(ctx, "t", "b"); err != nil || string(v) != "二" {
		t.Errorf("Get(t, b) of a version 2 archive = %q, %v; want 二", v, err)
	}
}
