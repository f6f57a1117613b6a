package jobs_test

import (
	"context"
	"testing"
	"time"

	"safetynet/jobs"
)

// fakeChecker has 450 records waiting for their checks.
type fakeChecker struct {
	left  int
	calls chan int
}

func (f *fakeChecker) CheckServiceRecords(ctx context.Context, limit int) (int, error) {
	n := min(limit, f.left)
	f.left -= n
	f.calls <- n
	return n, nil
}

// TestServiceChecksLoop: started, the loop sweeps batch after batch until
// a batch comes back short.
func TestServiceChecksLoop(t *testing.T) {
	f := &fakeChecker{left: 450, calls: make(chan int, 10)}
	g := jobs.Start(context.Background(), jobs.ServiceChecks(f, time.Hour, nil))
	for _, want := range []int{200, 200, 50} {
		if got := <-f.calls; got != want {
			t.Fatalf("batch = %d, want %d", got, want)
		}
	}
	g.Stop()
}
