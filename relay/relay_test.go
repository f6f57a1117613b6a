package relay

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"safetynet"
)

var cst = time.FixedZone("CST", 8*60*60)

func TestChainLevels(t *testing.T) {
	want := []safetynet.Level{safetynet.LevelGrid, safetynet.LevelVillage, safetynet.LevelTown, safetynet.LevelCounty}
	if !slices.Equal(ChainLevels, want) {
		t.Fatalf("ChainLevels = %v, want %v", ChainLevels, want)
	}
	for i := 1; i < len(ChainLevels); i++ {
		if ChainLevels[i].Rank() >= ChainLevels[i-1].Rank() {
			t.Errorf("ChainLevels[%d] = %s does not rank above %s", i, ChainLevels[i], ChainLevels[i-1])
		}
	}
}

func TestEscalation(t *testing.T) {
	tests := []struct {
		from     safetynet.Level
		want     safetynet.Level
		wantRole safetynet.Role
		wantOK   bool
	}{
		{safetynet.LevelGrid, safetynet.LevelVillage, safetynet.RoleVillageStaff, true},
		{safetynet.LevelVillage, safetynet.LevelTown, safetynet.RoleTownOfficer, true},
		{safetynet.LevelTown, safetynet.LevelCounty, safetynet.RoleCountyOfficer, true},
		{safetynet.LevelCounty, safetynet.LevelCounty, "", false},
		{safetynet.LevelGroup, safetynet.LevelGroup, "", false},
		{safetynet.LevelPrefecture, safetynet.LevelPrefecture, "", false},
		{"", "", "", false},
	}
	for _, tt := range tests {
		t.Run(string(tt.from), func(t *testing.T) {
			got, role, ok := Escalation(tt.from)
			if got != tt.want || role != tt.wantRole || ok != tt.wantOK {
				t.Errorf("Escalation(%q) = %q, %q, %v; want %q, %q, %v", tt.from, got, role, ok, tt.want, tt.wantRole, tt.wantOK)
			}
			next, ok2 := NextLevel(tt.from)
			if next != tt.want || ok2 != tt.wantOK {
				t.Errorf("NextLevel(%q) = %q, %v", tt.from, next, ok2)
			}
		})
	}
}

func TestRoleOfLevel(t *testing.T) {
	tests := []struct {
		level safetynet.Level
		want  safetynet.Role
		ok    bool
	}{
		{safetynet.LevelGrid, safetynet.RoleGridWorker, true},
		{safetynet.LevelVillage, safetynet.RoleVillageStaff, true},
		{safetynet.LevelTown, safetynet.RoleTownOfficer, true},
		{safetynet.LevelCounty, safetynet.RoleCountyOfficer, true},
		{safetynet.LevelGroup, "", false},
	}
	for _, tt := range tests {
		if got, ok := RoleOfLevel(tt.level); got != tt.want || ok != tt.ok {
			t.Errorf("RoleOfLevel(%q) = %q, %v; want %q, %v", tt.level, got, ok, tt.want, tt.ok)
		}
	}
}

func TestOwnerLevel(t *testing.T) {
	has := func(levels ...safetynet.Level) func(safetynet.Level) (bool, error) {
		return func(l safetynet.Level) (bool, error) { return slices.Contains(levels, l), nil }
	}
	tests := []struct {
		name   string
		start  safetynet.Level
		exists func(safetynet.Level) (bool, error)
		want   safetynet.Level
		ok     bool
	}{
		{"grid exists", safetynet.LevelGrid, has(safetynet.LevelGrid, safetynet.LevelVillage), safetynet.LevelGrid, true},
		{"village without grids answers grid steps", safetynet.LevelGrid, has(safetynet.LevelVillage, safetynet.LevelTown), safetynet.LevelVillage, true},
		{"village step under a town directly", safetynet.LevelVillage, has(safetynet.LevelTown, safetynet.LevelCounty), safetynet.LevelTown, true},
		{"county decision", safetynet.LevelCounty, has(safetynet.LevelCounty), safetynet.LevelCounty, true},
		{"nothing above", safetynet.LevelVillage, has(), "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok, err := OwnerLevel(tt.start, tt.exists)
			if err != nil || got != tt.want || ok != tt.ok {
				t.Errorf("OwnerLevel(%q) = %q, %v, %v; want %q, %v", tt.start, got, ok, err, tt.want, tt.ok)
			}
		})
	}
	boom := errors.New("boom")
	if _, _, err := OwnerLevel(safetynet.LevelGrid, func(safetynet.Level) (bool, error) { return false, boom }); !errors.Is(err, boom) {
		t.Errorf("OwnerLevel passed on error %v, want boom", err)
	}
}

