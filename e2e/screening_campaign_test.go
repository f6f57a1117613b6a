package e2e

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"safetynet"
	"safetynet/access"
	"safetynet/campaigns"
	"safetynet/idcard"
	"safetynet/sqlstore"
)

// TestScreeningCampaignOnAPhone: on a 360-px phone the grid worker of
// 西塘街一组网格 opens the demo's concentrated screening of 高塘岭街道, takes a household
// from the to-do list and records it with the village's staff member as
// partner while there is no signal; the record waits on the phone and
// arrives once when the signal returns, and the progress counts it. A
// household screened meanwhile by someone else is refused with the
// server's reason on the phone. The village hands the suggested
// household to the inclusion flow with one tap. A grid worker of another
// county gets 404 for the household.
func TestScreeningCampaignOnAPhone(t *testing.T) {
	srv := StartServer(t)
	bg := context.Background()
	house := func(name string) int64 {
		id, err := srv.Store.CreateHousehold(bg, actor(t, srv, "wc-village"), safetynet.HouseholdInput{PlaceCode: "430112001001-01-01", Address: "西塘街0" + name},
			safetynet.PersonInput{Name: name, IDNumber: idcard.Generate(nil, "430112", time.Date(1962, 5, 1, 0, 0, 0, 0, time.UTC), idcard.Female)})
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	hh, other := house("卢秀珍"), house("苗凤兰")
	cs, err := srv.Store.ScreeningCampaigns(bg, actor(t, srv, "wc-grid"))
	if err != nil || len(cs) != 1 {
		t.Fatalf("screenings %+v %v", cs, err)
	}
	c := cs[0]
	screened := func(ctx context.Context) int {
		t.Helper()
		n, err := strconv.Atoi(Text(t, ctx, chromedp.ID("total-screened")))
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	village := mustUserID(t, srv, "wc-village")

	ctx := Phone(t)
	Do(t, ctx,
		Login(srv.URL, "wc-grid"),
		chromedp.Click(chromedp.ID("nav-screenings")),
		chromedp.Click(chromedp.CSS(fmt.Sprintf(`a[href="/campaigns/%d/screening"]`, c.ID))),
		chromedp.WaitVisible(chromedp.ID("screening-total")),
		chromedp.WaitVisible(chromedp.ID(fmt.Sprintf("household-%d", hh))),
	)
	before := screened(ctx)
	wide(t, ctx, "progress")
	Do(t, ctx,
		chromedp.Click(chromedp.ID(fmt.Sprintf("screen-%d", hh))),
		chromedp.WaitVisible(chromedp.ID("screening-form")),
		chromedp.WaitVisible(chromedp.ID("screening-js")),
		chromedp.SetValue(chromedp.ID("partner"), strconv.FormatInt(village, 10)),
		chromedp.SendKeys(chromedp.ID("income-wages"), "2000"),
		chromedp.SendKeys(chromedp.ID("income-transfers"), "1200"),
		chromedp.SendKeys(chromedp.ID("expense-medical"), "400"),
		chromedp.Poll[chromedp.Void](`document.getElementById("per-capita").textContent === "2800.00" && !document.getElementById("below-line").hidden`,
			chromedp.WithPollingInterval(100*time.Millisecond)),
	)
	wide(t, ctx, "form")

	// No signal: the record waits on the phone.
	srv.Cut.Store(true)
	Do(t, ctx,
		setOnline(false),
		chromedp.Click(chromedp.ID("screening-submit")),
		chromedp.WaitVisible(chromedp.ID("screening-queued")),
	)
	queued, err := chromedp.Run(ctx, chromedp.Evaluate[string](`localStorage.getItem("safetynet-screening")`))
	if err != nil || !strings.Contains(queued, fmt.Sprintf(`"household_id":%d`, hh)) || !strings.Contains(queued, `"wages":"2000"`) {
		t.Fatalf("queue = %.300s %v", queued, err)
	}
	if f, err := srv.Store.ScreeningFormView(bg, actor(t, srv, "wc-grid"), c.ID, hh); err != nil || f.Record != nil {
		t.Fatalf("recorded with no connection: %+v %v", f.Record, err)
	}
	// The signal returns: sent once, the page goes back to the list, which counts it.
	srv.Cut.Store(false)
	Do(t, ctx,
		setOnline(true),
		chromedp.WaitVisible(chromedp.ID("screening-total")),
		chromedp.Poll[chromedp.Void](`localStorage.getItem("safetynet-screening") === "[]"`, chromedp.WithPollingInterval(100*time.Millisecond)),
	)
	if got := screened(ctx); got != before+1 {
		t.Errorf("screened %d, want %d", got, before+1)
	}
	// The phone, which never heard the answer, sends it again: still one record.
	Do(t, ctx,
		chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`localStorage.setItem("safetynet-screening", %q); window.dispatchEvent(new Event("online")); undefined`, queued)),
		chromedp.Poll[chromedp.Void](`localStorage.getItem("safetynet-screening") === "[]"`, chromedp.WithPollingInterval(100*time.Millisecond)),
	)
	f, err := srv.Store.ScreeningFormView(bg, actor(t, srv, "wc-grid"), c.ID, hh)
	if err != nil || f.Record == nil || f.Record.Version != 1 || !f.Record.Suggests || f.Record.PerCapitaFen != 280000 || f.Record.Screener2Name != "西塘街社区民政专干 邓婷" {
		t.Fatalf("record = %+v %v", f.Record, err)
	}

	// A household screened meanwhile by the village: the phone shows why it was refused.
	Do(t, ctx,
		chromedp.Navigate(fmt.Sprintf("%s/campaigns/%d/screening/households/%d", srv.URL, c.ID, other)),
		chromedp.WaitVisible(chromedp.ID("screening-js")),
		chromedp.SetValue(chromedp.ID("partner"), strconv.FormatInt(village, 10)),
		chromedp.SendKeys(chromedp.ID("income-wages"), "30000"),
	)
	today := srv.Store.Now().In(time.FixedZone("CST", 8*3600))
	if _, _, err := srv.Store.RecordScreening(bg, actor(t, srv, "wc-village"), c.ID, campaigns.Screening{ClientID: "meanwhile", HouseholdID: other,
		Partner: mustUserID(t, srv, "wc-grid"), ScreenedOn: time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC), Members: 1,
		Income: map[string]int64{"wages": 3000000}}); err != nil {
		t.Fatal(err)
	}
	Do(t, ctx,
		chromedp.Click(chromedp.ID("screening-submit")),
		chromedp.WaitVisible(chromedp.CSS("#screening-failed li")),
		chromedp.WaitVisible(chromedp.ID("screening-form")),
	)
	if got := Text(t, ctx, chromedp.CSS("#screening-failed li")); !strings.Contains(got, "苗凤兰") || !strings.Contains(got, "该户已有排查记录") {
		t.Errorf("refused record reads %q", got)
	}
	Do(t, ctx, Logout())

	// The village hands the suggested household over with one tap.
	Do(t, ctx,
		Login(srv.URL, "wc-village"),
		chromedp.Navigate(fmt.Sprintf("%s/campaigns/%d/screening?list=suggested&place=430112001001-01-01", srv.URL, c.ID)),
		chromedp.WaitVisible(chromedp.ID(fmt.Sprintf("handover-%d", hh))),
	)
	wide(t, ctx, "suggested")
	Do(t, ctx,
		chromedp.Click(chromedp.CSS(fmt.Sprintf("#handover-%d button[type=submit]", hh))),
		chromedp.WaitVisible(chromedp.ID(fmt.Sprintf("handed-%d", hh))),
	)
	if got := Text(t, ctx, chromedp.CSS(".flash")); got != "已转入纳入监测流程" {
		t.Errorf("flash %q", got)
	}
	ps, err := srv.Store.MonitoringProcesses(bg, actor(t, srv, "wc-village"), sqlstore.MonitoringFilter{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	found := 0
	for _, p := range ps {
		if p.HouseholdID == hh && p.Origin == "screening" && p.Status == "open" {
			found++
		}
	}
	if found != 1 {
		t.Errorf("%d processes for the household", found)
	}
	Do(t, ctx, Logout())

	// Scope: a grid worker of 富源县 does not find the household of 西塘街.
	Do(t, ctx,
		Login(srv.URL, "grid"),
		chromedp.Navigate(fmt.Sprintf("%s/campaigns/%d/screening/households/%d", srv.URL, c.ID, hh)),
		chromedp.WaitVisible(chromedp.ID("error-page")),
	)
	if got := Text(t, ctx, chromedp.CSS("#error-page h1")); got != "404" {
		t.Errorf("another grid's household: %q", got)
	}
	_ = access.ScreeningDo
}

func mustUserID(t *testing.T, srv *Server, name string) int64 {
	t.Helper()
	u, err := srv.Store.UserByUsername(context.Background(), access.System(), name)
	if err != nil {
		t.Fatal(err)
	}
	return u.ID
}

// wide fails when the page is wider than the phone.
func wide(t *testing.T, ctx context.Context, what string) {
	t.Helper()
	if w, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); err != nil || w > 360 {
		t.Errorf("the %s page is %d px wide (%v)", what, w, err)
	}
}
