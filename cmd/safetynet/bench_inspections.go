package main

import (
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"runtime"
	"sort"
	"time"

	"safetynet"
	"safetynet/access"
	"safetynet/demo"
	"safetynet/fieldcrypt"
	"safetynet/inspections"
	"safetynet/sqlstore"
)

// inspSuite is `safetynet bench --suite inspections`.
type inspSuite struct {
	dbs        []string // copies of big demo databases (a SQLite file with its key beside it; postgres:// with keyFile)
	keyFile    string
	postgres   string // with no dbs: a PostgreSQL server for a fresh schema beside a fresh SQLite database
	villages   int
	households int // per village
	runs       int
}

// benchInspectionsSuite draws runs inspection samples of villages ×
// households on each database — on the 1M register base, 50 × 20 = 1,000
// households of the county with the most villages — and times the draw
// (the candidates with their key flags, the seeded draw, the sample's
// rows and the audit entry written) beside a raw baseline: a plain SELECT
// of the same villages' candidate households. It also checks that each
// sample redraws identically from its seed. The suite writes inspections
// to the databases: use copies. With no dbs it runs on fresh demo
// databases (a small register; for the suite's test).
func (e cmdEnv) benchInspectionsSuite(ctx context.Context, o inspSuite) error {
	out := e.stdout
	fmt.Fprintf(out, "inspections suite: %d runs of %d villages × %d households, %s, GOMAXPROCS=%d, %d CPUs\n",
		o.runs, o.villages, o.households, runtime.Version(), runtime.GOMAXPROCS(0), runtime.NumCPU())
	for _, dsn := range o.dbs {
		kf := ""
		if sqlstore.IsPostgresDSN(dsn) {
			kf = o.keyFile
		}
		s, err := e.open(ctx, &dbFlags{db: dsn, keyFile: kf})
		if err != nil {
			return err
		}
		err = benchInspectionsOn(ctx, out, s, o)
		s.Close()
		if err != nil {
			return err
		}
	}
	if len(o.dbs) > 0 {
		return nil
	}
	dsns, cleanup, err := freshBenchDatabases(ctx, "inspections", o.postgres)
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
		s, err := sqlstore.Open(ctx, dsn, sqlstore.Options{Keys: keys})
		if err != nil {
			return err
		}
		if _, err := s.Migrate(ctx); err == nil {
			if _, err = demo.Load(ctx, s, demo.Options{Households: 400, Seed: 4}); err == nil {
				err = benchInspectionsOn(ctx, out, s, o)
			}
		}
		s.Close()
		if err != nil {
			return err
		}
	}
	return nil
}

func benchInspectionsOn(ctx context.Context, out io.Writer, s *sqlstore.Store, o inspSuite) error {
	persons, err := s.CountPersons(ctx)
	if err != nil {
		return err
	}
	start := time.Now()
	county, villages, err := s.InspectionBenchArea(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "%s: register of %d persons; county %s has %d villages with households (found in %.0f ms)\n",
		s.Dialect(), persons.Persons, county, villages, ms(time.Since(start)))
	run := time.Now().UnixNano() // names of this run: a database may hold earlier runs' inspections
	u, err := s.CreateUser(ctx, access.System(), safetynet.NewUser{Username: fmt.Sprintf("bench-insp-%d", run), DisplayName: "压测督查",
		Role: safetynet.RoleInspector, PlaceCode: county, Password: fmt.Sprintf("bench-%d", run)})
	if err != nil {
		return err
	}
	a := access.Actor{UserID: u.ID, Username: u.Username, Role: u.Role, Place: u.PlaceCode, IP: "bench"}
	planned := time.Now().In(time.FixedZone("CST", 8*3600)).AddDate(0, 0, 7).Format(time.DateOnly)
	var draws, bases []time.Duration
	drawn, read, nVillages := 0, 0, 0
	for i := range o.runs {
		in, _, err := s.CreateInspection(ctx, a, inspections.NewInspection{ClientID: fmt.Sprintf("bench-insp-%d-%d", run, i), Title: "压测抽样",
			PlaceCode: county, PlannedOn: planned, Villages: o.villages, Households: o.households})
		if err != nil {
			return err
		}
		t0 := time.Now()
		if _, err := s.DrawInspection(ctx, a, in.ID, in.Version); err != nil {
			return err
		}
		draws = append(draws, time.Since(t0))
		v, err := s.InspectionByID(ctx, a, in.ID)
		if err != nil {
			return err
		}
		codes := make([]string, 0, len(v.Sample))
		for _, sv := range v.Sample {
			codes = append(codes, sv.Code)
		}
		drawn, nVillages = v.Counts.Households, len(codes)
		t0 = time.Now()
		if read, err = s.InspectionBaselineForBench(ctx, codes); err != nil {
			return err
		}
		bases = append(bases, time.Since(t0))
		rd, err := s.RedrawInspection(ctx, a, in.ID)
		if err != nil {
			return err
		}
		if !rd.SameSample {
			return fmt.Errorf("inspections: %s: run %d does not redraw identically from its seed: %+v", s.Dialect(), i, rd)
		}
	}
	med := func(ds []time.Duration) time.Duration {
		c := append([]time.Duration(nil), ds...)
		sort.Slice(c, func(i, j int) bool { return c[i] < c[j] })
		return c[len(c)/2]
	}
	top := func(ds []time.Duration) time.Duration {
		m := ds[0]
		for _, d := range ds {
			m = max(m, d)
		}
		return m
	}
	verdict := "within"
	if top(draws) > time.Second {
		verdict = "OVER"
	}
	fmt.Fprintf(out, "%s: draw of %d households (%d villages): median %.0f ms, max %.0f ms (target ≤ 1000 ms: %s); every sample redraws identically from its seed\n",
		s.Dialect(), drawn, nVillages, ms(med(draws)), ms(top(draws)), verdict)
	fmt.Fprintf(out, "%s: baseline plain SELECT of the drawn villages' %d candidate households: median %.0f ms, max %.0f ms; ratio %.1f\n",
		s.Dialect(), read, ms(med(bases)), ms(top(bases)), float64(med(draws))/float64(max(med(bases), time.Microsecond)))
	return nil
}
