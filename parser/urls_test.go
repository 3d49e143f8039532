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
