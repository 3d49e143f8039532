package parser

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// The tree stage must build the tree html.ParseFragment builds, for every
// fragment it does not leave to html.ParseFragment. These tests compare
// the two, node by node: on hand-written cases, on the bodies of the
// corpus, and under fuzzing.

// dumpTree writes a tree one node a line, indented by depth.
func dumpTree(n *html.Node) string {
	var sb strings.Builder
	var visit func(*html.Node, int)
	visit = func(n *html.Node, depth int) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			sb.WriteString(strings.Repeat("  ", depth))
			switch c.Type {
			case html.TextNode:
				fmt.Fprintf(&sb, "%q\n", c.Data)
			case html.CommentNode:
				fmt.Fprintf(&sb, "<!-- %q -->\n", c.Data)
			case html.ElementNode:
				fmt.Fprintf(&sb, "<%s:%s atom=%d", c.Namespace, c.Data, c.DataAtom)
				for _, a := range c.Attr {
					fmt.Fprintf(&sb, " %s:%s=%q", a.Namespace, a.Key, a.Val)
				}
				sb.WriteString(">\n")
			default:
				fmt.Fprintf(&sb, "node type %d %q\n", c.Type, c.Data)
			}
			visit(c, depth+1)
		}
	}
	visit(n, 0)
	return sb.String()
}

// compareTree reports whether buildTree took src, and fails when its tree
// differs from html.ParseFragment's.
func compareTree(t *testing.T, name, src string) bool {
	t.Helper()
	got, ok := buildTree(src)
	if !ok {
		return false
	}
	want := parseFragmentHTML(src)
	if g, w := dumpTree(got), dumpTree(want); g != w {
		t.Errorf("buildTree(%s) differs from html.ParseFragment:\n%s", name, firstDiff(g, w))
	}
	return true
}

// firstDiff shows the first differing line of two dumps, with context.
func firstDiff(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := 0; i < len(g) || i < len(w); i++ {
		if i >= len(g) || i >= len(w) || g[i] != w[i] {
			from := max(0, i-3)
			return fmt.Sprintf("got:\n%s\nwant:\n%s", strings.Join(g[from:min(len(g), i+3)], "\n"),
				strings.Join(w[from:min(len(w), i+3)], "\n"))
		}
	}
	return ""
}

// treeCases are fragments of the shapes the tree stage handles itself;
// each must match html.ParseFragment, and take the fast path unless
// marked otherwise.
var treeCases = []struct {
	src      string
	fallback bool // left to html.ParseFragment
}{
	{src: ""},
	{src: "plain text"},
	{src: "<p>一<p>二<div>三</div>四</p>五</p>"},
	{src: "<ul><li>a<li>b<ul><li>c</ul><li>d</ul><ol><li><p>e<li>f</ol>"},
	{src: "<dl><dt>t<dd>d<dt>u</dl>"},
	{src: "<h2>a<h3>b</h2>c</h4>d"},
	{src: "<P CLASS=X Id='y' data-A=\"1\" class=dup>Mixed case</P>"},
	{src: "<a href='https://a.example/?x=1&amp;y=2&copy=3&reg&region=4&notit;&#38;&#x41'>l</a>"},
	{src: "text &amp; &lt;tag&gt; &copy &notit; &#20013;&#x6587; &bogus; &"},
	{src: "<img src=x.png alt=\"a b\"/><br/><hr><wbr><image src=y.png>"},
	{src: "<script>if (a<b) { x = '</p>' }</script><style>p{}</style><title>T &amp;</title>"},
	{src: "<script><!-- <script> </script> --></script>after"},
	{src: "<noscript><p>n</p></noscript><iframe src=f></iframe><xmp><b></xmp>"},
	{src: "<!-- c --><!----><!--><!---><!-- a --!> <!DOCTYPE html><?xml x?></ x></>"},
	{src: "<html><head><meta charset=utf-8><link rel=canonical href=u></head><body class=b><p>x</body></html>"},
	{src: "<pre>\nline</pre><pre>\n\nkept</pre><listing>\nl</listing>"},
	{src: "<div><span>a</div>b</span>c"},
	{src: "<b>bold <i>both</i></b> <strong class=z id=a>s</strong></em>"},
	{src: "<p>a</br>b</p></td></tr></table><td>c"},
	{src: "<section><figure><img src=a.jpg><figcaption>c <cite>d</cite></figcaption></figure></section>"},
	{src: "<custom-el>x</custom-el><foo><bar>y</foo>z"},
	{src: "<p>unclosed <a href=x>link"},
	{src: "<a href=\"x"},
	{src: "a < b <3 <"},
	{src: "<p>x</"},
	{src: "<p><b>bold</p>after", fallback: true},
	{src: "<a>1<a>2", fallback: true},
	{src: "<table><tr><td>x</table>", fallback: true},
	{src: "<svg><path/></svg>", fallback: true},
	{src: "<b>1<i>2</b>3</i>", fallback: true},
	{src: "<form><input></form>", fallback: true},
	{src: "a\r\nb", fallback: true},
}

