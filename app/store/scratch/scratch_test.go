package scratch_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/broadsheet/broadsheet/app/store"
	"github.com/broadsheet/broadsheet/app/store/scratch"
	"github.com/broadsheet/broadsheet/app/store/storetest"
)

func open(t *testing.T, tables []string) store.Store {
	s, err := scratch.Open(t.TempDir(), tables...)
	if err != nil {
		t.Fatalf("Open = %v", err)
	}
	return s
}

func TestContract(t *testing.T) { storetest.Test(t, open) }

// TestValuesOnDisk checks that long values go to the file, short ones
// stay inline, both read back, and Close removes the file.
func TestValuesOnDisk(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, err := scratch.Open(dir, "t")
	if err != nil {
		t.Fatal(err)
	}
	long := []byte(strings.Repeat("长", 10000))
	var b store.Batch
	b.Put("t", "long", long)
	b.Put("t", "short", []byte("s"))
	if err := s.Write(ctx, &b); err != nil {
		t.Fatalf("Write = %v", err)
	}
	if got := s.Size(); got != int64(len(long)) {
		t.Errorf("Size = %d, want %d (the long value only)", got, len(long))
	}
	v, err := s.Get(ctx, "t", "long")
	if err != nil || !bytes.Equal(v, long) {
		t.Errorf("Get(long) = %d bytes, %v; want %d bytes", len(v), err, len(long))
	}
	if err := s.Close(); err != nil {
		t.Fatalf("Close = %v", err)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Errorf("after Close the directory holds %d files, want 0", len(ents))
	}
	if _, err := s.Get(ctx, "t", "short"); !errors.Is(err, store.ErrClosed) {
		t.Errorf("Get after Close = %v, want ErrClosed", err)
	}
}

// TestScanNoCopy checks that ScanNoCopy visits what Scan visits, long
// and short values, in a range and up to a limit.
func TestScanNoCopy(t *testing.T) {
	ctx := context.Background()
	s, err := scratch.Open(t.TempDir(), "t")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var b store.Batch
	for i := range 600 {
		b.Put("t", fmt.Sprintf("k%03d", i), []byte(strings.Repeat(string(rune('a'+i%26)), i*7%300)))
	}
	if err := s.Write(ctx, &b); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		start, end string
		limit      int
	}{{"", "", 0}, {"k100", "k550", 0}, {"k010", "", 300}} {
		var want, got []string
		s.Scan(ctx, "t", c.start, c.end, c.limit, func(k string, v []byte) bool { want = append(want, k+"="+string(v)); return true })
		err := s.ScanNoCopy(ctx, "t", c.start, c.end, c.limit, func(k string, v []byte) bool { got = append(got, k+"="+string(v)); return true })
		if err != nil || !slices.Equal(got, want) {
			t.Errorf("ScanNoCopy(%q, %q, %d) = %d pairs, %v; want Scan's %d", c.start, c.end, c.limit, len(got), err, len(want))
		}
	}
	// a value written while a scan runs lies past what it mapped when it
	// began: read, not taken from the mapping
	later := strings.Repeat("z", 200)
	var last string
	err = s.ScanNoCopy(ctx, "t", "", "", 0, func(k string, v []byte) bool {
		if k == "k000" {
			var w store.Batch
			w.Put("t", "k599", []byte(later))
			if err := s.Write(ctx, &w); err != nil {
				t.Fatal(err)
			}
		}
		last = k + "=" + string(v)
		return true
	})
	if want := "k599=" + later; err != nil || last != want {
		t.Errorf("ScanNoCopy's last pair, written during the scan, = %.20q…, %v; want %.20q…", last, err, want)
	}
}

// TestScansBetweenWrites interleaves small writes (puts of new and old
// keys, deletes) with bounded scans, as an import that looks its IDs up
// does, and compares every scan with store.Memory's: the keys added since
// the last scan are merged into the sorted ones, and deleted ones left
// out.
func TestScansBetweenWrites(t *testing.T) {
	ctx := context.Background()
	s := open(t, []string{"t"})
	defer s.Close()
	m := store.NewMemory("t")
	rng := uint64(1)
	next := func(n int) int {
		rng = rng*6364136223846793005 + 1442695040888963407
		return int(rng>>33) % n
	}
	key := func() string { return fmt.Sprintf("k%03d", next(400)) }
	for step := range 600 {
		var b store.Batch
		for range 1 + next(8) {
			if k := key(); next(5) == 0 {
				b.Delete("t", k)
			} else {
				b.Put("t", k, []byte(fmt.Sprint(step)))
			}
		}
		if err := s.Write(ctx, &b); err != nil {
			t.Fatal(err)
		}
		if err := m.Write(ctx, &b); err != nil {
			t.Fatal(err)
		}
		start, end := key(), key()
		if start > end {
			start, end = end, start
		}
		var got, want []string
		collect := func(out *[]string) func(k string, v []byte) bool {
			return func(k string, v []byte) bool { *out = append(*out, k+"="+string(v)); return true }
		}
		if err := s.Scan(ctx, "t", start, end, 0, collect(&got)); err != nil {
			t.Fatal(err)
		}
		m.Scan(ctx, "t", start, end, 0, collect(&want))
		if !slices.Equal(got, want) {
			t.Fatalf("step %d: Scan(%q, %q) = %q, want %q", step, start, end, got, want)
		}
	}
}

// TestScanNoCopyResident: a scan of a table of 64 MB of values through
// the file's mapping does not grow the process's resident memory by
// them (Linux, where /proc says it).
func TestScanNoCopyResident(t *testing.T) {
	if _, ok := rssFile(); !ok {
		if runtime.GOOS == "linux" && os.Getenv("CI") == "true" {
			t.Fatal("no RssFile in /proc/self/status: CI runs on Linux, where the scan's mapping is checked")
		}
		t.Skip("no /proc/self/status RssFile here")
	}
	ctx := context.Background()
	s, err := scratch.Open(t.TempDir(), "t")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	value := []byte(strings.Repeat("江城渡轮", 341)) // 4 KB
	for i := range 16 {
		var b store.Batch
		for j := range 1024 {
			b.Put("t", fmt.Sprintf("k%02d%04d", i, j), value)
		}
		if err := s.Write(ctx, &b); err != nil {
			t.Fatal(err)
		}
	}
	before, _ := rssFile()
	peak, n := before, 0
	err = s.ScanNoCopy(ctx, "t", "", "", 0, func(k string, v []byte) bool {
		if n++; n%256 == 0 {
			rss, _ := rssFile()
			peak = max(peak, rss)
		}
		return bytes.Equal(v, value) // touches its pages
	})
	if err != nil || n != 16*1024 {
		t.Fatalf("ScanNoCopy visited %d values, %v; want %d", n, err, 16*1024)
	}
	if grew := peak - before; grew > 16<<20 {
		t.Errorf("resident file pages grew by %d MB during a scan of 64 MB, want under 16", grew>>20)
	}
}

// rssFile is the process's resident memory of files (RssFile, and
// RssShmem for a file on tmpfs) in bytes.
func rssFile() (int64, bool) {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, false
	}
	var sum int64
	found := 0
	for line := range strings.Lines(string(data)) {
		for _, name := range []string{"RssFile:", "RssShmem:"} {
			if v, ok := strings.CutPrefix(line, name); ok {
				kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
				if err != nil {
					return 0, false
				}
				sum, found = sum+kb<<10, found+1
			}
		}
	}
	return sum, found == 2
}
