package campaigns

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"safetynet"
)

func day(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestPerCapitaNet(t *testing.T) {
	for _, c := range []struct {
		income, expenses int64
		members          int
		want             int64
	}{
		{1200000, 0, 3, 400000},
		{1200000, 300000, 3, 300000},
		{100, 0, 3, 33},
		{0, 100, 3, -34}, // a loss rounds down, away from the line
		{500, 0, 0, 0},
	} {
		if got := PerCapitaNet(c.income, c.expenses, c.members); got != c.want {
			t.Errorf("PerCapitaNet(%d, %d, %d) = %d, want %d", c.income, c.expenses, c.members, got, c.want)
		}
	}
}

func TestSuggest(t *testing.T) {
	line := int64(6500_00)
	for _, c := range []struct {
		name      string
		perCapita int64
		line      int64
		findings  []string
		want      bool
		below     bool
	}{
		{"above the line, no problem", 7000_00, line, nil, false, false},
		{"at the line is not below", line, line, nil, false, false},
		{"below the line", 6499_99, line, nil, true, true},
		{"a problem found", 9000_00, line, []string{"housing"}, true, false},
		{"no line set: income suggests nothing", 100, 0, nil, false, false},
		{"no line set: a problem still does", 100, 0, []string{"water"}, true, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := Suggest(c.perCapita, c.line, c.findings)
			if s.Suggests != c.want || s.BelowLine != c.below {
				t.Errorf("Suggest = %+v, want suggests %v below %v", s, c.want, c.below)
			}
		})
	}
	if r := Suggest(100, line, []string{"water"}).Reasons(line, "zh"); len(r) != 2 || r[0] != "人均纯收入低于监测线 6500.00 元" || r[1] != "饮水不安全" {
		t.Errorf("reasons %q", r)
	}
}

func TestSuggestHandover(t *testing.T) {
	for _, c := range []struct {
		name   string
		sg     Suggestion
		poor   bool
		cat    string
		causes []string
	}{
		{"low income", Suggestion{BelowLine: true}, false, safetynet.CatMonitorMarginal, []string{"employment"}},
		{"formerly poor", Suggestion{BelowLine: true}, true, safetynet.CatMonitorUnstable, []string{"employment"}},
		{"sudden and housing", Suggestion{Problems: []string{"housing", "sudden"}}, false, safetynet.CatMonitorSudden, []string{"accident", "housing"}},
		{"medical", Suggestion{BelowLine: true, Problems: []string{"medical"}}, false, safetynet.CatMonitorMarginal, []string{"illness"}},
		{"nothing known", Suggestion{}, false, safetynet.CatMonitorMarginal, []string{"other"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			h := SuggestHandover(c.sg, c.poor)
			if h.Category != c.cat || !reflect.DeepEqual(h.Causes, c.causes) {
				t.Errorf("got %+v, want %s %v", h, c.cat, c.causes)
			}
		})
	}
}

func TestCheckScreening(t *testing.T) {
	w := Window{Start: day("2026-07-01"), End: day("2026-07-31")}
	today := day("2026-07-20")
	good := Screening{ClientID: "c1", HouseholdID: 1, Partner: 2, ScreenedOn: day("2026-07-19"), Members: 3,
		Income: map[string]int64{"wages": 1000000, "farming": 0}, Expenses: map[string]int64{"medical": 200000},
		Findings: []string{"water", "housing", "water"}}
	got, err := CheckScreening(good, w, today)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.Findings, []string{"housing", "water"}) || len(got.Income) != 1 || got.PerCapitaFen() != 266666 {
		t.Errorf("cleaned %+v per capita %d", got, got.PerCapitaFen())
	}
	if FormatAmounts(got.Income, IncomeSources) != "wages=1000000" || ParseAmounts("wages=1000000,other=5")["other"] != 5 {
		t.Error("amounts do not round-trip")
	}
	for _, c := range []struct {
		field string
		edit  func(*Screening)
	}{
		{"client_id", func(s *Screening) { s.ClientID = " " }},
		{"partner_id", func(s *Screening) { s.Partner = 0 }},
		{"screened_on", func(s *Screening) { s.ScreenedOn = day("2026-07-21") }},
		{"screened_on", func(s *Screening) { s.ScreenedOn = day("2026-06-30") }},
		{"members", func(s *Screening) { s.Members = 0 }},
		{"income", func(s *Screening) { s.Income = map[string]int64{"lottery": 5} }},
		{"income.wages", func(s *Screening) { s.Income = map[string]int64{"wages": -1} }},
		{"expenses.medical", func(s *Screening) { s.Expenses = map[string]int64{"medical": maxYuanFen + 1} }},
		{"findings", func(s *Screening) { s.Findings = []string{"ghosts"} }},
	} {
		in := good
		c.edit(&in)
		_, err := CheckScreening(in, w, today)
		var e *safetynet.Error
		if !errors.As(err, &e) || e.Field != c.field {
			t.Errorf("%s: got %v", c.field, err)
		}
	}
	stages := []ScreenStage{{Kind: StageMobilise, StartsOn: day("2026-06-01"), EndsOn: day("2026-06-05")},
		{Kind: StageScreen, StartsOn: day("2026-06-06"), EndsOn: day("2026-06-30")}}
	if got := WindowOf(day("2026-06-01"), day("2026-12-31"), stages); !got.End.Equal(day("2026-06-30")) {
		t.Errorf("window %v", got)
	}
	if got := WindowOf(day("2026-06-01"), day("2026-12-31"), nil); !got.End.Equal(day("2026-12-31")) {
		t.Errorf("window without a screening stage %v", got)
	}
	if Share(1, 3) != 333 || Share(0, 0) != 0 {
		t.Error("share")
	}
}
