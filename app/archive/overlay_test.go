package archive

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/broadsheet/broadsheet/app/store"
	"github.com/broadsheet/broadsheet/app/store/scratch"
	"github.com/broadsheet/broadsheet/app/store/storetest"
)

func newScratch(t testing.TB, tables ...string) *scratch.Store {
	s, err := scratch.Open(t.TempDir(), tables...)
	if err != nil {
		t.Fatalf("scratch.Open = %v", err)
	}
	return s
}

// TestOverlayContract runs the store contract over an empty base.
func TestOverlayContract(t *testing.T) {
	storetest.Test(t, func(t *testing.T, tables []string) store.Store {
		return newOverlay(store.NewMemory(tables...), newScratch(t, tables...))
	})
}

// TestOverlayDifferential applies the same random changes to an overlay
// over a filled base and to a Memory holding the base's records, and
// compares every read.
func TestOverlayDifferential(t *testing.T) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(1, 2))
	key := func() string { return fmt.Sprintf("k%03d", rng.IntN(300)) }
	base, want := store.NewMemory("t"), store.NewMemory("t")
	var b store.Batch
	for range 150 {
		b.Put("t", key(), []byte(fmt.Sprint(rng.Int())))
	}
	base.Write(ctx, &b)
	want.Write(ctx, &b)
	o := newOverlay(base, newScratch(t, "t"))
	defer o.Close()
	for round := range 40 {
		var b store.Batch
		for range rng.IntN(20) {
			if rng.IntN(3) == 0 {
				b.Delete("t", key())
			} else {
				b.Put("t", key(), bytes.Repeat([]byte{byte(round)}, rng.IntN(100)))
			}
		}
		if err := o.Write(ctx, &b); err != nil {
			t.Fatalf("Write = %v", err)
		}
		want.Write(ctx, &b)
		compareStores(t, ctx, o, want, key(), key(), rng.IntN(40))
	}
}

func compareStores(t *testing.T, ctx context.Context, got, want store.Store, a, b string, limit int) {
	t.Helper()
	if a > b {
		a, b = b, a
	}
	dump := func(s store.Store, reverse bool, start, end string) string {
		var buf bytes.Buffer
		fn := func(k string, v []byte) bool { fmt.Fprintf(&buf, "%s=%x ", k, v); return true }
		var err error
		if reverse {
			err = s.ScanReverse(ctx, "t", start, end, limit, fn)
		} else {
			err = s.Scan(ctx, "t", start, end, limit, fn)
		}
		if err != nil {
			t.Fatalf("scan = %v", err)
		}
		return buf.String()
	}
	for _, r := range [][2]string{{"", ""}, {a, b}, {a, ""}} {
		for _, rev := range []bool{false, true} {
			if g, w := dump(got, rev, r[0], r[1]), dump(want, rev, r[0], r[1]); g != w {
				t.Fatalf("scan [%q, %q) limit %d reverse %v:\n got %s\nwant %s", r[0], r[1], limit, rev, g, w)
			}
		}
	}
	gn, _ := got.Count(ctx, "t")
	wn, _ := want.Count(ctx, "t")
	if gn != wn {
		t.Errorf("Count = %d, want %d", gn, wn)
	}
	keys := []string{a, b, "k000", "zz"}
	gv, err := got.GetMany(ctx, "t", keys)
	if err != nil {
		t.Fatal(err)
	}
	wv, _ := want.GetMany(ctx, "t", keys)
	for i := range keys {
		if !bytes.Equal(gv[i], wv[i]) || (gv[i] == nil) != (wv[i] == nil) {
			t.Errorf("GetMany(%q) = %q, want %q", keys[i], gv[i], wv[i])
		}
		g, gerr := got.Get(ctx, "t", keys[i])
		if !bytes.Equal(g, wv[i]) || (gerr == nil) != (wv[i] != nil) {
			t.Errorf("Get(%q) = %q, %v; want %q", keys[i], g, gerr, wv[i])
		}
	}
}
