package main

import (
	"context"
	"fmt"
	"sort"
	"time"

	"safetynet/sqlstore"
)

const activityUsage = `usage: safetynet generate-activity [--months 12] [--seed 1] [--scale 1] [--end 2026-11-30] [--force] [--db …] [--key-file …]`

// activityCmd runs "safetynet generate-activity": a year (or --months) of
// synthetic activity on the register — clues, cases, visits, pacts,
// services, volunteer hours, funds, monitoring and risk colours — for
// benchmarks and demonstrations. It refuses a database that has it
// already unless --force.
func (e cmdEnv) activityCmd(ctx context.Context, args []string) error {
	fs, db := e.flags("generate-activity")
	months := fs.Int("months", 12, "months of activity before the end")
	seed := fs.Uint64("seed", 1, "seed of the generator; the same seed on the same register gives the same activity")
	scale := fs.Float64("scale", 1, "multiplies the rates (per 1,000,000 persons a month; see the README)")
	end := fs.String("end", "", "last day of the period, YYYY-MM-DD (default: now)")
	force := fs.Bool("force", false, "generate even if activity was generated on this database before")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	opt := sqlstore.ActivityOptions{Months: *months, Seed: *seed, Scale: *scale, Force: *force}
	if *end != "" {
		d, err := time.ParseInLocation("2006-01-02", *end, time.FixedZone("CST", 8*3600))
		if err != nil {
			return fmt.Errorf("--end: %q is not a date YYYY-MM-DD", *end)
		}
		opt.End = d.AddDate(0, 0, 1).Add(-time.Second)
		if now := time.Now(); opt.End.After(now) {
			opt.End = now
		}
	}
	s, err := e.open(ctx, db)
	if err != nil {
		return err
	}
	defer s.Close()
	start := time.Now()
	opt.Progress = func(step string) {
		fmt.Fprintf(e.stdout, "%s (%s)\n", step, time.Since(start).Round(time.Second))
	}
	res, err := s.GenerateActivity(ctx, opt)
	if err != nil {
		return err
	}
	tables := make([]string, 0, len(res.Rows))
	total := 0
	for t, n := range res.Rows {
		tables = append(tables, t)
		total += n
	}
	sort.Strings(tables)
	for _, t := range tables {
		fmt.Fprintf(e.stdout, "  %-22s %9d\n", t, res.Rows[t])
	}
	fmt.Fprintf(e.stdout, "  %-22s %9d\n", "(assignments ended)", res.Ended)
	fmt.Fprintf(e.stdout, "activity from %s to %s on %d persons: %d rows in %s\n", res.From.Format("2006-01-02"),
		res.To.Format("2006-01-02"), res.Persons, total, time.Since(start).Round(time.Second))
	return nil
}
