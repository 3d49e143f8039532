package parser

import (
	"net/url"
	"strings"
	"testing"
)

func TestPublicationName(t *testing.T) {
	cases := []struct{ url, want string }{
		{"https://cn.nytimes.com/world/20250213/story/", "纽约时报中文网"},
		{"https://CN.NYTimes.com/zh-hant/world/20250213/story/", "紐約時報中文網"},
		{"https://www.bbc.com/zhongwen/simp/world-1", "BBC中文网"},
		{"https://www.bbc.com/zhongwen/trad/world-1", "BBC中文網"},
		{"https://www.bbc.com/news/world-1", "BBC"},
		{"https://m.allnow.com/post/1", "燕京书评"},
		{"http://www.rfi.fr//cn/中国/20200720-x", "法广"},
		{"https://www.zaobao.com.sg/realtime/china/story", "联合早报"},
		{"https://unknown.example.com/a", ""},
		{"https://bbc.com.example.net/zhongwen/simp/x", ""},
		{"", ""},
	}
	for _, c := range cases {
		u, err := url.Parse(c.url)
		if err != nil {
			t.Fatal(err)
		}
		if got := knownPublications().name(u); got != c.want {
			t.Errorf("publication name of %q = %q, want %q", c.url, got, c.want)
		}
	}
}

func TestReadPublications(t *testing.T) {
	p := readPublications("# comment\n\nA.example.com\tA 报\nb.example.com/Path/\tB\tBee\tB News\nbroken line\nc.example.com\t \n")
	want := publications{"a.example.com": {"A 报"}, "b.example.com/path": {"B", "Bee", "B News"}}
	if len(p) != len(want) {
		t.Errorf("readPublications = %v, want %v", p, want)
	}
	for k, v := range want {
		if strings.Join(p[k], "|") != strings.Join(v, "|") {
			t.Errorf("readPublications[%q] = %q, want %q", k, p[k], v)
		}
	}
}

// TestPublicationsFile checks every line of publications.txt: a host
// (with an optional path) in lower case, a tab, a name, no repeated key.
func TestPublicationsFile(t *testing.T) {
	seen := map[string]bool{}
	for i, line := range strings.Split(publicationsData, "\n") {
		if line == "" || line[0] == '#' {
			continue
		}
		key, names, ok := strings.Cut(line, "\t")
		if !ok || names == "" || strings.TrimSpace(names) != names || strings.Contains(names, "\t\t") {
			t.Errorf("publications.txt:%d: %q is not host<TAB>name", i+1, line)
			continue
		}
		if key != strings.ToLower(key) || strings.HasPrefix(key, "www.") || strings.Contains(key, "://") || !strings.Contains(key, ".") {
			t.Errorf("publications.txt:%d: key %q is not a lower-case host without www.", i+1, key)
		}
		if seen[key] {
			t.Errorf("publications.txt:%d: key %q repeated", i+1, key)
		}
		seen[key] = true
	}
	if len(seen) < 30 {
		t.Errorf("publications.txt has %d entries, want ≥ 30", len(seen))
	}
}
