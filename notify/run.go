package notify

import (
	"context"
	"log/slog"
	"time"
)

// Run calls RunOnce every interval until ctx ends (every <= 0 means
// DefaultInterval). A round that filled the batch and recorded progress runs
// again at once, so a backlog drains without waiting. Errors are logged
// (without message content) and the loop goes on.
func (d *Dispatcher) Run(ctx context.Context, every time.Duration) {
	if every <= 0 {
		every = DefaultInterval
	}
	timer := time.NewTimer(every)
	defer timer.Stop()
	for ctx.Err() == nil {
		st, err := d.RunOnce(ctx)
		if ctx.Err() != nil {
			return
		}
		if err != nil {
			// A configuration error is our own text and safe to log; other
			// errors come from the Queue and are logged by class only.
			s, cerr := d.settings()
			attrs := []slog.Attr{slog.String("owner", s.owner), slog.String("error_class", errorClass(err))}
			if cerr != nil {
				attrs = append(attrs, slog.String("config_error", cerr.Error()))
			}
			s.log.LogAttrs(ctx, slog.LevelError, "notify: round failed", attrs...)
		}
		if err == nil && st.Claimed >= d.batch() && st.Sent+st.Retried+st.GivenUp > 0 {
			continue
		}
		timer.Reset(every)
		select {
		case <-ctx.Done():
			return
		case <-timer.C:
		}
	}
}

func (d *Dispatcher) batch() int {
	if d.Batch > 0 {
		return d.Batch
	}
	return DefaultBatch
}
