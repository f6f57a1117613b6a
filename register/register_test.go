package register

import (
	"testing"
	"time"

	"safetynet"
)

var today = time.Date(2025, time.June, 6, 10, 0, 0, 0, time.UTC)

// fieldOf names the field a domain error blames ("" for no error).
func fieldOf(err error) string {
	if err == nil {
		return ""
	}
	if e := safetynet.AsError(err); e != nil {
		return e.Field + ":" + string(e.Code)
	}
	return "?"
}

func TestCheckMove(t *testing.T) {
	tests := []struct {
		name  string
		in    Move
		field string
		rel   string
	}{
		{"nobody", Move{To: 2}, "persons:invalid", ""},
		{"as head", Move{Persons: []int64{1}, To: 2, Relation: "head"}, "relation:invalid", ""},
		{"unknown relation", Move{Persons: []int64{1}, To: 2, Relation: "cousin?"}, "relation:invalid", ""},
		{"defaults", Move{Persons: []int64{1}, To: 2}, "", "other"},
		{"spouse", Move{Persons: []int64{1}, To: 2, Relation: "spouse"}, "", "spouse"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := CheckMove(tt.in, today)
			if fieldOf(err) != tt.field {
				t.Fatalf("err = %v, want %q", err, tt.field)
			}
			if err == nil && (got.Relation != tt.rel || !got.Date.Equal(today)) {
				t.Errorf("got %+v, want relation %q dated today", got, tt.rel)
			}
		})
	}
}

func TestMoveChecks(t *testing.T) {
	active := safetynet.Household{ID: 2, Status: safetynet.StatusActive}
	merged := safetynet.Household{ID: 3, Status: safetynet.StatusMerged}
	tests := []struct {
		name  string
		err   error
		field string
	}{
		{"into an active household", CheckMoveTarget(active), ""},
		{"into a merged household", CheckMoveTarget(merged), "to:invalid"},
		{"an active person", CheckMover(safetynet.Person{Name: "李四", HouseholdID: 1, Status: safetynet.StatusActive}, active), ""},
		{"a deceased person", CheckMover(safetynet.Person{Name: "李四", HouseholdID: 1, Status: safetynet.StatusDeceased}, active), "persons:invalid"},
		{"already there", CheckMover(safetynet.Person{Name: "李四", HouseholdID: 2, Status: safetynet.StatusActive}, active), "persons:invalid"},
		{"split with the head among the members", CheckSplit([]int64{4, 5}, 5), ""},
		{"split with the head elsewhere", CheckSplit([]int64{4, 5}, 6), "head:invalid"},
		{"split with nobody", CheckSplit(nil, 6), "head:invalid"},
		{"a member of the household split", CheckSplitMember(7, 7), ""},
		{"a member of another household", CheckSplitMember(8, 7), "members:invalid"},
		{"merge two", CheckMerge(1, 2), ""},
		{"merge with itself", CheckMerge(2, 2), "into:invalid"},
		{"merge active households", CheckMergeable(active, active), ""},
		{"merge a merged household", CheckMergeable(active, merged), "into:invalid"},
		{"merge into a merged household", CheckMergeable(merged, active), "into:invalid"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := fieldOf(tt.err); got != tt.field {
				t.Errorf("err = %v, want %q", tt.err, tt.field)
			}
		})
	}
}

func TestDecidesOldHousehold(t *testing.T) {
	head, member := safetynet.Person{Relation: "head"}, safetynet.Person{Relation: "child"}
	if !DecidesOldHousehold(member, false) || !DecidesOldHousehold(head, true) || DecidesOldHousehold(member, true) {
		t.Error("the first mover stands for their old household, unless its head leaves too")
	}
}

