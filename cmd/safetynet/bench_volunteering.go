package main

import (
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"runtime"
	"sync"
	"time"

	"safetynet"
	"safetynet/access"
	"safetynet/demo"
	"safetynet/fieldcrypt"
	"safetynet/sqlstore"
	"safetynet/volunteering"
)

// benchVolunteeringSuite is `safetynet bench --suite volunteering`: on
// fresh SQLite and PostgreSQL databases with the demo, n neighbours signed
// up by a relay's link try to take 10 slots of one place each at once
// (taker i the slot i mod 10). Exactly 10 must be taken, everyone else
// must hear "taken" and nothing else. The timing stands beside a baseline
// of n goroutines doing the plain conditional UPDATE on 10 other slots.
//
// With existing (copies of demo databases such as the 1M register base:
// a SQLite file with its key beside it, a postgres:// URL with its key
// from keyFile) the suite runs on those instead; it writes to them.
func (e cmdEnv) benchVolunteeringSuite(ctx context.Context, n int, postgres string, existing []string, keyFile string) error {
	out := e.stdout
	fmt.Fprintf(out, "volunteering suite: %d takers, 10 slots of 1 place, %s, GOMAXPROCS=%d, %d CPUs\n",
		n, runtime.Version(), runtime.GOMAXPROCS(0), runtime.NumCPU())
	for _, dsn := range existing {
		kf := ""
		if sqlstore.IsPostgresDSN(dsn) {
			kf = keyFile
		}
		s, err := e.open(ctx, &dbFlags{db: dsn, keyFile: kf})
		if err != nil {
			return err
		}
		err = benchVolunteeringOn(ctx, out, s, n)
		s.Close()
		if err != nil {
			return err
		}
	}
	if len(existing) > 0 {
		return nil
	}
	dsns, cleanup, err := freshBenchDatabases(ctx, "volunteering", postgres)
	if err != nil {
		return err
	}
	defer cleanup()
	for _, dsn := range dsns {
		if err := benchVolunteeringFresh(ctx, out, dsn, n); err != nil {
			return err
		}
	}
	return nil
}

func benchVolunteeringFresh(ctx context.Context, out io.Writer, dsn string, n int) error {
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
	defer s.Close()
	if _, err := s.Migrate(ctx); err != nil {
		return err
	}
	if _, err := demo.Load(ctx, s, demo.Options{}); err != nil {
		return err
	}
	return benchVolunteeringOn(ctx, out, s, n)
}

