package httpserver

import (
	"time"

	"safetynet"
	"safetynet/sqlstore"
)

type stepJSON struct {
	Kind        string    `json:"kind"`
	Level       string    `json:"level"`
	OwnerPlace  string    `json:"owner_place"`
	OwnerName   string    `json:"owner_name"`
	DueAt       time.Time `json:"due_at"`
	Escalations int       `json:"escalations"`
	Overdue     bool      `json:"overdue"`
	ClueID      int64     `json:"clue_id,omitempty"`
	CaseID      int64     `json:"case_id,omitempty"`
	ItemID      int64     `json:"item_id,omitempty"`
}

func toStepJSON(s sqlstore.Step) stepJSON {
	return stepJSON{Kind: s.Kind, Level: string(s.Level), OwnerPlace: s.OwnerPlace, OwnerName: s.OwnerName, DueAt: s.DueAt,
		Escalations: s.Escalations, Overdue: s.Overdue, ClueID: s.ClueID, CaseID: s.CaseID, ItemID: s.ItemID}
}

type clueJSON struct {
	ID             int64      `json:"id"`
	ClientID       string     `json:"client_id"`
	Source         string     `json:"source"`
	Reporter       string     `json:"reporter"`
	HouseholdID    int64      `json:"household_id,omitempty"`
	PersonID       int64      `json:"person_id,omitempty"`
	Name           string     `json:"name"`
	PlaceCode      string     `json:"place_code"`
	PlaceName      string     `json:"place_name"`
	VillageCode    string     `json:"village_code"`
	Kinds          []string   `json:"kinds"`
	Urgency        string     `json:"urgency"`
	Note           string     `json:"note,omitempty"`
	HasPhoto       bool       `json:"has_photo"`
	ReportedAt     time.Time  `json:"reported_at"`
	ReceivedAt     time.Time  `json:"received_at"`
	Status         string     `json:"status"`
	AcknowledgedAt *time.Time `json:"acknowledged_at,omitempty"`
	AcknowledgedBy string     `json:"acknowledged_by,omitempty"`
	VerifiedAt     *time.Time `json:"verified_at,omitempty"`
	VerifiedBy     string     `json:"verified_by,omitempty"`
	CaseID         int64      `json:"case_id,omitempty"`
	Version        int        `json:"version"`
	Due            *stepJSON  `json:"due,omitempty"`
}

func toClueJSON(c sqlstore.Clue) clueJSON {
	j := clueJSON{ID: c.ID, ClientID: c.ClientID, Source: c.Source, Reporter: c.ReporterName, HouseholdID: c.HouseholdID,
		PersonID: c.PersonID, Name: c.SubjectName, PlaceCode: c.PlaceCode, PlaceName: c.PlaceName, VillageCode: c.VillageCode,
		Kinds: orEmpty(c.Kinds), Urgency: c.Urgency, Note: c.Note, HasPhoto: c.HasPhoto, ReportedAt: c.ReportedAt, ReceivedAt: c.ReceivedAt,
		Status: c.Status, AcknowledgedAt: timePtr(c.AcknowledgedAt), AcknowledgedBy: c.AcknowledgedBy, VerifiedAt: timePtr(c.VerifiedAt),
		VerifiedBy: c.VerifiedBy, CaseID: c.CaseID, Version: c.Version}
	if c.Due != nil {
		s := toStepJSON(*c.Due)
		j.Due = &s
	}
	return j
}

type caseJSON struct {
	ID          int64      `json:"id"`
	ClueID      int64      `json:"clue_id,omitempty"`
	HouseholdID int64      `json:"household_id"`
	HeadName    string     `json:"head_name"`
	PlaceCode   string     `json:"place_code"`
	PlaceName   string     `json:"place_name"`
	Urgency     string     `json:"urgency"`
	RiskTypes   []string   `json:"risk_types"`
	Status      string     `json:"status"`
	OpenedAt    time.Time  `json:"opened_at"`
	OpenedBy    string     `json:"opened_by"`
	FirstHelpAt *time.Time `json:"first_help_at,omitempty"`
	ClosedAt    *time.Time `json:"closed_at,omitempty"`
	Outcome     string     `json:"outcome,omitempty"`
	CloseNote   string     `json:"close_note,omitempty"`
	Reopened    int        `json:"reopened,omitempty"`
	Version     int        `json:"version"`
}

func toCaseJSON(k sqlstore.Case) caseJSON {
	return caseJSON{ID: k.ID, ClueID: k.ClueID, HouseholdID: k.HouseholdID, HeadName: k.HeadName, PlaceCode: k.PlaceCode,
		PlaceName: k.PlaceName, Urgency: k.Urgency, RiskTypes: orEmpty(k.RiskTypes), Status: k.Status, OpenedAt: k.OpenedAt, OpenedBy: k.OpenedBy,
		FirstHelpAt: timePtr(k.FirstHelpAt), ClosedAt: timePtr(k.ClosedAt), Outcome: k.Outcome, CloseNote: k.CloseNote,
		Reopened: k.Reopened, Version: k.Version}
}

type measureJSON struct {
	ID            int64      `json:"id"`
	Kind          string     `json:"kind"`
	Measure       string     `json:"measure,omitempty"`
	Description   string     `json:"description,omitempty"`
	Provider      string     `json:"provider,omitempty"`
	Amount        string     `json:"amount,omitempty"`
	PeriodStart   string     `json:"period_start,omitempty"`
	PeriodEnd     string     `json:"period_end,omitempty"`
	Status        string     `json:"status"`
	ApprovalLevel string     `json:"approval_level,omitempty"`
	DoneAt        *time.Time `json:"done_at,omitempty"`
	CreatedBy     string     `json:"created_by"`
	DecidedAt     *time.Time `json:"decided_at,omitempty"`
	DecidedBy     string     `json:"decided_by,omitempty"`
	Reason        string     `json:"reason,omitempty"`
	Version       int        `json:"version"`
}

func toMeasureJSON(m sqlstore.CaseMeasure) measureJSON {
	j := measureJSON{ID: m.ID, Kind: m.Kind, Measure: m.Measure, Description: m.Description, Provider: m.Provider,
		PeriodStart: dateJSON(m.PeriodStart), PeriodEnd: dateJSON(m.PeriodEnd), Status: m.Status, ApprovalLevel: string(m.ApprovalLevel),
		DoneAt: timePtr(m.DoneAt), CreatedBy: m.CreatedBy, DecidedAt: timePtr(m.DecidedAt), DecidedBy: m.DecidedBy, Reason: m.Reason,
		Version: m.Version}
	if m.AmountFen != 0 {
		j.Amount = safetynet.FormatYuan(m.AmountFen)
	}
	return j
}

type workEventJSON struct {
	At       time.Time      `json:"at"`
	ClueID   int64          `json:"clue_id,omitempty"`
	CaseID   int64          `json:"case_id,omitempty"`
	Kind     string         `json:"kind"`
	Detail   map[string]any `json:"detail,omitempty"`
	Username string         `json:"username"`
}

func toWorkEventsJSON(es []sqlstore.WorkEvent) []workEventJSON {
	out := make([]workEventJSON, 0, len(es))
	for _, e := range es {
		out = append(out, workEventJSON{At: e.At, ClueID: e.ClueID, CaseID: e.CaseID, Kind: e.Kind, Detail: e.Detail, Username: e.Username})
	}
	return out
}
