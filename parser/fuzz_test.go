package parser

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzParse checks, for any input: no panic; the same result twice; an
// error wraps one of the sentinels; every string of the article is valid
// UTF-8; every URL is absolute http or https (mailto too for links); and
// the JSON form survives a round trip. Seeds: every testdata input, and
// the findings kept in testdata/fuzz/FuzzParse.
func FuzzParse(f *testing.F) {
	for _, in := range goldenInputs(f) {
		data, err := os.ReadFile(in)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte("---\ntitle: x\n---\n"))
	f.Add([]byte("---\ntitle: md\n---\n# H\n\n> q *e* **s** `c` [l](https://a.example/) ![i](//i.example/p.png)\n\n1. a\n- b\n\n```\nx\n```\n<div>raw</div>\n\nT\n==="))
	f.Add([]byte("<!--1-->\n[[[]]](()())\n===\n<p><a href=\"mailto:a@b.example\">m</a></p>"))
	f.Fuzz(func(t *testing.T, data []byte) {
		a, err := Parse(data)
		again, err2 := Parse(data)
		if err != nil {
			checkFuzzError(t, err, err2)
			return
		}
		if err2 != nil {
			t.Fatalf("Parse gave an article, then error %v", err2)
		}
		j := marshal(t, a)
		if !bytes.Equal(j, marshal(t, again)) {
			t.Fatalf("Parse is not deterministic:\n%s\n%s", j, marshal(t, again))
		}
		checkArticleStrings(t, a)
		checkRoundTrip(t, j)
	})
}

// sentinels are the errors Parse may wrap.
var sentinels = []error{ErrEmpty, ErrBinary, ErrTooLarge, ErrNotArticle, ErrEncoding}

func checkFuzzError(t *testing.T, err, again error) {
	t.Helper()
	if again == nil || again.Error() != err.Error() {
		t.Fatalf("Parse gave error %v, then %v", err, again)
	}
	for _, s := range sentinels {
		if errors.Is(err, s) {
			return
		}
	}
	t.Fatalf("Parse error %v wraps no sentinel", err)
}

func marshal(t *testing.T, a *Article) []byte {
	t.Helper()
	j, err := json.Marshal(a)
	if err != nil {
		t.Fatalf("json.Marshal: %v", err)
	}
	return j
}

// checkRoundTrip decodes the JSON form and encodes it again.
func checkRoundTrip(t *testing.T, j []byte) {
	t.Helper()
	var back Article
	if err := json.Unmarshal(j, &back); err != nil {
		t.Fatalf("json.Unmarshal(%s): %v", j, err)
	}
	if j2 := marshal(t, &back); !bytes.Equal(j, j2) {
		t.Fatalf("JSON round trip differs:\n%s\n%s", j, j2)
	}
}

// urlFields are the struct fields that hold URLs.
var urlFields = map[string]bool{"URL": true, "OriginalURL": true, "Src": true, "Original": true, "Href": true}

// checkArticleStrings walks every string of the article.
func checkArticleStrings(t *testing.T, a *Article) {
	t.Helper()
	if a.ID == "" {
		t.Error("Parse gave an article without an ID")
	}
	if !utf8.ValidString(a.PlainText()) {
		t.Errorf("PlainText() is not valid UTF-8: %q", a.PlainText())
	}
	walkStrings(reflect.ValueOf(a).Elem(), "", func(field, s string) {
		if !utf8.ValidString(s) {
			t.Errorf("%s = %q is not valid UTF-8", field, s)
		}
		if urlFields[field] && s != "" && !allowedURL(s, field == "Href") {
			t.Errorf("%s = %q is not an allowed URL", field, s)
		}
	})
}

// allowedURL reports an absolute http(s) URL, or mailto for links.
func allowedURL(s string, link bool) bool {
	l := strings.ToLower(s)
	return strings.HasPrefix(l, "https://") || strings.HasPrefix(l, "http://") || link && strings.HasPrefix(l, "mailto:")
}

// walkStrings calls fn with the name and value of every string field,
// slice element and nested struct field under v.
func walkStrings(v reflect.Value, field string, fn func(field, s string)) {
	switch v.Kind() {
	case reflect.String:
		fn(field, v.String())
	case reflect.Pointer:
		if !v.IsNil() {
			walkStrings(v.Elem(), field, fn)
		}
	case reflect.Slice:
		for i := 0; i < v.Len(); i++ {
			walkStrings(v.Index(i), field, fn)
		}
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				walkStrings(v.Field(i), v.Type().Field(i).Name, fn)
			}
		}
	}
}
