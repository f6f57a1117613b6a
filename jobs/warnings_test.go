package jobs_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"safetynet/jobs"
)

// fakeDrainer hands out queued events in batches; it fails once first.
type fakeDrainer struct {
	mu     sync.Mutex
	queued int
	calls  int
	failed bool
	done   chan struct{}
}

func (f *fakeDrainer) DrainWarnings(ctx context.Context, limit int) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	if !f.failed {
		f.failed = true
		return 0, errors.New("database busy")
	}
	n := min(limit, f.queued)
	f.queued -= n
	if f.queued == 0 && f.done != nil {
		close(f.done)
		f.done = nil
	}
	return n, nil
}

// TestWarningsDrains checks that the warnings loop survives a failed
// round and drains a queue longer than a batch, batch after batch.
func TestWarningsDrains(t *testing.T) {
	f := &fakeDrainer{queued: 2500, done: make(chan struct{})}
	g := jobs.Start(context.Background(), jobs.Warnings(f, 10*time.Millisecond, nil))
	<-f.done
	g.Stop()
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.queued != 0 || f.calls < 4 {
		t.Fatalf("calls = %d, left = %d", f.calls, f.queued)
	}
}
