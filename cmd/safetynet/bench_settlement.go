package main

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"runtime"
	"sort"
	"time"

	"safetynet/access"
	"safetynet/settlement"
	"safetynet/sqlstore"
)

// settleSuite says what `safetynet bench --suite settlement` measures.
type settleSuite struct {
	dbs     []string // existing big demo databases (copies: the suite writes)
	keyFile string   // the key of a PostgreSQL database
	records int
	runs    int
	month   string
}

// benchSettlementSuite is `safetynet bench --suite settlement`: on existing
// demo databases (the 1,000,000-person register; SQLite and PostgreSQL
// side by side), an organisation with 125 workers gets `records` service
// records in one month, bulk inserted (95% accepted, 3% rejected, 2% pending
// then accepted); the month's settlement (the sheet: lines, per-worker
// counts, every rejected record with its reason, blocking records,
// adjustments and the budget) is timed against two raw baselines over the
// same rows in the same run: one GROUP BY of the accepted amounts, and every
// row read and summed in a Go loop. Then the approval (which checks, keeps
// the lines and closes the month) is timed once.
func (e cmdEnv) benchSettlementSuite(ctx context.Context, ss settleSuite) error {
	out := e.stdout
	fmt.Fprintf(out, "settlement suite: %d service records in %s, %d runs each, %s, GOMAXPROCS=%d, %d CPUs\n",
		ss.records, ss.month, ss.runs, runtime.Version(), runtime.GOMAXPROCS(0), runtime.NumCPU())
	if len(ss.dbs) == 0 {
		return fmt.Errorf("bench settlement: give --settle-db: copies of the 1M demo databases (a SQLite file, a postgres:// URL)")
	}
	for _, dsn := range ss.dbs {
		kf := ""
		if sqlstore.IsPostgresDSN(dsn) {
			kf = ss.keyFile
		}
		s, err := e.open(ctx, &dbFlags{db: dsn, keyFile: kf})
		if err != nil {
			return err
		}
		err = benchSettlementOn(ctx, out, s, ss)
		s.Close()
		if err != nil {
			return err
		}
	}
	return nil
}

