package e2e

import (
	"bytes"
	"context"
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"

	"safetynet/demo"
	"safetynet/sqlstore/storetest"
)

// TestDashboardOnAPhone: the county officer opens the dashboard from the
// menu on a 360-px phone, sees the charts (inline SVG, nothing wider than
// the screen), drills down to a town and then a village, opens the list
// behind a figure, downloads the .xlsx and prints the page with the
// charts' numbers as tables; a town officer asking for the county's
// dashboard gets 404 and sees only its own town's.
func TestDashboardOnAPhone(t *testing.T) {
	clock := storetest.NewClock(time.Date(2026, 7, 28, 8, 0, 0, 0, time.Local))
	srv := StartServer(t, clock)
	seedWork(t, srv, clock)
	ctx := Phone(t)
	Do(t, ctx, Login(srv.URL, "county"),
		chromedp.Click(chromedp.ID("nav-dashboard")),
		chromedp.WaitVisible(chromedp.ID("dash-figures")))
	if got := Text(t, ctx, chromedp.ID("dashboard")); !strings.Contains(got, "富源县") || !strings.Contains(got, "主动发现救助户数") {
		t.Fatalf("the county dashboard reads %q", got)
	}
	charts := evalInt(t, ctx, `document.querySelectorAll("svg.chart").length`)
	wide := evalInt(t, ctx, `document.documentElement.scrollWidth - Math.min(window.innerWidth, document.documentElement.clientWidth)`)
	if charts < 3 || wide > 0 {
		t.Fatalf("%d charts, %d px too wide", charts, wide)
	}
	tables := evalInt(t, ctx, `Array.from(document.querySelectorAll("svg.chart")).filter(s => s.closest("section").querySelector("table.chart-table")).length`)
	if tables != charts {
		t.Errorf("%d of %d charts have their table", tables, charts)
	}
	// Down to the town, then the village.
	Do(t, ctx, chromedp.Click(chromedp.CSS(`#dash-places-table a[href$="place=530325002"]`)),
		chromedp.WaitVisible(chromedp.ID("dash-up")))
	if got := Text(t, ctx, chromedp.CSS("#dashboard h1")); !strings.Contains(got, "胜境街道") {
		t.Fatalf("after the town's link the heading reads %q", got)
	}
	Do(t, ctx, chromedp.Click(chromedp.CSS(`#dash-places-table a[href$="place=`+demo.Yaozhan+`"]`)),
		chromedp.WaitVisible(chromedp.ID("dash-figures")))
	if got := Text(t, ctx, chromedp.CSS("#dashboard h1")); !strings.Contains(got, "腰站社区") {
		t.Fatalf("after the village's link the heading reads %q", got)
	}
	clues := Text(t, ctx, chromedp.CSS(`#fig-clues td`))
	if clues == "0" || clues == "" {
		t.Errorf("the village's clues read %q; the seeded clues are missing", clues)
	}
	// The list behind the visits figure.
	Do(t, ctx, chromedp.Click(chromedp.CSS(`#fig-visits a.dash-list`)), chromedp.WaitReady(chromedp.CSS("body")))
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	if !strings.Contains(loc, "/visits?") || !strings.Contains(loc, "place="+demo.Yaozhan) {
		t.Fatalf("the list behind the visits is %s", loc)
	}
	Do(t, ctx, chromedp.Navigate(srv.URL+"/dashboard?place="+demo.Yaozhan), chromedp.WaitVisible(chromedp.ID("dash-xlsx")))
	// The workbook.
	b64, err := chromedp.Run(ctx, chromedp.Evaluate[string](`fetch(document.getElementById("dash-xlsx").href).then(r => r.arrayBuffer()).then(b => {
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
		t.Fatalf("the download is not an xlsx workbook: %v", err)
	}
	rows, _ := wb.GetRows(wb.GetSheetList()[0])
	wb.Close()
	if len(rows) < 10 || !strings.Contains(rows[0][0], "腰站社区") {
		t.Fatalf("the workbook reads %v", rows)
	}
	// Printed: no form nor buttons, the charts' numbers as tables.
	Do(t, ctx, printMedia("print"))
	text, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body.innerText`))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"社会救助数据看板", "图表数据 · 各类对象（期末）", "风险颜色户数（当前）"} {
		if !strings.Contains(text, want) {
			t.Errorf("the printed dashboard lacks %q", want)
		}
	}
	for _, not := range []string{"导出 Excel", "退出登录", "查看"} {
		if strings.Contains(text, not) {
			t.Errorf("the printed dashboard shows %q", not)
		}
	}
	if _, err := chromedp.Run(ctx, chromedp.PrintToPDF(chromedp.PDFPaper(chromedp.PaperA4))); err != nil {
		t.Fatal(err)
	}
	Do(t, ctx, printMedia("screen"), Logout())
	// Scope: the town officer.
	Do(t, ctx, Login(srv.URL, "town"), chromedp.Navigate(srv.URL+"/dashboard?place=530325"), chromedp.WaitReady(chromedp.CSS("body")))
	if got := Text(t, ctx, chromedp.CSS("body")); strings.Contains(got, "主动发现救助户数") || strings.Contains(got, "富源县") && strings.Contains(got, "数据看板 · 富源县") {
		t.Errorf("the town officer sees the county's dashboard: %q", got)
	}
	Do(t, ctx, chromedp.Navigate(srv.URL+"/dashboard"), chromedp.WaitVisible(chromedp.ID("dash-figures")))
	if got := Text(t, ctx, chromedp.CSS("#dashboard h1")); !strings.Contains(got, "胜境街道") {
		t.Errorf("the town officer's own dashboard reads %q", got)
	}
	links, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll(".dash-path a"), a => a.getAttribute("href"))`))
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range links {
		if strings.HasSuffix(l, "place=530325") {
			t.Errorf("the town officer is offered the county: %v", links)
		}
	}
}

func evalInt(t *testing.T, ctx context.Context, js string) int {
	t.Helper()
	n, err := chromedp.Run(ctx, chromedp.Evaluate[int](js))
	if err != nil {
		t.Fatalf("%s: %v", js, err)
	}
	return n
}
