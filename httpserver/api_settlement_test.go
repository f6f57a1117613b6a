package httpserver_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"safetynet/demo"
	"safetynet/settlement"
	"safetynet/sqlstore"
)

// TestSettlementAPI walks verification and settlement through the API (every
// answer checked against openapi.yaml): the village lists October's
// services, draws a sample, accepts one (the same version again is a 409),
// is refused a rejection without reason, and accepts the rest; the town
// sees the draft, is refused a stale total, approves, enters an adjustment
// in November (a resend is the same), downloads the sheet and reads the figures.
func TestSettlementAPI(t *testing.T) {
	e := newEnv(t)
	org, err := e.store.SeedServiceOrg(ctx, sqlstore.ServiceOrgSeed{Name: "阳光社工", Place: "530325002", Title: "居家服务", StartsOn: "2026-01-01",
		EndsOn: "2026-12-31", BudgetFen: 1_000_000, Prices: map[string]int64{"cleaning": 3000}, Workers: []string{"郭宗新"}})
	if err != nil {
		t.Fatal(err)
	}
	var recs []sqlstore.ServiceRecordSeed
	for i := 0; i < 4; i++ {
		start := time.Date(2026, 10, 3+i, 9, 0, 0, 0, settlement.Zone)
		recs = append(recs, sqlstore.ServiceRecordSeed{Contract: org.Contract, Worker: org.Workers[0], Household: e.in.household, Type: "cleaning",
			Start: start, End: start.Add(time.Hour), Photo: []byte(fmt.Sprintf("\xff\xd8\xff\xe0 %d", i))})
	}
	if _, err := e.store.SeedServiceRecords(ctx, recs); err != nil {
		t.Fatal(err)
	}
	village, town := e.token("village"), e.token("town")
	var list struct {
		Items []struct {
			ID      int64  `json:"id"`
			Worker  string `json:"worker"`
			Version int    `json:"version"`
		} `json:"items"`
	}
	r := e.do("GET", "/api/v1/verification?month=2026-10&status=pending", village, "")
	if r.status != http.StatusOK {
		t.Fatalf("list: %d %s", r.status, r.body)
	}
	r.json(t, &list)
	if len(list.Items) != 4 || list.Items[0].Worker != "郭宗新" {
		t.Fatalf("list = %+v", list)
	}
	r = e.do("POST", "/api/v1/verification/samples", village, `{"month":"2026-10","percent":50,"seed":99}`)
	if r.status != http.StatusCreated || !strings.Contains(r.body, `"drawn":2`) || !strings.Contains(r.body, `"seed":99`) {
		t.Fatalf("sample: %d %s", r.status, r.body)
	}
	if r := e.do("GET", "/api/v1/verification/samples?month=2026-10", village, ""); r.status != http.StatusOK || !strings.Contains(r.body, `"percent":50`) {
		t.Fatalf("samples: %d %s", r.status, r.body)
	}
	first := list.Items[0]
	if r := e.do("GET", fmt.Sprintf("/api/v1/verification/%d", first.ID), village, ""); r.status != http.StatusOK ||
		!strings.Contains(r.body, `"url":"/services/evidence/`) {
		t.Fatalf("record: %d %s", r.status, r.body)
	}
	review := func(id int64, body string) response {
		return e.do("POST", fmt.Sprintf("/api/v1/verification/%d/review", id), village, body)
	}
	// The record was not checked yet: the review checks it first (no flag: same version).
	if r := review(first.ID, fmt.Sprintf(`{"decision":"accepted","version":%d}`, first.Version)); r.status != http.StatusOK ||
		!strings.Contains(r.body, `"status":"accepted"`) {
		t.Fatalf("accept: %d %s", r.status, r.body)
	}
	if r := review(first.ID, fmt.Sprintf(`{"decision":"rejected","reason":"重复","version":%d}`, first.Version)); r.status != http.StatusConflict ||
		!strings.Contains(r.body, "王芳") {
		t.Fatalf("second review on the same version: %d %s", r.status, r.body)
	}
	if r := review(list.Items[1].ID, fmt.Sprintf(`{"decision":"rejected","version":%d}`, list.Items[1].Version)); r.status != http.StatusBadRequest ||
		r.errCode() != "invalid" {
		t.Fatalf("rejection without reason: %d %s", r.status, r.body)
	}
	for _, it := range list.Items[1:] {
		if r := review(it.ID, fmt.Sprintf(`{"decision":"accepted","version":%d}`, it.Version)); r.status != http.StatusOK {
			t.Fatalf("accept %d: %d %s", it.ID, r.status, r.body)
		}
	}
	if r := e.do("GET", "/api/v1/settlements?month=2026-10", town, ""); r.status != http.StatusOK || !strings.Contains(r.body, `"amount_fen":12000`) {
		t.Fatalf("settlements: %d %s", r.status, r.body)
	}
	path := fmt.Sprintf("/api/v1/settlements/%d/2026-10", org.Org)
	if r := e.do("GET", path, town, ""); r.status != http.StatusOK || !strings.Contains(r.body, `"total_fen":12000`) || !strings.Contains(r.body, `"status":"draft"`) {
		t.Fatalf("draft: %d %s", r.status, r.body)
	}
	if r := e.do("POST", path+"/approve", e.token("village"), `{"total_fen":12000}`); r.status != http.StatusForbidden {
		t.Fatalf("village approves: %d %s", r.status, r.body)
	}
	if r := e.do("POST", path+"/approve", town, `{"total_fen":9000}`); r.status != http.StatusConflict {
		t.Fatalf("stale total: %d %s", r.status, r.body)
	}
	if r := e.do("POST", path+"/approve", town, `{"total_fen":12000}`); r.status != http.StatusOK || !strings.Contains(r.body, `"status":"approved"`) {
		t.Fatalf("approve: %d %s", r.status, r.body)
	}
	if r := review(first.ID, `{"decision":"rejected","reason":"复查","version":2}`); r.status != http.StatusConflict {
		t.Fatalf("review in a closed month: %d %s", r.status, r.body)
	}
	adj := fmt.Sprintf(`{"client_id":"api-adjust-1","about_month":"2026-10","contract_id":%d,"amount_fen":-3000,"reason":"复核重复"}`, org.Contract)
	nov := fmt.Sprintf("/api/v1/settlements/%d/2026-11/adjustments", org.Org)
	if r := e.do("POST", nov, town, adj); r.status != http.StatusCreated {
		t.Fatalf("adjustment: %d %s", r.status, r.body)
	}
	if r := e.do("POST", nov, town, adj); r.status != http.StatusOK || !strings.Contains(r.body, `"duplicate":true`) {
		t.Fatalf("resent adjustment: %d %s", r.status, r.body)
	}
	r = e.do("GET", path+"/sheet.xlsx", town, "")
	if r.status != http.StatusOK || !strings.HasPrefix(r.body, "PK") || !strings.Contains(r.header.Get("Content-Type"), "spreadsheetml") {
		t.Fatalf("sheet: %d %s", r.status, r.header)
	}
	r = e.do("GET", "/api/v1/settlements/figures?from=2026-10&to=2026-10&place="+demo.Yaozhan, town, "")
	if r.status != http.StatusOK || !strings.Contains(r.body, `"services":4`) || !strings.Contains(r.body, `"settled_fen":12000`) ||
		!strings.Contains(r.body, `"verified_rate":100`) {
		t.Fatalf("figures: %d %s", r.status, r.body)
	}
}
