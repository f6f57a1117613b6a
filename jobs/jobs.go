// Package jobs holds the background loops of a safetynet process in one
// place: the escalation sweep (overdue relay steps go one level up), the
// outbox dispatcher (notifications to SMS, WeCom or a webhook) and the
// housekeeping of sessions and login failures. The command's wiring
// starts them with Start after the store opens and stops them with
// Group.Stop after the HTTP server has shut down, so that no request finds
// them gone; the HTTP server starts none.
//
// Every loop may run in several processes at once against one PostgreSQL
// database: each step escalates once per deadline, each message is leased
// to one dispatcher. The SQLite checkpointer is not here: it belongs to
// the store's write path and lives and dies with the store.
//
// The screening loop drains the queue of households whose data changed
// and re-evaluates them against the published rules (政策找人). Future
// capabilities add their loops (the check-in watchdog) to Standard.
package jobs

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"safetynet/notify"
	"safetynet/sqlstore"
)

// Loop is a background task: Run works until ctx ends, then returns.
type Loop struct {
	Name string
	Run  func(ctx context.Context)
}

// Every makes a loop that calls once at once and then every interval
// until ctx ends. An error is logged, unless ctx has ended, and the loop
// goes on.
func Every(name string, interval time.Duration, log *slog.Logger, once func(ctx context.Context) error) Loop {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return Loop{Name: name, Run: func(ctx context.Context) {
		t := time.NewTicker(interval)
		defer t.Stop()
		for ctx.Err() == nil {
			if err := once(ctx); err != nil && ctx.Err() == nil {
				log.Error(name, "err", err)
			}
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	}}
}

// Group is a set of running loops.
type Group struct {
	cancel context.CancelFunc
	wg     sync.WaitGroup
	once   sync.Once
}

// Start runs each loop in a goroutine of its own until Stop. The loops'
// context is not ctx's child for cancellation (a signal that stops the
// process must first stop HTTP), but keeps its values.
func Start(ctx context.Context, loops ...Loop) *Group {
	bg, cancel := context.WithCancel(context.WithoutCancel(ctx))
	g := &Group{cancel: cancel}
	g.wg.Add(len(loops))
	for _, l := range loops {
		go func() {
			defer g.wg.Done()
			l.Run(bg)
		}()
	}
	return g
}

// Stop ends every loop and waits until each has returned. It may be
// called more than once.
func (g *Group) Stop() {
	g.once.Do(g.cancel)
	g.wg.Wait()
}

// Escalator moves overdue steps up the chain (sqlstore.Store).
type Escalator interface {
	Escalate(ctx context.Context) (sqlstore.EscalateResult, error)
}

// Housekeeper sweeps expired sessions and old login failures
// (sqlstore.Store).
type Housekeeper interface {
	Sweep(ctx context.Context) error
}

// Escalation sweeps overdue steps up the chain every interval and logs
// how many moved.
func Escalation(e Escalator, interval time.Duration, log *slog.Logger) Loop {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return Every("escalation", interval, log, func(ctx context.Context) error {
		res, err := e.Escalate(ctx)
		if err == nil && res.Escalated > 0 {
			log.Info("escalation", "escalated", res.Escalated)
		}
		return err
	})
}

// Housekeeping sweeps expired sessions and old login failures every
// interval.
func Housekeeping(h Housekeeper, interval time.Duration, log *slog.Logger) Loop {
	return Every("housekeeping", interval, log, h.Sweep)
}

// Outbox delivers the outbox's due messages every interval (sooner while
// full batches keep coming).
func Outbox(d *notify.Dispatcher, interval time.Duration) Loop {
	return Loop{Name: "outbox", Run: func(ctx context.Context) { d.Run(ctx, interval) }}
}

// Screener re-screens the households queued by register changes
// (sqlstore.Store).
type Screener interface {
	ScreenQueued(ctx context.Context, limit int) (int, error)
}

// screenBatch is how many queued households one transaction screens.
const screenBatch = 500

// Screening drains the screening queue every interval: the households a
// register change, a rule published or a parameter set queued are
// evaluated again against the published rules in force, so that the
// 应享未享 and 应退未退 lists follow the register within seconds.
func Screening(sc Screener, interval time.Duration, log *slog.Logger) Loop {
	return Every("screening", interval, log, func(ctx context.Context) error {
		for ctx.Err() == nil {
			n, err := sc.ScreenQueued(ctx, screenBatch)
			if err != nil || n < screenBatch {
				return err
			}
		}
		return nil
	})
}

// PactSweeper alerts the curtain pacts' missed days (sqlstore.Store).
type PactSweeper interface {
	SweepPacts(ctx context.Context) (sqlstore.PactSweepResult, error)
}

// Pacts sweeps the curtain pacts every interval: a day without a sign of
// life by its deadline alerts the steward, and each unanswered wait the
// next on the ladder (once each, also with several processes).
func Pacts(p PactSweeper, interval time.Duration, log *slog.Logger) Loop {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return Every("pacts", interval, log, func(ctx context.Context) error {
		res, err := p.SweepPacts(ctx)
		if err == nil && res.Missed+res.Raised > 0 {
			log.Info("pacts", "missed", res.Missed, "raised", res.Raised)
		}
		return err
	})
}

// Config says how often the standard loops run.
type Config struct {
	Store           *sqlstore.Store
	Senders         map[string]notify.Sender // outbox channels
	Log             *slog.Logger
	EscalateEvery   time.Duration // default 30 s
	DispatchEvery   time.Duration // default 15 s
	HousekeepEvery  time.Duration // default 10 min
	ScreenEvery     time.Duration // default 1 s
	WarnEvery       time.Duration // default 2 s
	CertifyEvery    time.Duration // default 5 min
	VisitEvery      time.Duration // default 1 min: is the day's visit generation done?
	PactEvery       time.Duration // default 30 s
	VolunteerEvery  time.Duration // default 30 s
	CheckEvery      time.Duration // default 30 s: the services' automatic checks
	ServiceDueEvery time.Duration // default 1 min: were the day's due services made?
	GoalEvery       time.Duration // default 15 min: campaign goals behind (reminders weekly and at stage ends)
	DispatcherOwner string        // this process, for outbox leases; random if empty
}

// Standard returns the loops every serving process runs.
func Standard(cfg Config) []Loop {
	def := func(d, v time.Duration) time.Duration {
		if d <= 0 {
			return v
		}
		return d
	}
	d := &notify.Dispatcher{Queue: cfg.Store, Senders: cfg.Senders, Log: cfg.Log, Owner: cfg.DispatcherOwner}
	return []Loop{
		Housekeeping(cfg.Store, def(cfg.HousekeepEvery, 10*time.Minute), cfg.Log),
		Escalation(cfg.Store, def(cfg.EscalateEvery, 30*time.Second), cfg.Log),
		Outbox(d, def(cfg.DispatchEvery, 15*time.Second)),
		Screening(cfg.Store, def(cfg.ScreenEvery, time.Second), cfg.Log),
		Warnings(cfg.Store, def(cfg.WarnEvery, 2*time.Second), cfg.Log),
		Certifications(cfg.Store, def(cfg.CertifyEvery, 5*time.Minute), cfg.Log),
		Visits(cfg.Store, def(cfg.VisitEvery, time.Minute), cfg.Log),
		Pacts(cfg.Store, def(cfg.PactEvery, 30*time.Second), cfg.Log),
		Volunteering(cfg.Store, def(cfg.VolunteerEvery, 30*time.Second), cfg.Log),
		ServiceChecks(cfg.Store, def(cfg.CheckEvery, 30*time.Second), cfg.Log),
		ServiceDues(cfg.Store, def(cfg.ServiceDueEvery, time.Minute), cfg.Log),
		Enrolment(cfg.Store, time.Minute, cfg.Log), // the survey-and-register stage's reminders (登记造册)
		Goals(cfg.Store, def(cfg.GoalEvery, 15*time.Minute), cfg.Log),
	}
}
