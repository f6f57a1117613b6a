package jobs

import (
	"context"
	"log/slog"
	"time"
)

// WarningDrainer evaluates the department events queued for the warning
// rules (sqlstore.Store).
type WarningDrainer interface {
	DrainWarnings(ctx context.Context, limit int) (int, error)
}

// warnBatch is how many queued events one transaction evaluates.
const warnBatch = 1000

// Warnings drains the warning queue every interval: each department event
// stored by a push is evaluated against the published warning rules, and
// a match raises a warning and its relay clue (部门预警). Several processes
// may run it on one database: each event is claimed once.
func Warnings(d WarningDrainer, interval time.Duration, log *slog.Logger) Loop {
	return Every("warnings", interval, log, func(ctx context.Context) error {
		for ctx.Err() == nil {
			n, err := d.DrainWarnings(ctx, warnBatch)
			if err != nil || n < warnBatch {
				return err
			}
		}
		return nil
	})
}
