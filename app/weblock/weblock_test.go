package weblock_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/broadsheet/broadsheet/app/weblock"
)

// TestExclusive runs holders of one name at once: never two inside, each
// one's error returned; a holder of another name is not held up. It runs
// natively and, through wasmbrowsertest, against navigator.locks.
func TestExclusive(t *testing.T) {
	ctx := context.Background()
	var inside, most atomic.Int32
	var wg sync.WaitGroup
	errs := make([]error, 8)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = weblock.Exclusive(ctx, "weblock-test", func() error {
				n := inside.Add(1)
				for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
				}
				time.Sleep(5 * time.Millisecond)
				inside.Add(-1)
				if i%2 == 1 {
					return errOdd
				}
				return nil
			})
		}()
	}
	other := make(chan error, 1)
	go func() { other <- weblock.Exclusive(ctx, "weblock-test-other", func() error { return nil }) }()
	wg.Wait()
	if err := <-other; err != nil {
		t.Errorf("Exclusive of another name = %v", err)
	}
	if m := most.Load(); m != 1 {
		t.Errorf("%d holders of one lock were inside at once, want 1", m)
	}
	for i, err := range errs {
		if want := i%2 == 1; errors.Is(err, errOdd) != want {
			t.Errorf("holder %d returned %v, want errOdd %v", i, err, want)
		}
	}
}

var errOdd = errors.New("an odd holder's error")
