package main

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"time"

	"safetynet/access"
	"safetynet/certification"
	"safetynet/sqlstore"
)

// certSuite says what the certification suite measures.
type certSuite struct {
	dbs     []string // copies of demo databases (a SQLite file, its key beside it; a postgres:// URL, its key from keyFile)
	keyFile string
	users   []string // the demo users whose "due in 30 days" list is read
	reads   int
}

// benchCertificationSuite measures, on copies of big demo databases (the
// suite rewrites their certification tables): the generation of the dues
// of the whole register against one plain INSERT … SELECT of the same
// rows, the daily refresh when nothing changed against the same, and the
// "due in the next 30 days" list of demo users against a plain SELECT of
// the same dues — with the load average beside every figure.
func (e cmdEnv) benchCertificationSuite(ctx context.Context, cs certSuite) error {
	out := e.stdout
	if len(cs.dbs) == 0 {
		return fmt.Errorf("bench: --suite certification needs --cert-db: copies of big demo databases (the suite rewrites their certification tables)")
	}
	fmt.Fprintf(out, "certification suite: %s, GOMAXPROCS=%d, %d CPUs, load average %s\n", runtime.Version(), runtime.GOMAXPROCS(0),
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
		err = benchCertOn(ctx, out, s, cs)
		s.Close()
		if err != nil {
			return err
		}
	}
	return nil
}

func benchCertOn(ctx context.Context, out io.Writer, s *sqlstore.Store, cs certSuite) error {
	name := s.Dialect()
	c, err := s.CountPersons(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "%s: register of %d persons, %d households\n", name, c.Persons, c.Households)
	if err := s.CertBaselineReset(ctx); err != nil {
		return err
	}
	if err := s.CertBaselinePrepare(ctx); err != nil {
		return err
	}
	defer s.CertBaselineDrop(context.WithoutCancel(ctx))

	// The dues of the whole register, generated from nothing.
	la := loadAverage()
	start := time.Now()
	res, err := s.RefreshCertifications(ctx, true)
	if err != nil {
		return err
	}
	gen := time.Since(start)
	start = time.Now()
	n, err := s.CertBaselineCopy(ctx)
	if err != nil {
		return err
	}
	plain := time.Since(start)
	fmt.Fprintf(out, "%s: generating the dues of the whole register: %d dues and %d reminders in %.2f s; plain INSERT … SELECT of the same %d rows %.2f s (%.1f×) [load %s]\n",
		name, res.Created, res.Reminders, gen.Seconds(), n, plain.Seconds(), gen.Seconds()/max(plain.Seconds(), 1e-9), la)
	start = time.Now()
	found, err := s.CertBaselineRecipients(ctx)
	if err != nil {
		return err
	}
	join := time.Since(start)
	fmt.Fprintf(out, "%s:   (the unavoidable part: one plain join of the same categories with their persons, %d rows, %.2f s; the refresh is %.1f× it)\n",
		name, found, join.Seconds(), gen.Seconds()/max(join.Seconds(), 1e-9))

	// The daily refresh when nothing changed (forced past its mark).
	for i := 0; i < 2; i++ {
		if err := s.CertBaselinePrepare(ctx); err != nil {
			return err
		}
		la = loadAverage()
		start = time.Now()
		res, err = s.RefreshCertifications(ctx, true)
		if err != nil {
			return err
		}
		ref := time.Since(start)
		start = time.Now()
		if n, err = s.CertBaselineCopy(ctx); err != nil {
			return err
		}
		plain = time.Since(start)
		fmt.Fprintf(out, "%s: refresh #%d with nothing changed (%d created, %d ended, %d reminders): %.2f s; plain INSERT … SELECT of the %d dues %.2f s (%.1f×) [load %s]\n",
			name, i+1, res.Created, res.Ended, res.Reminders, ref.Seconds(), n, plain.Seconds(), ref.Seconds()/max(plain.Seconds(), 1e-9), la)
	}

	// The "due in the next 30 days" list of each user.
	for _, username := range cs.users {
		u, err := s.UserByUsername(ctx, access.System(), username)
		if err != nil {
			return fmt.Errorf("bench: user %s: %w", username, err)
		}
		a := access.Actor{UserID: u.ID, Username: u.Username, Role: u.Role, Place: u.PlaceCode, IP: "bench"}
		l, err := s.CertificationsDue(ctx, a, certification.Window)
		if err != nil {
			return err
		}
		overdue := 0
		for _, d := range l {
			if d.Status == certification.StatusOverdue {
				overdue++
			}
		}
		la = loadAverage()
		var lat, base []time.Duration
		rows := 0
		for i := 0; i < cs.reads; i++ {
			t0 := time.Now()
			if _, err := s.CertificationsDue(ctx, a, certification.Window); err != nil {
				return err
			}
			lat = append(lat, time.Since(t0))
			t0 = time.Now()
			if rows, err = s.CertBaselineRead(ctx, u.PlaceCode); err != nil {
				return err
			}
			base = append(base, time.Since(t0))
		}
		fmt.Fprintf(out, "%s: due in 30 days of %s (%s, %s): %d dues (%d overdue), %d reads: p50 %.2f ms, p95 %.2f ms; plain SELECT of the same %d rows p50 %.2f ms, p95 %.2f ms (p95 %.1f×) [load %s]\n",
			name, u.Username, u.Role, u.PlaceName, len(l), overdue, cs.reads, visitPct(lat, .5), visitPct(lat, .95), rows, visitPct(base, .5),
			visitPct(base, .95), visitPct(lat, .95)/max(visitPct(base, .95), 1e-6), la)
	}
	fmt.Fprintf(out, "%s: peak memory (VmHWM) %s, load average now %s\n", name, peakRSS(), loadAverage())
	return nil
}
