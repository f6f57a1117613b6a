package main

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"safetynet"
	"safetynet/access"
	"safetynet/demo"
	"safetynet/rules"
	"safetynet/sqlstore"
	"safetynet/synth"
	"safetynet/visits"
)

// visitsSuite says what the visits suite measures.
type visitsSuite struct {
	households int           // generated households in each fresh database
	place      string        // the grid worker's place
	keyEvery   int           // every keyEvery-th household of the place is a key family
	reads      int           // day lists read
	clients    int           // concurrent clients recording visits
	duration   time.Duration // how long they record
	postgres   string
	existing   []string // existing (big demo) databases instead of fresh ones: a SQLite file, a postgres:// URL
	keyFile    string   // the key of an existing PostgreSQL database
	placeHH    int      // households the place must hold: the difference is generated into it
}

// benchVisitsSuite measures, on a fresh SQLite database and (with
// --postgres) a fresh PostgreSQL schema: a day's generation of due
// visits for the whole register against one plain INSERT … SELECT of as
// many rows; the day list of a grid worker against a plain SELECT of the
// same due visits; and clients recording visits against plain INSERTs.
func (e cmdEnv) benchVisitsSuite(ctx context.Context, v visitsSuite) error {
	out := e.stdout
	if len(v.existing) > 0 {
		fmt.Fprintf(out, "visits suite: existing databases, %s, GOMAXPROCS=%d, load %s\n", runtime.Version(), runtime.GOMAXPROCS(0), loadAverage())
		for _, dsn := range v.existing {
			kf := ""
			if sqlstore.IsPostgresDSN(dsn) {
				kf = v.keyFile
			}
			s, err := e.open(ctx, &dbFlags{db: dsn, keyFile: kf})
			if err != nil {
				return err
			}
			err = benchVisitsOn(ctx, out, s, v, true)
			s.Close()
			if err != nil {
				return err
			}
		}
		return nil
	}
	fmt.Fprintf(out, "visits suite: %d generated households, %s, GOMAXPROCS=%d, load %s\n", v.households, runtime.Version(), runtime.GOMAXPROCS(0), loadAverage())
	dsns, cleanup, err := freshBenchDatabases(ctx, "visits", v.postgres)
	if err != nil {
		return err
	}
	defer cleanup()
	for _, dsn := range dsns {
		if err := benchVisitsOne(ctx, out, dsn, v); err != nil {
			return err
		}
	}
	return nil
}

func benchVisitsOne(ctx context.Context, out io.Writer, dsn string, v visitsSuite) error {
	s, err := openFreshBenchStore(ctx, dsn)
	if err != nil {
		return err
	}
	defer s.Close()
	if _, err := demo.Load(ctx, s, demo.Options{}); err != nil {
		return err
	}
	start := time.Now()
	if err := demo.AddHouseholds(ctx, s, v.households, 1, nil); err != nil {
		return err
	}
	fmt.Fprintf(out, "%s: generated %d households in %.0f s\n", s.Dialect(), v.households, time.Since(start).Seconds())
	return benchVisitsOn(ctx, out, s, v, false)
}

// placeHouseholds lists the active households of a place's subtree.
func placeHouseholds(ctx context.Context, s *sqlstore.Store, place string) ([]int64, error) {
	var ids []int64
	err := s.EachRuleHousehold(ctx, place, 2000, func(hs []rules.Household) error {
		for _, h := range hs {
			ids = append(ids, h.ID)
		}
		return nil
	})
	return ids, err
}

// growPlace generates households into place until it holds n.
func growPlace(ctx context.Context, s *sqlstore.Store, place string, have, n int) error {
	sys := access.System()
	p, err := s.Place(ctx, sys, place)
	if err != nil {
		return err
	}
	// ID numbers of a region the demo's register does not use (北京市东城区),
	// so that none is a person registered already.
	g := synth.New(uint64(7000+have), []synth.Place{{Code: p.Code, Name: p.Name, County: "110101"}}, time.Now())
	for have < n {
		k := min(5000, n-have)
		batch := g.Batch(k)
		for i := range batch {
			// Numbers of their own: the generator counts from 1 in the place, as the demo's did.
			batch[i].Household.Number = fmt.Sprintf("%s-B%06d", place, have+i+1)
			batch[i].Key = "number:" + batch[i].Household.Number
		}
		rep, err := s.ImportLedger(ctx, sys, batch, sqlstore.LedgerOptions{})
		if err != nil {
			if len(rep.Errors) > 0 {
				return fmt.Errorf("bench: households of %s: row %d: %s", place, rep.Errors[0].Row, rep.Errors[0].EN)
			}
			return err
		}
		have += k
	}
	return nil
}

