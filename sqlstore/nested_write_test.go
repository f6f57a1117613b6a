package sqlstore_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	"safetynet/sqlstore"
	"safetynet/sqlstore/storetest"
)

// TestNestedWriteRefused: a write issued from inside a write closure
// deadlocked SQLite's group commit and, on PostgreSQL, committed apart from
// its transaction. Both databases now refuse it with ErrNestedWrite, and
// the outer write is undone; writes from other goroutines meanwhile are
// not refused.
func TestNestedWriteRefused(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		a := newRelay(t, s).county
		outer, nested := s.WriteInsideWrite(ctx, func() error { return s.MarkRead(ctx, a, 0) })
		if !errors.Is(nested, sqlstore.ErrNestedWrite) || !errors.Is(outer, sqlstore.ErrNestedWrite) {
			t.Fatalf("nested write: outer %v, nested %v; want ErrNestedWrite", outer, nested)
		}
		// A nested write through another context, derived or not, is the
		// same mistake.
		_, nested = s.WriteInsideWrite(ctx, func() error {
			c, cancel := context.WithCancel(context.Background())
			defer cancel()
			return s.MarkRead(c, a, 0)
		})
		if !errors.Is(nested, sqlstore.ErrNestedWrite) {
			t.Fatalf("nested write with another context: %v", nested)
		}
		// The store still writes afterwards, and concurrent writes from
		// other goroutines are not mistaken for nested ones.
		var wg sync.WaitGroup
		errs := make(chan error, 32)
		for i := 0; i < 32; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs <- s.MarkRead(ctx, a, 0)
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Errorf("concurrent write: %v", err)
			}
		}
		// A successful write inside no closure is fine, and a write closure
		// that issues none is fine.
		if outer, nested := s.WriteInsideWrite(ctx, func() error { return nil }); outer != nil || nested != nil {
			t.Errorf("plain write: %v %v", outer, nested)
		}
	})
}
