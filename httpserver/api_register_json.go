package httpserver

import (
	"time"

	"safetynet"
	"safetynet/sqlstore"
)

// JSON forms of register records. ID and phone numbers are masked unless
// revealed through the reveal endpoints.

type assignmentJSON struct {
	ID          int64  `json:"id"`
	Category    string `json:"category"`
	Label       string `json:"label"`
	RiskType    string `json:"risk_type,omitempty"`
	Start       string `json:"start"`
	StartReason string `json:"start_reason,omitempty"`
	End         string `json:"end,omitempty"`
	EndReason   string `json:"end_reason,omitempty"`
	EndNote     string `json:"end_note,omitempty"`
	Source      string `json:"source"`
}

func toAssignmentsJSON(as []safetynet.Assignment, lang string) []assignmentJSON {
	out := make([]assignmentJSON, 0, len(as))
	for _, a := range as {
		out = append(out, assignmentJSON{ID: a.ID, Category: a.Category, Label: safetynet.CategoryLabel(a.Category, lang),
			RiskType: a.RiskType, Start: dateJSON(a.Start), StartReason: a.StartReason, End: dateJSON(a.End),
			EndReason: a.EndReason, EndNote: a.EndNote, Source: a.Source})
	}
	return out
}

func dateJSON(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format("2006-01-02")
}

type householdJSON struct {
	ID              int64            `json:"id"`
	Number          string           `json:"number,omitempty"`
	PlaceCode       string           `json:"place_code"`
	PlaceName       string           `json:"place_name"`
	Address         string           `json:"address"`
	Phone           string           `json:"phone,omitempty"`
	HeadID          int64            `json:"head_id"`
	HeadName        string           `json:"head_name"`
	Members         int              `json:"member_count"`
	IncomeYear      int              `json:"income_year,omitempty"`
	IncomePerCapita string           `json:"income_per_capita,omitempty"`
	Housing         string           `json:"housing,omitempty"`
	Water           string           `json:"water,omitempty"`
	Notes           string           `json:"notes,omitempty"`
	Status          string           `json:"status"`
	MergedInto      int64            `json:"merged_into,omitempty"`
	Version         int              `json:"version"`
	Categories      []assignmentJSON `json:"categories"`
	Colour          *colourJSON      `json:"colour,omitempty"` // monitored households only (api_colours.go)
}

func toHouseholdJSON(h safetynet.Household, lang string) householdJSON {
	j := householdJSON{ID: h.ID, Number: h.Number, PlaceCode: h.PlaceCode, PlaceName: h.PlaceName, Address: h.Address, Phone: h.Phone,
		HeadID: h.HeadID, HeadName: h.HeadName, Members: h.Members, IncomeYear: h.IncomeYear, Housing: h.Housing, Water: h.Water,
		Notes: h.Notes, Status: h.Status, MergedInto: h.MergedInto, Version: h.Version, Categories: toAssignmentsJSON(h.Categories, lang)}
	if h.IncomeFen != 0 {
		j.IncomePerCapita = safetynet.FormatYuan(h.IncomeFen)
	}
	return j
}

type personJSON struct {
	ID              int64            `json:"id"`
	HouseholdID     int64            `json:"household_id"`
	PlaceCode       string           `json:"place_code"`
	Name            string           `json:"name"`
	IDNumber        string           `json:"id_number,omitempty"`
	IDLegacy        bool             `json:"id_converted_from_15_digits,omitempty"`
	Birth           string           `json:"birth,omitempty"`
	Sex             string           `json:"sex,omitempty"`
	Relation        string           `json:"relation"`
	Phone           string           `json:"phone,omitempty"`
	DisabilityKind  string           `json:"disability_kind,omitempty"`
	DisabilityGrade int              `json:"disability_grade,omitempty"`
	Health          string           `json:"health,omitempty"`
	HealthNotes     string           `json:"health_notes,omitempty"`
	Education       string           `json:"education,omitempty"`
	InSchool        bool             `json:"in_school,omitempty"`
	Labour          string           `json:"labour,omitempty"`
	Work            string           `json:"work,omitempty"`
	Status          string           `json:"status"`
	StatusDate      string           `json:"status_date,omitempty"`
	StatusNote      string           `json:"status_note,omitempty"`
	Version         int              `json:"version"`
	Categories      []assignmentJSON `json:"categories"`
}

