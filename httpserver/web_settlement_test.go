package httpserver_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"safetynet/settlement"
	"safetynet/sqlstore"
)

// TestSettlementPages: the town approves October on its page (the total
// it saw), the approved page says the month is closed and has no approval
// form any more; an adjustment of November in yuan with a bad amount is
// refused with the field's error, then entered and shown with its reason;
// the English page of the sheet speaks English.
func TestSettlementPages(t *testing.T) {
	e := newEnv(t)
	org, err := e.store.SeedServiceOrg(ctx, sqlstore.ServiceOrgSeed{Name: "阳光社工", Place: "530325002", Title: "居家服务", StartsOn: "2026-01-01",
		EndsOn: "2026-12-31", BudgetFen: 1_000_000, Prices: map[string]int64{"cleaning": 3000}, Workers: []string{"郭宗新"}})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Date(2026, 10, 9, 9, 0, 0, 0, settlement.Zone)
	if _, err := e.store.SeedServiceRecords(ctx, []sqlstore.ServiceRecordSeed{{Contract: org.Contract, Worker: org.Workers[0],
		Household: e.in.household, Type: "cleaning", Start: start, End: start.Add(time.Hour), Status: "accepted", Checked: true}}); err != nil {
		t.Fatal(err)
	}
	br := e.browser()
	br.login("town")
	page := fmt.Sprintf("/settlements/%d/2026-10", org.Org)
	if r := br.get(page); r.status != http.StatusOK || !strings.Contains(r.body, `name="total_fen" value="3000"`) || !strings.Contains(r.body, "郭宗新") {
		t.Fatalf("draft page: %d %.500s", r.status, r.body)
	}
	if r := br.post(page+"/approve", url.Values{"total_fen": {"3000"}}); r.status != http.StatusSeeOther {
		t.Fatalf("approve: %d %.500s", r.status, r.body)
	}
	r := br.get(page)
	if !strings.Contains(r.body, "已批准，已关账") || strings.Contains(r.body, `id="approve-form"`) {
		t.Fatalf("approved page: %.800s", r.body)
	}
	nov := fmt.Sprintf("/settlements/%d/2026-11", org.Org)
	form := url.Values{"client_id": {"web-adjust-0001"}, "about_month": {"2026-10"}, "amount": {"thirty"}, "reason": {"复核发现重复"},
		"worker_id": {fmt.Sprint(org.Workers[0])}}
	if r := br.post(nov+"/adjustments", form); r.status != http.StatusBadRequest || !strings.Contains(r.body, "金额应为元") {
		t.Fatalf("bad amount: %d %.500s", r.status, r.body)
	}
	form.Set("amount", "-30")
	if r := br.post(nov+"/adjustments", form); r.status != http.StatusSeeOther {
		t.Fatalf("adjustment: %d %.500s", r.status, r.body)
	}
	if r := br.get(nov); !strings.Contains(r.body, "复核发现重复") || !strings.Contains(r.body, "-30.00") {
		t.Fatalf("November page: %.800s", r.body)
	}
	br.get("/lang/en?next=/")
	if r := br.get(page); !strings.Contains(r.body, "approved, month closed") || !strings.Contains(r.body, "Download the sheet") {
		t.Fatalf("English page: %.800s", r.body)
	}
}