func TestStepDeadlines(t *testing.T) {
	now := time.Date(2025, time.June, 6, 16, 0, 0, 0, cst) // a Friday
	limits := safetynet.DefaultTimeLimits
	temporary := safetynet.Measure{Code: "temporary", ZH: "临时救助", Level: safetynet.LevelTown, CountyAboveFen: 500000, DecisionDays: 3}
	tests := []struct {
		name string
		got  Opening
		want Opening
	}{
		{"urgent clue acknowledged in 2 hours", AcknowledgeStep(limits, "urgent", now),
			Opening{StepAcknowledge, safetynet.LevelVillage, now.Add(2 * time.Hour), 2 * time.Hour}},
		{"normal clue acknowledged in a day", AcknowledgeStep(limits, "normal", now),
			Opening{StepAcknowledge, safetynet.LevelVillage, now.Add(24 * time.Hour), 24 * time.Hour}},
		{"unknown urgency is normal", AcknowledgeStep(limits, "", now),
			Opening{StepAcknowledge, safetynet.LevelVillage, now.Add(24 * time.Hour), 24 * time.Hour}},
		{"urgent visit in a day", VerifyStep(limits, "urgent", now),
			Opening{StepVerify, safetynet.LevelVillage, now.Add(24 * time.Hour), 24 * time.Hour}},
		{"normal visit in 3 days", VerifyStep(limits, "normal", now),
			Opening{StepVerify, safetynet.LevelVillage, now.Add(72 * time.Hour), 72 * time.Hour}},
		{"urgent first help in a day", HelpStep(limits, "urgent", now),
			Opening{StepHelp, safetynet.LevelVillage, now.Add(24 * time.Hour), 24 * time.Hour}},
		{"临时救助 of 5,000 yuan: the town, 3 working days over a weekend", DecideStep(temporary, 500000, now),
			Opening{StepDecide, safetynet.LevelTown, now.AddDate(0, 0, 5), 5 * 24 * time.Hour}},
		{"临时救助 above 5,000 yuan: the county", DecideStep(temporary, 500001, now),
			Opening{StepDecide, safetynet.LevelCounty, now.AddDate(0, 0, 5), 5 * 24 * time.Hour}},
		{"follow-up by the end of its day, at the grid", FollowupStep(time.Date(2025, time.June, 9, 0, 0, 0, 0, time.UTC), now),
			Opening{StepFollowup, safetynet.LevelGrid, time.Date(2025, time.June, 9, 23, 59, 59, 0, cst), 24 * time.Hour}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got.Kind != tt.want.Kind || tt.got.Level != tt.want.Level || !tt.got.Due.Equal(tt.want.Due) || tt.got.Interval != tt.want.Interval {
				t.Errorf("got %+v, want %+v", tt.got, tt.want)
			}
		})
	}
}

