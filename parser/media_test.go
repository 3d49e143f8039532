package parser

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestParseMediaAndPre parses a whole file with a recording, an ordered
// list that starts at 4 and preformatted text, and checks their JSON
// form: the fields readers of the contract see.
func TestParseMediaAndPre(t *testing.T) {
	src := "[河口的新渡轮](https://news.example.com/2026/ferry.html)\n------\n\n" +
		`<p>渡轮今天首航。</p>` +
		`<video controls poster="/img/ferry.jpg"><source src="/media/ferry.mp4" type="video/mp4"></video>` +
		`<div><small>首航视频。</small></div>` +
		`<ol start="4"><li>第四站</li><li>第五站</li></ol>` +
		"<pre>航线  时间\n  东岸\t08:00</pre><p>完。</p>\n"
	a, err := Parse([]byte(src))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	data, err := json.Marshal(a.Body)
	if err != nil {
		t.Fatal(err)
	}
	got := string(data)
	for _, want := range []string{
		`{"type":"figure","text":"首航视频。","src":"https://news.example.com/img/ferry.jpg","caption":"首航视频。","video":"https://news.example.com/media/ferry.mp4"}`,
		`{"type":"list","text":"第四站 第五站","ordered":true,"start":4,"items":[`,
		`{"type":"p","text":"航线 时间","inlines":[{"text":"航线 时间"}],"pre":true}`,
		`{"type":"p","text":"东岸 08:00","inlines":[{"text":"东岸 08:00"}],"pre":true,"indent":2}`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("Parse(…).Body JSON lacks %s\ngot %s", want, got)
		}
	}
	if a.Lead != nil {
		t.Errorf("Parse(…).Lead = %+v, want none (the only picture is a video's poster)", a.Lead)
	}
	if len(a.Warnings) != 0 {
		t.Errorf("Parse(…).Warnings = %q, want none: the video is kept", a.Warnings)
	}
}

// TestIndentationBounded feeds a line of preformatted text a hostile
// amount of indentation.
func TestIndentationBounded(t *testing.T) {
	p := parseBody("<pre>" + strings.Repeat("\t", 10000) + "深</pre>")
	if len(p.Body) != 1 || p.Body[0].Indent != maxIndent || p.Body[0].Text != "深" {
		t.Fatalf("parseBody(10,000 tabs + 深) = %+v, want one line indented %d", p.Body, maxIndent)
	}
}
