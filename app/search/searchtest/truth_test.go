package searchtest

import "testing"

func TestMatches(t *testing.T) {
	for _, c := range []struct {
		title, text, q string
		want           bool
	}{
		{"", "市政府宣布夜间公交试运行", "夜间公交", true},
		{"", "市政府宣布夜间公交试运行", "夜公交", false},
		{"夜间公交", "", "公交 夜间", true},
		{"", "the cat sat", "cat", true},
		{"", "concatenate", "cat", false},
		{"", "g20峰会", "g20峰", true},
		{"", "g20峰会", "20峰", false},
		{"", "2025年", "2025", true},
		{"", "a20250", "2025", false},
		{"", "text", "", false},
		{"", "cat concatenate", "cat", true},
	} {
		if got := Matches(c.title, c.text, c.q); got != c.want {
			t.Errorf("Matches(%q, %q, %q) = %v, want %v", c.title, c.text, c.q, got, c.want)
		}
	}
}
