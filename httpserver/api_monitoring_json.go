package httpserver

import (
	"time"

	"safetynet"
	"safetynet/monitoring"
	"safetynet/sqlstore"
)

// monitoringRecordJSON is one step recorded on a process.
type monitoringRecordJSON struct {
	Action       string    `json:"action"`
	Passed       bool      `json:"passed"`
	Date         string    `json:"date,omitempty"`
	Participants int       `json:"participants,omitempty"`
	People       string    `json:"people,omitempty"`
	Start        string    `json:"start,omitempty"`
	End          string    `json:"end,omitempty"`
	Where        string    `json:"where,omitempty"`
	Objection    string    `json:"objection,omitempty"`
	Upheld       bool      `json:"upheld,omitempty"`
	Note         string    `json:"note,omitempty"`
	By           string    `json:"by"`
	At           time.Time `json:"at"`
}

// monitoringProcessJSON is an inclusion (纳入监测) or elimination (风险消除).
type monitoringProcessJSON struct {
	ID           int64                  `json:"id"`
	Kind         string                 `json:"kind"`
	Status       string                 `json:"status"`
	Step         string                 `json:"step,omitempty"`
	HouseholdID  int64                  `json:"household_id"`
	Head         string                 `json:"head"`
	PlaceCode    string                 `json:"place_code"`
	PlaceName    string                 `json:"place_name"`
	Village      string                 `json:"village"`
	Category     string                 `json:"category"`
	CategoryName string                 `json:"category_name"`
	RiskCauses   []string               `json:"risk_causes"`
	Income       string                 `json:"income"`
	Members      int                    `json:"members"`
	PerCapita    string                 `json:"per_capita"`
	Origin       string                 `json:"origin,omitempty"`
	ClueID       int64                  `json:"clue_id,omitempty"`
	Reason       string                 `json:"reason,omitempty"`
	Returned     string                 `json:"returned,omitempty"`
	ProposedAt   time.Time              `json:"proposed_at"`
	DueAt        time.Time              `json:"due_at"`
	EndedAt      *time.Time             `json:"ended_at,omitempty"`
	StepDue      *time.Time             `json:"step_due,omitempty"`
	StepLevel    string                 `json:"step_level,omitempty"`
	Overdue      bool                   `json:"overdue"`
	Escalations  int                    `json:"escalations"`
	Version      int                    `json:"version"`
	Records      []monitoringRecordJSON `json:"records,omitempty"`
}

type monitoringProcessListJSON struct {
	Items []monitoringProcessJSON `json:"items"`
}

func toMonitoringProcessJSON(p sqlstore.MonitoringProcess, lang string) monitoringProcessJSON {
	out := monitoringProcessJSON{ID: p.ID, Kind: string(p.Kind), Status: p.Status, Step: p.Step, HouseholdID: p.HouseholdID,
		Head: p.HeadName, PlaceCode: p.PlaceCode, PlaceName: p.PlaceName, Village: p.VillageName, Category: p.Category,
		CategoryName: safetynet.CategoryLabel(p.Category, lang), RiskCauses: append([]string{}, p.RiskCauses...),
		Income: safetynet.FormatYuan(p.IncomeFen), Members: p.Members, PerCapita: safetynet.FormatYuan(p.PerCapitaFen),
		Origin: p.Origin, ClueID: p.ClueID, Reason: p.Reason, Returned: p.Returned, ProposedAt: p.ProposedAt, DueAt: p.DueAt,
		EndedAt: timePtr(p.EndedAt), StepDue: timePtr(p.StepDue), StepLevel: string(p.StepLevel), Overdue: p.Overdue,
		Escalations: p.Escalations, Version: p.Version}
	for _, r := range p.Records {
		out.Records = append(out.Records, monitoringRecordJSON{Action: r.Action, Passed: r.Passed, Date: dateOrEmpty(r.Date),
			Participants: r.Count, People: r.People, Start: dateOrEmpty(r.Start), End: dateOrEmpty(r.End), Where: r.Where,
			Objection: r.Objection, Upheld: r.Upheld, Note: r.Note, By: r.Username, At: r.At})
	}
	return out
}

func dateOrEmpty(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format("2006-01-02")
}

// monitoringReasonJSON is one condition of the readiness judgement.
type monitoringReasonJSON struct {
	Code string `json:"code"`
	OK   bool   `json:"ok"`
	Text string `json:"text"`
}

// monitoredHouseholdJSON is a monitored household with its judgement.
type monitoredHouseholdJSON struct {
	HouseholdID   int64                  `json:"household_id"`
	Head          string                 `json:"head"`
	PlaceCode     string                 `json:"place_code"`
	Village       string                 `json:"village"`
	Category      string                 `json:"category"`
	CategoryName  string                 `json:"category_name"`
	Since         string                 `json:"since"`
	LastAssessed  string                 `json:"last_assessed,omitempty"`
	PerCapita     string                 `json:"per_capita,omitempty"`
	Line          string                 `json:"line,omitempty"`
	Ready         bool                   `json:"ready"`
	OverdueReview bool                   `json:"overdue_review"`
	MonthsSince   int                    `json:"months_since_review"`
	ProcessID     int64                  `json:"process_id,omitempty"`
	Reasons       []monitoringReasonJSON `json:"reasons"`
}

type monitoredHouseholdListJSON struct {
	Items []monitoredHouseholdJSON `json:"items"`
}

func toMonitoredJSON(m sqlstore.MonitoredHousehold, lang string) monitoredHouseholdJSON {
	out := monitoredHouseholdJSON{HouseholdID: m.HouseholdID, Head: m.HeadName, PlaceCode: m.PlaceCode, Village: m.VillageName,
		Category: m.Category, CategoryName: safetynet.CategoryLabel(m.Category, lang), Since: dateOrEmpty(m.Since),
		LastAssessed: dateOrEmpty(m.LastAssessed), Ready: m.Judgement.Ready, OverdueReview: m.OverdueReview, MonthsSince: m.MonthsSince,
		ProcessID: m.OpenProcessID, Reasons: []monitoringReasonJSON{}}
	if !m.LastAssessed.IsZero() {
		out.PerCapita = safetynet.FormatYuan(m.PerCapitaFen)
	}
	if m.LineFen > 0 {
		out.Line = safetynet.FormatYuan(m.LineFen)
	}
	for _, r := range m.Judgement.Reasons {
		out.Reasons = append(out.Reasons, monitoringReasonJSON{Code: r.Code, OK: r.OK, Text: reasonText(r, lang)})
	}
	return out
}

// monitoringSettingsJSON are the clocks and thresholds of monitoring.
type monitoringSettingsJSON struct {
	ReviewDays         int `json:"review_days"`
	NoticeDays         int `json:"notice_days"`
	TownDays           int `json:"town_days"`
	CountyDays         int `json:"county_days"`
	TotalDays          int `json:"total_days,omitempty"`
	NoticeMinDays      int `json:"notice_min_days"`
	AboveMonths        int `json:"above_months"`
	MinMonitoredMonths int `json:"min_monitored_months"`
	ReviewMonths       int `json:"review_months"`
}

func toMonitoringSettingsJSON(v monitoring.Settings) monitoringSettingsJSON {
	return monitoringSettingsJSON{ReviewDays: v.ReviewDays, NoticeDays: v.NoticeDays, TownDays: v.TownDays, CountyDays: v.CountyDays,
		TotalDays: v.Total(), NoticeMinDays: v.NoticeMinDays, AboveMonths: v.AboveMonths, MinMonitoredMonths: v.MinMonitoredMonths,
		ReviewMonths: v.ReviewMonths}
}
