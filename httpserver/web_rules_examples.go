package httpserver

import (
	"errors"
	"strconv"
	"strings"

	"safetynet"
	"safetynet/rules"
)

// exampleJSON is an example household as authors write it in the editor:
// the household part of a rule-test file (see rules.TestFile).
type exampleJSON struct {
	Name      string      `json:"name"`
	Expect    bool        `json:"expect"`
	Household householdEx `json:"household"`
}

type householdEx struct {
	IncomePerCapita *float64   `json:"income_per_capita,omitempty"`
	IncomeYear      int        `json:"income_year,omitempty"`
	Housing         string     `json:"housing,omitempty"`
	Water           string     `json:"water,omitempty"`
	Categories      []string   `json:"categories"`
	Measures        []string   `json:"measures"`
	Members         []memberEx `json:"members"`
	Former          []memberEx `json:"former_members,omitempty"`
}

type memberEx struct {
	Age             *int     `json:"age,omitempty"`
	Sex             string   `json:"sex"`
	Relation        string   `json:"relation"`
	DisabilityGrade *int     `json:"disability_grade,omitempty"`
	DisabilityKind  string   `json:"disability_kind,omitempty"`
	Health          string   `json:"health,omitempty"`
	Education       string   `json:"education,omitempty"`
	Labour          string   `json:"labour,omitempty"`
	InSchool        bool     `json:"in_school,omitempty"`
	Deceased        bool     `json:"deceased,omitempty"`
	MovedAway       bool     `json:"moved_away,omitempty"`
	Categories      []string `json:"categories"`
}

func toMemberEx(m rules.Member) memberEx {
	out := memberEx{Sex: m.Sex, Relation: m.Relation, DisabilityKind: m.DisabilityKind, Health: m.Health, Education: m.Education,
		Labour: m.Labour, InSchool: m.InSchool, Deceased: m.Deceased, MovedAway: m.MovedAway, Categories: orEmpty(m.Categories)}
	if m.AgeKnown {
		age := m.Age
		out.Age = &age
	}
	if m.GradeKnown {
		g := m.DisabilityGrade
		out.DisabilityGrade = &g
	}
	return out
}

// examplesOut converts examples to their JSON form (API and editor).
func examplesOut(ex []rules.Example) []exampleJSON {
	out := make([]exampleJSON, 0, len(ex))
	for _, e := range ex {
		h := householdEx{IncomeYear: e.Household.IncomeYear, Housing: e.Household.Housing, Water: e.Household.Water,
			Categories: orEmpty(e.Household.Categories), Measures: orEmpty(e.Household.Measures), Members: []memberEx{}}
		if e.Household.IncomeKnown {
			v := e.Household.IncomePerCapita
			h.IncomePerCapita = &v
		}
		for _, m := range e.Household.Members {
			h.Members = append(h.Members, toMemberEx(m))
		}
		for _, m := range e.Household.Former {
			h.Former = append(h.Former, toMemberEx(m))
		}
		out = append(out, exampleJSON{Name: e.Name, Expect: e.Expect, Household: h})
	}
	return out
}

// parseExamples reads the editor's examples: a JSON list of {"name",
// "expect", "household"} in the rule-test file's form. Errors name the
// line of the text.
func parseExamples(env *rules.Env, text string) ([]rules.Example, error) {
	if strings.TrimSpace(text) == "" {
		return nil, nil
	}
	// Wrapped on the first line, so that line numbers stay those of the text.
	f, err := env.ParseTestFile([]byte(`{"rules":[{"name":"x","rule":"true","examples":` + text + "\n}]}"))
	var fe *rules.FileError
	if errors.As(err, &fe) {
		field := strings.TrimPrefix(strings.TrimPrefix(fe.Field, "rules[0]."), "rules[0]")
		return nil, &safetynet.Error{Code: safetynet.EInvalid, Field: "examples",
			ZH: "示例第" + strconv.Itoa(fe.Line) + "行：" + fe.ZH + fieldNote(field),
			EN: "examples, line " + strconv.Itoa(fe.Line) + ": " + fe.EN + fieldNote(field)}
	}
	if err != nil {
		return nil, err
	}
	return f.Rules[0].Examples, nil
}

func fieldNote(field string) string {
	if field == "" {
		return ""
	}
	return " (" + field + ")"
}