func TestApprovalLevel(t *testing.T) {
	temporary := safetynet.Measure{Code: "temporary", Level: safetynet.LevelTown, CountyAboveFen: 500000}
	tests := []struct {
		name   string
		m      safetynet.Measure
		amount int64
		want   safetynet.Level
	}{
		{"below the county threshold", temporary, 499999, safetynet.LevelTown},
		{"at the county threshold", temporary, 500000, safetynet.LevelTown},
		{"above the county threshold", temporary, 500001, safetynet.LevelCounty},
		{"zero amount", temporary, 0, safetynet.LevelTown},
		{"negative amount", temporary, -1, safetynet.LevelTown},
		{"no threshold, huge amount", safetynet.Measure{Level: safetynet.LevelVillage}, 1 << 40, safetynet.LevelVillage},
		{"county measure", safetynet.Measure{Level: safetynet.LevelCounty}, 100, safetynet.LevelCounty},
		{"village measure above threshold", safetynet.Measure{Level: safetynet.LevelVillage, CountyAboveFen: 100}, 101, safetynet.LevelCounty},
		{"village measure at threshold", safetynet.Measure{Level: safetynet.LevelVillage, CountyAboveFen: 100}, 100, safetynet.LevelVillage},
		{"no level defaults to town", safetynet.Measure{}, 100, safetynet.LevelTown},
		{"no level above threshold", safetynet.Measure{CountyAboveFen: 10}, 11, safetynet.LevelCounty},
		{"negative threshold is ignored", safetynet.Measure{Level: safetynet.LevelVillage, CountyAboveFen: -5}, 100, safetynet.LevelVillage},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ApprovalLevel(tt.m, tt.amount); got != tt.want {
				t.Errorf("ApprovalLevel(%d) = %q, want %q", tt.amount, got, tt.want)
			}
		})
	}
}

func TestDigest(t *testing.T) {
	for n, want := range map[int]bool{0: false, 1: false, 3: false, 4: true, 90: true} {
		if got := Digest(n); got != want {
			t.Errorf("Digest(%d) = %v, want %v", n, got, want)
		}
	}
}

func TestEndReason(t *testing.T) {
	for _, o := range safetynet.CaseOutcomes {
		r := EndReason(o.Code)
		if !safetynet.EndReasons.Valid(r) {
			t.Errorf("EndReason(%q) = %q, not an end reason", o.Code, r)
		}
	}
	tests := map[string]string{"risk_eliminated": "risk_eliminated", "stable": "exited", "moved_away": "moved_away",
		"deceased": "deceased", "transferred": "other", "other": "other", "nonsense": "other"}
	for outcome, want := range tests {
		if got := EndReason(outcome); got != want {
			t.Errorf("EndReason(%q) = %q, want %q", outcome, got, want)
		}
	}
}

