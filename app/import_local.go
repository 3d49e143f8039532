package main

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/broadsheet/broadsheet/app/library"
)

// localStore is a storeFn that reads the refs in this thread, unpacks
// zips and hands the files to store.
func localStore(store func(context.Context, []library.File) ([]library.Result, error), times *importTimes) storeFn {
	return func(ctx context.Context, refs []fileRef, _ bool) ([]library.Result, error) {
		start := time.Now()
		var files []library.File
		for _, f := range readRefs(ctx, refs) {
			files = append(files, library.Unpack(f)...)
		}
		read := time.Since(start)
		results, err := store(ctx, files)
		times.add(read, time.Since(start)-read)
		return results, err
	}
}

// readRefs reads refs concurrently, in order; a file too large or
// unreadable comes back with Err set.
func readRefs(ctx context.Context, refs []fileRef) []library.File {
	files := make([]library.File, len(refs))
	var wg sync.WaitGroup
	for i, ref := range refs {
		files[i] = library.File{Name: ref.Name, Modified: ref.Modified}
		if library.TooLarge(ref.Name, ref.Size) {
			files[i].Err = library.ErrTooLarge(ref.Size)
			continue
		}
		wg.Go(func() {
			data, err := ref.read(ctx)
			if err != nil {
				err = fmt.Errorf("%w (%v)", library.ErrUnreadable, err)
			}
			files[i].Data, files[i].Err = data, err
		})
	}
	wg.Wait()
	return files
}
