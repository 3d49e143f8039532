package main

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/broadsheet/broadsheet/app/library"
	"github.com/broadsheet/broadsheet/app/store"
)

// articleFile is an article file of our own text.
func articleFile(i int) string {
	return fmt.Sprintf("<!--1772000000000-->\n[第%d号公告：社区花园开放](https://town.example/notice/%d/)\n------\n\n"+
		"<address>社区办公室</address><section><p>第%d号公告：花园每天上午八点开放。</p></section>\n", i, i, i)
}

// writeFiles writes files into a temporary directory and returns refs.
func writeFiles(t *testing.T, files map[string][]byte) []fileRef {
	t.Helper()
	dir := t.TempDir()
	var paths []string
	for name, data := range files {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	return diskRefs(paths...)
}

func newTestLibrary(t *testing.T) *library.Library {
	t.Helper()
	l, err := library.Open(context.Background(), store.NewMemory(library.Tables()...))
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func TestImportJob(t *testing.T) {
	files := map[string][]byte{
		"empty.md":   nil,
		"binary.txt": {0, 1, 2, 3, 0, 0, 0xff, 0xfe},
		"readme.md":  []byte("# Notes\n\nJust some notes, no article here.\n"),
	}
	for i := range 120 {
		files[fmt.Sprintf("a%03d.md", i)] = []byte(articleFile(i))
	}
	l := newTestLibrary(t)
	var published []importState
	job := &importJob{publish: func(s importState) { published = append(published, s) }}
	job.store = localStore(l.Import, &job.times)
	st := job.run(context.Background(), writeFiles(t, files))
	if st.State != importDone || st.Done != 123 || st.Total != 123 || st.Errors != 3 {
		t.Errorf("run = %+v, want done 123/123 with 3 errors", st)
	}
	if len(st.Failed) != 3 {
		t.Fatalf("report has %d entries, want 3: %+v", len(st.Failed), st.Failed)
	}
	for _, f := range st.Failed {
		if f.Reason == "" || f.Name == "" {
			t.Errorf("report entry %+v lacks a name or a reason", f)
		}
	}
	if n, _ := l.Count(context.Background()); n != 120 {
		t.Errorf("library holds %d articles, want 120", n)
	}
	if len(published) < 2 || published[0].State != importRunning {
		t.Errorf("published %d states (first %+v), want progress per slice starting with running", len(published), published[0])
	}
}

// TestImportJobLastSlice: the store is told which slice is an import's
// last (the worker indexes at once after it), and only that one.
func TestImportJobLastSlice(t *testing.T) {
	files := map[string][]byte{}
	for i := range 100 {
		files[fmt.Sprintf("a%03d.md", i)] = []byte(articleFile(i))
	}
	l := newTestLibrary(t)
	job := &importJob{publish: func(importState) {}}
	local := localStore(l.Import, &job.times)
	var mu sync.Mutex
	var lasts []bool
	var stored int
	job.store = func(ctx context.Context, refs []fileRef, last bool) ([]library.Result, error) {
		mu.Lock()
		lasts = append(lasts, last)
		stored += len(refs)
		mu.Unlock()
		return local(ctx, refs, last)
	}
	if st := job.run(context.Background(), writeFiles(t, files)); st.State != importDone || st.Done != 100 {
		t.Fatalf("run = %+v, want done 100/100", st)
	}
	if len(lasts) < 2 || stored != 100 {
		t.Fatalf("%d slices of %d files in all; want several, 100 files", len(lasts), stored)
	}
	for i, last := range lasts {
		if last != (i == len(lasts)-1) {
			t.Errorf("slice %d of %d: last = %v", i+1, len(lasts), last)
		}
	}
}

// TestImportJobAbort: cancel calls the store's abort, and the slices the
// store then drops unstored (errSliceCancelled) are neither done nor
// failed.
func TestImportJobAbort(t *testing.T) {
	files := map[string][]byte{}
	for i := range 200 {
		files[fmt.Sprintf("a%03d.md", i)] = []byte(articleFile(i))
	}
	l := newTestLibrary(t)
	job := &importJob{}
	local := localStore(l.Import, &job.times)
	var aborted atomic.Bool
	job.abort = func() { aborted.Store(true) }
	job.store = func(ctx context.Context, refs []fileRef, last bool) ([]library.Result, error) {
		if aborted.Load() {
			return nil, errSliceCancelled
		}
		return local(ctx, refs, last)
	}
	job.publish = func(s importState) {
		if s.Done > 0 {
			job.cancel()
		}
	}
	st := job.run(context.Background(), writeFiles(t, files))
	n, _ := l.Count(context.Background())
	if !aborted.Load() || st.State != importCancelled {
		t.Fatalf("after cancel: aborted %v, state %q; want the store aborted, %q", aborted.Load(), st.State, importCancelled)
	}
	if st.Done != n || n == 0 || n >= 200 || st.Errors != 0 || st.Total != 200 {
		t.Errorf("state %+v with %d stored; want done = stored, below 200 of 200, no errors", st, n)
	}
}

func TestImportJobCancel(t *testing.T) {
	files := map[string][]byte{}
	for i := range 200 {
		files[fmt.Sprintf("a%03d.md", i)] = []byte(articleFile(i))
	}
	l := newTestLibrary(t)
	job := &importJob{}
	job.store = localStore(l.Import, &job.times)
	stoppedAt := 0
	job.publish = func(s importState) {
		if s.Done > 0 && stoppedAt == 0 {
			stoppedAt = s.Done
			job.cancel()
		}
	}
	st := job.run(context.Background(), writeFiles(t, files))
	if st.State != importCancelled {
		t.Errorf("state = %q, want %q", st.State, importCancelled)
	}
	n, _ := l.Count(context.Background())
	if n != stoppedAt || n >= 200 || st.Done != n {
		t.Errorf("after cancel at %d files the library holds %d articles (done %d), want %d", stoppedAt, n, st.Done, stoppedAt)
	}
}

func TestSliceLen(t *testing.T) {
	refs := make([]fileRef, 2*maxSlice)
	for i := range refs {
		refs[i].Size = 1 << 10
	}
	j := &importJob{}
	if got := j.sliceLen(refs); got != firstSlice {
		t.Errorf("first sliceLen = %d, want %d", got, firstSlice)
	}
	j.learn(100*time.Millisecond, 10) // 10 ms a file
	if want := int(sliceTarget / (10 * time.Millisecond)); j.sliceLen(refs) != want {
		t.Errorf("sliceLen at 10 ms a file = %d, want %d", j.sliceLen(refs), want)
	}
	j = &importJob{}
	j.learn(time.Millisecond, 1000)
	if got := j.sliceLen(refs); got != maxSlice {
		t.Errorf("sliceLen when fast = %d, want %d", got, maxSlice)
	}
	big := []fileRef{{Size: sliceBytes}, {Size: 10}, {Size: 10}}
	if got := j.sliceLen(big); got != 1 {
		t.Errorf("sliceLen after a %d-byte file = %d, want 1", sliceBytes, got)
	}
}

func TestImportJobZip(t *testing.T) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for i := range 3 {
		w, err := zw.Create(fmt.Sprintf("folder/n%d.md", i))
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(articleFile(i)))
	}
	w, _ := zw.Create("folder/notes.txt")
	w.Write([]byte("not an article"))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	refs := writeFiles(t, map[string][]byte{"archive.zip": buf.Bytes(), "broken.zip": []byte("PK no zip")})
	l := newTestLibrary(t)
	job := &importJob{publish: func(importState) {}}
	job.store = localStore(l.Import, &job.times)
	st := job.run(context.Background(), refs)
	if st.Done != 5 || st.Total != 5 || st.Errors != 2 {
		t.Errorf("zip import = %+v, want 5/5 done with 2 errors (notes.txt, broken.zip)", st)
	}
	if n, _ := l.Count(context.Background()); n != 3 {
		t.Errorf("library holds %d articles, want 3", n)
	}
}

func TestImportJobStoreFailure(t *testing.T) {
	refs := writeFiles(t, map[string][]byte{"a.md": []byte(articleFile(1)), "b.md": []byte(articleFile(2))})
	job := &importJob{
		store:   func(context.Context, []fileRef, bool) ([]library.Result, error) { return nil, store.ErrQuota },
		publish: func(importState) {},
	}
	st := job.run(context.Background(), refs)
	if st.Errors != 2 || len(st.Failed) != 2 {
		t.Fatalf("store failure: %+v, want both files reported", st)
	}
	if st.Failed[0].Reason == "" {
		t.Error("store failure reported without a reason")
	}
}

// diskRefs are refs to files on disk, the native stand-in for browser files.
func diskRefs(paths ...string) []fileRef {
	refs := make([]fileRef, 0, len(paths))
	for _, p := range paths {
		ref := fileRef{Name: p, read: func(context.Context) ([]byte, error) { return os.ReadFile(p) }}
		if fi, err := os.Stat(p); err == nil {
			ref.Size, ref.Modified = fi.Size(), fi.ModTime()
		}
		refs = append(refs, ref)
	}
	return refs
}
