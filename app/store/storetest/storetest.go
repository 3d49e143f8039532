package storetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"

	"github.com/broadsheet/broadsheet/app/store"
)

// Opener returns a new, empty store with the given tables. The suite closes
// it; the opener may register more cleanup with t.Cleanup.
type Opener func(t *testing.T, tables []string) store.Store

// Reopener closes s and opens the same store again with the same tables.
type Reopener func(t *testing.T, s store.Store, tables []string) store.Store

// Option changes what Test checks.
type Option func(*suite)

// WithReopen makes Test check that data survives closing and reopening.
func WithReopen(r Reopener) Option { return func(s *suite) { s.reopen = r } }

type suite struct {
	open   Opener
	reopen Reopener
}

// The tables every test opens; "b" stays empty unless a test fills it.
var tables = []string{"a", "b"}

// Test runs the store.Store contract against the stores open returns.
func Test(t *testing.T, open Opener, opts ...Option) {
	s := &suite{open: open}
	for _, o := range opts {
		o(s)
	}
	for _, c := range []struct {
		name string
		fn   func(*testing.T, store.Store)
	}{
		{"GetPut", testGetPut},
		{"NotFound", testNotFound},
		{"GetMany", testGetMany},
		{"UnknownTable", testUnknownTable},
		{"Delete", testDelete},
		{"Scan", testScan},
		{"ScanReverse", testScanReverse},
		{"ScanCallsStore", testScanCallsStore},
		{"BinaryKeys", testBinaryKeys},
		{"UnicodeKeys", testUnicodeKeys},
		{"Values", testValues},
		{"LargeValue", testLargeValue},
		{"AtomicBatch", testAtomicBatch},
		{"BatchOrder", testBatchOrder},
		{"Count", testCount},
		{"ManyKeys", testManyKeys},
		{"Relaxed", testRelaxed},
		{"Canceled", testCanceled},
		{"ConcurrentReaders", testConcurrentReaders},
		{"Closed", testClosed},
	} {
		t.Run(c.name, func(t *testing.T) {
			st := s.open(t, tables)
			defer st.Close()
			c.fn(t, st)
		})
	}
	if s.reopen != nil {
		t.Run("Reopen", s.testReopen)
	}
}

func put(t *testing.T, s store.Store, table string, kv ...string) {
	t.Helper()
	var b store.Batch
	for i := 0; i+1 < len(kv); i += 2 {
		b.Put(table, kv[i], []byte(kv[i+1]))
	}
	if err := s.Write(context.Background(), &b); err != nil {
		t.Fatalf("Write(%d puts) = %v", len(b.Ops), err)
	}
}

func get(t *testing.T, s store.Store, table, key string) []byte {
	t.Helper()
	v, err := s.Get(context.Background(), table, key)
	if err != nil {
		t.Fatalf("Get(%q, %q) = %v", table, key, err)
	}
	return v
}

func wantValue(t *testing.T, s store.Store, table, key, want string) {
	t.Helper()
	if got := get(t, s, table, key); string(got) != want {
		t.Errorf("Get(%q, %q) = %q, want %q", table, key, got, want)
	}
}

func wantMissing(t *testing.T, s store.Store, table, key string) {
	t.Helper()
	v, err := s.Get(context.Background(), table, key)
	if !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Get(%q, %q) = %q, %v, want ErrNotFound", table, key, v, err)
	}
}

func testGetPut(t *testing.T, s store.Store) {
	put(t, s, "a", "k1", "v1", "k2", "v2")
	wantValue(t, s, "a", "k1", "v1")
	wantValue(t, s, "a", "k2", "v2")
	put(t, s, "a", "k1", "v1 again")
	wantValue(t, s, "a", "k1", "v1 again")
	wantMissing(t, s, "b", "k1") // tables are separate
	v := get(t, s, "a", "k2")
	v[0] = 'X' // the caller owns what Get returns
	wantValue(t, s, "a", "k2", "v2")
}

