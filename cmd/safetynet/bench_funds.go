package main

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"sort"
	"time"

	"safetynet/access"
	"safetynet/demo"
	"safetynet/funds"
)

// benchFundsSuite is `safetynet bench --suite funds`: on fresh SQLite and
// PostgreSQL databases with the demo data, one county source with a
// ledger of n entries; the source's page (its balance and the newest 300
// entries with their recipients and documents) and the county's figures
// for the year (previous year beside) are timed against a plain SELECT
// SUM of the same ledger per kind, the median of reps reads each.
func (e cmdEnv) benchFundsSuite(ctx context.Context, n, reps int, postgres string) error {
	out := e.stdout
	fmt.Fprintf(out, "funds suite: a source of %d ledger entries, %d reads each, %s, GOMAXPROCS=%d, %d CPUs\n",
		n, reps, runtime.Version(), runtime.GOMAXPROCS(0), runtime.NumCPU())
	dsns, cleanup, err := freshBenchDatabases(ctx, "funds", postgres)
	if err != nil {
		return err
	}
	defer cleanup()
	for _, dsn := range dsns {
		if err := benchFundsOne(ctx, out, dsn, n, reps); err != nil {
			return err
		}
	}
	return nil
}

func benchFundsOne(ctx context.Context, out io.Writer, dsn string, n, reps int) error {
	s, err := openFreshBenchStore(ctx, dsn)
	if err != nil {
		return err
	}
	defer s.Close()
	name := s.Dialect()
	if _, err := demo.Load(ctx, s, demo.Options{}); err != nil {
		return err
	}
	u, err := s.UserByUsername(ctx, access.System(), "county")
	if err != nil {
		return err
	}
	county := access.Actor{UserID: u.ID, Username: u.Username, Role: u.Role, Place: u.PlaceCode}
	start := time.Now()
	src, err := s.SeedFundsForBench(ctx, county, u.PlaceCode, n)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "%s: %d entries written in %.1f s\n", name, n, time.Since(start).Seconds())
	period, err := funds.ParsePeriod("", s.Now())
	if err != nil {
		return err
	}
	median := func(f func() error) (time.Duration, error) {
		var ds []time.Duration
		for i := 0; i < reps; i++ {
			t0 := time.Now()
			if err := f(); err != nil {
				return 0, err
			}
			ds = append(ds, time.Since(t0))
		}
		sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
		return ds[len(ds)/2], nil
	}
	var sums funds.Balance
	base, err := median(func() error { var err error; sums, err = s.FundSumsForBench(ctx, src); return err })
	if err != nil {
		return err
	}
	var page funds.Balance
	var lines int
	pageT, err := median(func() error {
		d, err := s.FundSource(ctx, county, src, 300)
		page, lines = d.Balance, len(d.Ledger)
		return err
	})
	if err != nil {
		return err
	}
	var received int64
	figT, err := median(func() error {
		f, err := s.FundFigures(ctx, county, "", period)
		received = f.Total.Current.Received + f.Total.Previous.Received
		return err
	})
	if err != nil {
		return err
	}
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	fmt.Fprintf(out, "%s: baseline, plain SELECT SUM per kind over the %d entries: %.2f ms\n", name, n, ms(base))
	fmt.Fprintf(out, "%s: source page (running balance + newest %d entries with recipients and documents): %.2f ms = %.2f× the baseline\n",
		name, lines, ms(pageT), float64(pageT)/float64(base))
	fmt.Fprintf(out, "%s: county figures for %s with %s beside (per kind of source and place): %.2f ms = %.2f× the baseline\n",
		name, period.Label, period.PrevLabel, ms(figT), float64(figT)/float64(base))
	ok := sums.Received == page.Received && sums.Allocated == page.Allocated && sums.Spent == page.Spent && received > 0
	fmt.Fprintf(out, "%s: running balance equals the ledger's sums: %v (received %s, allocated %s, spent %s)\n",
		name, ok, funds.Yuan(page.Received), funds.Yuan(page.Allocated), funds.Yuan(page.Spent))
	if !ok {
		return fmt.Errorf("bench: funds: the running balance %+v differs from the ledger %+v on %s", page, sums, name)
	}
	return nil
}
