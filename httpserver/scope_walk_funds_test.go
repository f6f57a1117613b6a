package httpserver_test

import (
	"testing"
	"time"

	"safetynet/demo"
	"safetynet/funds"
	"safetynet/sqlstore"
)

// The funds routes in the scope walk: 腰站社区 (inside) and 西塘街社区
// (outside) each own a source with a receipt carrying a PDF and an
// allocation of 惠民保 for the fixture's person, giving {sourceID},
// {entryID} and {documentID}.
func init() {
	walkSetups = append(walkSetups, func(t *testing.T, e *env) map[target]map[string]string {
		t.Helper()
		ids := map[target]map[string]string{}
		for tg, f := range map[target]struct {
			who, place string
			person     int64
		}{inside: {"village", demo.Yaozhan, e.in.person}, outside: {"wc-village", "430112001001", e.out.person}} {
			a := e.actor(f.who)
			src, _, err := e.store.CreateFundSource(ctx, a, "walk-source-"+f.who, funds.Source{Name: "走查资金", Kind: funds.SourceDonation, Place: f.place})
			if err != nil {
				t.Fatalf("%s: source to walk with: %v", f.who, err)
			}
			day := time.Now().AddDate(0, 0, -1)
			rec, _, err := e.store.AddFundEntry(ctx, a, src, "walk-receipt-"+f.who, funds.Entry{Kind: funds.Receipt, AmountFen: 10000, On: day},
				[]sqlstore.FundDocument{{Name: "到账.pdf", Data: []byte("%PDF-1.4 walk")}})
			if err != nil {
				t.Fatalf("%s: receipt to walk with: %v", f.who, err)
			}
			if _, _, err := e.store.AddFundEntry(ctx, a, src, "walk-alloc-"+f.who, funds.Entry{Kind: funds.Allocation, On: day,
				Target: funds.ToPurchase, Item: "惠民保", Persons: []int64{f.person}, UnitPriceFen: 9900}, nil); err != nil {
				t.Fatalf("%s: allocation to walk with: %v", f.who, err)
			}
			d, err := e.store.FundSource(ctx, a, src, 0)
			if err != nil || len(d.Ledger) != 2 || len(d.Ledger[1].Documents) != 1 {
				t.Fatalf("%s: %+v %v", f.who, d, err)
			}
			ids[tg] = map[string]string{"sourceID": itoa(src), "entryID": itoa(rec), "documentID": itoa(d.Ledger[1].Documents[0].ID)}
		}
		return ids
	})
	apiBodies["POST /api/v1/funds/sources"] = `{"client_id":"walk-src-{place}","name":"探针来源","kind":"donation","place_code":"{place}"}`
	apiBodies["POST /api/v1/funds/sources/{sourceID}/entries"] = `{"client_id":"walk-entry-0001","kind":"receipt","amount":"1.00","date":"2026-01-01"}`
	apiBodies["POST /api/v1/funds/entries/{entryID}/reversal"] = `{"client_id":"walk-reverse-01","reason":"探针"}`
	apiBodies["POST /api/v1/funds/entries/{entryID}/documents"] = `{"name":"探针.pdf","content":"JVBERi0xLjQgcHJvYmU="}`
}