func testNotFound(t *testing.T, s store.Store) {
	wantMissing(t, s, "a", "missing")
	wantMissing(t, s, "a", "")
	put(t, s, "a", "k", "v")
	wantMissing(t, s, "a", "k\x00")
	wantMissing(t, s, "a", "K")
}

func testGetMany(t *testing.T, s store.Store) {
	var b store.Batch
	b.Put("a", "k1", []byte("v1"))
	b.Put("a", "empty", nil)
	b.Put("a", "\xff", []byte("ff"))
	if err := s.Write(context.Background(), &b); err != nil {
		t.Fatal(err)
	}
	keys := []string{"missing", "k1", "empty", "k1", "\xff", ""}
	got, err := s.GetMany(context.Background(), "a", keys)
	if err != nil {
		t.Fatalf("GetMany(%q) = %v", keys, err)
	}
	want := [][]byte{nil, []byte("v1"), {}, []byte("v1"), []byte("ff"), nil}
	if len(got) != len(want) {
		t.Fatalf("GetMany(%q) = %d values, want %d", keys, len(got), len(want))
	}
	for i := range want {
		if (got[i] == nil) != (want[i] == nil) || !bytes.Equal(got[i], want[i]) {
			t.Errorf("GetMany(%q)[%d] = %q (nil %v), want %q (nil %v)", keys, i, got[i], got[i] == nil, want[i], want[i] == nil)
		}
	}
	if got, err := s.GetMany(context.Background(), "a", nil); err != nil || len(got) != 0 {
		t.Errorf("GetMany(no keys) = %q, %v", got, err)
	}
	got[1][0] = 'X' // the caller owns what GetMany returns
	wantValue(t, s, "a", "k1", "v1")
}

func testUnknownTable(t *testing.T, s store.Store) {
	ctx := context.Background()
	if _, err := s.Get(ctx, "nope", "k"); !errors.Is(err, store.ErrUnknownTable) {
		t.Errorf("Get(unknown table) = %v, want ErrUnknownTable", err)
	}
	if _, err := s.GetMany(ctx, "nope", []string{"k"}); !errors.Is(err, store.ErrUnknownTable) {
		t.Errorf("GetMany(unknown table) = %v, want ErrUnknownTable", err)
	}
	if err := s.Scan(ctx, "nope", "", "", 0, func(string, []byte) bool { return true }); !errors.Is(err, store.ErrUnknownTable) {
		t.Errorf("Scan(unknown table) = %v, want ErrUnknownTable", err)
	}
	if _, err := s.Count(ctx, "nope"); !errors.Is(err, store.ErrUnknownTable) {
		t.Errorf("Count(unknown table) = %v, want ErrUnknownTable", err)
	}
	var b store.Batch
	b.Put("nope", "k", []byte("v"))
	if err := s.Write(ctx, &b); !errors.Is(err, store.ErrUnknownTable) {
		t.Errorf("Write(put to unknown table) = %v, want ErrUnknownTable", err)
	}
}

func testDelete(t *testing.T, s store.Store) {
	put(t, s, "a", "k1", "v1", "k2", "v2")
	var b store.Batch
	b.Delete("a", "k1")
	b.Delete("a", "never stored")
	b.Delete("b", "k2")
	if err := s.Write(context.Background(), &b); err != nil {
		t.Fatalf("Write(deletes incl. missing keys) = %v", err)
	}
	wantMissing(t, s, "a", "k1")
	wantValue(t, s, "a", "k2", "v2")
}

// scan returns the keys and values Scan (or ScanReverse) visits, stopping
// after stop keys when stop > 0.
func scan(t *testing.T, s store.Store, reverse bool, start, end string, limit, stop int) (keys []string, values []string) {
	t.Helper()
	f := s.Scan
	if reverse {
		f = s.ScanReverse
	}
	err := f(context.Background(), "a", start, end, limit, func(k string, v []byte) bool {
		keys = append(keys, k)
		values = append(values, string(v))
		return stop <= 0 || len(keys) < stop
	})
	if err != nil {
		t.Fatalf("Scan(%q, %q, %d) = %v", start, end, limit, err)
	}
	return keys, values
}

