package jobs

import (
	"context"
	"log/slog"
	"time"
)

// ServiceChecker runs the automatic checks of recorded services
// (sqlstore.Store).
type ServiceChecker interface {
	CheckServiceRecords(ctx context.Context, limit int) (int, error)
}

// ServiceChecks sweeps, every interval, the service records that arrived
// without their automatic checks (settlement flags: two places at once,
// implausible travel, a photo used twice, a recipient who had died or
// moved, more than the plan allows), a few hundred at a time until none
// is left.
func ServiceChecks(c ServiceChecker, interval time.Duration, log *slog.Logger) Loop {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return Every("service-checks", interval, log, func(ctx context.Context) error {
		total := 0
		for ctx.Err() == nil {
			n, err := c.CheckServiceRecords(ctx, 200)
			if err != nil {
				return err
			}
			total += n
			if n < 200 {
				break
			}
		}
		if total > 0 {
			log.Info("service checks", "checked", total)
		}
		return nil
	})
}
