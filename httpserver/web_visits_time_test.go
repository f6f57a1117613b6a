package httpserver_test

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"safetynet/sqlstore/storetest"
	"safetynet/visits"
)

// TestTodayLocalTime: the server runs in UTC; at 16:30 UTC on 31 January
// it is already 1 February in Shanghai, so the day page (今日) is the 1st,
// and a must-visit due at 23:30 local on the 31st is shown as due on the
// 31st at 23:30 and overdue — not at 15:30, the server's clock.
func TestTodayLocalTime(t *testing.T) {
	clock := storetest.NewClock(time.Now())
	e := newEnvWith(t, storetest.SQLite(t, clock))
	sh := visits.Zone("")
	hours := visits.HoursFor(nil, visits.TriggerHospital)
	clock.Set(time.Date(2026, 1, 31, 23, 30, 0, 0, sh).Add(-time.Duration(hours) * time.Hour))
	if err := e.store.QueueMustVisit(ctx, e.actor("village"), e.in.household, visits.TriggerHospital); err != nil {
		t.Fatal(err)
	}
	clock.Set(time.Date(2026, 1, 31, 16, 30, 0, 0, time.UTC))
	b := e.browser()
	b.login("grid")
	r := b.get("/today")
	if r.status != 200 {
		t.Fatalf("/today: %d %.300s", r.status, r.body)
	}
	if !strings.Contains(r.body, `<span class="muted small">2026-02-01</span>`) {
		t.Errorf("the day page is not 1 February: %.600s", r.body)
	}
	item := regexp.MustCompile(`(?s)<li class="visit-item late" id="due-\d+".*?</li>`).FindString(r.body)
	if !strings.Contains(item, "赵金花") || !strings.Contains(item, "2026-01-31 23:30") {
		t.Errorf("the must-visit reads %q, want 赵金花 due 2026-01-31 23:30 and overdue", item)
	}
	if strings.Contains(r.body, "2026-01-31 15:30") {
		t.Error("a time is shown in the server's zone")
	}
}
