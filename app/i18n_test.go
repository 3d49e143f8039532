package main

import "testing"

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
