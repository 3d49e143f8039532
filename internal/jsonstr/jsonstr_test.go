package jsonstr

import (
	"bytes"
	"encoding/json"
	"testing"
)

// escapes are strings that every escape rule of encoding/json meets.
var escapes = []string{
	"", "plain", "中文，标点。", "<b>&amp;</b>", `a " and a \ here`,
	"\b\f\n\r\t\x00\x01\x1f\x7f", "a\u2028b\u2029c", "\u2027\u202a\u20ac",
	"bad \xff byte", "cut \xe2\x80", "\xe2\x80\xa8 first", "last \xe2", "\xed\xa0\x80 surrogate",
	"😀 and \U0010ffff", "\xc3\x28 <\u2028> \t",
}

// TestAppend: the bytes of json.Marshal for each escape rule and for
// every byte value.
func TestAppend(t *testing.T) {
	all := make([]byte, 256)
	for i := range all {
		all[i] = byte(i)
	}
	for _, s := range append(escapes, string(all)) {
		want, _ := json.Marshal(s)
		if got := Append([]byte("x"), s); !bytes.Equal(got, append([]byte("x"), want...)) {
			t.Errorf("Append(%q) = %s, want x%s", s, got, want)
		}
	}
}

// FuzzAppend checks any string against encoding/json.
func FuzzAppend(f *testing.F) {
	for _, s := range escapes {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, _ := json.Marshal(s)
		if got := Append(nil, s); !bytes.Equal(got, want) {
			t.Fatalf("Append(%q) = %s, want %s", s, got, want)
		}
	})
}