// benchUser finds or makes the day list's user at place: a grid worker
// at a grid, else a social worker (the same query, visits.DayPlace).
func benchUser(ctx context.Context, s *sqlstore.Store, place string) (access.Actor, error) {
	sys := access.System()
	p, err := s.Place(ctx, sys, place)
	if err != nil {
		return access.Actor{}, err
	}
	role := safetynet.RoleSocialWorker
	if p.Level == safetynet.LevelGrid {
		role = safetynet.RoleGridWorker
	}
	name := "bench-day-" + strings.ReplaceAll(place, "-", "")
	u, err := s.UserByUsername(ctx, sys, name)
	if err != nil {
		u, err = s.CreateUser(ctx, sys, safetynet.NewUser{Username: name, DisplayName: "压测走访员", Role: role,
			PlaceCode: place, Password: "bench-day-password"})
		if err != nil {
			return access.Actor{}, err
		}
	}
	return access.Actor{UserID: u.ID, Username: u.Username, Role: u.Role, Place: u.PlaceCode, IP: "bench"}, nil
}

// benchVisitsOn measures on a store holding a register. On an existing
// database (reset) it first empties the visits' state (due visits, their
// steps, visits made, last visits), so that the day's generation does a
// first day's work: the suite writes, use a copy.
func benchVisitsOn(ctx context.Context, out io.Writer, s *sqlstore.Store, v visitsSuite, reset bool) error {
	name := s.Dialect()
	c, err := s.CountPersons(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "%s: register of %d persons (%d households)\n", name, c.Persons, c.Households)
	ids, err := placeHouseholds(ctx, s, v.place)
	if err != nil {
		return err
	}
	if len(ids) < v.placeHH {
		start := time.Now()
		if err := growPlace(ctx, s, v.place, len(ids), v.placeHH); err != nil {
			return err
		}
		fmt.Fprintf(out, "%s: generated %d households into %s in %.0f s\n", name, v.placeHH-len(ids), v.place, time.Since(start).Seconds())
		if ids, err = placeHouseholds(ctx, s, v.place); err != nil {
			return err
		}
	}
	grid, err := benchUser(ctx, s, v.place)
	if err != nil {
		return err
	}
	sys := access.System()
	if reset {
		start := time.Now()
		if ran, err := s.VisitBenchVacuum(ctx); err != nil {
			return err
		} else if ran {
			fmt.Fprintf(out, "%s: never analyzed: VACUUM ANALYZE in %.0f s\n", name, time.Since(start).Seconds())
		}
		start = time.Now()
		if err := s.VisitBenchReset(ctx); err != nil {
			return err
		}
		fmt.Fprintf(out, "%s: visits' state emptied in %.1f s\n", name, time.Since(start).Seconds())
	}
	admin := sys
	for i, id := range ids {
		if i%v.keyEvery == 0 {
			if err := s.MarkKeyFamily(ctx, admin, id, true, ""); err != nil {
				return err
			}
		}
	}
	fmt.Fprintf(out, "%s: the day list's user is a %s at %s, which holds %d households, every %d-th a key family\n", name, grid.Role, v.place, len(ids), v.keyEvery)

	// A day's generation for the whole register, against one plain INSERT … SELECT of as many rows.
	start, cpu0 := time.Now(), processCPU()
	g, err := s.GenerateVisits(ctx)
	if err != nil {
		return err
	}
	gen, genCPU := time.Since(start), processCPU()-cpu0
	if err := s.VisitBaselinePrepare(ctx); err != nil {
		return err
	}
	start = time.Now()
	if err := s.VisitBaselineInsertMany(ctx, g.Created); err != nil {
		return err
	}
	plainGen := time.Since(start)
	if err := s.VisitBenchAnalyze(ctx); err != nil {
		return err
	}
	fmt.Fprintf(out, "%s: generating the day's due visits for the whole register: %d due visits with their steps in %.2f s (this process's CPU %.2f s); plain INSERT … SELECT of as many rows %.2f s (%.1f×); load %s\n",
		name, g.Created, gen.Seconds(), genCPU.Seconds(), plainGen.Seconds(), gen.Seconds()/max(plainGen.Seconds(), 1e-9), loadAverage())

	// The grid worker's day, against a plain SELECT of the same due visits.
	d, err := s.VisitDay(ctx, grid)
	if err != nil {
		return err
	}
	items := 0
	for _, sec := range d.Sections {
		items += len(sec.Items)
	}
	var lat, plain []time.Duration
	for i := 0; i < v.reads; i++ {
		t0 := time.Now()
		if _, err := s.VisitDay(ctx, grid); err != nil {
			return err
		}
		lat = append(lat, time.Since(t0))
		t0 = time.Now()
		if _, err := s.VisitBaselineRead(ctx, v.place); err != nil {
			return err
		}
		plain = append(plain, time.Since(t0))
	}
	fmt.Fprintf(out, "%s: day list of the grid worker (%d households, %d items in %d sections), %d reads: p50 %.1f ms, p95 %.1f ms; plain SELECT of the due visits p50 %.1f ms, p95 %.1f ms (p95 %.1f×); load %s\n",
		name, len(ids), items, len(d.Sections), v.reads, visitPct(lat, 0.5), visitPct(lat, 0.95), visitPct(plain, 0.5), visitPct(plain, 0.95),
		visitPct(lat, 0.95)/max(visitPct(plain, 0.95), 1e-3), loadAverage())

	// Clients recording visits (calls, home visits and seen in passing,
	// all fine: one tap), then clients doing plain INSERTs.
	record := func(i int, rng *rand.Rand) error {
		_, _, err := s.RecordVisit(ctx, grid, visits.NewVisit{ClientID: fmt.Sprintf("bench-%d-%d", i, rng.Uint64()),
			HouseholdID: ids[rng.IntN(len(ids))], Kind: visits.Kinds[rng.IntN(len(visits.Kinds))], Result: visits.ResultFine})
		return err
	}
	insert := func(i int, rng *rand.Rand) error {
		return s.VisitBaselineInsertOne(ctx, ids[rng.IntN(len(ids))], fmt.Sprintf("bench-%d-%d", i, rng.Uint64()))
	}
	for _, run := range []struct {
		what string
		f    func(int, *rand.Rand) error
	}{{"recording visits", record}, {"plain INSERTs", insert}} {
		cpu0 := processCPU()
		lat, errs, first := clientsFor(v.clients, v.duration, run.f)
		cpu := processCPU() - cpu0
		fmt.Fprintf(out, "%s: %d clients %s for %s: %d done (%.0f/s), p50 %.1f ms, p99 %.1f ms, %d errors; this process's CPU %.0f µs a write; load %s\n",
			name, v.clients, run.what, v.duration, len(lat), float64(len(lat))/v.duration.Seconds(), visitPct(lat, 0.5), visitPct(lat, 0.99), errs,
			float64(cpu.Microseconds())/float64(max(len(lat), 1)), loadAverage())
		if first != nil {
			fmt.Fprintf(out, "%s: first error: %v\n", name, first)
		}
	}
	return nil
}

