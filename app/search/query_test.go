package search

import (
	"fmt"
	"strings"
	"testing"
)

// describe renders a parsed query compactly: parts as term@offset lists
// ("*" after a prefix, "/doc" for per-document terms), "-" for exclusions.
func describe(q Query) string {
	var out []string
	part := func(sign string, p Part) {
		var ts []string
		for _, t := range p.toks {
			s := fmt.Sprintf("%s@%d", strings.TrimPrefix(t.term, edgeMark), t.off)
			if t.prefix {
				s += "*"
			}
			if t.perDoc {
				s += "/doc"
			}
			ts = append(ts, s)
		}
		out = append(out, sign+"["+strings.Join(ts, " ")+"]")
	}
	for _, p := range q.Parts {
		part("", p)
	}
	for _, p := range q.Exclude {
		part("-", p)
	}
	for _, a := range q.Authors {
		out = append(out, "author="+a)
	}
	for _, s := range q.Sources {
		out = append(out, "source="+s)
	}
	if !q.After.IsZero() {
		out = append(out, "after="+q.After.Format("2006-01-02"))
	}
	if !q.Before.IsZero() {
		out = append(out, "before="+q.Before.Format("2006-01-02"))
	}
	return strings.Join(out, " ")
}

func TestParseQuery(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"   ", ""},
		{"美", "[美@0/doc]"},
		{"习近平", "[习近@0 近平@1]"},
		{"習近平 ", "[习近@0 近平@1]"},
		{"泽连斯基", "[泽连@0 斯基@2]"},
		{"中华人民共和国", "[中华@0 人民@2 共和@4 和国@5]"},
		{"美国 中国", "[美国@0] [中国@0]"},
		{"trum", "[trum@0*]"},
		{"trump ", "[trump@0]"},
		{"Donald Trum", "[donald@0] [trum@0*]"},
		{`"new york" times`, "[new@0 york@4] [times@0*]"},
		{`"new yor`, "[new@0 yor@4]"},
		{"“纽约时报”", "[纽约@0 时报@2]"},
		{"G20峰会", "[g20@0 峰会@3]"},
		{"2025年", "[2025@0 年@4]"},
		{"3月5日 ", "[3@0 月@1 5@2 日@3]"},
		{"美，中国", "[中国@0] [美@0/doc]"},
		{"-广告 新闻", "[新闻@0] -[广告@0]"},
		{`-"sponsored content" 新闻`, "[新闻@0] -[sponsored@0 content@10]"},
		{"- 新闻", "[新闻@0]"},
		{"author:王小明 选举", "[选举@0] author=王小明"},
		{"Author:SMITH", "author=smith"},
		{"source:BBC 英国", "[英国@0] source=bbc"},
		{"after:2024 before:2025-03-01", "after=2024-01-01 before=2025-03-01"},
		{"before:yesterday", "[before@0 yesterday@7*]"},
		{"foo:bar", "[foo@0 bar@4*]"},
		{"author: 王", "[author@0] [王@0/doc]"},
		{"！？。", ""},
		{"ＮＡＴＯ峰會 ", "[nato@0 峰会@4]"},
	}
	for _, tt := range tests {
		if got := describe(ParseQuery(tt.in)); got != tt.want {
			t.Errorf("ParseQuery(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

// TestQueryDistinct: a part asked again is asked once; a query of
// distinct parts is the query itself.
func TestQueryDistinct(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"中国 美国 中國 美国", "[中国@0] [美国@0]"},
		{`"美国 总统" 美国总统 -广告 -廣告 美国总统`, "[美国@0 总统@3] [美国@0 总统@2] -[广告@0]"},
		{"trump trump trum", "[trump@0] [trum@0*]"},
		{"美 中国 美", "[美@0/doc] [中国@0]"},
	} {
		q := ParseQuery(tt.in)
		before := describe(q)
		if got := describe(*q.distinct()); got != tt.want {
			t.Errorf("ParseQuery(%q).distinct() = %s, want %s", tt.in, got, tt.want)
		}
		if describe(q) != before {
			t.Errorf("ParseQuery(%q).distinct() changed the query it was called on", tt.in)
		}
	}
	q := ParseQuery("中国 美国 -广告")
	if q.distinct() != &q {
		t.Error("distinct of a query of distinct parts is a copy, want the query itself")
	}
}
