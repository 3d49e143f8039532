package parser_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/broadsheet/broadsheet/parser"
)

func ExampleParse() {
	file := `<!--1739434021000-->
[河畔小城试行夜间公交](https://www.news.example.com/city/night-bus/)
------

<address>林晓舟, 陈雨桐</address><time pudate="2025-02-13 03:56:11">2025年2月13日</time><section><p>交通局宣布在三条线路上<a href="https://news.example.com/press">试行</a>夜间公交。</p><h3>乘客怎么说</h3><p>“终于可以坐公交回家了。”</p></section>`

	a, err := parser.Parse([]byte(file))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(a.ID)
	fmt.Println(a.Title, a.Lang)
	fmt.Println(a.SavedAt.Format(time.RFC3339), a.Published)
	fmt.Println(a.Authors)
	for _, b := range a.Body {
		fmt.Println(b.Type, b.Text)
	}

	_, err = parser.Parse([]byte("# Notes\n\nNot an article.\n"))
	fmt.Println(errors.Is(err, parser.ErrNotArticle), err)
	// Output:
	// news.example.com/city/night-bus
	// 河畔小城试行夜间公交 zh-Hans
	// 2025-02-13T08:07:01Z 2025-02-13T03:56:11
	// [林晓舟 陈雨桐]
	// p 交通局宣布在三条线路上试行夜间公交。
	// h 乘客怎么说
	// p “终于可以坐公交回家了。”
	// true parser: not an article: no title link and no article HTML
}
