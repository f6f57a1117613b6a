package rules

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"safetynet"
)

// Example is a named example household with the answer a rule must give
// (a rule test). Rules are not published while an example fails.
type Example struct {
	Name      string
	Household Household
	Expect    bool
}

// Failure is an example a rule answered wrongly.
type Failure struct {
	Rule, Example string
	Want          bool
	Got           Result
	Why           Explanation
}

// String describes the failure in English.
func (f Failure) String() string {
	got := fmt.Sprint(f.Got.Matched)
	if f.Got.Err != nil {
		got = "error: " + f.Got.Err.Error()
	}
	return fmt.Sprintf("%s / %s: want %v, got %s (%s)", f.Rule, f.Example, f.Want, got, f.Why.EN())
}

// RunExamples evaluates p on each example and returns those that fail:
// a household on which the rule fails with an error never passes.
func RunExamples(ctx context.Context, p *Program, params Params, rule string, examples []Example) []Failure {
	var out []Failure
	for _, ex := range examples {
		h := ex.Household
		why := p.Explain(ctx, params, &h)
		if why.Result.Err != nil || why.Result.Matched != ex.Expect {
			out = append(out, Failure{Rule: rule, Example: ex.Name, Want: ex.Expect, Got: why.Result, Why: why})
		}
	}
	return out
}

// TestFile is a file of rule tests (`safetynet rules test FILE`), JSON:
//
//	{"params": {"dibao_line": 5880},
//	 "rules": [{"name": "低保", "rule": "h.income_per_capita < params.dibao_line",
//	   "examples": [{"name": "收入低", "expect": true,
//	     "household": {"income_per_capita": 4200, "categories": ["低保户"], "measures": ["dibao"],
//	       "members": [{"age": 70, "sex": "男", "relation": "户主", "disability_grade": 1}]}}]}]}
//
// A value left out of a household or member is not recorded (never 0).
// Categories and measures are given by Chinese label, code or synonym.
type TestFile struct {
	Params Params
	Rules  []TestRule
}

// TestRule is a rule and its examples.
type TestRule struct {
	Name     string
	Rule     string
	Examples []Example
}

// FileError is an error of a rule test file at a line, naming the field.
type FileError struct {
	Line   int
	Field  string
	ZH, EN string
}

// Error returns the line, field and English message.
func (e *FileError) Error() string {
	return fmt.Sprintf("line %d: %s: %s", e.Line, e.Field, e.EN)
}

type jsonFile struct {
	Params map[string]any `json:"params"`
	Rules  []struct {
		Name     string `json:"name"`
		Rule     string `json:"rule"`
		Examples []struct {
			Name      string        `json:"name"`
			Expect    *bool         `json:"expect"`
			Household jsonHousehold `json:"household"`
		} `json:"examples"`
	} `json:"rules"`
}

type jsonHousehold struct {
	ID              int64        `json:"id"`
	PlaceCode       string       `json:"place_code"`
	IncomePerCapita *float64     `json:"income_per_capita"`
	IncomeYear      int          `json:"income_year"`
	Housing         string       `json:"housing"`
	Water           string       `json:"water"`
	Categories      []string     `json:"categories"`
	Measures        []string     `json:"measures"`
	Members         []jsonMember `json:"members"`
	Former          []jsonMember `json:"former_members"`
}

type jsonMember struct {
	ID              int64    `json:"id"`
	Age             *int     `json:"age"`
	Sex             string   `json:"sex"`
	Relation        string   `json:"relation"`
	DisabilityGrade *int     `json:"disability_grade"`
	DisabilityKind  string   `json:"disability_kind"`
	Health          string   `json:"health"`
	Education       string   `json:"education"`
	Labour          string   `json:"labour"`
	InSchool        bool     `json:"in_school"`
	Deceased        bool     `json:"deceased"`
	MovedAway       bool     `json:"moved_away"`
	Categories      []string `json:"categories"`
}

func lineAt(data []byte, off int64) int {
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	return bytes.Count(data[:off], []byte("\n")) + 1
}

// lineOf finds the line of the n-th (0-based) occurrence of needle.
func lineOf(data []byte, needle string, n int) int {
	off := 0
	for i := 0; ; i++ {
		j := bytes.Index(data[off:], []byte(needle))
		if j < 0 {
			return 0
		}
		if i == n {
			return lineAt(data, int64(off+j))
		}
		off += j + len(needle)
	}
}