type scanCase struct {
	start, end  string
	limit, stop int
	want        []string
}

func checkScans(t *testing.T, s store.Store, reverse bool, cases []scanCase) {
	t.Helper()
	for _, c := range cases {
		got, _ := scan(t, s, reverse, c.start, c.end, c.limit, c.stop)
		if !slices.Equal(got, c.want) {
			t.Errorf("Scan(reverse=%v, %q, %q, limit %d, stop %d) = %q, want %q",
				reverse, c.start, c.end, c.limit, c.stop, got, c.want)
		}
	}
}

func testScan(t *testing.T, s store.Store) {
	put(t, s, "a", "b", "2", "d", "4", "a", "1", "e", "5", "c", "3")
	put(t, s, "b", "bb", "x")
	checkScans(t, s, false, []scanCase{
		{"", "", 0, 0, []string{"a", "b", "c", "d", "e"}},
		{"b", "d", 0, 0, []string{"b", "c"}},
		{"bb", "", 0, 0, []string{"c", "d", "e"}},
		{"", "c", 0, 0, []string{"a", "b"}},
		{"", "", 2, 0, []string{"a", "b"}},
		{"c", "", 10, 0, []string{"c", "d", "e"}},
		{"", "", 0, 3, []string{"a", "b", "c"}},
		{"", "", 2, 1, []string{"a"}},
		{"f", "", 0, 0, nil},
		{"c", "c", 0, 0, nil},
		{"d", "b", 0, 0, nil},
	})
	_, values := scan(t, s, false, "", "", 0, 0)
	if want := []string{"1", "2", "3", "4", "5"}; !slices.Equal(values, want) {
		t.Errorf("Scan values = %q, want %q", values, want)
	}
}

func testScanReverse(t *testing.T, s store.Store) {
	put(t, s, "a", "b", "2", "d", "4", "a", "1", "e", "5", "c", "3", "", "0")
	checkScans(t, s, true, []scanCase{
		{"", "", 0, 0, []string{"e", "d", "c", "b", "a", ""}},
		{"b", "d", 0, 0, []string{"c", "b"}},
		{"bb", "", 0, 0, []string{"e", "d", "c"}},
		{"", "", 2, 0, []string{"e", "d"}},
		{"", "c", 0, 2, []string{"b", "a"}},
		{"a", "a\x00", 0, 0, []string{"a"}},
		{"f", "", 0, 0, nil},
		{"d", "b", 0, 0, nil},
	})
}

// testScanCallsStore checks that fn may read and write the store.
func testScanCallsStore(t *testing.T, s store.Store) {
	put(t, s, "a", "k1", "v1", "k2", "v2", "k3", "v3")
	ctx := context.Background()
	n := 0
	err := s.Scan(ctx, "a", "", "", 0, func(k string, v []byte) bool {
		n++
		if got, err := s.Get(ctx, "a", k); err != nil || !bytes.Equal(got, v) {
			t.Errorf("Get(%q) inside Scan = %q, %v, want %q", k, got, err, v)
		}
		var b store.Batch
		b.Put("b", k, v)
		if err := s.Write(ctx, &b); err != nil {
			t.Errorf("Write inside Scan = %v", err)
		}
		return true
	})
	if err != nil || n != 3 {
		t.Fatalf("Scan = %v after %d keys, want nil after 3", err, n)
	}
	wantValue(t, s, "b", "k3", "v3")
}