func benchSettlementOn(ctx context.Context, out io.Writer, s *sqlstore.Store, ss settleSuite) error {
	name := s.Dialect()
	persons, err := s.CountPersons(ctx)
	if err != nil {
		return err
	}
	u, err := s.UserByUsername(ctx, access.System(), "county")
	if err != nil {
		return fmt.Errorf("bench settlement: the demo's county officer: %w", err)
	}
	county := access.Actor{UserID: u.ID, Username: u.Username, Role: u.Role, Place: u.PlaceCode, IP: "bench"}
	households, err := s.BenchHouseholds(ctx, u.PlaceCode, 20_000)
	if err != nil || len(households) == 0 {
		return fmt.Errorf("bench settlement: households: %v", err)
	}
	workers := make([]string, 125)
	for i := range workers {
		workers[i] = fmt.Sprintf("社工%03d", i+1)
	}
	org, err := s.SeedServiceOrg(ctx, sqlstore.ServiceOrgSeed{Name: fmt.Sprintf("阳光社工（基准 %d）", time.Now().Unix()), Place: u.PlaceCode,
		Title: "政府购买服务（基准）", StartsOn: ss.month + "-01", EndsOn: "2099-12-31", BudgetFen: 1_000_000_000,
		Prices: map[string]int64{"cleaning": 3000, "deep_cleaning": 6000, "haircut": 1500, "meal_delivery": 1200, "nutrition": 20000}, Workers: workers})
	if err != nil {
		return err
	}
	first, ok := settlement.ParseMonth(ss.month)
	if !ok {
		return fmt.Errorf("bench settlement: bad month %q", ss.month)
	}
	types := []string{"cleaning", "cleaning", "cleaning", "deep_cleaning", "haircut", "meal_delivery", "nutrition"}
	rng := rand.New(rand.NewPCG(11, 12))
	start := time.Now()
	const chunk = 20_000
	var pending []int64
	for done := 0; done < ss.records; done += chunk {
		n := min(chunk, ss.records-done)
		recs := make([]sqlstore.ServiceRecordSeed, n)
		for i := range recs {
			k := done + i
			day := first.AddDate(0, 0, rng.IntN(28)).Add(time.Duration(8*60+rng.IntN(9*60)) * time.Minute)
			status := "accepted"
			switch r := rng.IntN(100); {
			case r < 3:
				status = "rejected"
			case r < 5:
				status = "pending"
			}
			recs[i] = sqlstore.ServiceRecordSeed{ClientID: fmt.Sprintf("bench-%d-%d", org.Org, k), Contract: org.Contract,
				Worker: org.Workers[k%len(org.Workers)], Household: households[k%len(households)], Type: types[k%len(types)],
				Start: day, End: day.Add(45 * time.Minute), Status: status, Checked: true}
		}
		ids, err := s.SeedServiceRecords(ctx, recs)
		if err != nil {
			return err
		}
		for i, r := range recs {
			if r.Status == "pending" {
				pending = append(pending, ids[i])
			}
		}
	}
	fmt.Fprintf(out, "%s: %d persons, %d households; %d records inserted in %.1f s (%d pending)\n", name, persons.Persons, persons.Households, ss.records, time.Since(start).Seconds(), len(pending))
	if err := s.AnalyzeServices(ctx); err != nil {
		return err
	}
	// A draft with pending records is the sheet the village works from.
	draft, err := s.Settlement(ctx, county, org.Org, ss.month, 0)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "%s: draft: %d accepted, %d rejected, %d blocking, total %s yuan\n", name, draft.Accepted, draft.Rejected, draft.Blocked(),
		settlement.Yuan(draft.TotalFen))
	// The pending ones are verified (accepted) one by one, as the village would.
	vstart := time.Now()
	for _, id := range pending {
		if err := s.ReviewService(ctx, county, id, sqlstore.ServiceReview{Decision: settlement.Accept, Version: 1}); err != nil {
			return err
		}
	}
	if len(pending) > 0 {
		fmt.Fprintf(out, "%s: %d reviews, %.2f ms each\n", name, len(pending), float64(time.Since(vstart).Microseconds())/1000/float64(len(pending)))
	}
	time1 := func(f func() (int64, error)) ([]time.Duration, int64, error) {
		var ds []time.Duration
		var total int64
		for i := 0; i < ss.runs; i++ {
			t0 := time.Now()
			v, err := f()
			if err != nil {
				return nil, 0, err
			}
			ds, total = append(ds, time.Since(t0)), v
		}
		sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
		return ds, total, nil
	}
	sheet, total, err := time1(func() (int64, error) {
		st, err := s.Settlement(ctx, county, org.Org, ss.month, 0)
		return st.TotalFen, err
	})
	if err != nil {
		return err
	}
	group, gtotal, err := time1(func() (int64, error) { return s.SettlementBaselineGroupBy(ctx, org.Org, ss.month) })
	if err != nil {
		return err
	}
	loop, ltotal, err := time1(func() (int64, error) { return s.SettlementBaselineLoop(ctx, org.Org, ss.month) })
	if err != nil {
		return err
	}
	if total != gtotal || total != ltotal {
		return fmt.Errorf("bench settlement: totals differ: sheet %d, group by %d, loop %d", total, gtotal, ltotal)
	}
	med := func(ds []time.Duration) time.Duration { return ds[len(ds)/2] }
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	fmt.Fprintf(out, "%s: settlement sheet: median %.0f ms (best %.0f, worst %.0f), total %s yuan — %s\n", name, ms(med(sheet)), ms(sheet[0]),
		ms(sheet[len(sheet)-1]), settlement.Yuan(total), verdict(med(sheet), 2*time.Second))
	fmt.Fprintf(out, "%s: baseline GROUP BY: median %.0f ms; ×%.1f\n", name, ms(med(group)), float64(med(sheet))/float64(med(group)))
	fmt.Fprintf(out, "%s: baseline Go loop over the rows: median %.0f ms; ×%.1f\n", name, ms(med(loop)), float64(med(sheet))/float64(med(loop)))
	t0 := time.Now()
	ap, err := s.ApproveSettlement(ctx, county, org.Org, ss.month, total)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "%s: approval (checks, keeps %d lines, closes the month): %.0f ms\n", name, len(ap.Lines), ms(time.Since(t0)))
	closed, _, err := time1(func() (int64, error) {
		st, err := s.Settlement(ctx, county, org.Org, ss.month, 0)
		return st.TotalFen, err
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "%s: approved sheet read: median %.0f ms; load average %s\n", name, ms(med(closed)), loadAverage())
	return nil
}

func verdict(d, target time.Duration) string {
	if d <= target {
		return fmt.Sprintf("within the %.0f s target", target.Seconds())
	}
	return fmt.Sprintf("OVER the %.0f s target", target.Seconds())
}
