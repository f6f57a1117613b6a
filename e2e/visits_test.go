package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"safetynet"
	"safetynet/visits"
)

// TestVisitsDayOffline: on a 360-px phone the grid worker's day lists a
// key family's daily call and the must-visit a hospitalisation warning
// queued; with no signal "一切正常" is recorded in one tap, survives a
// reload, and arrives once when the signal returns — once only, even if
// the phone sends it again.
func TestVisitsDayOffline(t *testing.T) {
	srv := StartServer(t)
	bg := context.Background()
	key := seedHousehold(t, srv, "柏玉兰", time.Date(1950, 3, 8, 0, 0, 0, 0, time.UTC))
	sick := seedHousehold(t, srv, "蒋德明", time.Date(1947, 9, 1, 0, 0, 0, 0, time.UTC))
	village := actor(t, srv, "wc-village")
	if err := srv.Store.MarkKeyFamily(bg, village, key, true, "六帮六助"); err != nil {
		t.Fatal(err)
	}
	if _, err := srv.Store.GenerateVisits(bg); err != nil {
		t.Fatal(err)
	}
	if _, _, err := srv.Store.ReportClue(bg, village, safetynet.NewClue{ClientID: "e2e-warning", Source: "department", HouseholdID: sick,
		Kinds: []string{"illness"}, Urgency: "normal", Note: "医保：住院"}); err != nil {
		t.Fatal(err)
	}
	grid := actor(t, srv, "wc-grid")
	day, err := srv.Store.VisitDay(bg, grid)
	if err != nil {
		t.Fatal(err)
	}
	var call, must int64
	for _, it := range day.Sections[0].Items {
		if it.HouseholdID == key && it.What == visits.NeedAny {
			call = it.ID
		}
		if it.HouseholdID == sick && it.What == "must_hospital" {
			must = it.ID
		}
	}
	if call == 0 || must == 0 {
		t.Fatalf("day = %+v", day.Sections[0].Items)
	}
	ctx := Phone(t)
	Do(t, ctx,
		Login(srv.URL, "wc-grid"),
		chromedp.Click(chromedp.ID("nav-today")),
		chromedp.WaitVisible(chromedp.ID(fmt.Sprintf("due-%d", call))),
		chromedp.WaitVisible(chromedp.ID(fmt.Sprintf("due-%d", must))),
	)
	Do(t, ctx,
		chromedp.Poll[chromedp.Void](`navigator.serviceWorker.controller !== null && (window.__kept || (caches.match("/today").then(function (r) { window.__kept = !!r; }), false))`,
			chromedp.WithPollingInterval(100*time.Millisecond)),
	)
	if got := Text(t, ctx, chromedp.ID(fmt.Sprintf("due-%d", call))); !strings.Contains(got, "柏玉兰") || !strings.Contains(got, "走访或电话") {
		t.Errorf("the daily call reads %q", got)
	}
	if got := Text(t, ctx, chromedp.ID(fmt.Sprintf("due-%d", must))); !strings.Contains(got, "蒋德明") || !strings.Contains(got, "必访：住院") {
		t.Errorf("the must-visit reads %q", got)
	}

	// No signal: one tap records the call on the phone.
	srv.Cut.Store(true)
	Do(t, ctx,
		setOnline(false),
		chromedp.WaitVisible(chromedp.ID("visits-offline")),
		chromedp.Click(chromedp.ID(fmt.Sprintf("fine-%d", call))),
		chromedp.WaitNotVisible(chromedp.ID(fmt.Sprintf("due-%d", call))),
		chromedp.WaitVisible(chromedp.ID("visits-pending")),
	)
	queued, err := chromedp.Run(ctx, chromedp.Evaluate[string](`localStorage.getItem("safetynet-visits")`))
	if err != nil || !strings.Contains(queued, fmt.Sprintf(`"due_id":%d`, call)) {
		t.Fatalf("queue = %s %v", queued, err)
	}
	// A reload with no connection: the kept copy, the call still done.
	Do(t, ctx,
		chromedp.Reload(),
		chromedp.WaitVisible(chromedp.ID(fmt.Sprintf("due-%d", must))),
		chromedp.WaitNotVisible(chromedp.ID(fmt.Sprintf("due-%d", call))),
	)
	if vs, err := srv.Store.HouseholdVisits(bg, grid, key, 10); err != nil || len(vs) != 0 {
		t.Fatalf("visits with no connection = %+v %v", vs, err)
	}

	// The signal returns: the visit goes by itself, once.
	srv.Cut.Store(false)
	Do(t, ctx,
		setOnline(true),
		chromedp.Poll[chromedp.Void](`localStorage.getItem("safetynet-visits") === "[]"`, chromedp.WithPollingInterval(100*time.Millisecond)),
		chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`localStorage.setItem("safetynet-visits", %q); window.dispatchEvent(new Event("online")); undefined`, queued)),
		chromedp.Poll[chromedp.Void](`localStorage.getItem("safetynet-visits") === "[]"`, chromedp.WithPollingInterval(100*time.Millisecond)),
	)
	vs, err := srv.Store.HouseholdVisits(bg, grid, key, 10)
	if err != nil || len(vs) != 1 || vs[0].Result != visits.ResultFine || vs[0].Kind != visits.KindCall || vs[0].Closed != 1 {
		t.Fatalf("visits after the signal returned = %+v %v", vs, err)
	}
	day, err = srv.Store.VisitDay(bg, grid)
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range day.Sections[0].Items {
		if it.ID == call {
			t.Error("the call is still due on the server")
		}
	}
}