func testBinaryKeys(t *testing.T, s store.Store) {
	keys := []string{"\x00", "\x00\x00", "\x01", "a\x00b", "\x7f", "\x80", "\xc3\x28", "\xfe", "\xff", "\xff\xff"}
	var b store.Batch
	for i, k := range slices.Backward(keys) {
		b.Put("a", k, []byte{byte(i)})
	}
	if err := s.Write(context.Background(), &b); err != nil {
		t.Fatalf("Write(binary keys) = %v", err)
	}
	got, _ := scan(t, s, false, "", "", 0, 0)
	if !slices.Equal(got, keys) {
		t.Errorf("Scan over binary keys = %q, want byte order %q", got, keys)
	}
	got, _ = scan(t, s, false, "\x7f", "\xff", 0, 0)
	if want := keys[4:8]; !slices.Equal(got, want) {
		t.Errorf("Scan(\"\\x7f\", \"\\xff\") = %q, want %q", got, want)
	}
	for _, k := range keys {
		get(t, s, "a", k)
	}
}

func testUnicodeKeys(t *testing.T, s store.Store) {
	// Byte order, not UTF-16 order: U+FFFD sorts before U+1F600 in UTF-8
	// but after it in UTF-16.
	keys := []string{"Zürich", "café", "é", "中文", "新闻", "\ufffd", "😀"}
	var b store.Batch
	for _, k := range keys {
		b.Put("a", k, []byte(k))
	}
	if err := s.Write(context.Background(), &b); err != nil {
		t.Fatalf("Write(unicode keys) = %v", err)
	}
	want := slices.Clone(keys)
	slices.Sort(want)
	got, values := scan(t, s, false, "", "", 0, 0)
	if !slices.Equal(got, want) || !slices.Equal(values, want) {
		t.Errorf("Scan over unicode keys = %q, %q, want byte order %q", got, values, want)
	}
	wantValue(t, s, "a", "新闻", "新闻")
}

func testValues(t *testing.T, s store.Store) {
	all := make([]byte, 256)
	for i := range all {
		all[i] = byte(i)
	}
	var b store.Batch
	b.Put("a", "empty", []byte{})
	b.Put("a", "nil", nil)
	b.Put("a", "bytes", all)
	if err := s.Write(context.Background(), &b); err != nil {
		t.Fatalf("Write = %v", err)
	}
	for _, k := range []string{"empty", "nil"} {
		if v := get(t, s, "a", k); len(v) != 0 {
			t.Errorf("Get(%q) = %q, want empty", k, v)
		}
	}
	if v := get(t, s, "a", "bytes"); !bytes.Equal(v, all) {
		t.Errorf("Get(\"bytes\") = %x, want %x", v, all)
	}
	var b2 store.Batch
	val := []byte("original")
	b2.Put("a", "alias", val)
	if err := s.Write(context.Background(), &b2); err != nil {
		t.Fatalf("Write = %v", err)
	}
	copy(val, "modified")
	wantValue(t, s, "a", "alias", "original")
}

func testLargeValue(t *testing.T, s store.Store) {
	big := make([]byte, 1<<20)
	r := rand.New(rand.NewPCG(1, 2))
	for i := range big {
		big[i] = byte(r.Uint32())
	}
	var b store.Batch
	b.Put("a", "big", big)
	if err := s.Write(context.Background(), &b); err != nil {
		t.Fatalf("Write(1 MiB) = %v", err)
	}
	if got := get(t, s, "a", "big"); !bytes.Equal(got, big) {
		t.Errorf("Get(\"big\") = %d bytes, differs from the 1 MiB put", len(got))
	}
}

func testAtomicBatch(t *testing.T, s store.Store) {
	put(t, s, "a", "keep", "old")
	var b store.Batch
	b.Put("a", "keep", []byte("new"))
	b.Put("a", "added", []byte("x"))
	b.Delete("a", "keep2")
	b.Put("nope", "k", []byte("v"))
	if err := s.Write(context.Background(), &b); !errors.Is(err, store.ErrUnknownTable) {
		t.Fatalf("Write(batch with an unknown table) = %v, want ErrUnknownTable", err)
	}
	wantValue(t, s, "a", "keep", "old")
	wantMissing(t, s, "a", "added")
	if n, _ := s.Count(context.Background(), "a"); n != 1 {
		t.Errorf("Count after failed batch = %d, want 1", n)
	}
}