func toPersonJSON(p safetynet.Person, lang string) personJSON {
	return personJSON{ID: p.ID, HouseholdID: p.HouseholdID, PlaceCode: p.PlaceCode, Name: p.Name, IDNumber: p.IDNumber,
		IDLegacy: p.IDLegacy, Birth: dateJSON(p.Birth), Sex: p.Sex, Relation: p.Relation, Phone: p.Phone,
		DisabilityKind: p.DisabilityKind, DisabilityGrade: p.DisabilityGrade, Health: p.Health, HealthNotes: p.HealthNotes,
		Education: p.Education, InSchool: p.InSchool, Labour: p.Labour, Work: p.Work, Status: p.Status,
		StatusDate: dateJSON(p.StatusDate), StatusNote: p.StatusNote, Version: p.Version, Categories: toAssignmentsJSON(p.Categories, lang)}
}

func toPersonsJSON(ps []safetynet.Person, lang string) []personJSON {
	out := make([]personJSON, 0, len(ps))
	for _, p := range ps {
		out = append(out, toPersonJSON(p, lang))
	}
	return out
}

type eventJSON struct {
	At       time.Time      `json:"at"`
	Kind     string         `json:"kind"`
	PersonID int64          `json:"person_id,omitempty"`
	Detail   map[string]any `json:"detail,omitempty"`
	Username string         `json:"username"`
}

func toEventsJSON(es []sqlstore.Event) []eventJSON {
	out := make([]eventJSON, 0, len(es))
	for _, e := range es {
		out = append(out, eventJSON{At: e.At, Kind: e.Kind, PersonID: e.PersonID, Detail: e.Detail, Username: e.Username})
	}
	return out
}

// personInputJSON is a person as clients send it. Pointer fields left out
// keep their stored value on updates.
type personInputJSON struct {
	Name            *string `json:"name"`
	IDNumber        *string `json:"id_number"`
	Birth           *string `json:"birth"`
	Sex             *string `json:"sex"`
	Relation        *string `json:"relation"`
	Phone           *string `json:"phone"`
	DisabilityKind  *string `json:"disability_kind"`
	DisabilityGrade *int    `json:"disability_grade"`
	Health          *string `json:"health"`
	HealthNotes     *string `json:"health_notes"`
	Education       *string `json:"education"`
	InSchool        *bool   `json:"in_school"`
	Labour          *string `json:"labour"`
	Work            *string `json:"work"`
}

func (j personInputJSON) patch() (safetynet.PersonPatch, error) {
	p := safetynet.PersonPatch{Name: j.Name, IDNumber: j.IDNumber, Sex: j.Sex, Relation: j.Relation, Phone: j.Phone,
		DisabilityKind: j.DisabilityKind, DisabilityGrade: j.DisabilityGrade, Health: j.Health, HealthNotes: j.HealthNotes,
		Education: j.Education, InSchool: j.InSchool, Labour: j.Labour, Work: j.Work}
	if j.Birth != nil && *j.Birth != "" {
		t, err := time.Parse("2006-01-02", *j.Birth)
		if err != nil {
			return p, safetynet.Invalid("birth", "出生日期格式应为 2006-01-02", "birth must be a date like 2006-01-02")
		}
		p.Birth = &t
	}
	return p, nil
}

func (j personInputJSON) input() (safetynet.PersonInput, error) {
	p, err := j.patch()
	return p.Apply(safetynet.Person{}), err
}

type householdInputJSON struct {
	Number          *string `json:"number"`
	PlaceCode       *string `json:"place_code"`
	Address         *string `json:"address"`
	Phone           *string `json:"phone"`
	IncomeYear      *int    `json:"income_year"`
	IncomePerCapita *string `json:"income_per_capita"`
	Housing         *string `json:"housing"`
	Water           *string `json:"water"`
	Notes           *string `json:"notes"`
}

func (j householdInputJSON) patch() (safetynet.HouseholdPatch, error) {
	p := safetynet.HouseholdPatch{Number: j.Number, PlaceCode: j.PlaceCode, Address: j.Address, Phone: j.Phone,
		IncomeYear: j.IncomeYear, Housing: j.Housing, Water: j.Water, Notes: j.Notes}
	if j.IncomePerCapita != nil {
		fen, err := safetynet.ParseYuan(*j.IncomePerCapita)
		if err != nil {
			return p, err
		}
		p.IncomeFen = &fen
	}
	return p, nil
}

func (j householdInputJSON) input() (safetynet.HouseholdInput, error) {
	p, err := j.patch()
	return p.Apply(safetynet.Household{}), err
}
