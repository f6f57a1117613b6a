package sqlstore

import (
	"context"
	"testing"
)

// BenchmarkNestedWriteCheck is the cost the nested-write check adds to a
// write issued while another goroutine is inside a write closure (with
// none inside, it is one atomic load).
func BenchmarkNestedWriteCheck(b *testing.B) {
	var w writers
	done := make(chan struct{})
	entered := make(chan struct{})
	go func() {
		defer w.leave(w.enter())
		close(entered)
		<-done
	}()
	<-entered
	defer close(done)
	for b.Loop() {
		if err := w.refuseNested(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSmallWrite is one single-row write through the SQLite group
// commit, the baseline the nested-write check is compared with.
func BenchmarkSmallWrite(b *testing.B) {
	s := batchStore(b)
	ctx := context.Background()
	i := 0
	for b.Loop() {
		i++
		if err := s.write(ctx, func(t *tx) error {
			_, err := t.exec(ctx, `INSERT INTO kv (k, v) VALUES (?, ?)`, i, i)
			return err
		}); err != nil {
			b.Fatal(err)
		}
	}
}
