package jobs

import (
	"context"
	"log/slog"
	"time"

	"safetynet/sqlstore"
)

// VolunteerSweeper reminds takers and alerts villages of empty slots
// (sqlstore.Store).
type VolunteerSweeper interface {
	SweepVolunteering(ctx context.Context) (sqlstore.VolunteerSweep, error)
}

// Volunteering sweeps the volunteer relays (接龙) every interval: a taker
// is reminded two hours before a slot, and a slot still short of people a
// day before alerts the village — once each, after a restart and with
// several processes (the store claims each row by a conditional update).
func Volunteering(v VolunteerSweeper, interval time.Duration, log *slog.Logger) Loop {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return Every("volunteering", interval, log, func(ctx context.Context) error {
		res, err := v.SweepVolunteering(ctx)
		if err == nil && res.Reminders+res.Empty > 0 {
			log.Info("volunteering", "reminders", res.Reminders, "empty", res.Empty)
		}
		return err
	})
}
