package main

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"time"

	"safetynet"
	"safetynet/access"
	"safetynet/campaigns"
	"safetynet/sqlstore"
)

// campaignsSuite says what the campaigns suite measures.
type campaignsSuite struct {
	dbs        []string // copies of big databases (a SQLite file, its key beside it; a postgres:// URL, its key from keyFile)
	keyFile    string
	towns      int
	villages   int
	perVillage int
	reads      int
}

// benchCampaignsSuite measures, on copies of big databases (the suite adds
// a synthetic county with its towns and villages, and a campaign over
// them), the campaign progress page of the survey-and-register stage
// (登记造册): the county's page (one row per town), a town's page (one row
// per village), and the list behind the county's "late" figure, each
// against a raw baseline — plain COUNTs over the same stage rows and
// members — in the same run, with the load average beside every figure.
func (e cmdEnv) benchCampaignsSuite(ctx context.Context, cs campaignsSuite) error {
	out := e.stdout
	if len(cs.dbs) == 0 {
		return fmt.Errorf("bench: --suite campaigns needs --campaigns-db: copies of big databases (the suite adds a county and a campaign to them)")
	}
	fmt.Fprintf(out, "campaigns suite: %s, GOMAXPROCS=%d, %d CPUs, load average %s\n", runtime.Version(), runtime.GOMAXPROCS(0),
		runtime.NumCPU(), loadAverage())
	for _, dsn := range cs.dbs {
		kf := ""
		if sqlstore.IsPostgresDSN(dsn) {
			kf = cs.keyFile
		}
		s, err := e.open(ctx, &dbFlags{db: dsn, keyFile: kf})
		if err != nil {
			return err
		}
		err = benchCampaignsOn(ctx, out, s, cs)
		s.Close()
		if err != nil {
			return err
		}
	}
	return nil
}

func benchCampaignsOn(ctx context.Context, out io.Writer, s *sqlstore.Store, cs campaignsSuite) error {
	name := s.Dialect()
	c, err := s.CountPersons(ctx)
	if err != nil {
		return err
	}
	start := time.Now()
	b, err := s.EnrolBenchSetup(ctx, cs.towns, cs.villages, cs.perVillage)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "%s: register of %d persons, %d households; county %s with %d towns, %d villages, %d members listed (set up in %.1f s)\n",
		name, c.Persons, c.Households, b.County, len(b.Towns), b.Villages, b.Members, time.Since(start).Seconds())
	county := access.Actor{Username: "bench", Role: safetynet.RoleCountyOfficer, Place: b.County, IP: "bench"}
	measure := func(what string, f func() (string, error)) error {
		desc, err := f() // warm
		if err != nil {
			return err
		}
		la := loadAverage()
		var lat, base []time.Duration
		rows := 0
		for i := 0; i < cs.reads; i++ {
			t0 := time.Now()
			if _, err := f(); err != nil {
				return err
			}
			lat = append(lat, time.Since(t0))
			t0 = time.Now()
			if rows, err = s.EnrolBenchBaseline(ctx, b.CampaignID, b.StageID); err != nil {
				return err
			}
			base = append(base, time.Since(t0))
		}
		fmt.Fprintf(out, "%s: %s (%s), %d reads: p50 %.2f ms, p95 %.2f ms; raw COUNTs over the same rows (%d) p50 %.2f ms, p95 %.2f ms (p95 %.1f×) [load %s]\n",
			name, what, desc, cs.reads, visitPct(lat, .5), visitPct(lat, .95), rows, visitPct(base, .5), visitPct(base, .95),
			visitPct(lat, .95)/max(visitPct(base, .95), 1e-6), la)
		return nil
	}
	if err := measure("county progress page", func() (string, error) {
		p, err := s.CampaignEnrolProgress(ctx, county, b.CampaignID, "")
		return fmt.Sprintf("%d towns, %d villages: %d submitted (%d late), %d late, %d in progress, %d not started", len(p.Rows), p.Total.Villages,
			p.Total.Submitted, p.Total.SubmittedLate, p.Total.Late, p.Total.InProgress, p.Total.NotStarted), err
	}); err != nil {
		return err
	}
	if err := measure("town progress page", func() (string, error) {
		p, err := s.CampaignEnrolProgress(ctx, county, b.CampaignID, b.Towns[0])
		return fmt.Sprintf("%d villages", len(p.Rows)), err
	}); err != nil {
		return err
	}
	if err := measure("the county's late villages (the list behind the figure)", func() (string, error) {
		l, err := s.CampaignEnrolVillages(ctx, county, b.CampaignID, b.County, campaigns.VillageLate)
		return fmt.Sprintf("%d villages", len(l)), err
	}); err != nil {
		return err
	}
	fmt.Fprintf(out, "%s: peak memory (VmHWM) %s, load average now %s\n", name, peakRSS(), loadAverage())
	return nil
}