func TestVerifyOutcome(t *testing.T) {
	tests := []struct {
		decision, urgency string
		want              VisitOutcome
	}{
		{"no_action", "urgent", VisitOutcome{ClueStatus: ClueClosed}},
		{"emergency", "normal", VisitOutcome{ClueStatus: ClueCase, OpenCase: true, CaseUrgency: "urgent", NeedsHousehold: true}},
		{"open_case", "normal", VisitOutcome{ClueStatus: ClueCase, OpenCase: true, CaseUrgency: "normal", NeedsHousehold: true}},
		{"open_case", "urgent", VisitOutcome{ClueStatus: ClueCase, OpenCase: true, CaseUrgency: "urgent", NeedsHousehold: true}},
	}
	for _, tt := range tests {
		t.Run(tt.decision+"/"+tt.urgency, func(t *testing.T) {
			if got := VerifyOutcome(tt.decision, tt.urgency); got != tt.want {
				t.Errorf("VerifyOutcome = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestCheckVerification(t *testing.T) {
	now := time.Date(2025, time.June, 6, 16, 0, 0, 0, cst)
	tests := []struct {
		name  string
		in    Verification
		field string // "" when valid
	}{
		{"no decision", Verification{}, "decision"},
		{"unknown checklist item", Verification{Decision: "no_action", Checklist: map[string]string{"x": "ok"}}, "checklist"},
		{"bad checklist value", Verification{Decision: "no_action", Checklist: map[string]string{"food": "bad"}}, "checklist"},
		{"unknown risk", Verification{Decision: "open_case", Risks: []string{"nope"}}, "risks"},
		{"case without risk", Verification{Decision: "open_case"}, "risks"},
		{"note too long", Verification{Decision: "no_action", Note: strings.Repeat("字", 1001)}, "note"},
		{"no action", Verification{Decision: "no_action"}, ""},
		{"case", Verification{Decision: "emergency", Risks: []string{"accident", "accident"}}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := CheckVerification(tt.in, now)
			if tt.field != "" {
				if e := safetynet.AsError(err); e == nil || e.Field != tt.field {
					t.Fatalf("err = %v, want one naming %q", err, tt.field)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !got.VisitedAt.Equal(now) {
				t.Errorf("VisitedAt = %s, want now", got.VisitedAt)
			}
			if len(tt.in.Risks) > 0 && len(got.Risks) != 1 {
				t.Errorf("Risks = %v, want repeats dropped", got.Risks)
			}
		})
	}
}

func TestNotices(t *testing.T) {
	m := safetynet.Measure{ZH: "临时救助", DecisionDays: 10}
	tests := []struct {
		name       string
		n          Notice
		kind, link string
		body       string
	}{
		{"new clue", NewClueNotice(7, "urgent", nil), NoticeClueNew, "/clues/7", "线索 #7（紧急）待响应"},
		{"acknowledged", AcknowledgedNotice(7, "王芳"), NoticeAcknowledged, "/clues/7", "线索 #7 已由 王芳 响应"},
		{"application", ApplyNotice(3, m, nil), NoticeApply, "/cases/3", "案件 #3 申请临时救助，请在10个工作日内审批"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.n.Kind != tt.kind || tt.n.Link != tt.link || tt.n.Body != tt.body || tt.n.Subject == "" {
				t.Errorf("got %+v, want kind %q link %q body %q", tt.n, tt.kind, tt.link, tt.body)
			}
		})
	}
	owner, town := CaseNotices(5, "normal", nil)
	if owner.Kind != NoticeCaseOpen || owner.CaseID != 5 || town != nil {
		t.Errorf("normal case: %+v, town %v; want the owner only", owner, town)
	}
	if _, town := CaseNotices(5, "urgent", nil); town == nil || town.Link != "/cases/5" {
		t.Errorf("urgent case: town notice %v, want one", town)
	}
	if got := EscalatedBody("城关镇"); got != "事项已超时，转交城关镇处理" {
		t.Errorf("EscalatedBody = %q", got)
	}
	if got := DigestBody("12", "城关镇"); got != "12 项事项已超时，转交城关镇处理" {
		t.Errorf("DigestBody = %q", got)
	}
}

func TestCaseChecks(t *testing.T) {
	now := time.Date(2025, time.June, 6, 16, 0, 0, 0, cst)
	field := func(err error) string {
		if e := safetynet.AsError(err); e != nil {
			return e.Field
		}
		return ""
	}
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"emergency without description", second(CheckEmergency(Emergency{}, now)), "description"},
		{"emergency with a negative cost", second(CheckEmergency(Emergency{Description: "送医", CostFen: -1}, now)), "cost"},
		{"emergency", second(CheckEmergency(Emergency{Description: "送医", CostFen: 100}, now)), ""},
		{"negative amount", second(CheckApplication(Application{AmountFen: -1})), "amount"},
		{"amount above the bound", second(CheckApplication(Application{AmountFen: MaxAmountFen + 1})), "amount"},
		{"period ending before it starts", second(CheckApplication(Application{PeriodStart: now, PeriodEnd: now.AddDate(0, 0, -1)})), "period_end"},
		{"application", second(CheckApplication(Application{AmountFen: MaxAmountFen, PeriodStart: now, PeriodEnd: now})), ""},
		{"inactive measure", CheckApplyTo(safetynet.Measure{}), "measure"},
		{"active measure", CheckApplyTo(safetynet.Measure{Active: true}), ""},
		{"no outcome", CheckOutcome(""), "outcome"},
		{"risk eliminated", CheckOutcome("risk_eliminated"), ""},
		{"follow-up yesterday", CheckFollowupDay(now.AddDate(0, 0, -1), now), "due"},
		{"follow-up today", CheckFollowupDay(time.Date(2025, time.June, 6, 0, 0, 0, 0, cst), now), ""},
		{"follow-up in a year", CheckFollowupDay(now.AddDate(1, 0, 0), now), ""},
		{"follow-up past a year", CheckFollowupDay(now.AddDate(1, 0, 1), now), "due"},
		{"follow-up without a date", CheckFollowupDay(time.Time{}, now), "due"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := field(tt.err); got != tt.want || (tt.want == "" && tt.err != nil) {
				t.Errorf("err = %v, want field %q", tt.err, tt.want)
			}
		})
	}
	if e, _ := CheckEmergency(Emergency{Description: "送医", DoneAt: now.Add(time.Hour)}, now); !e.DoneAt.Equal(now) {
		t.Errorf("an emergency in the future is dated %s, want now", e.DoneAt)
	}
}

func second[T any](_ T, err error) error { return err }

func TestDecide(t *testing.T) {
	tests := []struct {
		approve    bool
		reason     string
		wantStatus string
		wantErr    bool
	}{
		{true, "", ApplicationApproved, false},
		{true, " 符合条件 ", ApplicationApproved, false},
		{false, "", "", true},
		{false, "收入超标", ApplicationRejected, false},
	}
	for _, tt := range tests {
		status, reason, err := Decide(tt.approve, tt.reason)
		if status != tt.wantStatus || (err != nil) != tt.wantErr {
			t.Errorf("Decide(%v, %q) = %q, %q, %v", tt.approve, tt.reason, status, reason, err)
		}
		if err == nil && reason != strings.TrimSpace(tt.reason) {
			t.Errorf("reason %q not trimmed", reason)
		}
	}
}

func TestPeriod(t *testing.T) {
	at := func(h int) time.Time { return time.Date(2026, 3, 2, 0, 0, 0, 0, cst).Add(time.Duration(h) * time.Hour) }
	facts := []ClueFact{
		// Found by the grid worker, helped after 10 hours, risk eliminated.
		{Source: "grid", Household: 1, Reported: at(0), Acknowledged: at(1), Verified: at(5), HasCase: true, FirstHelp: at(10), Closed: at(100), Outcome: "risk_eliminated"},
		// The same household again, by a visit: counted once.
		{Source: "visit", Household: 1, Reported: at(0), Acknowledged: at(3), Verified: at(6), HasCase: true, FirstHelp: at(20)},
		// A hotline call helped: not active discovery.
		{Source: "hotline", Household: 2, Reported: at(0), Acknowledged: at(2), Verified: at(4), HasCase: true, FirstHelp: at(30)},
		// Not yet acknowledged.
		{Source: "self", Reported: at(0)},
	}
	pf := Period(facts)
	if pf.Clues != 4 || pf.Cases != 3 || pf.Households != 1 || pf.RiskEliminated != 1 || pf.BySource["grid"] != 1 || pf.BySource["self"] != 1 {
		t.Errorf("figures = %+v", pf)
	}
	if pf.ToAcknowledge.N != 3 || pf.ToAcknowledge.Median != 2*time.Hour || pf.ToAcknowledge.P90 != 3*time.Hour {
		t.Errorf("to acknowledge = %+v", pf.ToAcknowledge)
	}
	if pf.ToHelp.N != 3 || pf.ToHelp.Median != 20*time.Hour || pf.ToClose.N != 1 || pf.ToClose.Median != 100*time.Hour {
		t.Errorf("to help = %+v, to close = %+v", pf.ToHelp, pf.ToClose)
	}
	if empty := Period(nil); empty.Clues != 0 || empty.ToVerify != (Durations{}) || empty.BySource == nil {
		t.Errorf("no clues = %+v", empty)
	}
	for src, want := range map[string]bool{"grid": true, "visit": true, "department": true, "self": false, "hotline": false} {
		if ActiveDiscovery(src) != want {
			t.Errorf("ActiveDiscovery(%q) = %v", src, !want)
		}
	}
}
