package library_test

import (
	"context"
	"fmt"

	"github.com/broadsheet/broadsheet/app/library"
	"github.com/broadsheet/broadsheet/app/store"
)

const harbor = `<!--1739434021000-->
[港口城市试行夜间公交](https://news.example.com/city/20250213/harbor-night-bus/)
------

<address>林晓雨, 陈大海</address><time pudate="2025-02-13 08:30:00">2025年2月13日</time><section><p>三条夜间公交线路下月起试运行。</p></section>
`

func Example() {
	ctx := context.Background()
	l, err := library.Open(ctx, store.NewMemory(library.Tables()...))
	if err != nil {
		panic(err)
	}
	results, err := l.Import(ctx, []library.File{
		{Name: "harbor.md", Data: []byte(harbor)},
		{Name: "notes.txt", Data: []byte("# Notes\n\nnot an article\n")},
		{Name: "harbor copy.md", Data: []byte(harbor)},
	})
	if err != nil {
		panic(err)
	}
	for _, r := range results {
		fmt.Printf("%s: %v (%s)\n", r.Name, r.Status, r.Reason())
	}
	items, total, err := l.List(ctx, library.Query{Author: "陈大海"})
	if err != nil {
		panic(err)
	}
	fmt.Println(total, items[0].Title, items[0].Published, items[0].Authors)
	// Output:
	// harbor.md: added (added)
	// notes.txt: failed (not a saved article)
	// harbor copy.md: unchanged (already in the library)
	// 1 港口城市试行夜间公交 2025-02-13T08:30:00 [林晓雨 陈大海]
}
