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

// pactsSuite says what `bench --suite pacts` measures on.
type pactsSuite struct {
	n, missed, households int
	postgres              string
	existing              []string // DSNs of existing (1M-person) registers; the suite writes to them: use copies
	keyFile               string   // the key of an existing PostgreSQL database
}

// benchPactsSuite is `safetynet bench --suite pacts`: on fresh SQLite and
// PostgreSQL databases holding the demo and generated households, or on
// existing registers (--pacts-db), n curtain pacts of which missed have no
// sign by 08:00; the 08:00 sweep is timed against baselines that write the
// same alert rows (per-row INSERTs; one bulk multi-row INSERT on SQLite,
// COPY on PostgreSQL), then run again (nothing more may be alerted), then
// 30 minutes later (each missed day goes one step up, once).
func (e cmdEnv) benchPactsSuite(ctx context.Context, ps pactsSuite) error {
	out := e.stdout
	fmt.Fprintf(out, "pacts suite: %d pacts, %d without a sign by 08:00, %s, GOMAXPROCS=%d, %d CPUs, load average %s\n",
		ps.n, ps.missed, runtime.Version(), runtime.GOMAXPROCS(0), runtime.NumCPU(), loadAverage())
	if len(ps.existing) > 0 {
		for _, dsn := range ps.existing {
			kf := ""
			if sqlstore.IsPostgresDSN(dsn) {
				kf = ps.keyFile
			}
			keys, err := e.keys(&dbFlags{db: dsn, keyFile: kf})
			if err != nil {
				return err
			}
			clock := (&benchClock{}).realTime()
			s, err := openPactsBenchStore(ctx, dsn, keys, clock)
			if err != nil {
				return err
			}
			if err := s.CheckKey(ctx); err != nil {
				s.Close()
				return err
			}
			err = benchPactsOn(ctx, out, s, clock, ps)
			s.Close()
			if err != nil {
				return err
			}
		}
		return nil
	}
	fmt.Fprintf(out, "fresh databases: the demo and %d generated households each\n", ps.households)
	dsns, cleanup, err := freshBenchDatabases(ctx, "pacts", ps.postgres)
	if err != nil {
		return err
	}
	defer cleanup()
	for _, dsn := range dsns {
		master := make([]byte, fieldcrypt.KeySize)
		if _, err := rand.Read(master); err != nil {
			return err
		}
		keys, err := fieldcrypt.New(master)
		if err != nil {
			return err
		}
		clock := (&benchClock{}).realTime()
		s, err := openPactsBenchStore(ctx, dsn, keys, clock)
		if err != nil {
			return err
		}
		if _, err := demo.Load(ctx, s, demo.Options{}); err == nil && ps.households > 0 {
			err = demo.AddHouseholds(ctx, s, ps.households, 1, nil)
		}
		if err == nil {
			err = benchPactsOn(ctx, out, s, clock, ps)
		}
		s.Close()
		if err != nil {
			return err
		}
	}
	return nil
}

