package main

import (
	"errors"
	"fmt"
	"testing"

	"github.com/broadsheet/broadsheet/app/library"
	"github.com/broadsheet/broadsheet/parser"
)

func TestChooseLang(t *testing.T) {
	for _, c := range []struct {
		prefs []string
		want  string
	}{
		{nil, "en"},
		{[]string{"zh-CN", "en"}, "zh"},
		{[]string{"zh-TW"}, "zh"},
		{[]string{"ZH"}, "zh"},
		{[]string{"en-GB", "zh-CN"}, "en"},
		{[]string{"fr-FR", "zh-HK", "en"}, "zh"},
		{[]string{"fr", "de"}, "en"},
		{[]string{"zhx"}, "en"},
	} {
		if got := chooseLang(c.prefs); got != c.want {
			t.Errorf("chooseLang(%q) = %q, want %q", c.prefs, got, c.want)
		}
	}
}

func TestEveryMessageInBothLanguages(t *testing.T) {
	for k, m := range messages {
		if m.en == "" || m.zh == "" {
			t.Errorf("message %d: en %q, zh %q: want both", k, m.en, m.zh)
		}
	}
}

func TestT(t *testing.T) {
	defer func(l string) { uiLang = l }(uiLang)
	uiLang = "zh"
	if got := T(msgCancel); got != "取消" {
		t.Errorf("T(msgCancel) in zh = %q, want %q", got, "取消")
	}
	uiLang = "en"
	if got := T(msgCancel); got != "Cancel" {
		t.Errorf("T(msgCancel) in en = %q, want %q", got, "Cancel")
	}
}

func TestFailureReason(t *testing.T) {
	defer func(l string) { uiLang = l }(uiLang)
	r := library.Result{Status: library.Failed, Err: fmt.Errorf("reading: %w", parser.ErrBinary)}
	uiLang = "zh"
	if got := failureReason(r); got != "不是文本文件" {
		t.Errorf("failureReason(binary) in zh = %q, want %q", got, "不是文本文件")
	}
	uiLang = "en"
	if got := failureReason(r); got != "not a text file" {
		t.Errorf("failureReason(binary) in en = %q, want %q", got, "not a text file")
	}
	other := library.Result{Status: library.Failed, Err: errors.New("disk on fire")}
	if got := failureReason(other); got != other.Reason() {
		t.Errorf("failureReason(other) = %q, want library's %q", got, other.Reason())
	}
}
