package parser

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "update golden files")

// The golden test parses every input in testdata (*.md, *.txt, *.html,
// *.png: articles, encodings, shapes, hostile and non-article files, all
// written for this project; gb18030.txt and big5.txt are such text
// encoded) and compares a readable dump with testdata/NAME.golden. Run
// `go test ./parser -run Golden -update` after a deliberate change and
// review the diff.

// goldenInputs lists the testdata inputs.
func goldenInputs(t testing.TB) []string {
	var files []string
	for _, pattern := range []string{"*.md", "*.txt", "*.html", "*.png"} {
		m, err := filepath.Glob(filepath.Join("testdata", pattern))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	if len(files) < 20 {
		t.Fatalf("found %d golden inputs in testdata, want at least 20", len(files))
	}
	return files
}

func TestGolden(t *testing.T) {
	for _, in := range goldenInputs(t) {
		t.Run(filepath.Base(in), func(t *testing.T) {
			data, err := os.ReadFile(in)
			if err != nil {
				t.Fatal(err)
			}
			got := dump(Parse(data))
			golden := strings.TrimSuffix(in, filepath.Ext(in)) + ".golden"
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -run Golden -update)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("Parse(%s) differs from %s:\n%s", in, golden, lineDiff(string(want), string(got)))
			}
		})
	}
}

// dump is the golden form of a result: the error, or a line per field of
// the article, its blocks indented with inline marks written Markdown-
// style ([text](href), **strong**, *em*), then its PlainText.
func dump(a *Article, err error) []byte {
	if err != nil {
		return []byte("error: " + err.Error() + "\n")
	}
	var b bytes.Buffer
	field := func(name, value string) {
		if value != "" {
			fmt.Fprintf(&b, "%s: %s\n", name, value)
		}
	}
	field("id", a.ID)
	field("url", a.URL)
	field("title", a.Title)
	if !a.SavedAt.IsZero() {
		field("savedAt", a.SavedAt.Format(time.RFC3339Nano))
	}
	field("published", a.Published)
	field("dateText", a.DateText)
	field("authors", strings.Join(a.Authors, " | "))
	field("source", a.Source)
	field("tags", strings.Join(a.Tags, " | "))
	field("lang", a.Lang)
	if a.Lead != nil {
		field("lead", dumpImage(*a.Lead))
	}
	dumpBlocks(&b, "body", a.Body)
	dumpBlocks(&b, "footer", a.Footer)
	field("translator", a.Translator)
	field("originalUrl", a.OriginalURL)
	field("encoding", a.Encoding)
	for _, w := range a.Warnings {
		field("warning", w)
	}
	b.WriteString("--- PlainText ---\n")
	b.WriteString(a.PlainText())
	b.WriteString("\n")
	return b.Bytes()
}

// dumpImage writes an image on one line.
func dumpImage(im Image) string {
	return fmt.Sprintf("src=%s original=%s %dx%d caption=%q credit=%q",
		im.Src, im.Original, im.Width, im.Height, im.Caption, im.Credit)
}

// dumpBlocks writes a list of blocks under a heading.
func dumpBlocks(b *bytes.Buffer, name string, blocks []Block) {
	if len(blocks) == 0 {
		return
	}
	b.WriteString(name + ":\n")
	for _, bl := range blocks {
		dumpBlock(b, "  ", bl)
	}
}

// dumpBlock writes one block: its kind and text, then what else it holds.
func dumpBlock(b *bytes.Buffer, indent string, bl Block) {
	kind := bl.Type
	if bl.Level != 0 {
		kind += strconv.Itoa(bl.Level)
	}
	if bl.Ordered {
		kind += " ordered"
	}
	if bl.Start != 0 {
		kind += " start=" + strconv.Itoa(bl.Start)
	}
	if bl.Pre {
		kind += " pre indent=" + strconv.Itoa(bl.Indent)
	}
	if bl.Video != "" {
		kind += " video=" + bl.Video
	}
	if bl.Audio != "" {
		kind += " audio=" + bl.Audio
	}
	fmt.Fprintf(b, "%s%s: %s\n", indent, kind, bl.Text)
	if m := markup(bl.Inlines); len(bl.Inlines) > 0 && m != bl.Text {
		fmt.Fprintf(b, "%s  inlines: %s\n", indent, m)
	}
	if bl.Src != "" || bl.Original != "" || bl.Caption != "" || bl.Credit != "" || bl.Width != 0 || bl.Height != 0 {
		fmt.Fprintf(b, "%s  image: %s\n", indent, dumpImage(Image{Src: bl.Src, Original: bl.Original,
			Width: bl.Width, Height: bl.Height, Caption: bl.Caption, Credit: bl.Credit}))
	}
	for _, child := range bl.Blocks {
		dumpBlock(b, indent+"  ", child)
	}
	for _, it := range bl.Items {
		fmt.Fprintf(b, "%s  - %s\n", indent, it.Text)
		if m := markup(it.Inlines); len(it.Inlines) > 0 && m != it.Text {
			fmt.Fprintf(b, "%s    inlines: %s\n", indent, m)
		}
	}
}

// markup writes inlines with Markdown-like marks; no inlines give "".
func markup(ins []Inline) string {
	var b strings.Builder
	for _, in := range ins {
		t := in.Text
		if in.Em {
			t = "*" + t + "*"
		}
		if in.Strong {
			t = "**" + t + "**"
		}
		if in.Href != "" {
			t = "[" + t + "](" + in.Href + ")"
		}
		b.WriteString(t)
	}
	return b.String()
}

// lineDiff shows the first lines that differ.
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	shown := 0
	for i := 0; i < max(len(w), len(g)) && shown < 10; i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			b.WriteString("line " + strconv.Itoa(i+1) + ":\n  want: " + wl + "\n  got:  " + gl + "\n")
			shown++
		}
	}
	return b.String()
}
