package main

import (
	"context"
	"os"
	"strconv"
	"strings"
	"testing"

	"safetynet/demo"
	"safetynet/sqlstore"
	"safetynet/sqlstore/storetest"
)

// TestBenchWarnings runs the warnings benchmark on a small register, on
// both databases: every queued event is drained and the drain raises
// exactly the warnings the plain Go loop decides.
func TestBenchWarnings(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		if _, err := demo.Load(ctx, s, demo.Options{Households: 80, Seed: 3}); err != nil {
			t.Fatal(err)
		}
		// Claims smaller than the events: a person's stays are spread
		// over several drains.
		defer func(n int) { benchDrainLimit = n }(benchDrainLimit)
		benchDrainLimit = 70
		before, err := s.CountWarnings(ctx) // the demo's
		if err != nil {
			t.Fatal(err)
		}
		f, err := benchWarnings(ctx, s, 300)
		if err != nil {
			t.Fatal(err)
		}
		if f.Events != 300 || f.Warnings == 0 || f.Warnings != f.PlainRaised {
			t.Fatalf("figures = %+v", f)
		}
		// The baseline copied at least each warning and its clue, and
		// removed its copies.
		if f.InsertRows < 2*f.Warnings {
			t.Fatalf("plain insert of %d rows for %d warnings", f.InsertRows, f.Warnings)
		}
		if n, err := s.CountWarnings(ctx); err != nil || n != before+f.Warnings {
			t.Fatalf("%d warnings after the baseline, want %d (%v)", n, before+f.Warnings, err)
		}
		var out strings.Builder
		f.Write(&out, s.Dialect())
		if !strings.Contains(out.String(), "drain / plain") {
			t.Errorf("output: %s", out.String())
		}
	})
}

// TestBenchWarningsFigures prints the figures of a large run when
// SAFETYNET_BENCH_WARNINGS=HOUSEHOLDS,EVENTS[,CLAIM] is set (it asserts nothing on
// time; the figures go to the note).
func TestBenchWarningsFigures(t *testing.T) {
	spec := os.Getenv("SAFETYNET_BENCH_WARNINGS")
	if spec == "" {
		t.Skip("set SAFETYNET_BENCH_WARNINGS=HOUSEHOLDS,EVENTS for a large run")
	}
	parts := strings.Split(spec, ",")
	households, _ := strconv.Atoi(parts[0])
	events, _ := strconv.Atoi(parts[1])
	if len(parts) > 2 { // the events one drain claims
		defer func(n int) { benchDrainLimit = n }(benchDrainLimit)
		benchDrainLimit, _ = strconv.Atoi(parts[2])
	}
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		if _, err := demo.Load(ctx, s, demo.Options{Households: households, Seed: 3}); err != nil {
			t.Fatal(err)
		}
		f, err := benchWarnings(ctx, s, events)
		if err != nil {
			t.Fatal(err)
		}
		var out strings.Builder
		f.Write(&out, s.Dialect())
		t.Log(out.String())
		if f.Warnings != f.PlainRaised {
			t.Errorf("drain raised %d warnings, the plain loop %d", f.Warnings, f.PlainRaised)
		}
	})
}
