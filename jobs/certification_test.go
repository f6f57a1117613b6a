package jobs_test

import (
	"context"
	"testing"
	"time"

	"safetynet/jobs"
	"safetynet/sqlstore"
)

// fakeRefresher records how the certification loop calls it.
type fakeRefresher struct{ calls chan bool }

func (f *fakeRefresher) RefreshCertifications(ctx context.Context, force bool) (sqlstore.RefreshResult, error) {
	f.calls <- force
	return sqlstore.RefreshResult{Skipped: true}, nil
}

// TestCertificationsLoop: the loop refreshes at once when started, and
// never forces: the store decides whether anything changed.
func TestCertificationsLoop(t *testing.T) {
	f := &fakeRefresher{calls: make(chan bool, 1)}
	g := jobs.Start(context.Background(), jobs.Certifications(f, time.Hour, nil))
	if force := <-f.calls; force {
		t.Error("the loop forced a refresh")
	}
	g.Stop()
}
