package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"runtime"
	"sort"
	"strings"
	"time"

	"safetynet/access"
	"safetynet/dashboards"
	"safetynet/httpserver"
	"safetynet/sqlstore"
)

// dashSuite says what `safetynet bench --suite dashboards` measures.
type dashSuite struct {
	dbs     []string // registers with a year of activity (copies: the suite only reads, but opening migrates)
	keyFile string   // the key of a PostgreSQL database
	runs    int
	periods []string // month, quarter, year
	at      string   // a day of the periods (default: the last activity's day)
	user    string
}

// dashTarget is a speed target of the issue: p95 of the dashboard of a
// level on SQLite.
var dashTargets = map[string]time.Duration{"county": 200 * time.Millisecond, "town": 200 * time.Millisecond, "village": 50 * time.Millisecond}

// benchDashboardsSuite is `safetynet bench --suite dashboards`: on
// registers with a year of generated activity (the 1,000,000-person
// register after `safetynet generate-activity`; SQLite and PostgreSQL side
// by side), the dashboard of the county officer's county, of its busiest
// town and of that town's busiest village, for each period kind, timed
// `runs` times each as the store computes it (Store.Dashboard, what the
// page, the API and the .xlsx call) and as the whole page through the real
// HTTP server; against a raw baseline in the same run: plain
// SELECT COUNT(*)s over the same rows (each table's rows of the subtree in
// the period and the previous one, no join, no grouping).
func (e cmdEnv) benchDashboardsSuite(ctx context.Context, ds dashSuite) error {
	out := e.stdout
	fmt.Fprintf(out, "dashboards suite: %d runs each, periods %s, %s, GOMAXPROCS=%d, %d CPUs\n", ds.runs, strings.Join(ds.periods, ","),
		runtime.Version(), runtime.GOMAXPROCS(0), runtime.NumCPU())
	if len(ds.dbs) == 0 {
		return fmt.Errorf("bench dashboards: give --dash-db: registers with a year of activity (a SQLite file with its key beside it; a postgres:// URL with --key-file)")
	}
	for _, dsn := range ds.dbs {
		kf := ""
		if sqlstore.IsPostgresDSN(dsn) {
			kf = ds.keyFile
		}
		s, err := e.open(ctx, &dbFlags{db: dsn, keyFile: kf})
		if err != nil {
			return err
		}
		err = benchDashboardsOn(ctx, out, s, ds)
		s.Close()
		if err != nil {
			return err
		}
	}
	return nil
}

func benchDashboardsOn(ctx context.Context, out io.Writer, s *sqlstore.Store, ds dashSuite) error {
	name := s.Dialect()
	persons, err := s.CountPersons(ctx)
	if err != nil {
		return err
	}
	u, err := s.UserByUsername(ctx, access.System(), ds.user)
	if err != nil {
		return fmt.Errorf("bench dashboards: user %s: %w", ds.user, err)
	}
	a := access.Actor{UserID: u.ID, Username: u.Username, Role: u.Role, Place: u.PlaceCode, IP: "bench"}
	loc := s.Now().Location()
	at := s.Now()
	if ds.at != "" {
		if at, err = dashboards.ParseDay(ds.at, loc); err != nil {
			return fmt.Errorf("bench dashboards: --dash-at %q: %w", ds.at, err)
		}
	}
	year, _ := dashboards.NewPeriod(dashboards.Year, at, time.Time{}, time.Time{})
	town, tn, err := s.DashboardBusiest(ctx, u.PlaceCode, year.PrevFrom)
	if err != nil {
		return err
	}
	village, vn, err := s.DashboardBusiest(ctx, town, year.PrevFrom)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "%s: %d persons, %d households; %s's county %s, busiest town %s (%d clues in two years), its busiest village %s (%d)\n",
		name, persons.Persons, persons.Households, u.Username, u.PlaceCode, town, tn, village, vn)
	srv, err := httpserver.New(httpserver.Config{Store: s, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		return err
	}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	cookie, _, err := s.CreateSession(ctx, u.ID, sqlstore.SessionWeb, "bench", "bench")
	if err != nil {
		return err
	}
	levels := []struct{ level, place string }{{"county", u.PlaceCode}, {"town", town}, {"village", village}}
	for _, kind := range ds.periods {
		p, err := dashboards.NewPeriod(kind, at, time.Time{}, time.Time{})
		if err != nil {
			return err
		}
		for _, l := range levels {
			var d sqlstore.Dashboard
			var rows int64
			// One untimed run of each warms the caches.
			if d, err = s.Dashboard(ctx, a, l.place, p); err != nil {
				return err
			}
			if rows, err = s.DashboardBaseline(ctx, l.place, p); err != nil {
				return err
			}
			var dash, base, page []time.Duration
			for i := 0; i < ds.runs; i++ {
				t0 := time.Now()
				if _, err := s.Dashboard(ctx, a, l.place, p); err != nil {
					return err
				}
				dash = append(dash, time.Since(t0))
				t0 = time.Now()
				if _, err := s.DashboardBaseline(ctx, l.place, p); err != nil {
					return err
				}
				base = append(base, time.Since(t0))
			}
			url := fmt.Sprintf("%s/dashboard?place=%s&period=%s&at=%s", ts.URL, l.place, kind, at.Format("2006-01-02"))
			for i := 0; i < ds.runs; i++ {
				req, _ := http.NewRequestWithContext(ctx, "GET", url, nil)
				req.AddCookie(&http.Cookie{Name: "sn_session", Value: cookie})
				t0 := time.Now()
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					return err
				}
				n, _ := io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK || n == 0 {
					return fmt.Errorf("bench dashboards: GET %s: %d", url, resp.StatusCode)
				}
				page = append(page, time.Since(t0))
			}
			sortD(dash)
			sortD(base)
			sortD(page)
			c := d.Total.Cur
			verdict := ""
			if t, ok := dashTargets[l.level]; ok && name == "sqlite" {
				verdict = fmt.Sprintf(" — target p95 ≤ %d ms: %s", t.Milliseconds(), map[bool]string{true: "met", false: "NOT met"}[pct(dash, .95) <= t && pct(page, .95) <= t])
			}
			fmt.Fprintf(out, "%s %-7s %-7s %s (%d places below): %d clues, %d helped, %d visits, %d services, %d baseline rows\n", name, kind, l.level, l.place,
				len(d.Children), c[dashboards.KeyClues], c[dashboards.KeyHelped], c[dashboards.KeyVisits], c[dashboards.KeySvcTimes], rows)
			fmt.Fprintf(out, "  dashboard p50 %s p95 %s · page p50 %s p95 %s · baseline COUNT(*) p50 %s p95 %s · ratio p95 %.1f×%s\n",
				msStr(pct(dash, .5)), msStr(pct(dash, .95)), msStr(pct(page, .5)), msStr(pct(page, .95)), msStr(pct(base, .5)), msStr(pct(base, .95)),
				float64(pct(dash, .95))/float64(max(pct(base, .95), time.Microsecond)), verdict)
		}
	}
	return nil
}

func sortD(d []time.Duration) { sort.Slice(d, func(i, j int) bool { return d[i] < d[j] }) }

func msStr(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000) }