func testBatchOrder(t *testing.T, s store.Store) {
	put(t, s, "a", "x", "1")
	var b store.Batch
	b.Delete("a", "x")
	b.Put("a", "x", []byte("2"))
	b.Put("a", "y", []byte("1"))
	b.Delete("a", "y")
	b.Put("a", "z", []byte("1"))
	b.Put("a", "z", []byte("2"))
	if err := s.Write(context.Background(), &b); err != nil {
		t.Fatalf("Write = %v", err)
	}
	wantValue(t, s, "a", "x", "2")
	wantMissing(t, s, "a", "y")
	wantValue(t, s, "a", "z", "2")
	if err := s.Write(context.Background(), &store.Batch{}); err != nil {
		t.Errorf("Write(empty batch) = %v", err)
	}
}

func count(t *testing.T, s store.Store, table string) int {
	t.Helper()
	n, err := s.Count(context.Background(), table)
	if err != nil {
		t.Fatalf("Count(%q) = %v", table, err)
	}
	return n
}

func testCount(t *testing.T, s store.Store) {
	if n := count(t, s, "a"); n != 0 {
		t.Errorf("Count(empty) = %d, want 0", n)
	}
	put(t, s, "a", "1", "", "2", "", "3", "")
	put(t, s, "a", "2", "again")
	put(t, s, "b", "1", "")
	if n := count(t, s, "a"); n != 3 {
		t.Errorf("Count = %d, want 3", n)
	}
	var b store.Batch
	b.Delete("a", "1")
	b.Delete("a", "missing")
	if err := s.Write(context.Background(), &b); err != nil {
		t.Fatal(err)
	}
	if n := count(t, s, "a"); n != 2 {
		t.Errorf("Count after delete = %d, want 2", n)
	}
}

func testManyKeys(t *testing.T, s store.Store) {
	const n = 3000
	var b store.Batch
	for i := range n {
		b.Put("a", fmt.Sprintf("k%05d", (i*7919)%n), []byte(fmt.Sprint(i)))
	}
	if err := s.Write(context.Background(), &b); err != nil {
		t.Fatalf("Write(%d puts) = %v", n, err)
	}
	if got := count(t, s, "a"); got != n {
		t.Errorf("Count = %d, want %d", got, n)
	}
	keys, _ := scan(t, s, false, "", "", 0, 0)
	if len(keys) != n || !slices.IsSorted(keys) {
		t.Errorf("Scan over %d keys: %d keys, sorted %v", n, len(keys), slices.IsSorted(keys))
	}
	keys, _ = scan(t, s, true, "k01000", "k02000", 0, 0)
	if len(keys) != 1000 || keys[0] != "k01999" || keys[999] != "k01000" {
		t.Errorf("ScanReverse(k01000, k02000): %d keys", len(keys))
	}
	keys, _ = scan(t, s, false, "k00500", "", 700, 0)
	if len(keys) != 700 || keys[699] != "k01199" {
		t.Errorf("Scan(k00500, limit 700): %d keys", len(keys))
	}
	// Ranges whose size is a likely batch size, or a sum of them.
	for _, n := range []int{1, 63, 64, 65, 128, 192, 256, 448, 512, 960, 1024} {
		end := fmt.Sprintf("k%05d", n)
		for _, reverse := range []bool{false, true} {
			if keys, _ := scan(t, s, reverse, "k00000", end, 0, 0); len(keys) != n {
				t.Errorf("Scan(reverse=%v, k00000, %s) = %d keys, want %d", reverse, end, len(keys), n)
			}
		}
	}
}

