package main

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"math/rand/v2"
	"runtime"
	"sync"
	"time"

	"safetynet"
	"safetynet/access"
	"safetynet/rules"
	"safetynet/services"
	"safetynet/sqlstore"
)

// servicesSuite says what the services suite measures.
type servicesSuite struct {
	dbs        []string // copies of big demo databases (SQLite file, postgres:// URL); the suite writes to them
	keyFile    string   // the key of a PostgreSQL database
	place      string   // the county whose households the contract covers
	households int      // households of the place that services are recorded for
	workers    int      // social workers (logins) the clients record as
	clients    int
	duration   time.Duration
	photoSide  int           // the photo's longer side in pixels; 0: no photo
	pace       time.Duration // > 0: also a run where each client records once per pace (a paced load)
}

// benchServicesSuite measures, on each database: clients recording
// services (a contract covering the county, a household's code, one
// photo that is decoded and hashed, the due service closed if any)
// against clients doing plain one-row INSERTs in the same run. The
// settlement part of the suite comes with the settlement capability.
func (e cmdEnv) benchServicesSuite(ctx context.Context, v servicesSuite) error {
	out := e.stdout
	if len(v.dbs) == 0 {
		return fmt.Errorf("bench: --suite services needs --services-db: copies of big demo databases (a SQLite file, a postgres:// URL)")
	}
	fmt.Fprintf(out, "services suite: %d clients for %s, %s, GOMAXPROCS=%d, %d CPUs\n", v.clients, v.duration, runtime.Version(),
		runtime.GOMAXPROCS(0), runtime.NumCPU())
	for _, dsn := range v.dbs {
		kf := ""
		if sqlstore.IsPostgresDSN(dsn) {
			kf = v.keyFile
		}
		s, err := e.open(ctx, &dbFlags{db: dsn, keyFile: kf})
		if err != nil {
			return err
		}
		err = benchServicesOn(ctx, out, s, v)
		s.Close()
		if err != nil {
			return err
		}
	}
	return nil
}

