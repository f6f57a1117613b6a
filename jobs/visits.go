package jobs

import (
	"context"
	"log/slog"
	"time"

	"safetynet/sqlstore"
)

// VisitPlanner generates the day's due visits once per local day
// (sqlstore.Store).
type VisitPlanner interface {
	GenerateVisitsDaily(ctx context.Context) (sqlstore.VisitGeneration, bool, error)
}

// Visits asks every interval whether the day's due visits were generated
// and generates them if not: soon after local midnight, and at start-up
// after a night the process was down. The date generated is kept in the
// database, so several processes generate once between them (a second
// generation of the same day adds nothing).
func Visits(p VisitPlanner, interval time.Duration, log *slog.Logger) Loop {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return Every("visits", interval, log, func(ctx context.Context) error {
		g, ran, err := p.GenerateVisitsDaily(ctx)
		if err == nil && ran {
			log.Info("visits", "date", g.Date, "due", g.Created)
		}
		return err
	})
}