func testRelaxed(t *testing.T, s store.Store) {
	b := store.Batch{Relaxed: true}
	b.Put("a", "k", []byte("v"))
	if err := s.Write(context.Background(), &b); err != nil {
		t.Fatalf("Write(relaxed) = %v", err)
	}
	wantValue(t, s, "a", "k", "v")
}

func testCanceled(t *testing.T, s store.Store) {
	put(t, s, "a", "k", "v")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := s.Get(ctx, "a", "k"); !errors.Is(err, context.Canceled) {
		t.Errorf("Get(canceled) = %v, want context.Canceled", err)
	}
	var b store.Batch
	b.Put("a", "k2", []byte("v"))
	if err := s.Write(ctx, &b); !errors.Is(err, context.Canceled) {
		t.Errorf("Write(canceled) = %v, want context.Canceled", err)
	}
	wantMissing(t, s, "a", "k2")
}

func testConcurrentReaders(t *testing.T, s store.Store) {
	put(t, s, "a", "1", "one", "2", "two", "3", "three")
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for i := range 8 {
		wg.Go(func() {
			ctx := context.Background()
			for range 5 {
				if v, err := s.Get(ctx, "a", "2"); err != nil || string(v) != "two" {
					errs <- fmt.Errorf("reader %d: Get = %q, %v", i, v, err)
					return
				}
				n := 0
				if err := s.Scan(ctx, "a", "", "", 0, func(string, []byte) bool { n++; return true }); err != nil || n != 3 {
					errs <- fmt.Errorf("reader %d: Scan = %d keys, %v", i, n, err)
					return
				}
			}
		})
	}
	wg.Go(func() {
		b := store.Batch{}
		b.Put("b", "w", []byte("w"))
		if err := s.Write(context.Background(), &b); err != nil {
			errs <- fmt.Errorf("writer: %v", err)
		}
	})
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func testClosed(t *testing.T, s store.Store) {
	put(t, s, "a", "k", "v")
	if err := s.Close(); err != nil {
		t.Fatalf("Close = %v", err)
	}
	ctx := context.Background()
	if _, err := s.Get(ctx, "a", "k"); !errors.Is(err, store.ErrClosed) {
		t.Errorf("Get after Close = %v, want ErrClosed", err)
	}
	if _, err := s.GetMany(ctx, "a", []string{"k"}); !errors.Is(err, store.ErrClosed) {
		t.Errorf("GetMany after Close = %v, want ErrClosed", err)
	}
	if err := s.Scan(ctx, "a", "", "", 0, func(string, []byte) bool { return true }); !errors.Is(err, store.ErrClosed) {
		t.Errorf("Scan after Close = %v, want ErrClosed", err)
	}
	if _, err := s.Count(ctx, "a"); !errors.Is(err, store.ErrClosed) {
		t.Errorf("Count after Close = %v, want ErrClosed", err)
	}
	var b store.Batch
	b.Put("a", "k", []byte("v2"))
	if err := s.Write(ctx, &b); !errors.Is(err, store.ErrClosed) {
		t.Errorf("Write after Close = %v, want ErrClosed", err)
	}
}

func (su *suite) testReopen(t *testing.T) {
	s := su.open(t, tables)
	big := bytes.Repeat([]byte("新闻"), 1000)
	var b store.Batch
	b.Put("a", "k", []byte("v"))
	b.Put("b", "\xff中", big)
	if err := s.Write(context.Background(), &b); err != nil {
		t.Fatalf("Write = %v", err)
	}
	s = su.reopen(t, s, tables)
	defer s.Close()
	wantValue(t, s, "a", "k", "v")
	if got := get(t, s, "b", "\xff中"); !bytes.Equal(got, big) {
		t.Errorf("Get after reopen = %d bytes, want %d", len(got), len(big))
	}
	if n := count(t, s, "a"); n != 1 {
		t.Errorf("Count after reopen = %d, want 1", n)
	}
}