func openPactsBenchStore(ctx context.Context, dsn string, keys *fieldcrypt.Keys, clock *benchClock) (*sqlstore.Store, error) {
	s, err := sqlstore.Open(ctx, dsn, sqlstore.Options{Keys: keys, Now: clock.now})
	if err != nil {
		return nil, err
	}
	if _, err := s.Migrate(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
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

// benchPactsOn seeds the pacts on a store holding the demo users and a
// register, measures, checks that each alert came once, and removes what
// it wrote (so that an existing register can be measured again).
func benchPactsOn(ctx context.Context, out io.Writer, s *sqlstore.Store, clock *benchClock, ps pactsSuite) (err error) {
	name := s.Dialect()
	c, err := s.CountPersons(ctx)
	if err != nil {
		return err
	}
	grid, err := s.UserByUsername(ctx, access.System(), "grid")
	if err != nil {
		return err
	}
	if err := s.RemoveBenchPacts(ctx); err != nil { // a run stopped half-way
		return err
	}
	defer func() {
		if e := s.RemoveBenchPacts(ctx); err == nil {
			err = e
		}
	}()
	// Tomorrow morning (Asia/Shanghai): the pacts began the day before,
	// their signs came at 07:00, the sweep runs at 08:00.
	loc, _ := pacts.Location("")
	day := pacts.AddDays(pacts.DayOf(clock.now(), loc), 1)
	due, _ := pacts.DueOn(day, pacts.DefaultDeadline, loc)
	start := time.Now()
	without, err := s.SeedPactsForBench(ctx, grid.ID, ps.n, ps.missed, day, due.Add(-36*time.Hour))
	if err != nil {
		return err
	}
	if err := s.AnalyzeForBench(ctx); err != nil {
		return err
	}
	fmt.Fprintf(out, "%s: register of %d persons, %d pacts written in %.1f s (load average %s)\n", name, c.Persons, ps.n,
		time.Since(start).Seconds(), loadAverage())

	// Baselines: the same rows written without the sweep's logic, on the
	// days after (their rows are removed before the sweep).
	clock.set(due)
	start = time.Now()
	if err := s.PactAlertBaselineForBench(ctx, without, pacts.AddDays(day, 1)); err != nil {
		return err
	}
	perRow := time.Since(start)
	start = time.Now()
	if err := s.PactAlertBulkBaselineForBench(ctx, without, pacts.AddDays(day, 2)); err != nil {
		return err
	}
	bulk := time.Since(start)
	if err := s.RemoveBenchPactDays(ctx, []string{pacts.AddDays(day, 1), pacts.AddDays(day, 2)}); err != nil {
		return err
	}

	load := loadAverage()
	start, cpu0 := time.Now(), processCPU()
	r1, err := s.SweepPacts(ctx)
	if err != nil {
		return err
	}
	sweep, cpu := time.Since(start), processCPU()-cpu0
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
	// On a loaded machine the wall time is mostly waiting for a CPU: the
	// CPU time of this process (all of SQLite's work, the client's share
	// on PostgreSQL) is the cost the load does not change.
	fmt.Fprintf(out, "%s: 08:00 sweep over %d pacts: %d missed alerted in %.3f s, %.3f s CPU of this process (load average before %s)\n",
		name, ps.n, r1.Missed, sweep.Seconds(), cpu.Seconds(), load)
	fmt.Fprintf(out, "%s: baselines, the same %d alerts' rows: plain INSERT one row per statement %.3f s; bulk (%s) %.3f s; sweep/bulk %.2f\n",
		name, len(without), perRow.Seconds(), bulkName(name), bulk.Seconds(), sweep.Seconds()/bulk.Seconds())
	fmt.Fprintf(out, "%s: sweep again at 08:00: %d alerted in %.3f s; at 08:30: %d raised to the grid worker in %.3f s\n",
		name, r2.Missed+r2.Raised, again.Seconds(), r3.Raised, up.Seconds())
	// Other pacts of the register (the demo's) are swept too: the counts
	// checked are those of the bench's pacts.
	ok := r1.Missed >= ps.missed && r2.Missed == 0 && alerts == 2*ps.missed && dups == 0 && notes == ps.missed
	fmt.Fprintf(out, "%s: alerts of the day of the %d pacts without a sign: %d (want %d, steward then grid worker), duplicates %d, steward notifications at 08:00 %d: exactly once %v\n",
		name, ps.missed, alerts, 2*ps.missed, dups, notes, ok)
	fmt.Fprintf(out, "%s: load average after %s\n", name, loadAverage())
	if !ok {
		return fmt.Errorf("bench: pacts: alerts not exactly once on %s", name)
	}
	return nil
}

func bulkName(dialect string) string {
	if dialect == "postgres" {
		return "COPY"
	}
	return "multi-row INSERT"
}
