package httpserver

import (
	"time"

	"safetynet/sqlstore"
)

// Responses of the relay API (clues, cases, work, inbox, figures,
// measures). Each is a named schema in openapi.yaml (given after the
// type), and the API tests check every answer against it.

// clueListJSON answers GET /api/v1/clues (ClueList).
type clueListJSON struct {
	Clues []clueJSON `json:"clues"`
}

// verificationJSON is a home visit (Verification): the checklist maps
// checklist items to ok, problem or na.
type verificationJSON struct {
	VisitedAt time.Time         `json:"visited_at"`
	Username  string            `json:"username"`
	Checklist map[string]string `json:"checklist"`
	Risks     []string          `json:"risks"`
	Decision  string            `json:"decision"`
	Note      string            `json:"note"`
}

// clueViewJSON is a clue with its visits, open steps and timeline (ClueView).
type clueViewJSON struct {
	Clue          clueJSON           `json:"clue"`
	Verifications []verificationJSON `json:"verifications"`
	Steps         []stepJSON         `json:"steps"`
	Events        []workEventJSON    `json:"events"`
}

func toClueViewJSON(v sqlstore.ClueView) clueViewJSON {
	out := clueViewJSON{Clue: toClueJSON(v.Clue), Verifications: make([]verificationJSON, 0, len(v.Verifications)),
		Steps: toStepsJSON(v.Steps), Events: toWorkEventsJSON(v.Events)}
	for _, vf := range v.Verifications {
		cl := vf.Checklist
		if cl == nil {
			cl = map[string]string{}
		}
		out.Verifications = append(out.Verifications, verificationJSON{VisitedAt: vf.VisitedAt, Username: vf.Username,
			Checklist: cl, Risks: orEmpty(vf.Risks), Decision: vf.Decision, Note: vf.Note})
	}
	return out
}

func toStepsJSON(steps []sqlstore.Step) []stepJSON {
	out := make([]stepJSON, 0, len(steps))
	for _, st := range steps {
		out = append(out, toStepJSON(st))
	}
	return out
}

// verifyResultJSON answers a visit: the clue, and the case the visit
// opened, 0 if none (VerifyResult).
type verifyResultJSON struct {
	Clue   clueJSON `json:"clue"`
	CaseID int64    `json:"case_id"`
}

// workListJSON answers GET /api/v1/work: a page of open steps and how many
// there are in all (WorkList).
type workListJSON struct {
	Items []workItemJSON `json:"items"`
	Total int            `json:"total"`
}

// workItemJSON is an open step with what it is about (WorkItem).
type workItemJSON struct {
	Step        stepJSON `json:"step"`
	Urgency     string   `json:"urgency"`
	Subject     string   `json:"subject"`
	PlaceName   string   `json:"place_name"`
	HouseholdID int64    `json:"household_id"`
	Kinds       []string `json:"kinds"`
}

func toWorkListJSON(items []sqlstore.WorkItem, total int) workListJSON {
	out := workListJSON{Items: make([]workItemJSON, 0, len(items)), Total: total}
	for _, it := range items {
		out.Items = append(out.Items, workItemJSON{Step: toStepJSON(it.Step), Urgency: it.Urgency, Subject: it.Subject,
			PlaceName: it.PlaceName, HouseholdID: it.HouseholdID, Kinds: orEmpty(it.Kinds)})
	}
	return out
}

// caseListJSON answers GET /api/v1/cases (CaseList).
type caseListJSON struct {
	Cases []caseJSON `json:"cases"`
}

// followupOutJSON is a follow-up visit of a case (Followup); DoneAt is
// null until it is done.
type followupOutJSON struct {
	ID     int64      `json:"id"`
	Due    string     `json:"due"`
	DoneAt *time.Time `json:"done_at"`
	DoneBy string     `json:"done_by"`
	Note   string     `json:"note"`
}

// caseViewJSON is a case's file (CaseView); Clue is absent for a case
// opened without a clue.
type caseViewJSON struct {
	Case      caseJSON          `json:"case"`
	Clue      *clueJSON         `json:"clue,omitempty"`
	Measures  []measureJSON     `json:"measures"`
	Followups []followupOutJSON `json:"followups"`
	Steps     []stepJSON        `json:"steps"`
	Events    []workEventJSON   `json:"events"`
}

