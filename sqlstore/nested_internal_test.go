package sqlstore

import (
	"context"
	"errors"
	"sync"
	"testing"
)

// TestNestedWriteProductionCheck: with the production check (writes are
// looked at only when they share a running closure's context), a nested
// write with its closure's context is still refused, not deadlocked, and
// writes of other goroutines sharing that context are let through.
func TestNestedWriteProductionCheck(t *testing.T) {
	defer func(v bool) { checkAll = v }(checkAll)
	checkAll = false
	s := batchStore(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	insert := func(k int) func(*tx) error {
		return func(x *tx) error {
			_, err := x.exec(ctx, `INSERT INTO kv (k, v) VALUES (?, ?)`, k, k)
			return err
		}
	}
	var nested error
	outer := s.write(ctx, func(x *tx) error {
		if err := insert(1)(x); err != nil {
			return err
		}
		nested = s.write(ctx, insert(2))
		return nested
	})
	if !errors.Is(nested, ErrNestedWrite) || !errors.Is(outer, ErrNestedWrite) {
		t.Fatalf("outer %v, nested %v; want ErrNestedWrite", outer, nested)
	}
	if kv := s.kv(t); len(kv) != 0 {
		t.Fatalf("the refused write's closure kept %v", kv)
	}
	// Many goroutines sharing one context write at once: none is refused.
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for i := 0; i < 64; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- s.write(ctx, insert(100+i))
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	if kv := s.kv(t); len(kv) != 64 {
		t.Errorf("rows = %d, want 64", len(kv))
	}
}
