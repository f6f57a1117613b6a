package jobs_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"safetynet/jobs"
	"safetynet/sqlstore"
)

type fakeGoals struct{ calls chan struct{} }

func (f *fakeGoals) RemindGoals(ctx context.Context) (sqlstore.GoalRemindResult, error) {
	f.calls <- struct{}{}
	return sqlstore.GoalRemindResult{}, errors.New("a passing failure")
}

// TestGoalsLoop: the loop reviews at once when started and again after a
// failure, every interval.
func TestGoalsLoop(t *testing.T) {
	f := &fakeGoals{calls: make(chan struct{}, 4)}
	g := jobs.Start(context.Background(), jobs.Goals(f, 10*time.Millisecond, nil))
	for range 2 {
		select {
		case <-f.calls:
		case <-time.After(5 * time.Second):
			t.Fatal("the goals loop did not run")
		}
	}
	g.Stop()
}
