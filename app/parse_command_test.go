//go:build !(js && wasm)

package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseCommand(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.md")
	bad := filepath.Join(dir, "bad.md")
	os.WriteFile(good, []byte(articleFile(7)), 0o644)
	os.WriteFile(bad, nil, 0o644)

	var out, errs bytes.Buffer
	if code := parseCommand([]string{good}, &out, &errs); code != 0 {
		t.Fatalf("parse good.md: exit %d, stderr %q", code, errs.String())
	}
	var a struct{ Title string }
	if err := json.Unmarshal(out.Bytes(), &a); err != nil || !strings.Contains(a.Title, "第7号公告") {
		t.Errorf("parse good.md printed %q (%v), want its JSON with the title", out.String(), err)
	}

	out.Reset()
	errs.Reset()
	if code := parseCommand([]string{good, bad}, &out, &errs); code != 1 {
		t.Errorf("parse good.md bad.md: exit %d, want 1", code)
	}
	if !strings.Contains(errs.String(), "bad.md") {
		t.Errorf("stderr %q does not name bad.md", errs.String())
	}
	if !strings.Contains(out.String(), "第7号公告") {
		t.Errorf("the good file was not printed beside the bad one")
	}
}
