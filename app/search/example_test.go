package search_test

import (
	"context"
	"fmt"
	"time"

	"github.com/broadsheet/broadsheet/app/search"
	"github.com/broadsheet/broadsheet/app/store"
)

func Example() {
	ctx := context.Background()
	st := store.NewMemory(search.Tables()...)
	ix, err := search.Open(ctx, st)
	if err != nil {
		panic(err)
	}
	err = ix.Add(ctx,
		search.Doc{ID: "a", Title: "習近平會見來訪客人", Text: "两国领导人在北京举行会谈。双方讨论了经贸合作。", Date: time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)},
		search.Doc{ID: "b", Title: "G20峰会开幕", Text: "峰会在南非举行，习近平未出席。", Date: time.Date(2025, 11, 22, 0, 0, 0, 0, time.UTC)},
	)
	if err != nil {
		panic(err)
	}
	res, err := ix.Search(ctx, "习近平", search.Options{})
	if err != nil {
		panic(err)
	}
	fmt.Println(res.Total)
	for _, h := range res.Hits {
		fmt.Println(h.ID, h.Title, h.TitleMatches)
	}
	// Output:
	// 2
	// a 習近平會見來訪客人 [[0 9]]
	// b G20峰会开幕 []
}
