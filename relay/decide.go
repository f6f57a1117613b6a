package relay

import (
	"sort"
	"time"

	"safetynet"
)

// Clue statuses.
const (
	ClueReported     = "reported"     // waiting to be acknowledged
	ClueAcknowledged = "acknowledged" // someone has taken it; verification due
	ClueClosed       = "closed"       // verified, no action needed
	ClueCase         = "case"         // verified, a case was opened
)

// ApprovalLevel returns the level that decides an application for measure
// m of amountFen: the county above the measure's county threshold (临时救助:
// the town up to 5,000 yuan, the county above), else the measure's level,
// the town when it has none.
func ApprovalLevel(m safetynet.Measure, amountFen int64) safetynet.Level {
	if m.CountyAboveFen > 0 && amountFen > m.CountyAboveFen {
		return safetynet.LevelCounty
	}
	if m.Level == "" {
		return safetynet.LevelTown
	}
	return m.Level
}

// Verification is the record of a home visit (上门核实).
type Verification struct {
	VisitedAt time.Time
	Checklist map[string]string // ChecklistItems code → "ok", "problem" or "na"
	Risks     []string          // RiskTypes codes found
	Decision  string            // VerifyDecisions code
	Note      string
	Username  string
}

// CheckVerification validates a visit record and normalises it: risks
// without repeats, a visit time in the future (beyond a phone's clock
// drift) or missing becomes now.
func CheckVerification(v Verification, now time.Time) (Verification, error) {
	if !safetynet.VerifyDecisions.Valid(v.Decision) {
		return v, safetynet.Invalid("decision", "请选择核实结论", "choose a decision: no_action, emergency or open_case")
	}
	for k, val := range v.Checklist {
		if !safetynet.ChecklistItems.Valid(k) {
			return v, safetynet.Invalid("checklist", "核实项目无效：%s", "unknown checklist item %q", k)
		}
		if val != "ok" && val != "problem" && val != "na" {
			return v, safetynet.Invalid("checklist", "核实结果应为正常、有问题或不适用", "checklist values are ok, problem or na")
		}
	}
	seen := map[string]bool{}
	var risks []string
	for _, r := range v.Risks {
		if !safetynet.RiskTypes.Valid(r) {
			return v, safetynet.Invalid("risks", "风险类型无效：%s", "unknown risk type %q", r)
		}
		if !seen[r] {
			seen[r] = true
			risks = append(risks, r)
		}
	}
	v.Risks = risks
	if v.Decision != "no_action" && len(v.Risks) == 0 {
		return v, safetynet.Invalid("risks", "立案需要至少选择一种风险类型", "opening a case needs at least one risk type")
	}
	var err error
	if v.Note, err = safetynet.CheckReason("note", v.Note, false); err != nil {
		return v, err
	}
	if v.VisitedAt.IsZero() || v.VisitedAt.After(now.Add(5*time.Minute)) {
		v.VisitedAt = now
	}
	return v, nil
}

// VisitOutcome is what a home visit's decision does to its clue.
type VisitOutcome struct {
	ClueStatus     string // ClueClosed or ClueCase
	OpenCase       bool
	CaseUrgency    string // the urgency of the case opened
	NeedsHousehold bool   // a case needs the person registered in a household
}

// VerifyOutcome decides what a visit's decision does to a clue of
// urgency: no action closes it; emergency help opens an urgent case; a
// case opens a case of the clue's urgency.
func VerifyOutcome(decision, clueUrgency string) VisitOutcome {
	switch decision {
	case "no_action":
		return VisitOutcome{ClueStatus: ClueClosed}
	case "emergency":
		return VisitOutcome{ClueStatus: ClueCase, OpenCase: true, CaseUrgency: "urgent", NeedsHousehold: true}
	default:
		return VisitOutcome{ClueStatus: ClueCase, OpenCase: true, CaseUrgency: clueUrgency, NeedsHousehold: true}
	}
}

// ProblemItems returns the checklist items a visit found a problem with,
// sorted by code.
func ProblemItems(checklist map[string]string) []string {
	var out []string
	for k, v := range checklist {
		if v == "problem" {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

// endReasonOf maps a case outcome to the reason its register categories end.
var endReasonOf = map[string]string{
	"risk_eliminated": "risk_eliminated", "stable": "exited", "moved_away": "moved_away", "deceased": "deceased",
	"transferred": "other", "other": "other",
}

// EndReason returns the EndReasons code with which the register
// categories a case made end when it closes with outcome (风险消除 for risk
// eliminated); "other" for an outcome it does not know.
func EndReason(outcome string) string {
	if r, ok := endReasonOf[outcome]; ok {
		return r
	}
	return "other"
}

// NotifyTownOnOpen reports whether opening a case of urgency tells the
// town at once as well as the village (层层知晓 for urgent cases).
func NotifyTownOnOpen(urgency string) bool { return urgency == "urgent" }
