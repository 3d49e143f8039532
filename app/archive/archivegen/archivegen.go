// Package archivegen writes synthetic archives of article files, for the
// archive builder's tests and scale benchmarks and for the browser's: a
// hundred thousand articles recombined at run time from the paragraphs of
// a real corpus (which must not be copied into the project), or from
// sentences made up here.
package archivegen

import (
	"fmt"
	"html"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/broadsheet/broadsheet/parser"
)

// Paragraphs returns the paragraphs (of at least 20 bytes) of the article
// files in dir, parsed with the parser; files that are no article are
// skipped.
func Paragraphs(dir string) ([]string, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range ents {
		if !e.Type().IsRegular() {
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		a, err := parser.Parse(data)
		if err != nil {
			continue
		}
		for _, b := range a.Body {
			if b.Type == parser.BlockParagraph && len(b.Text) >= 20 {
				out = append(out, b.Text)
			}
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("archivegen: no paragraphs in %s", dir)
	}
	return out, nil
}

// Synthetic returns n paragraphs of made-up Chinese news sentences.
func Synthetic(n int, seed uint64) []string {
	rng := rand.New(rand.NewPCG(seed, 1))
	out := make([]string, n)
	for i := range out {
		var b strings.Builder
		for range 2 + rng.IntN(4) {
			fmt.Fprintf(&b, "%s%s%s%s，%s。", pick(rng, places), pick(rng, actors), pick(rng, verbs), pick(rng, things), pick(rng, tails))
		}
		out[i] = b.String()
	}
	return out
}

var (
	places = []string{"江城", "临海县", "北岭镇", "西湖区", "南港", "东山村", "河口市", "青石街道", "云台", "新港开发区"}
	actors = []string{"市政府", "公交集团", "图书馆", "茶农", "志愿者", "教育局", "渔民", "医院", "商户", "气象台", "铁路部门", "社区居民"}
	verbs  = []string{"宣布增加", "计划减少", "开始试行", "暂停了", "重新开放", "调查了", "公布了", "讨论了", "完成了", "启动了"}
	things = []string{"夜间公交线路", "渡轮班次", "春茶收购", "河道清理", "学校午餐", "自行车道", "老桥维修", "夜市摊位", "防汛演练", "社区食堂", "旧城改造", "垃圾分类"}
	tails  = []string{"预计下月完成", "居民反应不一", "费用由财政承担", "试行期为三个月", "相关部门将继续评估", "引起了广泛讨论", "参与人数超过预期", "具体方案尚未公布"}
	names  = []string{"林晓", "周明远", "陈思", "王磊", "黄嘉文", "李青", "赵一帆", "孙悦", "Anna Reed", "Tom Hale"}
	hosts  = []string{"news.example.cn", "daily.example.com", "times.example.tw", "post.example.org"}
)

func pick(rng *rand.Rand, s []string) string { return s[rng.IntN(len(s))] }

// Options say what Write writes.
type Options struct {
	// Seed makes the archive: the same seed, paragraphs and N give the
	// same files.
	Seed uint64
	// First is the number of the first article (default 0): an archive
	// grown by a second Write with First = the first's N gets new
	// articles, not copies.
	First int
	// Paragraphs per article, at least Min and at most Max (defaults 3
	// and 12).
	Min, Max int
}

// Write writes n articles into dir (in subfolders of 1,000), each of
// paragraphs drawn from paras under a new title, URL, authors and date,
// and returns the bytes written.
func Write(dir string, n int, paras []string, o Options) (int64, error) {
	if o.Min <= 0 {
		o.Min = 3
	}
	if o.Max < o.Min {
		o.Max = max(12, o.Min)
	}
	var total int64
	for i := o.First; i < o.First+n; i++ {
		rng := rand.New(rand.NewPCG(o.Seed, uint64(i)))
		data := Article(rng, i, paras, o.Min+rng.IntN(o.Max-o.Min+1))
		path := Path(dir, i)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return total, err
		}
		if err := os.WriteFile(path, data, 0o644); err != nil {
			return total, err
		}
		total += int64(len(data))
	}
	return total, nil
}

// Path is where Write puts article i.
func Path(dir string, i int) string {
	return filepath.Join(dir, fmt.Sprintf("%03d", i/1000), fmt.Sprintf("%06d.md", i))
}

// epoch is the date of article 0; article i is i hours later.
var epoch = time.Date(2015, 1, 1, 8, 0, 0, 0, time.UTC)

// Article returns the file of article number i with k paragraphs.
func Article(rng *rand.Rand, i int, paras []string, k int) []byte {
	published := epoch.Add(time.Duration(i) * time.Hour)
	host := pick(rng, hosts)
	authors := pick(rng, names)
	if rng.IntN(3) == 0 {
		authors += ", " + pick(rng, names)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "<!--%d-->\n[%s](https://%s/news/%s/%06d/)\n------\n\n",
		published.Add(90*time.Minute).UnixMilli(), html.EscapeString(title(rng, paras, i)), host, published.Format("20060102"), i)
	fmt.Fprintf(&b, "<address>%s</address><time pudate=\"%s\">%s</time><section>",
		html.EscapeString(authors), published.Format("2006-01-02 15:04:05"), published.Format("2006年1月2日"))
	for range k {
		fmt.Fprintf(&b, "<p>%s</p>", html.EscapeString(pick(rng, paras)))
	}
	b.WriteString("</section>\n")
	return []byte(b.String())
}

// title is the start of a paragraph, cut at a punctuation mark or at 24
// characters, with the article's number.
func title(rng *rand.Rand, paras []string, i int) string {
	p := pick(rng, paras)
	n := 0
	for j, r := range p {
		if n >= 24 || (n >= 6 && strings.ContainsRune("，。；：,.;:！？!?", r)) {
			p = p[:j]
			break
		}
		n++
	}
	if !utf8.ValidString(p) {
		p = strings.ToValidUTF8(p, "")
	}
	return fmt.Sprintf("%s（第%d号）", p, i)
}