// ParseTestFile reads a rule test file for env e (which knows the
// parameters and measures). Errors are *FileError.
func (e *Env) ParseTestFile(data []byte) (*TestFile, error) {
	var jf jsonFile
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&jf); err != nil {
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &se):
			return nil, &FileError{lineAt(data, se.Offset), "", "JSON 格式错误：" + se.Error(), "invalid JSON: " + se.Error()}
		case errors.As(err, &te):
			return nil, &FileError{lineAt(data, te.Offset), te.Field, fmt.Sprintf("字段 %s 的类型不对（应为 %s）", te.Field, te.Type), err.Error()}
		case strings.HasPrefix(err.Error(), "json: unknown field "):
			name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
			return nil, &FileError{lineOf(data, `"`+name+`"`, 0), name, fmt.Sprintf("未知字段“%s”", name), err.Error()}
		}
		return nil, &FileError{1, "", "无法读取：" + err.Error(), err.Error()}
	}
	f := &TestFile{Params: Params{}}
	for name, v := range jf.Params {
		p, ok := e.paramBy[name]
		if !ok {
			return nil, &FileError{lineOf(data, `"`+name+`"`, 0), "params." + name, fmt.Sprintf("未声明的参数“%s”", name), fmt.Sprintf("undeclared parameter %q", name)}
		}
		if x, ok := v.(float64); ok && p.Type == TypeInteger {
			v = int64(x)
		}
		if err := CheckParamValue(p, v); err != nil {
			fe := err.(*FieldError)
			return nil, &FileError{lineOf(data, `"`+name+`"`, 0), "params." + name, fe.ZH, fe.EN}
		}
		f.Params[name] = v
	}
	if len(jf.Rules) == 0 {
		return nil, &FileError{1, "rules", "文件中没有规则", "the file holds no rules"}
	}
	exampleN := 0
	for i, jr := range jf.Rules {
		field := fmt.Sprintf("rules[%d]", i)
		line := lineOf(data, `"rule"`, i)
		if strings.TrimSpace(jr.Rule) == "" {
			return nil, &FileError{line, field + ".rule", "请填写规则", "the rule is empty"}
		}
		r := TestRule{Name: jr.Name, Rule: jr.Rule}
		if r.Name == "" {
			r.Name = field
		}
		for j, je := range jr.Examples {
			ef := fmt.Sprintf("%s.examples[%d]", field, j)
			eline := lineOf(data, `"household"`, exampleN)
			exampleN++
			if je.Expect == nil {
				return nil, &FileError{eline, ef + ".expect", "请填写期望结果 expect（true 或 false）", "expect (true or false) is required"}
			}
			h, err := e.household(je.Household)
			if err != nil {
				fe := err.(*FieldError)
				return nil, &FileError{eline, ef + ".household." + fe.Field, fe.ZH, fe.EN}
			}
			name := je.Name
			if name == "" {
				name = ef
			}
			r.Examples = append(r.Examples, Example{Name: name, Household: h, Expect: *je.Expect})
		}
		f.Rules = append(f.Rules, r)
	}
	return f, nil
}

func (e *Env) household(j jsonHousehold) (Household, error) {
	h := Household{ID: j.ID, PlaceCode: j.PlaceCode, IncomeYear: j.IncomeYear, Housing: j.Housing, Water: j.Water}
	if j.IncomePerCapita != nil {
		h.IncomePerCapita, h.IncomeKnown = *j.IncomePerCapita, true
	}
	for _, c := range j.Categories {
		cat, ok := safetynet.ParseCategory(safetynet.SubjectHousehold, c)
		if !ok {
			return h, &FieldError{"categories", fmt.Sprintf("未知的户类别“%s”", c), fmt.Sprintf("unknown household category %q", c)}
		}
		h.Categories = append(h.Categories, cat.Code)
	}
	for _, m := range j.Measures {
		code := ""
		for _, k := range e.hVocab[norm(m)] {
			if k.measure {
				code = k.code
				break
			}
		}
		if code == "" {
			return h, &FieldError{"measures", fmt.Sprintf("未知的帮扶措施“%s”", m), fmt.Sprintf("unknown measure %q", m)}
		}
		h.Measures = append(h.Measures, code)
	}
	for i, jm := range append(append([]jsonMember(nil), j.Members...), j.Former...) {
		m := Member{ID: jm.ID, Sex: jm.Sex, Relation: jm.Relation, DisabilityKind: jm.DisabilityKind, Health: jm.Health,
			Education: jm.Education, Labour: jm.Labour, InSchool: jm.InSchool, Deceased: jm.Deceased, MovedAway: jm.MovedAway}
		if jm.Age != nil {
			m.Age, m.AgeKnown = *jm.Age, true
		}
		if jm.DisabilityGrade != nil {
			m.DisabilityGrade, m.GradeKnown = *jm.DisabilityGrade, true
		}
		for _, c := range jm.Categories {
			cat, ok := safetynet.ParseCategory(safetynet.SubjectPerson, c)
			if !ok {
				return h, &FieldError{fmt.Sprintf("members[%d].categories", i), fmt.Sprintf("未知的人员类别“%s”", c), fmt.Sprintf("unknown person category %q", c)}
			}
			m.Categories = append(m.Categories, cat.Code)
		}
		if i < len(j.Members) {
			h.Members = append(h.Members, m)
		} else {
			h.Former = append(h.Former, m)
		}
	}
	return h, nil
}

// RunTestFile compiles each rule of f and runs its examples. A rule that
// does not compile is reported as an error; failures are returned.
func (e *Env) RunTestFile(ctx context.Context, f *TestFile) ([]Failure, error) {
	var out []Failure
	for _, r := range f.Rules {
		p, err := e.Check(r.Rule)
		if err != nil {
			return out, fmt.Errorf("rule %s: %w", r.Name, err)
		}
		out = append(out, RunExamples(ctx, p, f.Params, r.Name, r.Examples)...)
	}
	return out, nil
}
