package main

import (
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"runtime"
	"sync"
	"time"

	"safetynet/access"
	"safetynet/demo"
	"safetynet/fieldcrypt"
	"safetynet/pacts"
	"safetynet/sqlstore"
)

// benchPactsSuite is `safetynet bench --suite pacts`: on fresh SQLite and
// PostgreSQL databases holding the demo and generated households, n
// curtain pacts of which missed have no sign by 08:00; the 08:00 sweep is
// timed against a baseline that writes the same alert rows with plain
// INSERTs, then run again (nothing more may be alerted), then 30 minutes
// later (each missed day goes one step up, once).
func (e cmdEnv) benchPactsSuite(ctx context.Context, n, missed, households int, postgres string) error {
	out := e.stdout
	fmt.Fprintf(out, "pacts suite: %d pacts, %d without a sign by 08:00, %d generated households, %s, GOMAXPROCS=%d, %d CPUs\n",
		n, missed, households, runtime.Version(), runtime.GOMAXPROCS(0), runtime.NumCPU())
	dsns, cleanup, err := freshBenchDatabases(ctx, "pacts", postgres)
	if err != nil {
		return err
	}
	defer cleanup()
	for _, dsn := range dsns {
		if err := benchPactsOne(ctx, out, dsn, n, missed, households); err != nil {
			return err
		}
	}
	return nil
}

// benchClock is the suite's clock: the sweep runs at the deadline.
type benchClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *benchClock) now() time.Time        { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *benchClock) set(t time.Time)       { c.mu.Lock(); c.t = t; c.mu.Unlock() }
func (c *benchClock) add(d time.Duration)   { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }
func (c *benchClock) realTime() *benchClock { c.set(time.Now()); return c }

func benchPactsOne(ctx context.Context, out io.Writer, dsn string, n, missed, households int) error {
	master := make([]byte, fieldcrypt.KeySize)
	if _, err := rand.Read(master); err != nil {
		return err
	}
	keys, err := fieldcrypt.New(master)
	if err != nil {
		return err
	}
	clock := (&benchClock{}).realTime()
	s, err := sqlstore.Open(ctx, dsn, sqlstore.Options{Keys: keys, Now: clock.now})
	if err != nil {
		return err
	}
	defer s.Close()
	if _, err := s.Migrate(ctx); err != nil {
		return err
	}
	name := s.Dialect()
	if _, err := demo.Load(ctx, s, demo.Options{}); err != nil {
		return err
	}
	if households > 0 {
		if err := demo.AddHouseholds(ctx, s, households, 1, nil); err != nil {
			return err
		}
	}
	c, err := s.CountPersons(ctx)
	if err != nil {
		return err
	}
	grid, err := s.UserByUsername(ctx, access.System(), "grid")
	if err != nil {
		return err
	}
	// Tomorrow morning (Asia/Shanghai): the pacts began yesterday, their
	// signs came at 07:00, the sweep runs at 08:00.
	loc, _ := pacts.Location("")
	today := pacts.DayOf(clock.now(), loc)
	day := pacts.AddDays(today, 1)
	due, _ := pacts.DueOn(day, pacts.DefaultDeadline, loc)
	start := time.Now()
	without, err := s.SeedPactsForBench(ctx, grid.ID, n, missed, day, due.Add(-36*time.Hour))
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "%s: register of %d persons, %d pacts written in %.1f s\n", name, c.Persons, n, time.Since(start).Seconds())

	// Baseline: the same rows with plain INSERTs, for the day after.
	clock.set(due)
	start = time.Now()
	if err := s.PactAlertBaselineForBench(ctx, without, pacts.AddDays(day, 1)); err != nil {
		return err
	}
	base := time.Since(start)

	start = time.Now()
	r1, err := s.SweepPacts(ctx)
	if err != nil {
		return err
	}
	sweep := time.Since(start)
	start = time.Now()
	r2, err := s.SweepPacts(ctx)
	if err != nil {
		return err
	}
	again := time.Since(start)
	_, _, notes, err := s.PactAlertCounts(ctx, day, without)
	if err != nil {
		return err
	}
	clock.add(30 * time.Minute)
	start = time.Now()
	r3, err := s.SweepPacts(ctx)
	if err != nil {
		return err
	}
	up := time.Since(start)
	alerts, dups, _, err := s.PactAlertCounts(ctx, day, without)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "%s: 08:00 sweep over %d pacts: %d missed alerted in %.3f s (baseline, plain INSERT of the same %d alerts: %.3f s)\n",
		name, n, r1.Missed, sweep.Seconds(), len(without), base.Seconds())
	fmt.Fprintf(out, "%s: sweep again at 08:00: %d alerted in %.3f s; at 08:30: %d raised to the grid worker in %.3f s\n",
		name, r2.Missed+r2.Raised, again.Seconds(), r3.Raised, up.Seconds())
	// The demo's own pacts are swept too: the counts checked are those of
	// the bench's pacts.
	ok := r1.Missed >= missed && r2.Missed == 0 && alerts == 2*missed && dups == 0 && notes == missed
	fmt.Fprintf(out, "%s: alerts of the day of the %d pacts without a sign: %d (want %d, steward then grid worker), duplicates %d, steward notifications at 08:00 %d: exactly once %v\n",
		name, missed, alerts, 2*missed, dups, notes, ok)
	if !ok {
		return fmt.Errorf("bench: pacts: alerts not exactly once on %s", name)
	}
	return nil
}