func benchServicesOn(ctx context.Context, out io.Writer, s *sqlstore.Store, v servicesSuite) error {
	name := s.Dialect()
	c, err := s.CountPersons(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "%s: register of %d persons in %d households; load average %s\n", name, c.Persons, c.Households, loadAverage())
	sys := access.System()
	var ids []int64
	if err := s.EachRuleHousehold(ctx, v.place, 5000, func(hs []rules.Household) error {
		for _, h := range hs {
			if len(ids) < v.households {
				ids = append(ids, h.ID)
			}
		}
		return nil
	}); err != nil {
		return err
	}
	if len(ids) == 0 {
		return fmt.Errorf("bench: no households in %s", v.place)
	}
	officer := access.Actor{Username: "bench", Role: safetynet.RoleAdmin, Place: v.place, IP: "bench"}
	now := s.Now()
	run := now.Format("150405")
	contract := services.NewContract{PlaceCode: v.place, Title: "压测购买服务合同 " + run, StartsOn: now.AddDate(0, -2, 0).Format("2006-01-02"),
		EndsOn: now.AddDate(0, 10, 0).Format("2006-01-02"), BudgetFen: 1_000_000_000,
		Prices: []services.Price{{Type: services.Cleaning, PriceFen: 3000}, {Type: services.DeepCleaning, PriceFen: 8000}}, Categories: []string{"", "dibao"}}
	org, err := s.CreateServiceOrg(ctx, officer, sqlstore.NewServiceOrg{Name: "压测社工 " + run, PlaceCode: v.place, Contract: &contract})
	if err != nil {
		return err
	}
	actors := make([]access.Actor, v.workers)
	for i := range actors {
		u, err := s.CreateUser(ctx, sys, safetynet.NewUser{Username: fmt.Sprintf("bench-sw-%s-%d", run, i), DisplayName: fmt.Sprintf("压测社工%d", i),
			Role: safetynet.RoleSocialWorker, PlaceCode: v.place, Password: "bench-social-password"})
		if err != nil {
			return err
		}
		if _, err := s.AddServiceWorker(ctx, officer, org, sqlstore.NewServiceWorker{Name: u.DisplayName, Kind: services.SocialWorker, Username: u.Username}); err != nil {
			return err
		}
		actors[i] = access.Actor{UserID: u.ID, Username: u.Username, Role: u.Role, Place: u.PlaceCode, IP: "bench"}
	}
	codes := make([]string, len(ids))
	for i, id := range ids {
		if codes[i], err = s.IssueHouseholdCode(ctx, officer, id); err != nil {
			return err
		}
	}
	var photos [][]byte
	what := "no photo (the household's code only)"
	if v.photoSide > 0 {
		photos = [][]byte{benchPhoto(v.photoSide)}
		what = fmt.Sprintf("a %d-px JPEG photo of %d KB (its structure checked to the end, and hashed) and the household's code", v.photoSide, len(photos[0])>>10)
	}
	fmt.Fprintf(out, "%s: a contract of the county covering %d households with codes, %d social workers; each record with %s\n",
		name, len(ids), len(actors), what)
	if err := s.ServiceBaselinePrepare(ctx); err != nil {
		return err
	}
	// As in the field, a worker's services follow one another (an hour's
	// cleaning every 70 minutes, going back from now) and every photo is
	// a photo of its own (its bytes differ after the image's end marker):
	// the settlement's checks then flag what they would flag in the field,
	// not every record against every other.
	done := make([]int, v.clients)
	record := func(i int, rng *rand.Rand) error {
		k := rng.IntN(len(ids))
		end := s.Now().Add(-time.Duration(done[i]*70)*time.Minute - time.Duration(rng.IntN(60))*time.Second)
		done[i]++
		var own [][]byte
		for _, p := range photos {
			own = append(own, binary.LittleEndian.AppendUint64(append([]byte(nil), p...), rng.Uint64()))
		}
		_, _, err := s.RecordService(ctx, actors[i%len(actors)], services.NewRecord{ClientID: fmt.Sprintf("bench-%s-%d-%d", run, i, rng.Uint64()),
			HouseholdID: ids[k], Type: services.Cleaning, StartedAt: end.Add(-time.Hour), EndedAt: end, Code: codes[k], Photos: own,
			Location: &services.Location{LatE6: 25_670_000 + rng.Int64N(10_000), LonE6: 104_250_000 + rng.Int64N(10_000), AccuracyM: 15}})
		return err
	}
	insert := func(i int, rng *rand.Rand) error {
		return s.ServiceBaselineInsertOne(ctx, fmt.Sprintf("bench-%s-%d-%d", run, i, rng.Uint64()), ids[rng.IntN(len(ids))], s.Now().Unix())
	}
	for _, r := range []struct {
		what string
		f    func(int, *rand.Rand) error
	}{{"recording services", record}, {"plain one-row INSERTs", insert}} {
		la := loadAverage()
		lat, errs, first := clientsFor(v.clients, v.duration, r.f)
		if first != nil {
			fmt.Fprintf(out, "%s: %s: first error: %v\n", name, r.what, first)
		}
		fmt.Fprintf(out, "%s: %d clients %s back to back for %s: %d done (%.0f/s), p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, %d errors (load average %s before)\n", name, v.clients, r.what,
			v.duration, len(lat), float64(len(lat))/v.duration.Seconds(), visitPct(lat, 0.5), visitPct(lat, 0.95), visitPct(lat, 0.99), errs, la)
	}
	if v.pace > 0 {
		for _, r := range []struct {
			what string
			f    func(int, *rand.Rand) error
		}{{"recording services", record}, {"plain one-row INSERTs", insert}} {
			la := loadAverage()
			lat, errs := clientsPaced(v.clients, v.duration, v.pace, r.f)
			fmt.Fprintf(out, "%s: %d clients %s once every %s each for %s: %d done (%.0f/s), p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, %d errors (load average %s before)\n", name, v.clients, r.what,
				v.pace, v.duration, len(lat), float64(len(lat))/v.duration.Seconds(), visitPct(lat, 0.5), visitPct(lat, 0.95), visitPct(lat, 0.99), errs, la)
		}
	}
	return nil
}

// clientsPaced runs n clients for d, each calling f once every pace (the
// first at a random moment within the first pace; a call that overruns
// its slot starts the next at once), and returns the latencies of the
// calls that succeeded and the number that failed.
func clientsPaced(n int, d, pace time.Duration, f func(int, *rand.Rand) error) ([]time.Duration, int) {
	var mu sync.Mutex
	var lat []time.Duration
	errs := 0
	start := time.Now()
	end := start.Add(d)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(i), 43))
			next := start.Add(time.Duration(rng.Int64N(int64(pace))))
			var mine []time.Duration
			bad := 0
			for {
				time.Sleep(time.Until(next))
				if !time.Now().Before(end) {
					break
				}
				t0 := time.Now()
				if err := f(i, rng); err != nil {
					bad++
				} else {
					mine = append(mine, time.Since(t0))
				}
				next = next.Add(pace)
			}
			mu.Lock()
			lat, errs = append(lat, mine...), errs+bad
			mu.Unlock()
		}(i)
	}
	wg.Wait()
	return lat, errs
}

// benchPhoto is a JPEG of side×(3/4·side) pixels with some texture, like a
// phone's photo scaled down by the page.
func benchPhoto(side int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, side, side*3/4))
	rng := rand.New(rand.NewPCG(7, 7))
	for y := 0; y < img.Rect.Dy(); y++ {
		for x := 0; x < side; x++ {
			img.Set(x, y, color.RGBA{uint8(x * 255 / side), uint8(y), uint8(rng.IntN(64)), 255})
		}
	}
	var b bytes.Buffer
	_ = jpeg.Encode(&b, img, &jpeg.Options{Quality: 80})
	return b.Bytes()
}