func toCaseViewJSON(v sqlstore.CaseView) caseViewJSON {
	out := caseViewJSON{Case: toCaseJSON(v.Case), Measures: make([]measureJSON, 0, len(v.Measures)),
		Followups: make([]followupOutJSON, 0, len(v.Followups)), Steps: toStepsJSON(v.Steps), Events: toWorkEventsJSON(v.Events)}
	for _, m := range v.Measures {
		out.Measures = append(out.Measures, toMeasureJSON(m))
	}
	for _, f := range v.Followups {
		out.Followups = append(out.Followups, followupOutJSON{ID: f.ID, Due: dateJSON(f.Due), DoneAt: timePtr(f.DoneAt),
			DoneBy: f.DoneBy, Note: f.Note})
	}
	if v.Clue != nil {
		c := toClueJSON(*v.Clue)
		out.Clue = &c
	}
	return out
}

// inboxJSON answers GET /api/v1/inbox (Inbox).
type inboxJSON struct {
	Notifications []notificationJSON `json:"notifications"`
	Unread        int                `json:"unread"`
}

// notificationJSON is a message of the inbox (Notification). Detail holds
// the facts its kind names (see the schema).
type notificationJSON struct {
	ID        int64          `json:"id"`
	CreatedAt time.Time      `json:"created_at"`
	Kind      string         `json:"kind"`
	Detail    map[string]any `json:"detail"`
	Link      string         `json:"link"`
	ClueID    int64          `json:"clue_id"`
	CaseID    int64          `json:"case_id"`
	Read      bool           `json:"read"`
}

func toInboxJSON(list []sqlstore.Notification, unread int) inboxJSON {
	out := inboxJSON{Notifications: make([]notificationJSON, 0, len(list)), Unread: unread}
	for _, n := range list {
		d := n.Detail
		if d == nil {
			d = map[string]any{}
		}
		out.Notifications = append(out.Notifications, notificationJSON{ID: n.ID, CreatedAt: n.CreatedAt, Kind: n.Kind,
			Detail: d, Link: n.Link, ClueID: n.ClueID, CaseID: n.CaseID, Read: n.Read})
	}
	return out
}

// periodJSON are the figures of one period (PeriodFigures).
type periodJSON struct {
	Clues          int            `json:"clues"`
	BySource       map[string]int `json:"by_source"`
	Cases          int            `json:"cases"`
	Households     int            `json:"households_helped_active"`
	RiskEliminated int            `json:"risk_eliminated"`
	ToAcknowledge  durationsJSON  `json:"to_acknowledge"`
	ToVerify       durationsJSON  `json:"to_verify"`
	ToFirstHelp    durationsJSON  `json:"to_first_help"`
	ToClose        durationsJSON  `json:"to_close"`
}

func toPeriodJSON(p sqlstore.PeriodFigures) periodJSON {
	by := p.BySource
	if by == nil {
		by = map[string]int{}
	}
	return periodJSON{Clues: p.Clues, BySource: by, Cases: p.Cases, Households: p.Households, RiskEliminated: p.RiskEliminated,
		ToAcknowledge: toDurationsJSON(p.ToAcknowledge), ToVerify: toDurationsJSON(p.ToVerify),
		ToFirstHelp: toDurationsJSON(p.ToHelp), ToClose: toDurationsJSON(p.ToClose)}
}

// placeFiguresJSON are a place's figures for this period and the one
// before, with its open and overdue steps now (PlaceFigures).
type placeFiguresJSON struct {
	Place    placeRef   `json:"place"`
	Current  periodJSON `json:"current"`
	Previous periodJSON `json:"previous"`
	Open     int        `json:"open"`
	Overdue  int        `json:"overdue"`
}

func toPlaceFiguresJSON(p sqlstore.PlaceFigures) placeFiguresJSON {
	return placeFiguresJSON{Place: placeRef{Code: p.Place.Code, Name: p.Place.Name, Level: string(p.Place.Level)},
		Current: toPeriodJSON(p.Current), Previous: toPeriodJSON(p.Previous), Open: p.Open, Overdue: p.Overdue}
}

// figuresJSON answers GET /api/v1/figures (Figures).
type figuresJSON struct {
	From     time.Time          `json:"from"`
	To       time.Time          `json:"to"`
	Place    placeFiguresJSON   `json:"place"`
	Children []placeFiguresJSON `json:"children"`
}

func toFiguresJSON(f sqlstore.Figures) figuresJSON {
	out := figuresJSON{From: f.From, To: f.To, Place: toPlaceFiguresJSON(f.Place), Children: make([]placeFiguresJSON, 0, len(f.ByChild))}
	for _, k := range f.ByChild {
		out.Children = append(out.Children, toPlaceFiguresJSON(k))
	}
	return out
}

// measureCatalogueListJSON answers GET and PUT of the catalogue
// (MeasureCatalogue).
type measureCatalogueListJSON struct {
	Measures []measureCatalogueJSON `json:"measures"`
}

// orEmpty gives an empty list for nil, so that lists are [] and never null.
func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
