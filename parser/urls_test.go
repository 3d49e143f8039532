package parser

import "testing"

func TestLinkURL(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://example.com/a?b=c#d", "https://example.com/a?b=c#d"},
		{"http://example.com/", "http://example.com/"},
		{"  https://example.com/x  ", "https://example.com/x"},
		{"//example.com/p", "https://example.com/p"},
		{"HTTPS://Example.com/Y", "https://Example.com/Y"},
		{"mailto:someone@example.com", "mailto:someone@example.com"},
		{"mailto:", ""},
		{"/relative/path", ""},
		{"relative.html", ""},
		{"#fragment", ""},
		{"javascript:alert(1)", ""},
		{"JavaScript:alert(1)", ""},
		{"java\tscript:alert(1)", ""},
		{"vbscript:msgbox(1)", ""},
		{"data:text/html;base64,PHNjcmlwdD4=", ""},
		{"ftp://example.com/f", ""},
		{"file:///etc/passwd", ""},
		{"https://", ""},
		{"http://[::1", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := linkURL(tt.in); got != tt.want {
			t.Errorf("linkURL(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestImageURL(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://img.example.com/a.jpg", "https://img.example.com/a.jpg"},
		{"//img.example.com/a.jpg", "https://img.example.com/a.jpg"},
		{"mailto:a@example.com", ""},
		{"data:image/png;base64,iVBORw0KGgo=", ""},
		{"javascript:alert(1)", ""},
		{"/a.jpg", ""},
	}
	for _, tt := range tests {
		if got := imageURL(tt.in); got != tt.want {
			t.Errorf("imageURL(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestOriginalImage(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://images.weserv.nl/?url=static01.nyt.com/images/a.jpg", "https://static01.nyt.com/images/a.jpg"},
		{"https://images.weserv.nl?url=gdb.example.com/b.jpg", "https://gdb.example.com/b.jpg"},
		{"https://images.weserv.nl/?url=http://plain.example.com/c.jpg&w=300", "http://plain.example.com/c.jpg"},
		{"https://images.weserv.nl/?url=https%3A%2F%2Fenc.example.com%2Fd.jpg", "https://enc.example.com/d.jpg"},
		{"https://images.weserv.nl/?url=javascript:alert(1)", ""},
		{"https://images.weserv.nl/?w=300", ""},
		{"https://thumbor.example.cn/unsafe/1340x754/https://thumbor.example.cn/unsafe/picture/e.jpg", "https://thumbor.example.cn/unsafe/picture/e.jpg"},
		{"https://img.example.com/plain.jpg", ""},
	}
	for _, tt := range tests {
		if got := originalImage(tt.in); got != tt.want {
			t.Errorf("originalImage(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestDimension(t *testing.T) {
	tests := []struct {
		in   string
		want int
	}{
		{"1050", 1050}, {" 700 ", 700}, {"360px", 360}, {"100%", 0}, {"50.5", 50},
		{"auto", 0}, {"", 0}, {"-5", 0}, {"99999999999999999999", 0},
	}
	for _, tt := range tests {
		if got := dimension(tt.in); got != tt.want {
			t.Errorf("dimension(%q) = %d, want %d", tt.in, got, tt.want)
		}
	}
}

func TestSchemeOf(t *testing.T) {
	tests := []struct{ in, want string }{
		{"javascript:x", "javascript:"}, {" \tJaVa\nScript:x", "javascript:"}, {"data:,", "data:"},
		{"https://x", "https:"}, {"/path", ""}, {"no-colon", ""}, {"1http:", ""},
	}
	for _, tt := range tests {
		if got := schemeOf(tt.in); got != tt.want {
			t.Errorf("schemeOf(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestResolveRelative(t *testing.T) {
	base := baseURL("https://news.example.org/2025/05/story/")
	tests := []struct{ in, want string }{
		{"/img/a.jpg", "https://news.example.org/img/a.jpg"},
		{"b.jpg", "https://news.example.org/2025/05/story/b.jpg"},
		{"../other/", "https://news.example.org/2025/05/other/"},
		{"?page=2", "https://news.example.org/2025/05/story/?page=2"},
		{"#notes", ""},
		{"", ""},
		{"javascript:alert(1)", ""},
		{"java\tscript:alert(1)", ""},
		{"data:image/png;base64,AAAA", ""},
		{"https://other.example.com/x", ""},
	}
	for _, tt := range tests {
		if got := resolveRelative(tt.in, base); got != tt.want {
			t.Errorf("resolveRelative(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	for _, u := range []string{"", "/relative", "ftp://example.com/", "javascript:alert(1)", "https://"} {
		if baseURL(u) != nil {
			t.Errorf("baseURL(%q) = %v, want nil", u, baseURL(u))
		}
	}
}

func TestParseRelativeAddresses(t *testing.T) {
	src := "[小城的书店](https://books.example.net/2025/shop/)\n------\n\n<section>" +
		`<p>书店在<a href="/map/old-town">老城区</a>的<a href="#note">拐角</a>，<a href="javascript:void(0)">店主</a>姓陈。</p>` +
		`<p><img src="photos/front.jpg" width="800" height="600"><small>书店的门面</small></p>` +
		`<p><img src="/graphics/icon-zoom.png">门口摆着一排旧杂志。</p></section>`
	a, err := Parse([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	var hrefs []string
	for _, in := range a.Body[0].Inlines {
		if in.Href != "" {
			hrefs = append(hrefs, in.Href)
		}
	}
	if len(hrefs) != 1 || hrefs[0] != "https://books.example.net/map/old-town" {
		t.Errorf("Parse(relative).Body[0] links = %q, want [https://books.example.net/map/old-town]", hrefs)
	}
	var figures []string
	for _, b := range a.Body {
		if b.Type == BlockFigure {
			figures = append(figures, b.Src)
		}
	}
	if len(figures) != 1 || figures[0] != "https://books.example.net/2025/shop/photos/front.jpg" {
		t.Errorf("Parse(relative) figures = %q, want the resolved photos/front.jpg only (no icon)", figures)
	}
}

func TestDecorationFile(t *testing.T) {
	for _, tt := range []struct {
		src  string
		want bool
	}{
		{"https://example.com/graphics/icon-zoom.png", true},
		{"https://example.com/site_logo.svg?v=2", true},
		{"https://example.com/img/Loadingthon8-1024x724.jpg", false},
		{"https://example.com/photos/iconic-bridge.jpg", false},
		{"https://example.com/logos/harbour.jpg", false},
	} {
		if got := decorationFile(tt.src); got != tt.want {
			t.Errorf("decorationFile(%q) = %v, want %v", tt.src, got, tt.want)
		}
	}
}
