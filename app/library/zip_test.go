package library

import (
	"archive/zip"
	"bytes"
	"errors"
	"slices"
	"testing"
	"time"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/broadsheet/broadsheet/parser"
)

type zipEntry struct {
	name   string
	data   []byte
	method uint16
}

func makeZip(t *testing.T, entries []zipEntry) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	for _, e := range entries {
		h := &zip.FileHeader{Name: e.name, Method: e.method, Modified: time.Date(2025, 2, 13, 8, 0, 0, 0, time.UTC)}
		f, err := w.CreateHeader(h)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.Write(e.data); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestExpandZip(t *testing.T) {
	data := makeZip(t, []zipEntry{
		{name: "articles/", method: zip.Store},
		{name: "articles/2025/", method: zip.Store},
		{name: "articles/2025/a.md", data: []byte("[标题一](https://example.com/a)\n---\n"), method: zip.Deflate},
		{name: "b.txt", data: []byte("正文"), method: zip.Store},
		{name: "__MACOSX/articles/._a.md", data: []byte("fork")},
		{name: "articles/.DS_Store", data: []byte("junk")},
		{name: ".hidden/c.md", data: []byte("hidden")},
		{name: "corrupt.md", data: []byte("this entry's bytes are damaged below"), method: zip.Store},
		{name: "huge.md", data: make([]byte, parser.MaxSize+10), method: zip.Deflate},
		{name: "empty.md", method: zip.Store},
	})
	i := bytes.Index(data, []byte("this entry's bytes"))
	data[i] = 'T' // the stored entry no longer matches its CRC
	files, err := ExpandZip(File{Name: "archive.zip", Data: data})
	if err != nil {
		t.Fatalf("ExpandZip = %v", err)
	}
	var names []string
	for _, f := range files {
		names = append(names, f.Name)
	}
	if want := []string{"articles/2025/a.md", "b.txt", "corrupt.md", "huge.md", "empty.md"}; !slices.Equal(names, want) {
		t.Fatalf("ExpandZip names = %q, want %q", names, want)
	}
	if f := files[0]; f.Err != nil || string(f.Data) != "[标题一](https://example.com/a)\n---\n" || f.Modified.Year() != 2025 {
		t.Errorf("ExpandZip()[0] = %q, %v, %v", f.Data, f.Modified, f.Err)
	}
	if f := files[2]; !errors.Is(f.Err, ErrZip) || f.Data != nil {
		t.Errorf("ExpandZip(corrupt entry) = %d bytes, %v, want ErrZip", len(f.Data), f.Err)
	}
	if f := files[3]; !errors.Is(f.Err, parser.ErrTooLarge) || f.Data != nil {
		t.Errorf("ExpandZip(huge entry) = %d bytes, %v, want ErrTooLarge", len(f.Data), f.Err)
	}
	if f := files[4]; f.Err != nil || len(f.Data) != 0 {
		t.Errorf("ExpandZip(empty entry) = %d bytes, %v", len(f.Data), f.Err)
	}
}

// TestExpandZipGBKNames reads entry names written in GBK without the
// UTF-8 flag, as zips made on Chinese Windows have them.
func TestExpandZipGBKNames(t *testing.T) {
	gbk, err := simplifiedchinese.GBK.NewEncoder().String("新闻/港口.md")
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	for _, name := range []string{gbk, "ok.md", "bad\xff\xfe.md"} {
		f, err := w.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Store, NonUTF8: true})
		if err != nil {
			t.Fatal(err)
		}
		f.Write([]byte("x"))
	}
	w.Close()
	files, err := ExpandZip(File{Name: "gbk.zip", Data: buf.Bytes()})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range files {
		names = append(names, f.Name)
	}
	if want := []string{"新闻/港口.md", "ok.md", "bad\ufffd.md"}; !slices.Equal(names, want) {
		t.Errorf("ExpandZip names = %q, want %q", names, want)
	}
}

func TestExpandZipNotZip(t *testing.T) {
	for _, data := range [][]byte{nil, []byte("PK\x03\x04 not really"), []byte("[标题](https://example.com/)")} {
		if _, err := ExpandZip(File{Name: "x.zip", Data: data}); !errors.Is(err, ErrZip) {
			t.Errorf("ExpandZip(%q) = %v, want ErrZip", data, err)
		}
	}
}

// TestExpandZipLyingHeader checks that an entry whose header claims a small
// size is still cut at parser.MaxSize.
func TestExpandZipLyingHeader(t *testing.T) {
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	f, err := w.CreateRaw(&zip.FileHeader{Name: "bomb.md", Method: zip.Deflate, UncompressedSize64: 10, CompressedSize64: 0})
	if err != nil {
		t.Fatal(err)
	}
	var comp bytes.Buffer
	{
		zw := zip.NewWriter(&comp)
		e, _ := zw.CreateHeader(&zip.FileHeader{Name: "x", Method: zip.Deflate})
		e.Write(make([]byte, parser.MaxSize+100))
		zw.Close()
	}
	zr, err := zip.NewReader(bytes.NewReader(comp.Bytes()), int64(comp.Len()))
	if err != nil {
		t.Fatal(err)
	}
	raw, err := zr.File[0].OpenRaw()
	if err != nil {
		t.Fatal(err)
	}
	var rawBytes bytes.Buffer
	rawBytes.ReadFrom(raw)
	f.Write(rawBytes.Bytes())
	w.Close()
	files, err := ExpandZip(File{Name: "bomb.zip", Data: buf.Bytes()})
	if err != nil {
		t.Fatalf("ExpandZip = %v", err)
	}
	if len(files) != 1 || files[0].Err == nil || len(files[0].Data) > parser.MaxSize {
		t.Errorf("ExpandZip(lying header) = %d files, %d bytes, %v, want a refused entry", len(files), len(files[0].Data), files[0].Err)
	}
}

// TestImportZip imports the files of a zip, bad entries included.
func TestImportZip(t *testing.T) {
	l, _ := newJSONLibrary(t)
	a := art{id: "z1", published: "2025-01-01T00:00:00"}.file(time.Time{})
	data := makeZip(t, []zipEntry{
		{name: "dir/z1.md", data: a.Data, method: zip.Deflate},
		{name: "dir/huge.md", data: make([]byte, parser.MaxSize+1), method: zip.Deflate},
	})
	files, err := ExpandZip(File{Name: "a.zip", Data: data})
	if err != nil {
		t.Fatal(err)
	}
	res := importOK(t, l, files...)
	if got, want := statuses(res), []Status{Added, Failed}; !slices.Equal(got, want) {
		t.Errorf("Import(zip files) = %v, want %v", got, want)
	}
	if !errors.Is(res[1].Err, parser.ErrTooLarge) {
		t.Errorf("Import(huge zip entry).Err = %v, want ErrTooLarge", res[1].Err)
	}
}
