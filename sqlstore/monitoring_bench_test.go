package sqlstore_test

import (
	"os"
	"strconv"
	"testing"

	"safetynet/access"
	"safetynet/demo"
	"safetynet/sqlstore"
	"safetynet/sqlstore/storetest"
)

// BenchmarkMonitoredHouseholds: the county's 可消除风险 list (every
// monitored household judged with its income reviews, open work and the
// county's line) over a synthetic register of SAFETYNET_BENCH_HOUSEHOLDS
// households (default 20,000) on SQLite.
func BenchmarkMonitoredHouseholds(b *testing.B) {
	n := 20000
	if v, err := strconv.Atoi(os.Getenv("SAFETYNET_BENCH_HOUSEHOLDS")); err == nil && v > 0 {
		n = v
	}
	s := storetest.SQLite(b, nil)
	if _, err := demo.Load(ctx, s, demo.Options{Households: n, Seed: 3}); err != nil {
		b.Fatal(err)
	}
	county := access.Actor{Username: "county", Role: "county_officer", Place: demo.Fuyuan}
	all, err := s.MonitoredHouseholds(ctx, county, "", sqlstore.MonitoredAll)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		if _, err := s.MonitoredHouseholds(ctx, county, "", sqlstore.MonitoredReady); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(all)), "monitored")
}
