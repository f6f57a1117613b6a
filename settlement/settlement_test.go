package settlement

import (
	"slices"
	"testing"
	"time"

	"safetynet"
)

func TestSampleIsReproducible(t *testing.T) {
	ids := []int64{9, 3, 7, 1, 5, 11, 13, 2, 4, 6}
	a := Sample(ids, 20, 42)
	b := Sample(slices.Clone([]int64{1, 2, 3, 4, 5, 6, 7, 9, 11, 13}), 20, 42)
	if len(a) != 2 || !slices.Equal(a, b) {
		t.Fatalf("same pool and seed in another order: %v and %v", a, b)
	}
	if c := Sample(ids, 20, 43); slices.Equal(a, c) && slices.Equal(Sample(ids, 20, 44), a) {
		t.Errorf("three seeds drew the same sample %v", a)
	}
	if got := Sample(ids, 100, 1); len(got) != 10 {
		t.Errorf("100%% drew %d", len(got))
	}
	if got := Sample(ids[:1], 1, 1); len(got) != 1 {
		t.Errorf("1%% of one record drew %d, want at least one", len(got))
	}
	if Sample(nil, 20, 1) != nil {
		t.Error("a sample of nothing")
	}
}

func TestCheckReview(t *testing.T) {
	for _, c := range []struct {
		decision, reason string
		code             safetynet.ErrorCode
	}{
		{Accept, "", ""}, {Reject, "户主不在家", ""}, {Reject, "  ", safetynet.EInvalid}, {"maybe", "x", safetynet.EInvalid},
		{Reject, string(make([]rune, 501)), safetynet.EInvalid},
	} {
		_, err := CheckReview(c.decision, c.reason)
		if (c.code == "") != (err == nil) || (err != nil && safetynet.CodeOf(err) != c.code) {
			t.Errorf("CheckReview(%q, %q) = %v", c.decision, c.reason, err)
		}
	}
}

func TestTravel(t *testing.T) {
	// 0.045 degrees of latitude is about 5 km.
	d := DistanceMetres(25_600_000, 103_800_000, 25_645_000, 103_800_000)
	if d < 4900 || d > 5100 {
		t.Fatalf("distance = %.0f m", d)
	}
	for _, c := range []struct {
		metres  float64
		gapSecs int64
		bad     bool
	}{
		{d, 5 * 60, true},       // 60 km/h
		{d, 10 * 60, false},     // 30 km/h
		{d, 0, true},            // back to back
		{800, 60, false},        // next door
		{20_000, 20 * 60, true}, // 60 km/h
	} {
		bad, why := Travel(c.metres, 1000, 1000+c.gapSecs)
		if bad != c.bad || (bad && why.ZH == "") {
			t.Errorf("Travel(%.0f m, %d s) = %v %q", c.metres, c.gapSecs, bad, why.ZH)
		}
	}
}

func TestPlanPeriod(t *testing.T) {
	day := func(s string) time.Time { d, _ := time.ParseInLocation("2006-01-02", s, Zone); return d }
	start := day("2026-06-01") // a Monday
	for _, c := range []struct {
		freq, on, from, to string
	}{
		{"weekly", "2026-06-18", "2026-06-15", "2026-06-22"},
		{"biweekly", "2026-06-18", "2026-06-15", "2026-06-29"},
		{"twice_monthly", "2026-06-18", "2026-06-16", "2026-07-01"},
		{"twice_monthly", "2026-02-15", "2026-02-01", "2026-02-16"},
		{"monthly", "2026-06-30", "2026-06-01", "2026-07-01"},
		{"daily", "2026-06-30", "2026-06-30", "2026-07-01"},
	} {
		from, to, n := PlanPeriod(c.freq, start, day(c.on))
		if from.Format("2006-01-02") != c.from || to.Format("2006-01-02") != c.to || n != 1 {
			t.Errorf("%s on %s: %s–%s (%d)", c.freq, c.on, from.Format("2006-01-02"), to.Format("2006-01-02"), n)
		}
	}
}

func TestCheckApproveAndAdjustment(t *testing.T) {
	now := time.Date(2026, 7, 2, 9, 0, 0, 0, Zone)
	if err := CheckApprove("2026-07", now, 0, 0, nil); safetynet.CodeOf(err) != safetynet.EInvalid {
		t.Errorf("approving the running month: %v", err)
	}
	if err := CheckApprove("2026-06", now, 1, 0, nil); safetynet.CodeOf(err) != safetynet.EConflict {
		t.Errorf("approving with a pending record: %v", err)
	}
	if err := CheckApprove("2026-06", now, 0, 0, []string{"合同"}); safetynet.CodeOf(err) != safetynet.EConflict {
		t.Errorf("approving over budget: %v", err)
	}
	if err := CheckApprove("2026-06", now, 0, 0, nil); err != nil {
		t.Errorf("approving: %v", err)
	}
	for _, c := range []struct {
		fen          int64
		reason, a, m string
		ok           bool
	}{
		{-3000, "重复", "2026-06", "2026-07", true}, {0, "x", "2026-06", "2026-07", false}, {MaxAdjustmentFen + 1, "x", "2026-06", "2026-07", false},
		{100, "", "2026-06", "2026-07", false}, {100, "x", "2026-07", "2026-07", false},
	} {
		if _, err := CheckAdjustment(c.fen, c.reason, c.a, c.m); (err == nil) != c.ok {
			t.Errorf("CheckAdjustment(%d, %q, %s, %s) = %v", c.fen, c.reason, c.a, c.m, err)
		}
	}
	if Yuan(-3050) != "-30.50" || Yuan(5) != "0.05" || Rate(1, 3) != 33.3 || Rate(1, 0) != 0 {
		t.Error("Yuan or Rate")
	}
}
