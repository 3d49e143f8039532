package archive

import (
	"context"
	"iter"
	"sync"
)

// ordered calls work on items on n goroutines and deliver with the
// results in the items' order, at most window items ahead of deliver.
// It stops at the first error of deliver or of ctx. work must not panic.
// items is read on a goroutine of its own, as fast as the window lets
// it, and is done with when ordered returns.
func ordered[T, R any](ctx context.Context, items iter.Seq[T], n, window int, work func(T) R, deliver func(T, R) error) error {
	type job struct {
		item T
		out  chan R
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	jobs := make(chan job)
	queue := make(chan job, window)
	var wg sync.WaitGroup
	for range max(n, 1) {
		wg.Go(func() {
			for j := range jobs {
				j.out <- work(j.item)
			}
		})
	}
	go func() {
		defer close(jobs)
		defer close(queue)
		for it := range items {
			j := job{it, make(chan R, 1)}
			select {
			case queue <- j:
			case <-ctx.Done():
				return
			}
			select {
			case jobs <- j:
			case <-ctx.Done():
				return
			}
		}
	}()
	var err error
	for j := range queue {
		if err != nil {
			continue // drain: the feeder stops at cancel
		}
		select {
		case r := <-j.out:
			err = deliver(j.item, r)
		case <-ctx.Done():
			err = ctx.Err()
		}
		if err != nil {
			cancel()
		}
	}
	wg.Wait()
	if err == nil {
		err = ctx.Err()
	}
	return err
}