func TestAssign(t *testing.T) {
	start := today.AddDate(-1, 0, 0)
	held := []safetynet.Assignment{
		{ID: 1, Category: safetynet.CatMonitorMarginal, Start: start},
		{ID: 2, Category: safetynet.CatRisk, RiskType: "illness", Start: start},
		{ID: 3, Category: "dibao", Start: start},
	}
	cat := func(code string) safetynet.Category { c, _ := safetynet.CategoryByCode(code); return c }
	tests := []struct {
		name     string
		in       safetynet.NewAssignment
		field    string
		replaced []int64
	}{
		{"same category twice", safetynet.NewAssignment{Category: "dibao"}, "category:conflict", nil},
		{"same risk twice", safetynet.NewAssignment{Category: safetynet.CatRisk, RiskType: "illness"}, "category:conflict", nil},
		{"another risk", safetynet.NewAssignment{Category: safetynet.CatRisk, RiskType: "accident"}, "", nil},
		{"monitoring group replaces", safetynet.NewAssignment{Category: safetynet.CatMonitorSudden}, "", []int64{1}},
		{"no group replaces nothing", safetynet.NewAssignment{Category: "tekun"}, "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Assign(held, cat(tt.in.Category), tt.in)
			if fieldOf(err) != tt.field {
				t.Fatalf("err = %v, want %q", err, tt.field)
			}
			var ids []int64
			for _, x := range got {
				ids = append(ids, x.ID)
			}
			if len(ids) != len(tt.replaced) || (len(ids) > 0 && ids[0] != tt.replaced[0]) {
				t.Errorf("replaced = %v, want %v", ids, tt.replaced)
			}
		})
	}
}

func TestCheckEnd(t *testing.T) {
	start := today.AddDate(0, -2, 0)
	active := safetynet.Assignment{Start: start}
	ended := safetynet.Assignment{Start: start, End: today.AddDate(0, -1, 0)}
	tests := []struct {
		name  string
		x     safetynet.Assignment
		end   time.Time
		field string
	}{
		{"today by default", active, time.Time{}, ""},
		{"on its start", active, start, ""},
		{"before its start", active, start.AddDate(0, 0, -1), "end:invalid"},
		{"in the future", active, today.AddDate(0, 0, 1), "end:invalid"},
		{"twice", ended, today, "end:conflict"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := CheckEnd(tt.x, safetynet.EndAssignment{End: tt.end, Reason: "exited"}, today)
			if fieldOf(err) != tt.field {
				t.Fatalf("err = %v, want %q", err, tt.field)
			}
			if err == nil && got.End.IsZero() {
				t.Error("no end date set")
			}
		})
	}
	if fieldOf(CheckEndReason("whatever")) != "reason:invalid" || CheckEndReason("risk_eliminated") != nil {
		t.Error("CheckEndReason accepts only EndReasons codes")
	}
}

func TestCaseLabels(t *testing.T) {
	codes := func(in []safetynet.NewAssignment) []string {
		var out []string
		for _, a := range in {
			out = append(out, a.Category+"/"+a.RiskType)
		}
		return out
	}
	tests := []struct {
		name   string
		active []safetynet.Assignment
		risks  []string
		want   []string
	}{
		{"unmonitored household", nil, []string{"illness", "accident"},
			[]string{"monitor_sudden/illness", "risk/illness", "risk/accident"}},
		{"monitored household", []safetynet.Assignment{{Category: safetynet.CatMonitorMarginal}}, []string{"illness"},
			[]string{"risk/illness"}},
		{"risk already carried", []safetynet.Assignment{{Category: safetynet.CatMonitorMarginal}, {Category: safetynet.CatRisk, RiskType: "illness"}},
			[]string{"illness", "accident"}, []string{"risk/accident"}},
		{"no risks", nil, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := CaseLabels(tt.active, tt.risks, today, "案件 #1")
			if g := codes(got); len(g) != len(tt.want) || (len(g) > 0 && (g[0] != tt.want[0] || g[len(g)-1] != tt.want[len(tt.want)-1])) {
				t.Errorf("CaseLabels = %v, want %v", g, tt.want)
			}
			for _, a := range got {
				if a.Source != "case" || !a.Start.Equal(today) || a.Reason != "案件 #1" {
					t.Errorf("label %+v: want source case, start today and the reason", a)
				}
			}
		})
	}
}

func TestCheckDuplicateDecision(t *testing.T) {
	tests := []struct {
		keep, other int64
		decision    string
		lo, hi      int64
		field       string
	}{
		{9, 4, DuplicateSame, 4, 9, ""},
		{4, 9, DuplicateDifferent, 4, 9, ""},
		{4, 4, DuplicateSame, 0, 0, "other:invalid"},
		{4, 9, "maybe", 0, 0, "decision:invalid"},
	}
	for _, tt := range tests {
		lo, hi, err := CheckDuplicateDecision(tt.keep, tt.other, tt.decision)
		if fieldOf(err) != tt.field || lo != tt.lo || hi != tt.hi {
			t.Errorf("CheckDuplicateDecision(%d, %d, %q) = %d, %d, %v", tt.keep, tt.other, tt.decision, lo, hi, err)
		}
	}
}
