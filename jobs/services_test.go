package jobs_test

import (
	"context"
	"testing"
	"time"

	"safetynet/jobs"
	"safetynet/sqlstore"
)

type fakeDuer struct{ calls chan struct{} }

func (f *fakeDuer) GenerateServiceDuesDaily(ctx context.Context) (sqlstore.ServiceDueGeneration, bool, error) {
	f.calls <- struct{}{}
	return sqlstore.ServiceDueGeneration{Date: "2027-03-01", Created: 3}, true, nil
}

// TestServiceDuesLoop: the loop asks at once when started (a restart
// after midnight makes the day's dues without waiting), and again each
// interval until stopped.
func TestServiceDuesLoop(t *testing.T) {
	f := &fakeDuer{calls: make(chan struct{}, 4)}
	g := jobs.Start(context.Background(), jobs.ServiceDues(f, 10*time.Millisecond, nil))
	for i := 0; i < 2; i++ {
		select {
		case <-f.calls:
		case <-time.After(5 * time.Second):
			t.Fatalf("call %d never came", i+1)
		}
	}
	g.Stop()
}
