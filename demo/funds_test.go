package demo_test

import (
	"context"
	"testing"

	"safetynet/access"
	"safetynet/demo"
	"safetynet/funds"
	"safetynet/sqlstore"
	"safetynet/sqlstore/storetest"
)

// TestDemoFunds: the seeds' sources are there with their balances: the
// 2023 unit funds of 70,000 yuan spent whole, those of 2024 of 51,900
// yuan on 220 septic tanks and 惠民保, the company donation of 宇信钙业,
// and 望城区's linked resources of 5.2 million yuan.
func TestDemoFunds(t *testing.T) {
	ctx := context.Background()
	s := storetest.SQLite(t, nil)
	if _, err := demo.Load(ctx, s, demo.Options{}); err != nil {
		t.Fatal(err)
	}
	l, err := s.FundSources(ctx, access.System(), sqlstore.FundSourceFilter{})
	if err != nil {
		t.Fatal(err)
	}
	by := map[string]sqlstore.FundSource{}
	for _, x := range l {
		by[x.Name] = x
	}
	if x := by["2023年帮扶单位资金"]; x.Received != 7000000 || x.Spent != 7000000 || x.Unallocated() != 0 {
		t.Errorf("2023: %+v", x.Balance)
	}
	if x := by["2024年帮扶单位资金"]; x.Received != 5190000 || x.Allocated <= 220*21800 || x.Spent != x.Allocated {
		t.Errorf("2024: %+v", x.Balance)
	}
	if x := by["宇信钙业捐赠"]; x.Kind != funds.SourceCompany || x.Received != 2000000 || x.InKind == 0 {
		t.Errorf("宇信钙业: %+v", x)
	}
	if x := by["望城区服务类救助链接资源"]; x.InKind != 520000000 {
		t.Errorf("望城区: %+v", x)
	}
	if _, err := demo.Load(ctx, s, demo.Options{}); err != nil {
		t.Fatalf("a second load: %v", err)
	}
}
