package sqlstore

import (
	"context"
	"testing"
)

// benchmarkNestedCheck measures the check a write makes while another
// goroutine's write closure, called with running, runs: the production
// path (checkAll off), with the write's context ctx.
func benchmarkNestedCheck(b *testing.B, running, ctx context.Context) {
	defer func(v bool) { checkAll = v }(checkAll)
	checkAll = false
	var w writers
	done, entered := make(chan struct{}), make(chan struct{})
	go func() {
		w.enter(running)
		defer w.leave(running)
		close(entered)
		<-done
	}()
	<-entered
	defer close(done)
	for b.Loop() {
		if err := w.refuseNested(ctx); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkNestedCheckOtherContext is what every write pays while another
// request's write closure runs: one map lookup.
func BenchmarkNestedCheckOtherContext(b *testing.B) {
	running, cancel := context.WithCancel(context.Background())
	defer cancel()
	mine, cancel2 := context.WithCancel(context.Background())
	defer cancel2()
	benchmarkNestedCheck(b, running, mine)
}

// BenchmarkNestedCheckSameContext is what a write pays that shares its
// context with a running closure of another goroutine (a stack walk
// clears it), as the workers of a benchmark sharing one context do.
func BenchmarkNestedCheckSameContext(b *testing.B) {
	running, cancel := context.WithCancel(context.Background())
	defer cancel()
	benchmarkNestedCheck(b, running, running)
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