func benchVolunteeringOn(ctx context.Context, out io.Writer, s *sqlstore.Store, n int) error {
	persons, err := s.CountPersons(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "%s: register of %d persons\n", s.Dialect(), persons.Persons)
	village, err := s.UserByUsername(ctx, access.System(), "village")
	if err != nil {
		return err
	}
	a := access.Actor{UserID: village.ID, Username: village.Username, Role: village.Role, Place: village.PlaceCode, IP: "bench"}
	hh, err := s.CreateHousehold(ctx, a, safetynet.HouseholdInput{PlaceCode: demo.Yaozhan + "-01-01", Address: "棠梨湾8号"},
		safetynet.PersonInput{Name: "压测老人"})
	if err != nil {
		return err
	}
	day := time.Now().In(volunteering.Zone).AddDate(0, 0, 3).Format(volunteering.DateLayout)
	relay := func(id string) (int64, []int64, error) {
		var ws1, ws2 []volunteering.Window
		for i := 0; i < 5; i++ {
			ws1 = append(ws1, volunteering.Window{Start: (7 + i) * 60, End: (7+i)*60 + 30})
			ws2 = append(ws2, volunteering.Window{Start: (14 + i) * 60, End: (14+i)*60 + 30})
		}
		r, _, err := s.CreateVolunteerRelay(ctx, a, sqlstore.VolunteerRelayInput{ClientID: id, HouseholdID: hh, Relay: volunteering.Relay{
			Title: "压测接龙", ShortName: "压测奶奶", Address: "棠梨湾8号", Tasks: []volunteering.Task{
				{Kind: volunteering.KindMeal, Title: "上午", From: day, To: day, Windows: ws1, PerSlot: 1},
				{Kind: volunteering.KindCare, Title: "下午", From: day, To: day, Windows: ws2, PerSlot: 1}}}})
		if err != nil {
			return 0, nil, err
		}
		v, err := s.VolunteerRelay(ctx, a, r)
		if err != nil {
			return 0, nil, err
		}
		var ids []int64
		for _, sl := range v.Slots {
			ids = append(ids, sl.ID)
		}
		return r, ids, nil
	}
	run := time.Now().UnixNano() // client ids of this run: an existing database may hold earlier runs' relays
	rid, slots, err := relay(fmt.Sprintf("bench-take-%d", run))
	if err != nil {
		return err
	}
	_, baseSlots, err := relay(fmt.Sprintf("bench-base-%d", run))
	if err != nil {
		return err
	}
	token, err := s.NewVolunteerLink(ctx, a, rid)
	if err != nil {
		return err
	}
	start := time.Now()
	devices := make([]string, n)
	for i := range devices {
		if devices[i], err = s.SignupNeighbour(ctx, token, fmt.Sprintf("邻居%03d", i), fmt.Sprintf("138%08d", (int(run/1000)+i)%100_000_000)); err != nil {
			return err
		}
	}
	fmt.Fprintf(out, "%s: %d neighbours signed up in %.1f s\n", s.Dialect(), n, time.Since(start).Seconds())

	// Baseline: the plain conditional UPDATE by n goroutines at once.
	base, baseGot, err := race(n, func(i int) (bool, error) { return s.VolunteerPlainTakeForBench(ctx, baseSlots[i%len(baseSlots)]) })
	if err != nil {
		return err
	}
	// The real thing: TakeSlot by n neighbours at once.
	var mu sync.Mutex
	other := map[string]int{}
	taken := 0
	dur, got, err := race(n, func(i int) (bool, error) {
		_, err := s.TakeSlot(ctx, sqlstore.DeviceTaker(token, devices[i]), slots[i%len(slots)])
		if err == nil {
			return true, nil
		}
		mu.Lock()
		defer mu.Unlock()
		if e := safetynet.AsError(err); e != nil && e.Code == safetynet.EConflict && e.ZH == "已被认领：这个时段的名额刚被别人认领了" {
			taken++
		} else {
			other[err.Error()]++
		}
		return false, nil
	})
	if err != nil {
		return err
	}
	v, err := s.VolunteerRelay(ctx, a, rid)
	if err != nil {
		return err
	}
	held := 0
	for _, sl := range v.Slots {
		held += len(sl.Takers)
		if sl.Taken != len(sl.Takers) || sl.Taken > sl.Capacity {
			return fmt.Errorf("slot %d: taken %d with %d takers", sl.ID, sl.Taken, len(sl.Takers))
		}
	}
	ok := got == 10 && held == 10 && taken == n-10 && len(other) == 0 && baseGot == 10
	fmt.Fprintf(out, "%s: TakeSlot by %d at once: %d taken (%d places held), %d answered \"taken\", %d other errors %v; %.1f ms\n",
		s.Dialect(), n, got, held, taken, len(other), other, ms(dur))
	fmt.Fprintf(out, "%s: baseline plain conditional UPDATE by %d at once: %d taken; %.1f ms; ratio %.2f\n",
		s.Dialect(), n, baseGot, ms(base), float64(dur)/float64(base))
	if !ok {
		return fmt.Errorf("volunteering: %s: want exactly 10 taken and %d \"taken\" answers", s.Dialect(), n-10)
	}
	return nil
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// race runs fn(i) for i < n in n goroutines released together and returns
// the time until the last one finished and how many answered true.
func race(n int, fn func(i int) (bool, error)) (time.Duration, int, error) {
	var wg sync.WaitGroup
	gate := make(chan struct{})
	var mu sync.Mutex
	got := 0
	var first error
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			<-gate
			ok, err := fn(i)
			mu.Lock()
			defer mu.Unlock()
			if err != nil && first == nil {
				first = err
			}
			if ok {
				got++
			}
		}(i)
	}
	start := time.Now()
	close(gate)
	wg.Wait()
	return time.Since(start), got, first
}
