package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"safetynet"
	"safetynet/access"
	"safetynet/demo"
	"safetynet/sqlstore"
	"safetynet/synth"
)

// benchSearchSuite is `safetynet bench --suite search`: on fresh
// databases (SQLite, and PostgreSQL if given) it loads the demo up to the
// first size of persons, times 2-character name searches of users at county, town
// and village level, then adds persons in the other counties only (the
// users' scopes stay as they were) up to each further size and times the
// same searches again, printing p95 and its ratio to the first size's.
func (e cmdEnv) benchSearchSuite(ctx context.Context, sizes []int, postgres string, searches int) error {
	out := e.stdout
	fmt.Fprintf(out, "search suite: persons %v, %d name searches per user and size, through the store\n", sizes, searches)
	dsns, cleanup, err := freshBenchDatabases(ctx, "search", postgres)
	if err != nil {
		return err
	}
	defer cleanup()
	for _, dsn := range dsns {
		if err := e.benchSearchOne(ctx, dsn, sizes, searches); err != nil {
			return err
		}
	}
	return nil
}

func (e cmdEnv) benchSearchOne(ctx context.Context, dsn string, sizes []int, searches int) error {
	out := e.stdout
	s, err := openFreshBenchStore(ctx, dsn)
	if err != nil {
		return err
	}
	defer s.Close()
	name := s.Dialect()
	if _, err := demo.Load(ctx, s, demo.Options{}); err != nil {
		return err
	}
	sys := access.System()
	// The first size: the demo (every county, more in the demo's groups).
	// One generator (its ID numbers never repeat), about 3.4 persons a household.
	start := time.Now()
	if err := demo.AddHouseholds(ctx, s, sizes[0]*10/34+1, 1, nil); err != nil {
		return err
	}
	c, err := s.CountPersons(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "%s: demo register of %d persons (%d households) made in %.0f s\n", name, c.Persons, c.Households, time.Since(start).Seconds())
	sizes[0] = c.Persons
	users := []string{"county", "town", "village"}
	names := map[string][]string{}
	for _, u := range users {
		a, err := actorByName(ctx, s, u)
		if err != nil {
			return err
		}
		ss, err := benchSamples(ctx, s, a, 300, 0)
		if err != nil {
			return err
		}
		for _, x := range ss {
			// The first two characters: a 2-character name, or the
			// family name and the first of the given name, which many share.
			names[u] = append(names[u], string([]rune(x.Name)[:min(2, len([]rune(x.Name)))]))
		}
		if len(names[u]) == 0 {
			return fmt.Errorf("bench: no households in the scope of %s", u)
		}
	}
	// Places outside the demo county (530325) for the persons added later.
	all, err := s.RegisterPlaces(ctx, sys)
	if err != nil {
		return err
	}
	var others []synth.Place
	for _, p := range all {
		if p.Level == safetynet.LevelVillage && !strings.HasPrefix(p.Code, "530325") {
			// ID numbers of a made-up county, so that none is one of the demo's.
			others = append(others, synth.Place{Code: p.Code, Name: p.Name, County: "539902"})
		}
	}
	g := synth.New(uint64(time.Now().UnixNano()), others, time.Now())
	first := map[string]float64{}
	for i, size := range sizes {
		if i > 0 {
			start := time.Now()
			for {
				c, err := s.CountPersons(ctx)
				if err != nil {
					return err
				}
				if c.Persons >= size {
					break
				}
				batch := g.Batch(min(5000, max(100, (size-c.Persons)/3)))
				for j := range batch {
					batch[j].Household.Number = "S" + batch[j].Household.Number
				}
				if rep, err := s.ImportLedger(ctx, sys, batch, sqlstore.LedgerOptions{}); err != nil {
					return fmt.Errorf("bench: add persons: %w %v", err, rep.Errors[:min(3, len(rep.Errors))])
				}
			}
			fmt.Fprintf(out, "%s: grown to %d persons (the new ones outside 富源县) in %.0f s\n", name, size, time.Since(start).Seconds())
		}
		for _, u := range users {
			a, err := actorByName(ctx, s, u)
			if err != nil {
				return err
			}
			// Warm up (statements, caches), then measure.
			for _, q := range names[u][:min(20, len(names[u]))] {
				if _, err := s.Search(ctx, a, q, 50); err != nil {
					return err
				}
			}
			rng := rand.New(rand.NewPCG(7, 7))
			lat := make([]time.Duration, 0, searches)
			hits := 0
			for range searches {
				q := names[u][rng.IntN(len(names[u]))]
				t0 := time.Now()
				h, err := s.Search(ctx, a, q, 50)
				if err != nil {
					return err
				}
				lat = append(lat, time.Since(t0))
				hits += len(h)
			}
			p95 := percentile(lat, .95)
			ratio := ""
			if i == 0 {
				first[u] = p95
			} else if first[u] > 0 {
				ratio = fmt.Sprintf(", %.2f × the p95 at %d persons", p95/first[u], sizes[0])
			}
			report(out, fmt.Sprintf("%s: 2-character name search as %s (%s), %d persons, %.1f hits on average%s", name, u, a.Place, size,
				float64(hits)/float64(searches), ratio), lat)
		}
	}
	return nil
}

// percentile returns the p-quantile of lat in milliseconds (lat is sorted).
func percentile(lat []time.Duration, p float64) float64 {
	if len(lat) == 0 {
		return 0
	}
	c := append([]time.Duration(nil), lat...)
	for i := 1; i < len(c); i++ {
		for j := i; j > 0 && c[j] < c[j-1]; j-- {
			c[j], c[j-1] = c[j-1], c[j]
		}
	}
	return float64(c[min(len(c)-1, int(p*float64(len(c))))].Microseconds()) / 1000
}

// parseSizes reads a comma-separated list of positive numbers.
func parseSizes(v string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(v, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(strings.ReplaceAll(f, "_", "")))
		if err != nil || n <= 0 {
			return nil, fmt.Errorf("bench: --search-sizes: %q is not a number of persons", f)
		}
		out = append(out, n)
	}
	return out, nil
}