func TestTreeCases(t *testing.T) {
	for _, c := range treeCases {
		if took := compareTree(t, fmt.Sprintf("%q", c.src), c.src); took == c.fallback {
			t.Errorf("buildTree(%q) took it = %v, want %v", c.src, took, !c.fallback)
		}
	}
}

// TestUnescapeAttr checks attribute values against the tokenizer's.
func TestUnescapeAttr(t *testing.T) {
	for _, v := range []string{
		"plain", "a&amp;b", "?a=1&copy=2", "&copy", "&copy;", "&reg&x", "&region",
		"&notit;", "&notin;", "&not", "&#38;", "&#x26", "&#", "&#;", "&#x;", "&", "&;",
		"&fjlig;", "&semi;", "&nvlt;", "&amp", "&AMP;x", "&lt=", "&lt;=", "x&y=1&z",
	} {
		z := html.NewTokenizer(strings.NewReader(`<a x="` + v + `">`))
		z.Next()
		want := ""
		if _, val, _ := z.TagAttr(); val != nil {
			want = string(val)
		}
		if got := unescapeAttr(v); got != want {
			t.Errorf("unescapeAttr(%q) = %q, want %q", v, got, want)
		}
	}
}

// TestTreeCorpus compares the trees of the corpus bodies and logs how
// many take the fast path.
func TestTreeCorpus(t *testing.T) {
	took, total := 0, 0
	for _, sub := range []string{"dev", "dev-frontmatter"} {
		dir := corpusDir(t, sub)
		paths, err := filepath.Glob(filepath.Join(dir, "*"))
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range paths {
			data, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			body, ok := bodyOf(data)
			if !ok {
				continue
			}
			total++
			if compareTree(t, filepath.Base(p), body) {
				took++
			}
		}
	}
	t.Logf("tree stage built %d of %d bodies; html.ParseFragment the rest", took, total)
}

// bodyOf returns the feed HTML that Parse hands the body stage.
func bodyOf(data []byte) (string, bool) {
	d, err := decode(data)
	if err != nil {
		return "", false
	}
	doc, err := readDocument(normalizeNewlines(d.text), "")
	if err != nil {
		return "", false
	}
	return doc.bodyHTML(), true
}

// FuzzTree compares the two trees on any input.
func FuzzTree(f *testing.F) {
	for _, c := range treeCases {
		f.Add(c.src)
	}
	for _, in := range goldenInputs(f) {
		if data, err := os.ReadFile(in); err == nil {
			if body, ok := bodyOf(data); ok {
				f.Add(body)
			}
		}
	}
	f.Fuzz(func(t *testing.T, src string) {
		compareTree(t, "fuzz input", src)
	})
}
