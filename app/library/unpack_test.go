package library

import (
	"archive/zip"
	"bytes"
	"errors"
	"testing"

	"github.com/broadsheet/broadsheet/parser"
)

func TestUnpack(t *testing.T) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.Create("folder/a.md")
	w.Write([]byte("正文"))
	zw.Close()
	files := Unpack(File{Name: "x.ZIP", Data: buf.Bytes()})
	if len(files) != 1 || files[0].Name != "x.ZIP/folder/a.md" || string(files[0].Data) != "正文" {
		t.Errorf("Unpack(zip) = %+v, want x.ZIP/folder/a.md", files)
	}
	if files := Unpack(File{Name: "a.md", Data: []byte("x")}); len(files) != 1 || files[0].Name != "a.md" {
		t.Errorf("Unpack(a.md) = %+v, want the file itself", files)
	}
	if files := Unpack(File{Name: "bad.zip", Data: []byte("PK no zip")}); len(files) != 1 || !errors.Is(files[0].Err, ErrZip) {
		t.Errorf("Unpack(bad.zip) = %+v, want one file with ErrZip", files)
	}
	var empty bytes.Buffer
	zip.NewWriter(&empty).Close()
	if files := Unpack(File{Name: "empty.zip", Data: empty.Bytes()}); len(files) != 1 || !errors.Is(files[0].Err, parser.ErrEmpty) {
		t.Errorf("Unpack(empty.zip) = %+v, want one file with ErrEmpty", files)
	}
	if !TooLarge("big.md", parser.MaxSize+1) || TooLarge("big.zip", parser.MaxSize+1) || TooLarge("a.md", 10) {
		t.Error("TooLarge: want only a non-zip file over parser.MaxSize refused")
	}
}
