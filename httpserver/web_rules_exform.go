package httpserver

import (
	"encoding/json"
	"errors"
	"net/url"
	"strconv"
	"strings"

	"safetynet"
	"safetynet/rules"
)

// exRow is an example household as the editor's form shows it: the
// values rules use most, typed as text so that a refused save shows them
// again as typed.
type exRow struct {
	Index    int
	Name     string
	Expect   bool
	Income   string // blank: not recorded
	Cats     []string
	Measures []string
	Members  []memberRow
	Blank    bool   // the empty row for a new example
	Extra    string // the household as JSON: values the form does not show are kept
}

type memberRow struct {
	Index                int
	Age, Grade, Relation string
	Extra                string // the member as JSON, as Extra of exRow
}

// checkOpt is a checkbox of a category or measure.
type checkOpt struct {
	Code, Label string
	On          bool
}

// Opts lists the household categories with those of the example checked.
func (x exRow) CatOpts(lang string) []checkOpt {
	var out []checkOpt
	for _, c := range safetynet.Categories {
		if c.For == safetynet.SubjectHousehold {
			out = append(out, checkOpt{c.Code, safetynet.CategoryLabel(c.Code, lang), contains(x.Cats, c.Code)})
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// HasMeasure reports whether the example holds the measure.
func (x exRow) HasMeasure(code string) bool { return contains(x.Measures, code) }

// exRows converts stored examples to form rows.
func exRows(ex []rules.Example) []exRow {
	out := make([]exRow, 0, len(ex))
	js := examplesOut(ex)
	for i, e := range ex {
		row := exRow{Name: e.Name, Expect: e.Expect, Cats: e.Household.Categories, Measures: e.Household.Measures}
		if b, err := json.Marshal(js[i].Household); err == nil {
			row.Extra = string(b)
		}
		if e.Household.IncomeKnown {
			row.Income = strconv.FormatFloat(e.Household.IncomePerCapita, 'f', -1, 64)
		}
		for _, m := range e.Household.Members {
			mr := memberRow{Relation: m.Relation}
			if b, err := json.Marshal(toMemberEx(m)); err == nil {
				mr.Extra = string(b)
			}
			if m.AgeKnown {
				mr.Age = strconv.Itoa(m.Age)
			}
			if m.GradeKnown {
				mr.Grade = strconv.Itoa(m.DisabilityGrade)
			}
			row.Members = append(row.Members, mr)
		}
		out = append(out, row)
	}
	return out
}

// withBlanks numbers the rows and adds an empty example and two empty
// member rows to each, for adding.
func withBlanks(rows []exRow) []exRow {
	out := append([]exRow(nil), rows...)
	out = append(out, exRow{Blank: true})
	for i := range out {
		out[i].Index = i
		out[i].Members = append(append([]memberRow(nil), out[i].Members...), memberRow{}, memberRow{})
		for k := range out[i].Members {
			out[i].Members[k].Index = k
		}
	}
	return out
}

// readExRows reads the examples of the form; ok is false when the form
// has none (an older client posting only the JSON box).
func readExRows(f url.Values) (rows []exRow, ok bool) {
	n, err := strconv.Atoi(f.Get("ex_count"))
	if err != nil {
		return nil, false
	}
	for i := 0; i < n && i < 200; i++ {
		p := "ex" + strconv.Itoa(i) + "_"
		if f.Get(p+"del") != "" {
			continue
		}
		row := exRow{Name: strings.TrimSpace(f.Get(p + "name")), Expect: f.Get(p+"expect") == "1",
			Income: strings.TrimSpace(f.Get(p + "income")), Cats: f[p+"cat"], Measures: f[p+"measure"], Extra: f.Get(p + "extra")}
		mc, _ := strconv.Atoi(f.Get(p + "mcount"))
		for k := 0; k < mc && k < 100; k++ {
			q := p + "m" + strconv.Itoa(k) + "_"
			m := memberRow{Age: strings.TrimSpace(f.Get(q + "age")), Grade: strings.TrimSpace(f.Get(q + "grade")),
				Relation: strings.TrimSpace(f.Get(q + "rel")), Extra: f.Get(q + "extra")}
			if f.Get(q+"del") != "" || m == (memberRow{}) {
				continue
			}
			row.Members = append(row.Members, m)
		}
		if row.Name == "" && row.Income == "" && len(row.Cats) == 0 && len(row.Measures) == 0 && len(row.Members) == 0 {
			continue // the empty row
		}
		rows = append(rows, row)
	}
	return rows, true
}

// exampleError is a client error naming the example and the field.
func exampleError(name string, i int, fieldZH, fieldEN, zh, en string) error {
	if name == "" {
		name = "#" + strconv.Itoa(i+1)
	}
	return &safetynet.Error{Code: safetynet.EInvalid, Field: "examples",
		ZH: "示例“" + name + "”的" + fieldZH + "：" + zh, EN: "example “" + name + "”, " + fieldEN + ": " + en}
}

// buildExamples turns form rows into examples, through the rule-test
// file's reading so that labels and values are checked the same way.
func buildExamples(env *rules.Env, rows []exRow) ([]rules.Example, error) {
	var out []rules.Example
	for i, row := range rows {
		if row.Name == "" {
			return nil, exampleError("", i, "名称", "name", "请填写名称", "a name is required")
		}
		ex := exampleJSON{Name: row.Name, Expect: row.Expect}
		// Values the form does not show (housing, sex, former members...)
		// are kept from the example as it was.
		if row.Extra != "" && json.Unmarshal([]byte(row.Extra), &ex.Household) != nil {
			ex.Household = householdEx{}
		}
		ex.Household.IncomePerCapita = nil
		ex.Household.Categories, ex.Household.Measures, ex.Household.Members = orEmpty(row.Cats), orEmpty(row.Measures), []memberEx{}
		if row.Income != "" {
			v, err := strconv.ParseFloat(row.Income, 64)
			if err != nil || v < 0 {
				return nil, exampleError(row.Name, i, "人均收入", "income per capita", "应为不小于0的数字", "must be a number, 0 or more")
			}
			ex.Household.IncomePerCapita = &v
		}
		for k, m := range row.Members {
			var me memberEx
			if m.Extra != "" && json.Unmarshal([]byte(m.Extra), &me) != nil {
				me = memberEx{}
			}
			me.Relation, me.Categories, me.Age, me.DisabilityGrade = m.Relation, orEmpty(me.Categories), nil, nil
			member := "第" + strconv.Itoa(k+1) + "位成员"
			memberEN := "member " + strconv.Itoa(k+1)
			if m.Age != "" {
				a, err := strconv.Atoi(m.Age)
				if err != nil || a < 0 || a > 150 {
					return nil, exampleError(row.Name, i, member+"的年龄", memberEN+" age", "应为0到150的整数", "must be a whole number from 0 to 150")
				}
				me.Age = &a
			}
			if m.Grade != "" {
				g, err := strconv.Atoi(m.Grade)
				if err != nil || g < 1 || g > 4 {
					return nil, exampleError(row.Name, i, member+"的残疾等级", memberEN+" disability grade", "应为1到4", "must be 1 to 4")
				}
				me.DisabilityGrade = &g
			}
			ex.Household.Members = append(ex.Household.Members, me)
		}
		b, err := json.Marshal([]exampleJSON{ex})
		if err != nil {
			return nil, err
		}
		got, err := parseExamples(env, string(b))
		var se *safetynet.Error
		if errors.As(err, &se) {
			return nil, exampleError(row.Name, i, "家庭情况", "household", se.ZH, se.EN)
		}
		if err != nil {
			return nil, err
		}
		out = append(out, got...)
	}
	return out, nil
}
