//go:build !(js && wasm)

package static

import (
	"compress/flate"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"testing"
)

// newsTable returns n records with keys "a/%08d" spaced by 10 and values
// of 200 to 3,000 bytes.
func newsTable(r *rand.Rand, n int) []record {
	recs := make([]record, n)
	for i := range recs {
		v := make([]byte, 200+r.IntN(2800))
		for j := range v {
			v[j] = byte('a' + r.IntN(26))
		}
		recs[i] = record{fmt.Sprintf("a/%08d", 10*i), v}
	}
	return recs
}

// TestChunkStability writes a table, inserts and deletes a few records in
// the middle, writes again into the same directory: all but a few packs
// keep their names, the writer reuses them, and removes the old ones.
func TestChunkStability(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	recs := newsTable(r, 4000) // about 6.4 MB
	dir := t.TempDir()
	opts := WriteOptions{DefaultTarget: 64 << 10}
	m1, st1 := writeTo(t, dir, map[string][]record{"t": recs}, opts)
	before := packFiles(t, dir, m1)
	if len(before) < 50 {
		t.Fatalf("%d packs, want at least 50", len(before))
	}
	if st1.Reused != 0 || st1.Files != len(before)+2 {
		t.Errorf("first write: stats %+v, want %d files (packs, index, manifest), none reused", st1, len(before)+2)
	}
	changed := slices.Clone(recs)
	changed = slices.Delete(changed, 2001, 2003)
	for _, k := range []string{"a/00010001", "a/00010002", "a/00010003"} {
		changed = append(changed, record{k, []byte("inserted " + k)})
	}
	m2, st2 := writeTo(t, dir, map[string][]record{"t": changed}, opts)
	after := packFiles(t, dir, m2)
	kept := 0
	for _, f := range after {
		if slices.Contains(before, f) {
			kept++
		}
	}
	if len(after)-kept > 3 {
		t.Errorf("%d of %d packs changed after inserting 3 and deleting 2 records, want at most 3", len(after)-kept, len(after))
	}
	if st2.Reused != kept {
		t.Errorf("second write: Reused = %d, want %d (packs kept)", st2.Reused, kept)
	}
	if st2.Deleted != len(before)-kept+1 {
		t.Errorf("second write: Deleted = %d, want %d (packs and the old index)", st2.Deleted, len(before)-kept+1)
	}
	t.Logf("%d packs, %d changed; stats %+v", len(after), len(after)-kept, st2)
	s := openDir(t, dir, Options{})
	if n, _ := s.Count(ctx, "t"); n != len(changed) {
		t.Errorf("Count = %d, want %d", n, len(changed))
	}
	if v, err := s.Get(ctx, "t", "a/00010002"); err != nil || string(v) != "inserted a/00010002" {
		t.Errorf("Get(inserted) = %q, %v", v, err)
	}
}

// TestPackSizes: packs of records of any size average about the target.
func TestPackSizes(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for _, target := range []int{4 << 10, 64 << 10} {
		w := &chunker{target: target}
		var sizes []int
		size := 0
		for i := range 200_000 {
			n := 50 + r.IntN(400)
			if i%2 == 0 {
				n = 1000 + r.IntN(2000)
			}
			n = min(n, target)
			size += n
			if w.add(fmt.Sprintf("k%09d", i), n) {
				sizes = append(sizes, size)
				size = 0
				w.reset()
			}
		}
		sum := 0
		for _, s := range sizes {
			sum += s
			if s > 2*target+target {
				t.Errorf("target %d: a pack of %d bytes", target, s)
			}
		}
		mean := sum / len(sizes)
		if mean < target*3/4 || mean > target*3/2 {
			t.Errorf("target %d: mean pack %d bytes over %d packs, want about the target", target, mean, len(sizes))
		}
	}
}

// packFiles lists the pack files of the archive in dir.
func packFiles(t testing.TB, dir string, m *Manifest) []string {
	var files []string
	for name := range m.Tables {
		for _, p := range tablePacks(t, dir, name) {
			files = append(files, p.File)
		}
	}
	return files
}

