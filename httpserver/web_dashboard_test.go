package httpserver_test

import (
	"bytes"
	"net/http"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"safetynet/demo"
)

// TestDashboard: the county officer's dashboard shows the figures with
// charts (SVG, no script) each with its table, links down to the towns and
// to the lists behind the figures; the drill-down reaches a village; the
// API's place equals its own records plus the sum of its places; .xlsx
// downloads; a town officer gets 404 for the county and a neighbour town,
// on the page, the API and the workbook; bad periods name their field.
func TestDashboard(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		b := e.browser()
		b.login("county")
		r := b.get("/dashboard")
		if r.status != http.StatusOK {
			t.Fatalf("county dashboard: %d %.300s", r.status, r.body)
		}
		for _, want := range []string{`id="dash-figures"`, "主动发现救助户数", "<svg class=\"chart\"", `id="dash-chart-places-table"`,
			`id="dash-chart-colours-table"`, `href="/dashboard?at=`, "place=530325002", `href="/visits?`, `href="/register?category=`, "线索上报到首次救助"} {
			if !strings.Contains(r.body, want) {
				t.Errorf("county dashboard lacks %q", want)
			}
		}
		if strings.Contains(r.body, "<script") && strings.Count(r.body, "<script") != strings.Count(r.body, `<script src="/static/`) {
			t.Errorf("the dashboard has an inline or outside script")
		}
		// Down to the town and the village.
		r = b.get("/dashboard?place=530325002&period=quarter")
		if r.status != http.StatusOK || !strings.Contains(r.body, "place="+demo.Yaozhan) || !strings.Contains(r.body, "季度") {
			t.Fatalf("town dashboard: %d", r.status)
		}
		r = b.get("/dashboard?place=" + demo.Yaozhan + "&period=year")
		if r.status != http.StatusOK || strings.Contains(r.body, `id="dash-places"`) || !strings.Contains(r.body, `id="dash-up"`) {
			t.Fatalf("village dashboard: %d", r.status)
		}
		// The API: the county equals its own records plus its towns.
		county := e.token("county")
		var d struct {
			Place  struct{ Current map[string]int64 }
			Own    struct{ Current map[string]int64 }
			Places []struct {
				Code    string
				Current map[string]int64
			}
		}
		r = e.do("GET", "/api/v1/dashboard?period=year", county, "")
		if r.status != http.StatusOK {
			t.Fatalf("api: %d %s", r.status, r.body)
		}
		r.json(t, &d)
		if len(d.Places) == 0 || len(d.Place.Current) == 0 {
			t.Fatalf("api dashboard empty: %.400s", r.body)
		}
		sum := map[string]int64{}
		for k, v := range d.Own.Current {
			sum[k] += v
		}
		for _, p := range d.Places {
			for k, v := range p.Current {
				sum[k] += v
			}
		}
		for k, v := range d.Place.Current {
			if sum[k] != v {
				t.Errorf("%s: county %d, own + towns %d", k, v, sum[k])
			}
		}
		// The workbook.
		r = b.get("/dashboard.xlsx?period=year")
		if r.status != http.StatusOK || r.header.Get("Content-Type") != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" {
			t.Fatalf("xlsx: %d %s", r.status, r.header.Get("Content-Type"))
		}
		f, err := excelize.OpenReader(bytes.NewReader([]byte(r.body)))
		if err != nil {
			t.Fatal(err)
		}
		sheets := f.GetSheetList()
		if len(sheets) != 2 || sheets[0] != "富源县" {
			t.Fatalf("sheets %v", sheets)
		}
		rows, _ := f.GetRows(sheets[1])
		if len(rows) < 3 || rows[len(rows)-1][0] != "合计" {
			t.Fatalf("places sheet %v", rows)
		}
		// Scope: the town officer.
		tb := e.browser()
		tb.login("town")
		if r := tb.get("/dashboard"); r.status != http.StatusOK || !strings.Contains(r.body, "胜境街道") {
			t.Fatalf("town's own dashboard: %d", r.status)
		}
		town := e.token("town")
		for _, place := range []string{"530325", "530325001", "430112"} {
			if r := tb.get("/dashboard?place=" + place); r.status != http.StatusNotFound {
				t.Errorf("town officer's page of %s: %d", place, r.status)
			}
			if r := tb.get("/dashboard.xlsx?place=" + place); r.status != http.StatusNotFound {
				t.Errorf("town officer's workbook of %s: %d", place, r.status)
			}
			if r := e.do("GET", "/api/v1/dashboard?place="+place, town, ""); r.status != http.StatusNotFound {
				t.Errorf("town officer's API of %s: %d", place, r.status)
			}
		}
		// A grid worker has no figures.
		if r := e.do("GET", "/api/v1/dashboard", e.token("grid"), ""); r.status != http.StatusForbidden {
			t.Errorf("grid worker: %d", r.status)
		}
		// Bad periods.
		for q, field := range map[string]string{"period=week": "period", "period=custom&from=2026-05-01": "to",
			"period=custom&from=2026-05-01&to=2026-04-01": "to", "at=yesterday": "at"} {
			if r := e.do("GET", "/api/v1/dashboard?"+q, county, ""); r.status != http.StatusBadRequest || !strings.Contains(r.body, `"field":"`+field+`"`) {
				t.Errorf("%s: %d %s", q, r.status, r.body)
			}
		}
	})
}
