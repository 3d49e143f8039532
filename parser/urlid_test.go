package parser

import "testing"

// TestURLID checks that URLID agrees with the id Parse gives a file whose
// title links to the address.
func TestURLID(t *testing.T) {
	for _, u := range []string{
		"https://www.example.com/news/2025/10/09/night-bus/",
		"http://Example.COM/%E6%96%B0%E9%97%BB/?utm_source=x#top",
		"https://forum.example.org/viewtopic.php?p=12&sid=9",
		"HTTPS://example.net//a//b",
		"https://example.com/文章/一",
	} {
		a, err := Parse([]byte("[x](" + u + ")\n------\n"))
		if err != nil {
			t.Fatalf("Parse(link to %q): %v", u, err)
		}
		if got := URLID(u); got != a.ID || got == "" {
			t.Errorf("URLID(%q) = %q, want %q (Parse's id)", u, got, a.ID)
		}
	}
	for _, u := range []string{"", "javascript:alert(1)", "mailto:a@example.com", "/relative/path", "ftp://example.com/x"} {
		if got := URLID(u); got != "" {
			t.Errorf("URLID(%q) = %q, want \"\"", u, got)
		}
	}
}