// TestDeterministic: the same records give the same manifest and packs,
// however the packs' encoding goroutines were scheduled.
func TestDeterministic(t *testing.T) {
	r := rand.New(rand.NewPCG(27, 28))
	tables := map[string][]record{"a": newsTable(r, 500), "b": randomTable(r, 2000, 3000)}
	var manifests []string
	for range 3 {
		dir := t.TempDir()
		writeTo(t, dir, tables, WriteOptions{DefaultTarget: 8 << 10})
		data, err := os.ReadFile(filepath.Join(dir, ManifestName))
		if err != nil {
			t.Fatal(err)
		}
		manifests = append(manifests, string(data))
	}
	if manifests[0] != manifests[1] || manifests[1] != manifests[2] {
		t.Errorf("three writes of the same records gave different manifests")
	}
}

// TestInterleaved: tables added in turns give the archive they give one
// after another.
func TestInterleaved(t *testing.T) {
	r := rand.New(rand.NewPCG(31, 32))
	a, b := newsTable(r, 300), newsTable(r, 200)
	seqDir := t.TempDir()
	seq, _ := writeTo(t, seqDir, map[string][]record{"a": a, "b": b}, WriteOptions{DefaultTarget: 8 << 10})
	w := NewWriter(t.TempDir(), WriteOptions{DefaultTarget: 8 << 10})
	for i := range max(len(a), len(b)) {
		for _, tb := range []struct {
			name string
			recs []record
		}{{"a", a}, {"b", b}} {
			if i < len(tb.recs) {
				if err := w.Add(tb.name, tb.recs[i].key, tb.recs[i].value); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	inter, _, err := w.Close()
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"a", "b"} {
		if !reflect.DeepEqual(seq.Tables[name], inter.Tables[name]) {
			t.Errorf("table %q: interleaved packs differ from sequential ones", name)
		}
	}
}

// TestRewriteKeepsUnchangedPacks: a write over an archive keeps the files
// of the packs whose records did not change without compressing them
// again: written at another level, they still keep their names.
func TestRewriteKeepsUnchangedPacks(t *testing.T) {
	recs := newsTable(rand.New(rand.NewPCG(43, 44)), 1000)
	dir := t.TempDir()
	_, st1 := writeTo(t, dir, map[string][]record{"t": recs}, WriteOptions{DefaultTarget: 16 << 10, Level: flate.BestSpeed})
	before := packFiles(t, dir, mustManifest(t, dir))
	recs[500].value = []byte("changed")
	_, st2 := writeTo(t, dir, map[string][]record{"t": recs}, WriteOptions{DefaultTarget: 16 << 10, Level: flate.BestCompression})
	after := packFiles(t, dir, mustManifest(t, dir))
	kept := 0
	for _, f := range after {
		if slices.Contains(before, f) {
			kept++
		}
	}
	if kept != len(after)-1 || st2.Reused != kept {
		t.Errorf("rewrite at another level: %d of %d packs kept, %d reused, want all but the changed one", kept, len(after), st2.Reused)
	}
	if st2.Written >= st1.Written/4 {
		t.Errorf("rewrite wrote %d bytes, first write %d: want only the changed pack, index and manifest", st2.Written, st1.Written)
	}
	s := openDir(t, dir, Options{})
	got := scanAll(t, s, "t", false, "", "", 0, 0)
	if len(got) != len(recs) {
		t.Errorf("rewritten archive holds %d records, want %d", len(got), len(recs))
	}
	if v, err := s.Get(ctx, "t", recs[500].key); err != nil || string(v) != "changed" {
		t.Errorf("Get(changed) = %q, %v", v, err)
	}
}

func mustManifest(t *testing.T, dir string) *Manifest {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, ManifestName))
	if err != nil {
		t.Fatal(err)
	}
	m, err := parseManifest(data)
	if err != nil {
		t.Fatal(err)
	}
	return m
}
