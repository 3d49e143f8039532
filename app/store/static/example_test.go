//go:build !(js && wasm)

package static_test

import (
	"context"
	"fmt"
	"log"
	"os"

	"github.com/broadsheet/broadsheet/app/store"
	"github.com/broadsheet/broadsheet/app/store/static"
)

// Write an archive of one table from an in-memory store, then read it
// back as a store.Store, keeping what is read for offline use.
func Example() {
	ctx := context.Background()
	src := store.NewMemory("articles")
	var b store.Batch
	b.Put("articles", "2026/001", []byte("第一篇报道"))
	b.Put("articles", "2026/002", []byte("第二篇报道"))
	if err := src.Write(ctx, &b); err != nil {
		log.Fatal(err)
	}

	dir, err := os.MkdirTemp("", "archive")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	m, stats, err := static.Write(ctx, src, []string{"articles"}, dir, static.WriteOptions{Meta: map[string]string{"name": "demo"}})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%d files, %d packs, meta %s\n", stats.Files, m.Tables["articles"].Packs, m.Meta)

	// In the browser: static.BrowserFetcher("archive/") and an IndexedDB
	// store opened with static.KeepTable.
	keep := store.NewMemory(static.KeepTable)
	s, err := static.Open(ctx, static.DirFetcher(dir), static.Options{Keep: keep, KeepFetched: true})
	if err != nil {
		log.Fatal(err)
	}
	defer s.Close()
	v, err := s.Get(ctx, "articles", "2026/002")
	if err != nil {
		log.Fatal(err)
	}
	n, _ := s.Count(ctx, "articles")
	done, total, _ := s.Kept(ctx)
	fmt.Printf("%s; %d articles; all kept: %v\n", v, n, done == total)
	// Output:
	// 2 files, 1 packs, meta {"name":"demo"}
	// 第二篇报道; 2 articles; all kept: true
}
