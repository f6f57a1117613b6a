package rules

import (
	"time"

	"safetynet"
)

// FromRegister builds the household rules see from the register's
// household, its persons (living and former) and the codes of the
// measures in force, at day (for ages). Former members are the deceased,
// those who left the register's area and those who moved to another
// household (a person whose HouseholdID is another household's).
func FromRegister(h safetynet.Household, persons []safetynet.Person, measures []string, day time.Time) Household {
	out := HouseholdOf(&h, measures)
	for _, a := range h.Categories {
		if a.Active() {
			out.Categories = append(out.Categories, a.Category)
		}
	}
	for i := range persons {
		p := &persons[i]
		m := MemberOf(p, day)
		if p.HouseholdID != 0 && p.HouseholdID != h.ID {
			m.MovedAway = true
		}
		for _, a := range p.Categories {
			if a.Active() {
				m.Categories = append(m.Categories, a.Category)
			}
		}
		if m.Deceased || m.MovedAway {
			out.Former = append(out.Former, m)
		} else {
			out.Members = append(out.Members, m)
		}
	}
	return out
}

// HouseholdOf is the household rules see of the register's household h
// with the codes of the measures in force, without its categories and
// members (the caller adds them).
func HouseholdOf(h *safetynet.Household, measures []string) Household {
	return Household{
		ID:              h.ID,
		PlaceCode:       h.PlaceCode,
		IncomePerCapita: float64(h.IncomeFen) / 100,
		IncomeKnown:     h.IncomeYear != 0 || h.IncomeFen != 0,
		IncomeYear:      h.IncomeYear,
		Housing:         housingLabels.of(h.Housing),
		Water:           waterLabels.of(h.Water),
		Measures:        measures,
	}
}

// MemberOf is the member rules see of the register's person p at day
// (for the age), without its categories (the caller adds them). A person
// deceased or who left the register's area is a former member.
func MemberOf(p *safetynet.Person, day time.Time) Member {
	m := Member{
		ID:              p.ID,
		Relation:        relationLabels.of(p.Relation),
		DisabilityGrade: p.DisabilityGrade,
		GradeKnown:      true,
		DisabilityKind:  disabilityLabels.of(p.DisabilityKind),
		Health:          healthLabels.of(p.Health),
		Education:       educationLabels.of(p.Education),
		Labour:          labourLabels.of(p.Labour),
		InSchool:        p.InSchool,
		Deceased:        p.Status == safetynet.StatusDeceased,
		MovedAway:       p.Status == safetynet.StatusMovedAway,
	}
	if age := p.Age(day); age >= 0 {
		m.Age, m.AgeKnown = age, true
	}
	switch p.Sex {
	case "M":
		m.Sex = "男"
	case "F":
		m.Sex = "女"
	}
	return m
}

// codeLabels maps a vocabulary's codes to their Chinese labels: screening
// maps a million persons' codes.
type codeLabels map[string]string

func labelsOf(v safetynet.Vocab) codeLabels {
	l := codeLabels{}
	for _, o := range v {
		l[o.Code] = o.ZH
	}
	return l
}

// of returns the label of code, "" for "", the code itself when the
// vocabulary does not have it (as Vocab.Label).
func (l codeLabels) of(code string) string {
	if code == "" {
		return ""
	}
	if zh, ok := l[code]; ok {
		return zh
	}
	return code
}

var (
	housingLabels    = labelsOf(safetynet.Housings)
	waterLabels      = labelsOf(safetynet.Waters)
	relationLabels   = labelsOf(safetynet.Relations)
	disabilityLabels = labelsOf(safetynet.DisabilityKinds)
	healthLabels     = labelsOf(safetynet.HealthStatuses)
	educationLabels  = labelsOf(safetynet.Educations)
	labourLabels     = labelsOf(safetynet.Labours)
)

// RelationLabel is the Chinese label of a relation code of the register.
func RelationLabel(code string) string { return relationLabels.of(code) }
