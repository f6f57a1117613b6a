package rules

import (
	"time"

	"safetynet"
)

// FromRegister builds the household rules see from the register's
// household, its persons (living and former) and the codes of the
// measures in force, at day (for ages). Vocabulary codes become their
// Chinese labels; an income is known when the register records an
// income year or a non-zero income.
func FromRegister(h safetynet.Household, persons []safetynet.Person, measures []string, day time.Time) Household {
	out := Household{
		ID:              h.ID,
		PlaceCode:       h.PlaceCode,
		IncomePerCapita: float64(h.IncomeFen) / 100,
		IncomeKnown:     h.IncomeYear != 0 || h.IncomeFen != 0,
		IncomeYear:      h.IncomeYear,
		Housing:         label(safetynet.Housings, h.Housing),
		Water:           label(safetynet.Waters, h.Water),
		Measures:        measures,
	}
	for _, a := range h.Categories {
		if a.Active() {
			out.Categories = append(out.Categories, a.Category)
		}
	}
	for _, p := range persons {
		m := Member{
			ID:              p.ID,
			Relation:        label(safetynet.Relations, p.Relation),
			DisabilityGrade: p.DisabilityGrade,
			GradeKnown:      true,
			DisabilityKind:  label(safetynet.DisabilityKinds, p.DisabilityKind),
			Health:          label(safetynet.HealthStatuses, p.Health),
			Education:       label(safetynet.Educations, p.Education),
			Labour:          label(safetynet.Labours, p.Labour),
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

func label(v safetynet.Vocab, code string) string {
	if code == "" {
		return ""
	}
	return v.Label(code, "zh")
}
