package jobs

import (
	"context"
	"log/slog"
	"time"

	"safetynet/sqlstore"
)

// EnrolReminder sends the survey-and-register stage's reminders
// (sqlstore.Store).
type EnrolReminder interface {
	EnrolReminders(ctx context.Context) (sqlstore.EnrolReminderResult, error)
}

// Enrolment reminds, every interval, the villages whose register stage
// (登记造册) ends within a few days, and opens a deadline on the relay's
// clocks for each village whose stage ended unsubmitted, telling the work
// items' lead units. The store marks each stage row it reminded, so a
// restart or a second process sends nothing twice.
func Enrolment(r EnrolReminder, interval time.Duration, log *slog.Logger) Loop {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return Every("enrolment", interval, log, func(ctx context.Context) error {
		res, err := r.EnrolReminders(ctx)
		if err == nil && res.Reminded+res.Late > 0 {
			log.Info("enrolment", "reminded", res.Reminded, "late", res.Late)
		}
		return err
	})
}
