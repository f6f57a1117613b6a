package funds_test

import (
	"testing"
	"time"

	"safetynet"
	"safetynet/funds"
)

func TestParseYuan(t *testing.T) {
	for _, c := range []struct {
		in  string
		fen int64
		bad string // part of the English reason, if refused
	}{
		{"51,900.00", 5190000, ""},
		{"51900", 5190000, ""},
		{"51900.50", 5190050, ""},
		{"51900.5", 5190050, ""},
		{"¥70,000元", 7000000, ""},
		{"５１９００", 5190000, ""},
		{"5.2万", 5200000, ""},
		{"5.19万", 5190000, ""}, {"520万", 520000000, ""},
		{"0.01", 1, ""},
		{"1000000000", funds.MaxFen, ""},
		{"1000000000.01", 0, "too large"},
		{"99999999999999999999999", 0, "too large"},
		{"-5", 0, "negative"},
		{"1.005", 0, "two decimals"},
		{"1.0000001万", 0, "six decimals"},
		{"0", 0, "more than zero"},
		{"", 0, "enter an amount"},
		{"12a", 0, "written like"},
		{"1e5", 0, "written like"},
		{".", 0, "written like"},
		{"1.2.3", 0, "at most"},
	} {
		fen, err := funds.ParseYuan("amount", c.in)
		if c.bad == "" {
			if err != nil || fen != c.fen {
				t.Errorf("%q: %d, %v; want %d", c.in, fen, err, c.fen)
			}
			continue
		}
		e := safetynet.AsError(err)
		if e == nil || e.Field != "amount" || !contains(e.EN, c.bad) {
			t.Errorf("%q: %d, %v; want a refusal of field amount saying %q", c.in, fen, err, c.bad)
		}
	}
}

func contains(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return true
		}
	}
	return false
}

func TestYuan(t *testing.T) {
	for fen, want := range map[int64]string{0: "0.00", 5: "0.05", 5190000: "51,900.00", 520000000: "5,200,000.00", -12345: "-123.45", 100: "1.00"} {
		if got := funds.Yuan(fen); got != want {
			t.Errorf("Yuan(%d) = %q, want %q", fen, got, want)
		}
	}
}

func TestCheckEntry(t *testing.T) {
	today := time.Date(2024, 11, 12, 10, 0, 0, 0, funds.Zone)
	on := today.AddDate(0, 0, -1)
	ok, err := funds.CheckEntry(funds.Entry{Kind: funds.Allocation, On: on, Target: funds.ToPurchase, Item: "曲靖惠民保",
		Persons: []int64{1, 2, 3, 3}, UnitPriceFen: 9900}, today)
	if err != nil || ok.Quantity != 3 || ok.AmountFen != 29700 {
		t.Fatalf("purchase for named persons: %+v %v", ok, err)
	}
	tanks, err := funds.CheckEntry(funds.Entry{Kind: funds.Allocation, On: on, Target: funds.ToPurchase, Item: "三格化粪池",
		Quantity: 220, UnitPriceFen: 15000, AmountFen: 3300000}, today)
	if err != nil || tanks.AmountFen != 220*15000 {
		t.Fatalf("220 septic tanks: %+v %v", tanks, err)
	}
	for name, c := range map[string]struct {
		e     funds.Entry
		field string
	}{
		"future":           {funds.Entry{Kind: funds.Receipt, On: today.AddDate(0, 0, 1), AmountFen: 1}, "date"},
		"no date":          {funds.Entry{Kind: funds.Receipt, AmountFen: 1}, "date"},
		"negative":         {funds.Entry{Kind: funds.Receipt, On: on, AmountFen: -1}, "amount"},
		"absurd":           {funds.Entry{Kind: funds.Receipt, On: on, AmountFen: funds.MaxFen + 1}, "amount"},
		"zero":             {funds.Entry{Kind: funds.Receipt, On: on}, "amount"},
		"spend no alloc":   {funds.Entry{Kind: funds.Spend, On: on, AmountFen: 1, Payee: "保险公司"}, "allocation_id"},
		"spend no payee":   {funds.Entry{Kind: funds.Spend, On: on, AmountFen: 1, AllocationID: 3}, "payee"},
		"no target":        {funds.Entry{Kind: funds.Allocation, On: on, AmountFen: 1}, "target"},
		"no households":    {funds.Entry{Kind: funds.Allocation, On: on, AmountFen: 1, Target: funds.ToHouseholds}, "households"},
		"no measure":       {funds.Entry{Kind: funds.Allocation, On: on, AmountFen: 1, Target: funds.ToMeasure}, "measure"},
		"in-kind measure":  {funds.Entry{Kind: funds.InKind, On: on, AmountFen: 1, Target: funds.ToMeasure, Measure: "temporary"}, "target"},
		"wrong total":      {funds.Entry{Kind: funds.Allocation, On: on, Target: funds.ToPurchase, Item: "x", Quantity: 2, UnitPriceFen: 100, AmountFen: 300}, "amount"},
		"quantity≠persons": {funds.Entry{Kind: funds.Allocation, On: on, Target: funds.ToPurchase, Item: "x", Quantity: 2, UnitPriceFen: 100, Persons: []int64{1}}, "quantity"},
		"overflow":         {funds.Entry{Kind: funds.Allocation, On: on, Target: funds.ToPurchase, Item: "x", Quantity: 1_000_000, UnitPriceFen: funds.MaxFen}, "amount"},
	} {
		_, err := funds.CheckEntry(c.e, today)
		if e := safetynet.AsError(err); e == nil || e.Field != c.field {
			t.Errorf("%s: %v, want a refusal of field %s", name, err, c.field)
		}
	}
}

