package jobs

import (
	"context"
	"log/slog"
	"time"

	"safetynet/sqlstore"
)

// GoalReminder reviews the running campaigns' goals (sqlstore.Store).
type GoalReminder interface {
	RemindGoals(ctx context.Context) (sqlstore.GoalRemindResult, error)
}

// Goals reviews the campaigns' goals every interval: a goal behind in a
// village opens a reminder on the relay's clocks (weekly, and when a stage
// has ended; the store keeps the last review so that a restart or a
// second process does not redo it), the relay's sweep escalates it
// village → town → county, and it closes once the goal is met.
func Goals(r GoalReminder, interval time.Duration, log *slog.Logger) Loop {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return Every("goals", interval, log, func(ctx context.Context) error {
		res, err := r.RemindGoals(ctx)
		if err == nil && !res.Skipped && res.Opened+res.Closed > 0 {
			log.Info("goals", "reviewed", res.Reviewed, "opened", res.Opened, "closed", res.Closed)
		}
		return err
	})
}
