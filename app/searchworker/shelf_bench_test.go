package main

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/broadsheet/broadsheet/app/search"
	"github.com/broadsheet/broadsheet/app/searchworker/message"
	"github.com/broadsheet/broadsheet/app/store"
)

// BenchmarkShelfFirstTexts: a new shelf's first texts, of 20 documents
// out of 10,000 put in 10 batches of ~2 KB texts: the directories read
// and the pages of the 20.
func BenchmarkShelfFirstTexts(b *testing.B) {
	ctx := context.Background()
	mem := store.NewMemory(message.DocsTable)
	text := strings.Repeat("夜间公交末班车延后。", 70)
	var ids []string
	for batch := range 10 {
		docs := make([]search.Doc, 1000)
		for i := range docs {
			docs[i] = search.Doc{ID: fmt.Sprintf("%012x", (batch*1000+i)*7919), Title: "标题", Text: text}
		}
		if err := (&shelf{s: mem}).put(ctx, docs); err != nil {
			b.Fatal(err)
		}
		ids = append(ids, docs[batch*37].ID, docs[500+batch].ID)
	}
	b.ResetTimer()
	for range b.N {
		got, err := (&shelf{s: mem}).texts(ctx, ids)
		if err != nil || got[0] == nil {
			b.Fatal(err)
		}
	}
}