func TestBalanceRules(t *testing.T) {
	b := funds.Balance{Received: 5190000, Allocated: 5000000, Spent: 100}
	if err := funds.CheckAllocate(b, 190000); err != nil {
		t.Errorf("allocating exactly what is left: %v", err)
	}
	err := funds.CheckAllocate(b, 190001)
	if e := safetynet.AsError(err); e == nil || e.Code != safetynet.EConflict || !contains(e.ZH, "尚可分配 1,900.00 元") {
		t.Errorf("overdraw: %v", err)
	}
	if err := funds.CheckSpend(100, 0, 101); err == nil {
		t.Error("a spend beyond its allocation was allowed")
	}
	if err := funds.CheckReversal(funds.Original{Kind: funds.Receipt, AmountFen: 300000, Balance: b}, "金额录错"); err == nil {
		t.Error("reversing a receipt that is allocated was allowed")
	}
	if err := funds.CheckReversal(funds.Original{Kind: funds.Allocation, AmountFen: 100, SpentFen: 1}, "录错"); err == nil {
		t.Error("reversing an allocation spent from was allowed")
	}
	if err := funds.CheckReversal(funds.Original{Kind: funds.Spend, AmountFen: 100}, ""); err == nil {
		t.Error("a reversal without a reason was allowed")
	}
	if err := funds.CheckReversal(funds.Original{Kind: funds.Spend, AmountFen: 100, Reversed: true}, "重复"); err == nil {
		t.Error("reversing twice was allowed")
	}
	if err := funds.CheckReversal(funds.Original{Kind: funds.Spend, AmountFen: 100, Reversal: true}, "重复"); err == nil {
		t.Error("reversing a reversal was allowed")
	}
	var sum int64
	sh := funds.Shares(5190000, 37)
	for _, s := range sh {
		sum += s
	}
	if sum != 5190000 || sh[0]-sh[36] > 1 {
		t.Errorf("shares of 51,900.00 between 37: %v", sh)
	}
}

func TestDocumentType(t *testing.T) {
	if ct, err := funds.DocumentType("发票.pdf", []byte("%PDF-1.4 …")); err != nil || ct != "application/pdf" {
		t.Errorf("pdf: %q %v", ct, err)
	}
	if ct, err := funds.DocumentType("a.png", []byte("\x89PNG\r\n\x1a\n....")); err != nil || ct != "image/png" {
		t.Errorf("png: %q %v", ct, err)
	}
	if _, err := funds.DocumentType("a.exe", []byte("MZ\x90\x00")); err == nil {
		t.Error("an executable was taken as a document")
	}
}

func TestParsePeriod(t *testing.T) {
	today := time.Date(2024, 11, 12, 0, 0, 0, 0, funds.Zone)
	for in, want := range map[string][2]string{"": {"2024", "2023"}, "2024-03": {"2024-03", "2024-02"}, "2024-01": {"2024-01", "2023-12"},
		"2024-q1": {"2024-Q1", "2023-Q4"}} {
		p, err := funds.ParsePeriod(in, today)
		if err != nil || p.Label != want[0] || p.PrevLabel != want[1] || !p.PrevFrom.AddDate(0, p.Months, 0).Equal(p.From) {
			t.Errorf("%q: %+v %v", in, p, err)
		}
	}
	for _, in := range []string{"24", "2024-13", "2024-Q5", "x"} {
		if _, err := funds.ParsePeriod(in, today); err == nil {
			t.Errorf("%q was taken", in)
		}
	}
}