// clientsFor runs n clients calling f back to back for d and returns the
// latencies of the calls that succeeded, the number that failed and the
// first error.
func clientsFor(n int, d time.Duration, f func(int, *rand.Rand) error) ([]time.Duration, int, error) {
	var mu sync.Mutex
	var lat []time.Duration
	var first error
	errs := 0
	end := time.Now().Add(d)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(i), 42))
			var mine []time.Duration
			bad := 0
			for time.Now().Before(end) {
				t0 := time.Now()
				if err := f(i, rng); err != nil {
					if bad++; bad == 1 {
						mu.Lock()
						first = cmp.Or(first, err)
						mu.Unlock()
					}
					continue
				}
				mine = append(mine, time.Since(t0))
			}
			mu.Lock()
			lat, errs = append(lat, mine...), errs+bad
			mu.Unlock()
		}(i)
	}
	wg.Wait()
	return lat, errs, first
}

// visitPct returns the p-quantile of lat in milliseconds.
func visitPct(lat []time.Duration, p float64) float64 {
	if len(lat) == 0 {
		return 0
	}
	c := append([]time.Duration(nil), lat...)
	sort.Slice(c, func(i, j int) bool { return c[i] < c[j] })
	return float64(c[min(len(c)-1, int(p*float64(len(c))))].Microseconds()) / 1000
}
