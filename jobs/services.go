package jobs

import (
	"context"
	"log/slog"
	"time"

	"safetynet/sqlstore"
)

// ServiceDuer makes the services that plans make due (sqlstore.Store).
type ServiceDuer interface {
	GenerateServiceDuesDaily(ctx context.Context) (sqlstore.ServiceDueGeneration, bool, error)
}

// ServiceDues asks every interval whether the day's due services were
// made and makes them if not: soon after local midnight, and at start-up
// after a night the process was down. The date is kept in the database
// and each due is unique per plan and period, so several processes (or a
// restart in the middle) make each due once.
func ServiceDues(d ServiceDuer, interval time.Duration, log *slog.Logger) Loop {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return Every("service-dues", interval, log, func(ctx context.Context) error {
		g, ran, err := d.GenerateServiceDuesDaily(ctx)
		if err == nil && ran {
			log.Info("service-dues", "date", g.Date, "due", g.Created, "missed", g.Missed)
		}
		return err
	})
}
