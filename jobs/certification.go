package jobs

import (
	"context"
	"log/slog"
	"time"

	"safetynet/sqlstore"
)

// CertificationRefresher brings the survival certification dues up to
// date (sqlstore.Store).
type CertificationRefresher interface {
	RefreshCertifications(ctx context.Context, force bool) (sqlstore.RefreshResult, error)
}

// Certifications refreshes the certification dues of the whole register
// every interval when the register, the relay or the settings changed, and
// once a day in any case (the store keeps the mark of the last refresh, so
// a restart or a second process does not redo it): new recipients get due
// dates, ended measures are set aside, dues within 30 days get their
// reminders on the relay's clocks.
func Certifications(r CertificationRefresher, interval time.Duration, log *slog.Logger) Loop {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return Every("certifications", interval, log, func(ctx context.Context) error {
		res, err := r.RefreshCertifications(ctx, false)
		if err == nil && !res.Skipped && (res.Created+res.Ended+res.Reminders+res.Reactivated) > 0 {
			log.Info("certifications", "created", res.Created, "ended", res.Ended, "reminders", res.Reminders)
		}
		return err
	})
}
