package demo

import (
	"context"
	"fmt"
	"time"

	"safetynet/access"
	"safetynet/funds"
	"safetynet/sqlstore"
)

// LoadFunds adds the sources of seeds 000 and 003 with some of their
// entries:
//   - 腰站社区's support unit's funds (帮扶单位资金) of 2023, 70,000 yuan:
//     the party-mass service centre and its furniture, and 曲靖惠民保 for
//     14 households / 37 persons (a quantity: the persons are not all in
//     the demo register);
//   - those of 2024, 51,900 yuan: 220 plastic three-compartment septic
//     tanks and 曲靖惠民保 for named persons of the demo register, both
//     paid with invoices;
//   - a company donation from 宇信钙业 to 胜境街道 this year, partly
//     allocated to 临时救助, with rice and oil given in kind to households;
//   - 富源县's budget (衔接资金) last year and this year, for the figures'
//     previous period;
//   - 望城区's service assistance linked resources (链接资源) worth 5.2
//     million yuan (seed 003).
func LoadFunds(ctx context.Context, s *sqlstore.Store) error {
	as, err := demoActors(ctx, s, "funds", "village", "town", "county", "wc-county")
	if err != nil {
		return err
	}
	village, town, county, wc := as[0], as[1], as[2], as[3]
	persons, households, err := demoRecipients(ctx, s, village, 35)
	if err != nil {
		return err
	}
	today := funds.Day(s.Now())
	day := func(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, funds.Zone) }
	ago := func(days int) time.Time { return today.AddDate(0, 0, -days) }
	type entry struct {
		ref string // a name later entries use for their allocation
		funds.Entry
		spendOf string
	}
	for _, src := range []struct {
		who     access.Actor
		source  funds.Source
		entries []entry
	}{
		{village, funds.Source{Name: "2023年帮扶单位资金", Kind: funds.SourceUnit, Donor: "驻村工作队派出单位", Place: Yaozhan,
			Note: "驻村工作队向单位汇报争取"}, []entry{
			{"", funds.Entry{Kind: funds.Receipt, AmountFen: 7000000, On: day(2023, 3, 15), DocNo: "帮扶资金2023-01", Payee: "驻村工作队派出单位"}, ""},
			{"centre", funds.Entry{Kind: funds.Allocation, On: day(2023, 3, 20), Target: funds.ToPurchase, Item: "党群服务中心建设及办公桌椅",
				Quantity: 1, UnitPriceFen: 6633700}, ""},
			{"ins23", funds.Entry{Kind: funds.Allocation, On: day(2023, 4, 1), Target: funds.ToPurchase, Item: "曲靖惠民保",
				Quantity: 37, UnitPriceFen: 9900, Note: "14户37人未消除风险的三类监测对象"}, ""},
			{"", funds.Entry{Kind: funds.Spend, AmountFen: 366300, On: day(2023, 4, 10), Payee: "曲靖惠民保承保公司", DocNo: "INV-2023-0410"}, "ins23"},
			{"", funds.Entry{Kind: funds.Spend, AmountFen: 6633700, On: day(2023, 6, 30), Payee: "党群服务中心施工单位", DocNo: "INV-2023-0630"}, "centre"},
		}},
		{village, funds.Source{Name: "2024年帮扶单位资金", Kind: funds.SourceUnit, Donor: "驻村工作队派出单位", Place: Yaozhan}, []entry{
			{"", funds.Entry{Kind: funds.Receipt, AmountFen: 5190000, On: day(2024, 3, 12), DocNo: "帮扶资金2024-01", Payee: "驻村工作队派出单位"}, ""},
			{"tanks", funds.Entry{Kind: funds.Allocation, On: day(2024, 4, 2), Target: funds.ToPurchase, Item: "塑料小三格化粪池",
				Quantity: 220, UnitPriceFen: 21800, Note: "人居环境整治缺口经费"}, ""},
			{"ins24", funds.Entry{Kind: funds.Allocation, On: day(2024, 4, 8), Target: funds.ToPurchase, Item: "曲靖惠民保",
				Persons: persons, UnitPriceFen: 9900, Note: "未消除风险的三类监测对象"}, ""},
			{"", funds.Entry{Kind: funds.Spend, AmountFen: 4796000, On: day(2024, 5, 6), Payee: "某环保设备公司", DocNo: "INV-2024-0506"}, "tanks"},
			{"", funds.Entry{Kind: funds.Spend, AmountFen: int64(len(persons)) * 9900, On: day(2024, 4, 15), Payee: "曲靖惠民保承保公司",
				DocNo: "INV-2024-0415"}, "ins24"},
		}},
		{town, funds.Source{Name: "宇信钙业捐赠", Kind: funds.SourceCompany, Donor: "宇信钙业", Place: "530325002"}, []entry{
			{"", funds.Entry{Kind: funds.Receipt, AmountFen: 2000000, On: ago(40), DocNo: "捐赠协议2026-02", Payee: "宇信钙业"}, ""},
			{"temp", funds.Entry{Kind: funds.Allocation, AmountFen: 500000, On: ago(35), Target: funds.ToMeasure, Measure: "temporary",
				Note: "用于突发严重困难户临时救助"}, ""},
			{"", funds.Entry{Kind: funds.InKind, AmountFen: 60000 * int64(max(1, len(households))), On: ago(30), Target: funds.ToHouseholds,
				Item: "米和油", Households: households, Payee: "宇信钙业"}, ""},
		}},
		{county, funds.Source{Name: "富源县财政衔接资金", Kind: funds.SourceBudget, Place: "530325", Note: "县级财政安排的衔接推进乡村振兴补助资金"}, []entry{
			{"", funds.Entry{Kind: funds.Receipt, AmountFen: 30000000, On: ago(400), DocNo: "富财农〔上年〕12号"}, ""},
			{"", funds.Entry{Kind: funds.Receipt, AmountFen: 20000000, On: ago(20), DocNo: "富财农〔本年〕8号"}, ""},
			{"", funds.Entry{Kind: funds.Allocation, AmountFen: 8000000, On: ago(15), Target: funds.ToMeasure, Measure: "temporary"}, ""},
		}},
		{wc, funds.Source{Name: "望城区服务类救助链接资源", Kind: funds.SourceDonation, Donor: "爱心企业和社会组织", Place: "430112",
			Note: "星火救助等服务类救助项目链接的资源"}, []entry{
			{"", funds.Entry{Kind: funds.InKind, AmountFen: 520000000, On: ago(10), Target: funds.ToPurchase, Item: "星火救助等服务类救助项目",
				Quantity: 1, UnitPriceFen: 520000000}, ""},
		}},
	} {
		id, dup, err := s.CreateFundSource(ctx, src.who, "demo-fund-"+src.source.Name, src.source)
		if err != nil {
			return fmt.Errorf("demo: fund source %s: %w", src.source.Name, err)
		}
		if dup {
			continue // loaded before
		}
		refs := map[string]int64{}
		for i, e := range src.entries {
			if e.Kind == funds.Allocation && e.Target == funds.ToPurchase && e.Persons != nil && len(e.Persons) == 0 {
				continue
			}
			if e.Kind == funds.InKind && e.Target == funds.ToHouseholds && len(e.Households) == 0 {
				continue
			}
			if e.spendOf != "" {
				if e.AllocationID = refs[e.spendOf]; e.AllocationID == 0 || e.AmountFen == 0 {
					continue
				}
			}
			eid, _, err := s.AddFundEntry(ctx, src.who, id, fmt.Sprintf("demo-entry-%d-%d", id, i), e.Entry, nil)
			if err != nil {
				return fmt.Errorf("demo: fund entry %s %d: %w", src.source.Name, i, err)
			}
			if e.ref != "" {
				refs[e.ref] = eid
			}
		}
	}
	return nil
}

// demoRecipients names up to n active persons of 腰站社区's households
// and the households themselves (at most 14), for 惠民保 and rice and oil.
func demoRecipients(ctx context.Context, s *sqlstore.Store, village access.Actor, n int) ([]int64, []int64, error) {
	hs, err := s.Households(ctx, village, sqlstore.HouseholdFilter{PlaceCode: Yaozhan, Limit: 14})
	if err != nil {
		return nil, nil, fmt.Errorf("demo: funds recipients: %w", err)
	}
	persons, households := []int64{}, []int64{}
	for _, h := range hs {
		households = append(households, h.ID)
		v, err := s.HouseholdView(ctx, village, h.ID)
		if err != nil {
			return nil, nil, fmt.Errorf("demo: funds recipients: %w", err)
		}
		for _, p := range v.Members {
			if len(persons) < n {
				persons = append(persons, p.ID)
			}
		}
	}
	return persons, households, nil
}
