package jobs_test

import (
	"context"
	"testing"
	"time"

	"safetynet/jobs"
	"safetynet/sqlstore"
)

type fakeEnrol struct{ calls chan struct{} }

func (f *fakeEnrol) EnrolReminders(ctx context.Context) (sqlstore.EnrolReminderResult, error) {
	f.calls <- struct{}{}
	return sqlstore.EnrolReminderResult{Reminded: 1}, nil
}

// TestEnrolmentLoop: the loop sends the reminders at once when started and
// again every interval.
func TestEnrolmentLoop(t *testing.T) {
	f := &fakeEnrol{calls: make(chan struct{}, 4)}
	g := jobs.Start(context.Background(), jobs.Enrolment(f, 10*time.Millisecond, nil))
	for i := 0; i < 2; i++ {
		select {
		case <-f.calls:
		case <-time.After(5 * time.Second):
			t.Fatalf("run %d did not happen", i)
		}
	}
	g.Stop()
}
