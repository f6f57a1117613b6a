package httpserver_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"safetynet/demo"
)

// TestFundsAPI: the village registers a company donation from 宇信钙业,
// receives 51,900.00 yuan with its voucher, buys 惠民保 for a named
// person, is refused an allocation beyond the balance with the reason,
// pays the insurer with an invoice, corrects a receipt by a reversal, and
// the household's lines, the figures and the .xlsx export follow; the
// inspector reads and may not write.
func TestFundsAPI(t *testing.T) {
	e := newEnv(t)
	tok := e.token("village")
	today := time.Now().Format("2006-01-02")
	r := e.do("POST", "/api/v1/funds/sources", tok, fmt.Sprintf(`{"client_id":"api-src-0001","name":"宇信钙业捐赠","kind":"company","donor":"宇信钙业","place_code":"%s"}`, demo.Yaozhan))
	if r.status != http.StatusCreated {
		t.Fatalf("create: %d %s", r.status, r.body)
	}
	var created struct {
		ID        int64
		Duplicate bool
	}
	r.json(t, &created)
	src := created.ID
	entry := func(body string) response {
		return e.do("POST", fmt.Sprintf("/api/v1/funds/sources/%d/entries", src), tok, body)
	}
	for _, c := range []struct{ amount, field string }{{"-5", "amount"}, {"1.005", "amount"}, {"1000000000.01", "amount"}, {"abc", "amount"}} {
		r := entry(fmt.Sprintf(`{"client_id":"api-bad-%s","kind":"receipt","amount":%q,"date":%q}`, strings.ReplaceAll(c.amount, ".", "x"), c.amount, today))
		if r.status != http.StatusBadRequest || !strings.Contains(r.body, `"field":"amount"`) {
			t.Errorf("amount %q: %d %s", c.amount, r.status, r.body)
		}
	}
	r = entry(fmt.Sprintf(`{"client_id":"api-rec-0001","kind":"receipt","amount":"51,900.00","date":%q,"doc_no":"捐赠协议","documents":[{"name":"凭证.pdf","content":"JVBERi0xLjQgdGVzdA=="}]}`, today))
	if r.status != http.StatusCreated {
		t.Fatalf("receipt: %d %s", r.status, r.body)
	}
	r.json(t, &created)
	receipt := created.ID
	r = entry(fmt.Sprintf(`{"client_id":"api-rec-0002","kind":"receipt","amount":"100","date":%q,"documents":[{"name":"x.exe","content":"TVqQAA=="}]}`, today))
	if r.status != http.StatusBadRequest || !strings.Contains(r.body, `"field":"document"`) {
		t.Errorf("an executable: %d %s", r.status, r.body)
	}
	r = entry(fmt.Sprintf(`{"client_id":"api-alloc-001","kind":"allocation","date":%q,"target":"purchase","item":"曲靖惠民保","persons":[%d],"unit_price":"99"}`, today, e.in.person))
	if r.status != http.StatusCreated {
		t.Fatalf("allocation: %d %s", r.status, r.body)
	}
	r.json(t, &created)
	alloc := created.ID
	r = entry(fmt.Sprintf(`{"client_id":"api-alloc-002","kind":"allocation","date":%q,"target":"measure","measure":"temporary","amount":"51801.01"}`, today))
	if r.status != http.StatusConflict || !strings.Contains(r.body, "51,801.00") {
		t.Errorf("overdraw: %d %s", r.status, r.body)
	}
	r = entry(fmt.Sprintf(`{"client_id":"api-spend-001","kind":"spend","date":%q,"allocation_id":%d,"amount":"99","payee":"某保险公司","doc_no":"INV-1","documents":[{"name":"发票.png","content":"iVBORw0KGgoAAAA="}]}`, today, alloc))
	if r.status != http.StatusCreated {
		t.Fatalf("spend: %d %s", r.status, r.body)
	}
	// A resend is the same entry.
	r = entry(fmt.Sprintf(`{"client_id":"api-spend-001","kind":"spend","date":%q,"allocation_id":%d,"amount":"99","payee":"某保险公司"}`, today, alloc))
	if r.status != http.StatusOK || !strings.Contains(r.body, `"duplicate":true`) {
		t.Errorf("resend: %d %s", r.status, r.body)
	}
	r = e.do("POST", fmt.Sprintf("/api/v1/funds/entries/%d/reversal", receipt), tok, `{"client_id":"api-rev-0001","reason":"金额录错"}`)
	if r.status != http.StatusConflict {
		t.Errorf("reversing an allocated receipt: %d %s", r.status, r.body)
	}
	var d struct {
		Balance struct {
			ReceivedFen  int64 `json:"received_fen"`
			AllocatedFen int64 `json:"allocated_fen"`
			SpentFen     int64 `json:"spent_fen"`
		}
		Ledger []struct {
			ID        int64
			Kind      string
			AmountFen int64 `json:"amount_fen"`
			Documents []struct{ ID int64 }
			Targets   []struct{ Name string }
		}
	}
	e.do("GET", fmt.Sprintf("/api/v1/funds/sources/%d", src), tok, "").json(t, &d)
	if d.Balance.ReceivedFen != 5190000 || d.Balance.AllocatedFen != 9900 || d.Balance.SpentFen != 9900 || len(d.Ledger) != 3 ||
		len(d.Ledger[0].Documents) != 1 || d.Ledger[1].Targets[0].Name != "赵金花" {
		t.Fatalf("source: %+v", d)
	}
	doc := e.do("GET", fmt.Sprintf("/api/v1/funds/documents/%d", d.Ledger[0].Documents[0].ID), tok, "")
	if doc.status != http.StatusOK || doc.header.Get("Content-Type") != "image/png" {
		t.Errorf("document: %d %v", doc.status, doc.header)
	}
	var hf struct {
		MoneyFen int64 `json:"money_fen"`
		Lines    []struct {
			SourceName string `json:"source_name"`
		}
	}
	e.do("GET", fmt.Sprintf("/api/v1/households/%d/funds", e.in.household), tok, "").json(t, &hf)
	if hf.MoneyFen != 9900 || len(hf.Lines) != 1 || hf.Lines[0].SourceName != "宇信钙业捐赠" {
		t.Errorf("household funds: %+v", hf)
	}
	var fig struct {
		Total struct {
			Current struct {
				ReceivedFen int64 `json:"received_fen"`
			}
		}
	}
	e.do("GET", "/api/v1/funds/figures?period="+time.Now().Format("2006"), tok, "").json(t, &fig)
	if fig.Total.Current.ReceivedFen < 5190000 {
		t.Errorf("figures: %+v", fig)
	}
	x := e.do("GET", fmt.Sprintf("/api/v1/funds/sources/%d/ledger.xlsx", src), tok, "")
	if x.status != http.StatusOK || !strings.HasPrefix(x.body, "PK") {
		t.Errorf("export: %d %.100s", x.status, x.body)
	}
	// The inspector reads, never writes.
	insp := e.token("inspector")
	if r := e.do("GET", fmt.Sprintf("/api/v1/funds/sources/%d", src), insp, ""); r.status != http.StatusOK {
		t.Errorf("inspector reads: %d", r.status)
	}
	if r := e.do("POST", fmt.Sprintf("/api/v1/funds/sources/%d/entries", src), insp,
		fmt.Sprintf(`{"client_id":"api-insp-001","kind":"receipt","amount":"1","date":%q}`, today)); r.status != http.StatusForbidden {
		t.Errorf("inspector writes: %d %s", r.status, r.body)
	}
	// The county officer may own a source at the county, a town or a village.
	cb := e.browser()
	cb.login("county")
	if p := cb.get("/funds"); p.status != http.StatusOK || strings.Count(p.body, `<select name="place_code"`) != 1 ||
		!strings.Contains(p.body, `<option value="530325"`) || !strings.Contains(p.body, `<option value="530325002"`) ||
		!strings.Contains(p.body, `<option value="`+demo.Yaozhan+`"`) {
		t.Errorf("the county officer's owner choices lack the county, the town or a village: %d", p.status)
	}
	// The web: the source page, the household's section, a bad amount in the form.
	br := e.browser()
	br.login("village")
	if p := br.get(fmt.Sprintf("/funds/sources/%d", src)); p.status != http.StatusOK || !strings.Contains(p.body, "51,900.00 元") {
		t.Errorf("source page: %d", p.status)
	}
	if p := br.get(fmt.Sprintf("/households/%d", e.in.household)); !strings.Contains(p.body, `id="household-funds"`) || !strings.Contains(p.body, "99.00 元") {
		t.Errorf("household page lacks the funds section")
	}
	p := br.post(fmt.Sprintf("/funds/sources/%d/entries", src), url.Values{"client_id": {"web-rec-00001"}, "kind": {"receipt"}, "amount": {"-3"}, "date": {today}})
	if p.status != http.StatusBadRequest || !strings.Contains(p.body, "金额不能为负数") {
		t.Errorf("negative amount in the form: %d", p.status)
	}
	p = br.post(fmt.Sprintf("/funds/sources/%d/entries", src), url.Values{"client_id": {"web-rec-00002"}, "kind": {"receipt"}, "amount": {"5.2万"}, "date": {today}})
	if p.status != http.StatusSeeOther {
		t.Errorf("a receipt in 万: %d %.300s", p.status, p.body)
	}
	// The spend is reversed on its page, with a reason; a second try is refused.
	spend := d.Ledger[0].ID
	p = br.post(fmt.Sprintf("/funds/entries/%d/reverse", spend), url.Values{"client_id": {"web-rev-00001"}, "reason": {"发票作废"}})
	if p.status != http.StatusSeeOther {
		t.Fatalf("reversal: %d %.300s", p.status, p.body)
	}
	p = br.post(fmt.Sprintf("/funds/entries/%d/reverse", spend), url.Values{"client_id": {"web-rev-00002"}, "reason": {"再冲一次"}})
	if p.status != http.StatusConflict || !strings.Contains(p.body, "该记录已冲销") {
		t.Errorf("a second reversal: %d", p.status)
	}
	e.do("GET", fmt.Sprintf("/api/v1/funds/sources/%d", src), tok, "").json(t, &d)
	if d.Balance.SpentFen != 0 || d.Ledger[0].Kind != "spend" || d.Ledger[0].AmountFen != -9900 {
		t.Errorf("after the reversal: %+v", d)
	}
}
