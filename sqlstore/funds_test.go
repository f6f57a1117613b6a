package sqlstore_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"safetynet"
	"safetynet/access"
	"safetynet/funds"
	"safetynet/sqlstore"
	"safetynet/sqlstore/storetest"
)

func yuan(t *testing.T, s string) int64 {
	t.Helper()
	f, err := funds.ParseYuan("amount", s)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// TestFundsStory: 腰站社区's support unit gives 51,900 yuan; the village
// receives it, allocates 惠民保 for two named persons and 220 septic
// tanks, pays the insurer with an invoice, cannot overdraw, corrects a
// mistake by a reversal, and the household page shows what it received.
func TestFundsStory(t *testing.T) {
	start := time.Date(2024, 11, 12, 10, 0, 0, 0, funds.Zone)
	clock := storetest.NewClock(start)
	storetest.EachWith(t, clock, func(t *testing.T, s *sqlstore.Store) {
		clock.Set(start)
		f := newRelay(t, s)
		sys := access.System()
		other := actorOf(mustUser(t, s, sys, "xiyang", safetynet.RoleVillageStaff, "530325002010"))
		inspector := actorOf(mustUser(t, s, sys, "insp", safetynet.RoleInspector, "530325"))
		son, err := s.AddPerson(ctx, f.village, f.household, safetynet.PersonInput{Name: "宋小明", Relation: "son"})
		if err != nil {
			t.Fatal(err)
		}
		v, err := s.HouseholdView(ctx, f.village, f.household)
		if err != nil {
			t.Fatal(err)
		}
		grandma := v.Members[0].ID
		src, dup, err := s.CreateFundSource(ctx, f.village, "src-00001", funds.Source{Name: "2024年帮扶单位资金", Kind: funds.SourceUnit,
			Donor: "曲靖市某帮扶单位", Place: "530325002009"})
		if err != nil || dup {
			t.Fatal(err, dup)
		}
		if again, dup, _ := s.CreateFundSource(ctx, f.village, "src-00001", funds.Source{Name: "2024年帮扶单位资金", Kind: funds.SourceUnit,
			Place: "530325002009"}); again != src || !dup {
			t.Fatalf("resend made %d (dup %v), want %d", again, dup, src)
		}
		_, _, err = s.CreateFundSource(ctx, f.village, "src-00002", funds.Source{Name: "别村资金", Kind: funds.SourceBudget, Place: "530325002010"})
		wantCode(t, err, safetynet.EInvalid, "a source in another village")
		day := start.AddDate(0, 0, -10)
		add := func(a access.Actor, client string, e funds.Entry, docs ...sqlstore.FundDocument) (int64, error) {
			id, _, err := s.AddFundEntry(ctx, a, src, client, e, docs)
			return id, err
		}
		rec, err := add(f.village, "rec-000001", funds.Entry{Kind: funds.Receipt, AmountFen: yuan(t, "51,900.00"), On: day, DocNo: "帮扶〔2024〕3号"},
			sqlstore.FundDocument{Name: "到账凭证.pdf", Data: []byte("%PDF-1.4 test")})
		if err != nil {
			t.Fatal(err)
		}
		_, err = add(f.village, "rec-000002", funds.Entry{Kind: funds.Receipt, AmountFen: 100, On: day},
			sqlstore.FundDocument{Name: "x.exe", Data: []byte("MZ")})
		wantCode(t, err, safetynet.EInvalid, "an executable as a document")
		_, err = add(inspector, "rec-000003", funds.Entry{Kind: funds.Receipt, AmountFen: 100, On: day})
		wantCode(t, err, safetynet.EForbidden, "an inspector's receipt")
		_, err = add(other, "rec-000004", funds.Entry{Kind: funds.Receipt, AmountFen: 100, On: day})
		wantCode(t, err, safetynet.ENotFound, "the neighbouring village's receipt")
		// 惠民保 for two named persons, 220 septic tanks at 150 yuan.
		ins, err := add(f.village, "alloc-0001", funds.Entry{Kind: funds.Allocation, On: day, Target: funds.ToPurchase, Item: "曲靖惠民保",
			Persons: []int64{grandma, son}, UnitPriceFen: yuan(t, "99")})
		if err != nil {
			t.Fatal(err)
		}
		tanks, err := add(f.village, "alloc-0002", funds.Entry{Kind: funds.Allocation, On: day, Target: funds.ToPurchase, Item: "三格化粪池",
			Quantity: 220, UnitPriceFen: yuan(t, "150")})
		if err != nil {
			t.Fatal(err)
		}
		// 51,900 − 198 − 33,000 = 18,702 left: one fen more is refused.
		_, err = add(f.village, "alloc-0003", funds.Entry{Kind: funds.Allocation, On: day, Target: funds.ToMeasure, Measure: "temporary",
			AmountFen: yuan(t, "18702.01")})
		wantCode(t, err, safetynet.EConflict, "an allocation beyond the balance")
		if e := safetynet.AsError(err); e == nil || !strings.Contains(e.ZH, "尚可分配 18,702.00 元") {
			t.Errorf("the refusal says %v", err)
		}
		if _, err := add(f.village, "spend-0001", funds.Entry{Kind: funds.Spend, On: day, AllocationID: ins, AmountFen: yuan(t, "198.01"),
			Payee: "某保险公司"}); safetynet.CodeOf(err) != safetynet.EConflict {
			t.Errorf("a spend beyond its allocation: %v", err)
		}
		spend, err := add(f.village, "spend-0002", funds.Entry{Kind: funds.Spend, On: day, AllocationID: ins, AmountFen: yuan(t, "198"),
			Payee: "某保险公司", DocNo: "INV-2024-001"}, sqlstore.FundDocument{Name: "发票.png", Data: []byte("\x89PNG\r\n\x1a\nxxxx")})
		if err != nil {
			t.Fatal(err)
		}
		// A receipt that is allocated cannot be reversed; an allocation
		// spent from neither; the spend can, then the allocation.
		_, _, err = s.ReverseFundEntry(ctx, f.village, rec, "rev-000001", "金额录错")
		wantCode(t, err, safetynet.EConflict, "reversing an allocated receipt")
		_, _, err = s.ReverseFundEntry(ctx, f.village, ins, "rev-000002", "录错")
		wantCode(t, err, safetynet.EConflict, "reversing an allocation spent from")
		if _, _, err := s.ReverseFundEntry(ctx, f.village, spend, "rev-000003", "发票作废"); err != nil {
			t.Fatal(err)
		}
		_, _, err = s.ReverseFundEntry(ctx, f.village, spend, "rev-000004", "再冲一次")
		wantCode(t, err, safetynet.EConflict, "reversing twice")
		if _, _, err := s.ReverseFundEntry(ctx, f.village, tanks, "rev-000005", "数量有误"); err != nil {
			t.Fatal(err)
		}
		d, err := s.FundSource(ctx, f.village, src, 0)
		if err != nil {
			t.Fatal(err)
		}
		if d.Received != 5190000 || d.Allocated != 19800 || d.Spent != 0 || d.Unallocated() != 5170200 || len(d.Ledger) != 6 {
			t.Fatalf("balance %+v, %d entries", d.Balance, len(d.Ledger))
		}
		var sums funds.Balance
		for _, e := range d.Ledger {
			switch e.Kind {
			case funds.Receipt:
				sums.Received += e.AmountFen
			case funds.Allocation:
				sums.Allocated += e.AmountFen
			case funds.Spend:
				sums.Spent += e.AmountFen
			}
		}
		if sums != d.Balance {
			t.Errorf("the ledger sums to %+v, the balance says %+v", sums, d.Balance)
		}
		// Only the insurance is left to spend from: the tanks were reversed.
		if open, err := s.OpenFundAllocations(ctx, f.village, src); err != nil || len(open) != 1 || open[0].ID != ins || !open[0].Open() {
			t.Errorf("open allocations %+v %v", open, err)
		}
		// The database itself keeps the ledger append-only.
		if err := s.ExecRaw(ctx, `UPDATE fund_entries SET amount_fen = 1 WHERE id = ?`, rec); err == nil {
			t.Error("an entry was edited")
		}
		if err := s.ExecRaw(ctx, `DELETE FROM fund_entries WHERE id = ?`, spend); err == nil {
			t.Error("an entry was deleted")
		}
		// The county's inspector and the town see it; the other village does not.
		if _, err := s.FundSource(ctx, inspector, src, 0); err != nil {
			t.Errorf("inspector: %v", err)
		}
		_, err = s.FundSource(ctx, other, src, 0)
		wantCode(t, err, safetynet.ENotFound, "the neighbouring village reads")
		// A county budget is seen by the village below, which may not write to it.
		county, _, err := s.CreateFundSource(ctx, f.county, "src-county", funds.Source{Name: "县级财政衔接资金", Kind: funds.SourceBudget, Place: "530325"})
		if err != nil {
			t.Fatal(err)
		}
		l, err := s.FundSources(ctx, f.village, sqlstore.FundSourceFilter{})
		if err != nil || len(l) != 2 || l[0].ID != county || l[0].CanManage || !l[1].CanManage {
			t.Fatalf("village's sources %+v %v", l, err)
		}
		_, _, err = s.AddFundEntry(ctx, f.village, county, "rec-county", funds.Entry{Kind: funds.Receipt, AmountFen: 100, On: day}, nil)
		wantCode(t, err, safetynet.EForbidden, "the village writing to the county's source")
		// The household's page: the insurance for both persons.
		hf, err := s.HouseholdFunds(ctx, f.village, f.household)
		if err != nil || len(hf.Lines) != 2 || hf.MoneyFen != 19800 || hf.Lines[0].SourceName != "2024年帮扶单位资金" {
			t.Fatalf("household funds %+v %v", hf, err)
		}
		_, err = s.HouseholdFunds(ctx, other, f.household)
		wantCode(t, err, safetynet.ENotFound, "the neighbouring village's household funds")
		// Merged into another household, its lines follow.
		into, err := s.CreateHousehold(ctx, f.village, safetynet.HouseholdInput{PlaceCode: "530325002009-01-01", Address: "棠梨湾6号"},
			safetynet.PersonInput{Name: "宋大伯"})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.MergeHouseholds(ctx, f.village, into, f.household); err != nil {
			t.Fatal(err)
		}
		if hf, err := s.HouseholdFunds(ctx, f.village, into); err != nil || len(hf.Lines) != 2 || hf.MoneyFen != 19800 {
			t.Errorf("after the merge %+v %v", hf, err)
		}
		// Figures of the town for 2024, 2023 beside.
		p, _ := funds.ParsePeriod("2024", start)
		fig, err := s.FundFigures(ctx, f.town, "", p)
		if err != nil || fig.Total.Current.Received != 5190000 || fig.Total.Current.Allocated != 19800 || fig.Total.Previous.Received != 0 ||
			fig.Households != 1 {
			t.Fatalf("figures %+v %v", fig, err)
		}
		var unit, village int64
		for _, r := range fig.ByKind {
			if r.Key == funds.SourceUnit {
				unit = r.Current.Received
			}
		}
		for _, r := range fig.ByPlace {
			if r.Key == "530325002009" {
				village = r.Current.Received
			}
		}
		if fig.Reached.Current.Allocated != 19800 {
			t.Errorf("reached %+v", fig.Reached)
		}
		if unit != 5190000 || village != 5190000 {
			t.Errorf("by kind %+v, by place %+v", fig.ByKind, fig.ByPlace)
		}
	})
}

// TestFundsRace: two dozen allocations of 10 yuan arrive at once on a
// source that received 100 yuan: exactly ten are made, the others are
// refused with the balance's message, and nothing is overdrawn.
func TestFundsRace(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		f := newRelay(t, s)
		src, _, err := s.CreateFundSource(ctx, f.town, "src-race-1", funds.Source{Name: "宇信钙业捐赠", Kind: funds.SourceCompany, Donor: "宇信钙业",
			Place: "530325002"})
		if err != nil {
			t.Fatal(err)
		}
		day := s.Now().AddDate(0, 0, -1)
		if _, _, err := s.AddFundEntry(ctx, f.town, src, "race-rec-1", funds.Entry{Kind: funds.Receipt, AmountFen: 10000, On: day}, nil); err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		var mu sync.Mutex
		made, refused := 0, 0
		var allocs []int64
		for i := 0; i < 24; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				id, _, err := s.AddFundEntry(ctx, f.town, src, fmt.Sprintf("race-alloc-%02d", i), funds.Entry{Kind: funds.Allocation, AmountFen: 1000,
					On: day, Target: funds.ToMeasure, Measure: "temporary"}, nil)
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err == nil:
					made++
					allocs = append(allocs, id)
				case safetynet.CodeOf(err) == safetynet.EConflict:
					refused++
				default:
					t.Errorf("allocation %d: %v", i, err)
				}
			}(i)
		}
		wg.Wait()
		d, err := s.FundSource(ctx, f.town, src, 0)
		if err != nil || made != 10 || refused != 14 || d.Allocated != 10000 {
			t.Fatalf("made %d, refused %d, allocated %d (%v)", made, refused, d.Allocated, err)
		}
		// Spending the same allocation twice at once: one of them.
		ok := 0
		for i := 0; i < 2; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				_, _, err := s.AddFundEntry(ctx, f.town, src, fmt.Sprintf("race-spend-%d", i), funds.Entry{Kind: funds.Spend, AmountFen: 800,
					On: day, AllocationID: allocs[0], Payee: "某药店"}, nil)
				mu.Lock()
				defer mu.Unlock()
				if err == nil {
					ok++
				} else if safetynet.CodeOf(err) != safetynet.EConflict {
					t.Errorf("spend %d: %v", i, err)
				}
			}(i)
		}
		wg.Wait()
		if d, _ := s.FundSource(ctx, f.town, src, 0); ok != 1 || d.Spent != 800 {
			t.Fatalf("%d spends made, spent %d", ok, d.Spent)
		}
	})
}
