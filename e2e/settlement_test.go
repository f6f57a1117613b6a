package e2e

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"

	"safetynet/settlement"
	"safetynet/sqlstore"
	"safetynet/sqlstore/storetest"
)

// TestSettlementOnPhone: on a 360-px phone, 西塘街社区 draws a 40% sample of
// October's five services recorded by 阳光社工, sees the record's time,
// place, worker and household head, accepts one and rejects the other
// (first without a reason, refused; then with one); the rest are accepted.
// The town officer opens the month's settlement, approves the total shown
// and downloads the sheet: it parses as an Excel workbook with the same
// total, and the month is closed.
func TestSettlementOnPhone(t *testing.T) {
	clock := storetest.NewClock(time.Date(2026, 11, 5, 10, 0, 0, 0, settlement.Zone))
	srv := StartServer(t, clock)
	bg := context.Background()
	h1 := seedHousehold(t, srv, "柏玉兰", time.Date(1950, 3, 8, 0, 0, 0, 0, time.UTC))
	h2 := seedHousehold(t, srv, "蒋德明", time.Date(1947, 9, 1, 0, 0, 0, 0, time.UTC))
	org, err := srv.Store.SeedServiceOrg(bg, sqlstore.ServiceOrgSeed{Name: "阳光社工", Place: "430112001", Title: "2026年居家服务",
		StartsOn: "2026-01-01", EndsOn: "2026-12-31", BudgetFen: 5_000_000, Prices: map[string]int64{"cleaning": 3000, "haircut": 1500},
		Workers: []string{"郭宗新"}})
	if err != nil {
		t.Fatal(err)
	}
	var recs []sqlstore.ServiceRecordSeed
	for i, day := range []int{5, 8, 12, 15, 20} {
		start := time.Date(2026, 10, day, 9, 0, 0, 0, settlement.Zone)
		typ := "cleaning"
		if i == 4 {
			typ = "haircut"
		}
		recs = append(recs, sqlstore.ServiceRecordSeed{Contract: org.Contract, Worker: org.Workers[0], Household: []int64{h1, h2}[i%2],
			Type: typ, Start: start, End: start.Add(time.Hour), Photo: []byte(fmt.Sprintf("\xff\xd8\xff\xe0 photo %d", i))})
	}
	if _, err := srv.Store.SeedServiceRecords(bg, recs); err != nil {
		t.Fatal(err)
	}
	village := actor(t, srv, "wc-village")

	ctx := Phone(t)
	Do(t, ctx,
		Login(srv.URL, "wc-village"),
		chromedp.Click(chromedp.ID("nav-verification")),
		chromedp.WaitVisible(chromedp.ID("verify-list")),
		chromedp.SetValue(chromedp.ID("sample-percent"), "40"),
		chromedp.Click(chromedp.ID("sample-draw")),
		chromedp.WaitVisible(chromedp.ID("verify-sample")),
	)
	if got := Text(t, ctx, chromedp.ID("verify-sample")); !strings.Contains(got, "2 / 5") || !strings.Contains(got, "随机种子") {
		t.Fatalf("the sample reads %q", got)
	}
	samples, err := srv.Store.ServiceSamples(bg, village, "2026-10")
	if err != nil || len(samples) != 1 {
		t.Fatalf("samples = %+v, %v", samples, err)
	}
	drawn, err := srv.Store.ServicesToVerify(bg, village, sqlstore.VerifyFilter{Sample: samples[0].ID})
	if err != nil || len(drawn) != 2 {
		t.Fatalf("drawn = %+v, %v", drawn, err)
	}
	// The first: its facts shown, accepted.
	Do(t, ctx,
		chromedp.Click(chromedp.ID(fmt.Sprintf("svc-%d", drawn[0].ID))),
		chromedp.WaitVisible(chromedp.ID("review-form")),
	)
	page := Text(t, ctx, chromedp.ID("service-record"))
	for _, want := range []string{"郭宗新", "阳光社工", drawn[0].HeadName, "2026-10-", "西塘街", "照片"} {
		if !strings.Contains(page, want) {
			t.Errorf("the record's page lacks %q: %s", want, page)
		}
	}
	Do(t, ctx,
		chromedp.Click(chromedp.ID("review-accept")),
		chromedp.WaitVisible(chromedp.ID("verify-sample")),
	)
	// The second: a rejection without a reason is refused, then given one.
	Do(t, ctx,
		chromedp.Click(chromedp.ID(fmt.Sprintf("svc-%d", drawn[1].ID))),
		chromedp.WaitVisible(chromedp.ID("review-form")),
		chromedp.Click(chromedp.ID("review-reject")),
		chromedp.WaitVisible(chromedp.CSS("#review-form .error")),
	)
	if got := Text(t, ctx, chromedp.CSS("#review-form .error")); !strings.Contains(got, "原因") {
		t.Errorf("the refusal reads %q", got)
	}
	Do(t, ctx,
		chromedp.SendKeys(chromedp.ID("review-reason"), "户主说当天没有人上门"),
		chromedp.Click(chromedp.ID("review-reject")),
		chromedp.WaitVisible(chromedp.ID("verify-sample")),
	)
	if got := Text(t, ctx, chromedp.ID("verify-sample")); !strings.Contains(got, "仍待核验 0") {
		t.Errorf("after both reviews the sample reads %q", got)
	}
	rest, err := srv.Store.ServicesToVerify(bg, village, sqlstore.VerifyFilter{Month: "2026-10", Status: "pending"})
	if err != nil || len(rest) != 3 {
		t.Fatalf("pending = %d, %v", len(rest), err)
	}
	for _, r := range rest {
		if err := srv.Store.ReviewService(bg, village, r.ID, sqlstore.ServiceReview{Decision: settlement.Accept, Version: r.Version}); err != nil {
			t.Fatal(err)
		}
	}

	// The town approves the month and downloads the sheet.
	town := actor(t, srv, "wc-town")
	st, err := srv.Store.Settlement(bg, town, org.Org, "2026-10", 0)
	if err != nil || st.Accepted != 4 || st.Rejected != 1 {
		t.Fatalf("draft = %+v, %v", st, err)
	}
	Do(t, ctx,
		Logout(),
		Login(srv.URL, "wc-town"),
		chromedp.Click(chromedp.ID("nav-settlements")),
		chromedp.WaitVisible(chromedp.ID(fmt.Sprintf("org-%d", org.Org))),
		chromedp.Click(chromedp.ID(fmt.Sprintf("org-%d", org.Org))),
		chromedp.WaitVisible(chromedp.ID("approve-form")),
	)
	if got := Text(t, ctx, chromedp.ID("settlement-total")); got != settlement.Yuan(st.TotalFen) {
		t.Errorf("the total shown is %q, want %s", got, settlement.Yuan(st.TotalFen))
	}
	if got := Text(t, ctx, chromedp.ID("settlement-rejected")); !strings.Contains(got, "户主说当天没有人上门") {
		t.Errorf("the rejected list reads %q", got)
	}
	Do(t, ctx,
		chromedp.Click(chromedp.ID("approve-submit")),
		chromedp.WaitVisible(chromedp.ID("settlement-xlsx")),
		chromedp.WaitNotPresent(chromedp.ID("approve-form")),
	)
	if got := Text(t, ctx, chromedp.ID("settlement-state")); !strings.Contains(got, "已关账") || !strings.Contains(got, "罗建") {
		t.Errorf("after approval the state reads %q", got)
	}
	b64, err := chromedp.Run(ctx, chromedp.Evaluate[string](`fetch(document.getElementById("settlement-xlsx").href).then(r => r.arrayBuffer()).then(b => {
		let s = ""; const u = new Uint8Array(b); for (let i = 0; i < u.length; i++) s += String.fromCharCode(u[i]); return btoa(s); })`,
		chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	raw, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		t.Fatal(err)
	}
	wb, err := excelize.OpenReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("the sheet is not an xlsx workbook: %v", err)
	}
	defer wb.Close()
	rows, err := wb.GetRows("汇总", excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	var total string
	for _, r := range rows {
		if len(r) > 1 && r[0] == "结算总额（元）" {
			total = r[1]
		}
	}
	yuan, err := strconv.ParseFloat(total, 64)
	if err != nil || int64(yuan*100+0.5) != st.TotalFen {
		t.Errorf("the sheet's total is %q, want %d fen (rows %v)", total, st.TotalFen, rows)
	}
	if names, _ := wb.GetRows("未通过"); len(names) != 2 || !strings.Contains(strings.Join(names[1], " "), "户主说当天没有人上门") {
		t.Errorf("the sheet's rejected rows: %v", names)
	}
	// Closed: the village can no longer review October.
	r, _ := srv.Store.ServiceRecord(bg, village, drawn[0].ID)
	if err := srv.Store.ReviewService(bg, village, r.ID, sqlstore.ServiceReview{Decision: settlement.Reject, Reason: "复查", Version: r.Version}); err == nil {
		t.Error("a review in the closed month was accepted")
	}
}

// seedSettlement gives the crawl of every page services to verify and a
// settlement to open: 阳光社工 registered by 胜境街道 and by 高塘岭街道, each
// with two services this month at households of 腰站社区 and 西塘街社区, one
// of them flagged (the same photo twice).
func seedSettlement(t *testing.T, srv *Server, clock *storetest.Clock) {
	t.Helper()
	bg := context.Background()
	for _, p := range []struct{ town, village string }{{"530325002", "530325002009"}, {"430112001", "430112001001"}} {
		hs, err := srv.Store.BenchHouseholds(bg, p.village, 2)
		if err != nil || len(hs) < 2 {
			t.Fatalf("households of %s: %v %v", p.village, hs, err)
		}
		org, err := srv.Store.SeedServiceOrg(bg, sqlstore.ServiceOrgSeed{Name: "阳光社工", Place: p.town, Title: "居家服务", StartsOn: "2026-01-01",
			EndsOn: "2026-12-31", BudgetFen: 1_000_000, Prices: map[string]int64{"cleaning": 3000}, Workers: []string{"郭宗新"}})
		if err != nil {
			t.Fatal(err)
		}
		var recs []sqlstore.ServiceRecordSeed
		for i, h := range hs {
			start := clock.Now().Add(-time.Duration(24*(i+1)) * time.Hour)
			recs = append(recs, sqlstore.ServiceRecordSeed{Contract: org.Contract, Worker: org.Workers[0], Household: h, Type: "cleaning",
				Start: start, End: start.Add(time.Hour), Photo: []byte("\xff\xd8\xff\xe0 the same photo")})
		}
		if _, err := srv.Store.SeedServiceRecords(bg, recs); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := srv.Store.CheckServiceRecords(bg, 100); err != nil {
		t.Fatal(err)
	}
}
