package httpserver

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"safetynet"
	"safetynet/access"
	"safetynet/rules"
	"safetynet/sqlstore"
)

// warningRuleJSON is a warning rule (部门预警规则).
type warningRuleJSON struct {
	ID             int64                `json:"id"`
	Name           string               `json:"name"`
	EventTypes     []string             `json:"event_types"`
	EventTypeNames []string             `json:"event_type_names"`
	Place          string               `json:"place"`
	PlaceName      string               `json:"place_name"`
	ValidFrom      string               `json:"valid_from,omitempty"`
	ValidTo        string               `json:"valid_to,omitempty"`
	Urgency        string               `json:"urgency"`
	ClueKinds      []string             `json:"clue_kinds"`
	Period         string               `json:"period"`
	Status         string               `json:"status"`
	Source         string               `json:"source"`
	Examples       []warningExampleJSON `json:"examples"`
	Version        int                  `json:"version"`
	Published      int                  `json:"published"`
	PublishedAt    *time.Time           `json:"published_at,omitempty"`
	PublishedBy    string               `json:"published_by,omitempty"`
}

type warningRuleListJSON struct {
	Items []warningRuleJSON `json:"items"`
}

// warningExampleJSON is a rule test of a warning rule: an event (amounts
// in yuan, as rules see them), the person and the household.
type warningExampleJSON struct {
	Name      string         `json:"name"`
	Expect    bool           `json:"expect"`
	Event     warningExEvent `json:"event"`
	Person    *memberEx      `json:"person,omitempty"`
	Household *householdEx   `json:"household,omitempty"`
}

type warningExEvent struct {
	Type       string         `json:"type"`
	Date       string         `json:"date"`
	Department string         `json:"department,omitempty"`
	Registered bool           `json:"registered"`
	Fields     map[string]any `json:"detail"`
}

func toWarningRuleJSON(w sqlstore.WarningRule, lang string) warningRuleJSON {
	out := warningRuleJSON{ID: w.ID, Name: w.Name, EventTypes: orEmpty(w.EventTypes), EventTypeNames: []string{}, Place: w.Place,
		PlaceName: w.PlaceName, ValidFrom: day(w.ValidFrom), ValidTo: day(w.ValidTo), Urgency: w.Urgency, ClueKinds: orEmpty(w.ClueKinds),
		Period: w.Period, Status: w.Status, Source: w.Source, Examples: []warningExampleJSON{}, Version: w.Version, Published: w.Published,
		PublishedAt: timePtr(w.PublishedAt), PublishedBy: w.PublishedBy}
	for _, t := range w.EventTypes {
		out.EventTypeNames = append(out.EventTypeNames, eventTypeName(t, lang))
	}
	for _, ex := range w.Examples {
		j := warningExampleJSON{Name: ex.Name, Expect: ex.Expect, Event: warningExEvent{Type: ex.Event.Type, Date: ex.Event.Date,
			Department: ex.Event.Department, Registered: ex.Event.Registered, Fields: ex.Event.Fields}}
		if j.Event.Fields == nil {
			j.Event.Fields = map[string]any{}
		}
		p := toMemberEx(ex.Person)
		j.Person = &p
		if hs := examplesOut([]rules.Example{{Household: ex.Household}}); len(hs) == 1 {
			j.Household = &hs[0].Household
		}
		out.Examples = append(out.Examples, j)
	}
	return out
}

func eventTypeName(code, lang string) string {
	if t, ok := safetynet.EventTypeOf(code); ok {
		return pick(lang, t.ZH, t.EN)
	}
	return code
}

// parseWarningExamples reads warning examples as JSON (see
// warningExampleJSON); households and persons are read like the
// eligibility examples'.
func (s *Server) parseWarningExamples(r *http.Request, raw json.RawMessage) ([]rules.EventExample, error) {
	text := strings.TrimSpace(string(raw))
	if text == "" || text == "null" {
		return nil, nil
	}
	var in []struct {
		Name      string          `json:"name"`
		Expect    *bool           `json:"expect"`
		Event     warningExEvent  `json:"event"`
		Person    json.RawMessage `json:"person"`
		Household json.RawMessage `json:"household"`
	}
	d := json.NewDecoder(bytes.NewReader([]byte(text)))
	d.DisallowUnknownFields()
	if err := d.Decode(&in); err != nil {
		return nil, safetynet.Invalid("examples", "示例格式有误：%s", "examples: %s", err.Error())
	}
	env, err := s.rulesEnv(r.Context())
	if err != nil {
		return nil, err
	}
	var out []rules.EventExample
	for i, x := range in {
		field := fmt.Sprintf("examples[%d]", i)
		if x.Expect == nil {
			return nil, safetynet.Invalid(field+".expect", "请写明示例应当符合（true）还是不符合（false）", "expect must be true or false")
		}
		et, ok := safetynet.EventTypeOf(x.Event.Type)
		if !ok {
			return nil, safetynet.Invalid(field+".event.type", "未知的事件类型", "unknown event type %q", x.Event.Type)
		}
		if _, err := time.Parse("2006-01-02", x.Event.Date); err != nil {
			return nil, safetynet.Invalid(field+".event.date", "日期格式应为 2026-01-01", "dates are written 2026-01-01")
		}
		ex := rules.EventExample{Name: x.Name, Expect: *x.Expect, Event: rules.Event{Type: et.Code, Date: x.Event.Date,
			Department: x.Event.Department, Registered: x.Event.Registered, Fields: map[string]any{}}}
		for name, v := range x.Event.Fields {
			f, ok := et.Field(name)
			if !ok && name != rules.YTDField {
				return nil, safetynet.Invalid(field+".event.detail", "事件类型%s没有字段%s", "event type %s has no field %s", et.ZH, name)
			}
			switch v := v.(type) {
			case float64:
				if f.Kind == safetynet.FieldInt {
					ex.Event.Fields[name] = int64(v)
				} else {
					ex.Event.Fields[name] = v
				}
			case string:
				ex.Event.Fields[name] = v
			default:
				return nil, safetynet.Invalid(field+".event.detail", "字段%s的值应为数字或文本", "field %s must be a number or a text", name)
			}
		}
		hh := "{}"
		if len(x.Household) > 0 {
			hh = string(x.Household)
		}
		hs, err := parseExamples(env, `[{"name":"h","expect":true,"household":`+hh+`}]`)
		if err != nil {
			return nil, err
		}
		ex.Household = hs[0].Household
		if len(x.Person) > 0 {
			ps, err := parseExamples(env, `[{"name":"p","expect":true,"household":{"members":[`+string(x.Person)+`]}}]`)
			if err != nil {
				return nil, err
			}
			ex.Person = ps[0].Household.Members[0]
		}
		out = append(out, ex)
	}
	return out, nil
}

// warningRuleInJSON is what an author sends.
type warningRuleInJSON struct {
	Name       string          `json:"name"`
	EventTypes []string        `json:"event_types"`
	Place      string          `json:"place"`
	ValidFrom  string          `json:"valid_from"`
	ValidTo    string          `json:"valid_to"`
	Urgency    string          `json:"urgency"`
	ClueKinds  []string        `json:"clue_kinds"`
	Period     string          `json:"period"`
	Source     string          `json:"source"`
	Examples   json.RawMessage `json:"examples"`
	Version    int             `json:"version"`
}

func (s *Server) warningRuleInput(r *http.Request, in warningRuleInJSON) (sqlstore.WarningRuleInput, error) {
	out := sqlstore.WarningRuleInput{Name: in.Name, EventTypes: in.EventTypes, Place: in.Place, Urgency: in.Urgency,
		ClueKinds: in.ClueKinds, Period: in.Period, Source: in.Source}
	for _, d := range []struct {
		field, v string
		dst      *time.Time
	}{{"valid_from", in.ValidFrom, &out.ValidFrom}, {"valid_to", in.ValidTo, &out.ValidTo}} {
		if d.v == "" {
			continue
		}
		t, err := time.Parse("2006-01-02", d.v)
		if err != nil {
			return out, safetynet.Invalid(d.field, "日期格式应为 2026-01-01", "dates are written 2026-01-01")
		}
		*d.dst = t
	}
	var err error
	out.Examples, err = s.parseWarningExamples(r, in.Examples)
	return out, err
}

func (s *Server) writeWarningRule(w http.ResponseWriter, r *http.Request, rc *reqCtx, id int64, status int) error {
	x, err := s.store.WarningRule(r.Context(), rc.actor, id)
	if err != nil {
		return err
	}
	writeJSON(w, status, toWarningRuleJSON(x, rc.lang))
	return nil
}

// warningSourceFailed answers a refused source with every issue.
func (s *Server) warningSourceFailed(w http.ResponseWriter, r *http.Request, rc *reqCtx, src string, err error) error {
	if safetynet.CodeOf(err) == safetynet.EInvalid {
		if env, eerr := s.store.WarningEnv(r.Context()); eerr == nil {
			if _, cerr := env.Check(src); cerr != nil && writeRuleSourceError(w, cerr, "source", rc.lang) {
				return nil
			}
		}
	}
	return err
}

// apiWarningRules answers GET /api/v1/warning-rules.
func (s *Server) apiWarningRules(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	list, err := s.store.WarningRules(r.Context(), rc.actor)
	if err != nil {
		return err
	}
	out := warningRuleListJSON{Items: make([]warningRuleJSON, 0, len(list))}
	for _, x := range list {
		out.Items = append(out.Items, toWarningRuleJSON(x, rc.lang))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// apiWarningRule answers GET /api/v1/warning-rules/{ruleID}.
func (s *Server) apiWarningRule(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "warningRuleID")
	if err != nil {
		return err
	}
	return s.writeWarningRule(w, r, rc, id, http.StatusOK)
}

// apiCreateWarningRule answers POST /api/v1/warning-rules: a draft.
func (s *Server) apiCreateWarningRule(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	if err := rc.actor.Require(access.RulesEdit); err != nil {
		return err
	}
	var in warningRuleInJSON
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	wi, err := s.warningRuleInput(r, in)
	if err != nil {
		return err
	}
	id, err := s.store.CreateWarningRule(r.Context(), rc.actor, wi)
	if err != nil {
		return s.warningSourceFailed(w, r, rc, wi.Source, err)
	}
	return s.writeWarningRule(w, r, rc, id, http.StatusCreated)
}

// apiUpdateWarningRule answers PATCH /api/v1/warning-rules/{ruleID}.
func (s *Server) apiUpdateWarningRule(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "warningRuleID")
	if err != nil {
		return err
	}
	var in warningRuleInJSON
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if err := requireVersion(in.Version); err != nil {
		return err
	}
	wi, err := s.warningRuleInput(r, in)
	if err != nil {
		return err
	}
	if err := s.store.UpdateWarningRule(r.Context(), rc.actor, id, wi, in.Version); err != nil {
		return s.warningSourceFailed(w, r, rc, wi.Source, err)
	}
	return s.writeWarningRule(w, r, rc, id, http.StatusOK)
}

// apiPreviewWarningRule answers POST /api/v1/warning-rules/{ruleID}/preview:
// the draft over the stored events of the last days days (90 if 0).
func (s *Server) apiPreviewWarningRule(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "warningRuleID")
	if err != nil {
		return err
	}
	var in struct {
		Days int `json:"days"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if in.Days == 0 {
		in.Days = sqlstore.WarningPreviewDays
	}
	pv, err := s.store.PreviewWarningRule(r.Context(), rc.actor, id, in.Days)
	if err != nil {
		return err
	}
	out := rulePreviewJSON{Count: pv.Count, Total: pv.Total, Errors: pv.Errors, Missing: pv.Missing,
		Warnings: []string{}, Failures: []string{}, Lines: make([]rulePreviewLineJSON, 0, len(pv.Lines))}
	for _, x := range pv.Warnings {
		out.Warnings = append(out.Warnings, pick(rc.lang, x.ZH, x.EN))
	}
	for _, f := range pv.Failures {
		out.Failures = append(out.Failures, f.Example+": "+pick(rc.lang, f.Why.ZH(), f.Why.EN()))
	}
	for _, l := range pv.Lines {
		out.Lines = append(out.Lines, rulePreviewLineJSON{HouseholdID: l.HouseholdID, Head: l.Name, PlaceCode: l.PlaceCode,
			PlaceName: l.PlaceName, Explanation: pick(rc.lang, l.ExplainZH, l.ExplainEN)})
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// warningJSON is a department warning with what became of it.
type warningJSON struct {
	ID             int64               `json:"id"`
	Rule           string              `json:"rule"`
	RuleID         int64               `json:"rule_id"`
	Department     string              `json:"department"`
	DepartmentName string              `json:"department_name"`
	EventType      string              `json:"event_type"`
	EventTypeName  string              `json:"event_type_name"`
	EventDate      string              `json:"event_date"`
	Amounts        []warningAmountJSON `json:"amounts"`
	Name           string              `json:"name"`
	Registered     bool                `json:"registered"`
	PlaceName      string              `json:"place_name"`
	ClueID         int64               `json:"clue_id"`
	Explanation    string              `json:"explanation"`
	CreatedAt      time.Time           `json:"created_at"`
	Status         string              `json:"status"`
	StatusName     string              `json:"status_name"`
	Measures       []string            `json:"measures"`
	Monitoring     string              `json:"monitoring,omitempty"`
	Outcome        string              `json:"outcome,omitempty"`
}

type warningAmountJSON struct {
	Field string  `json:"field"`
	Label string  `json:"label"`
	Yuan  float64 `json:"yuan"`
}

type warningListJSON struct {
	Items []warningJSON `json:"items"`
}

// warningStatusNames are the outcomes' names.
var warningStatusNames = map[string][2]string{
	sqlstore.WarnPending:   {"待响应", "pending acknowledgement"},
	sqlstore.WarnVerifying: {"核实中", "being verified"},
	sqlstore.WarnNoRisk:    {"核实无风险", "verified, no risk"},
	sqlstore.WarnCase:      {"已立案", "case opened"},
	sqlstore.WarnHelped:    {"已救助", "helped"},
	sqlstore.WarnClosed:    {"已办结", "closed"},
}

func warningStatusName(code, lang string) string {
	n := warningStatusNames[code]
	return pick(lang, n[0], n[1])
}

func toWarningJSON(w sqlstore.Warning, lang string) warningJSON {
	out := warningJSON{ID: w.ID, Rule: w.RuleName, RuleID: w.RuleID, Department: w.Department,
		DepartmentName: safetynet.Departments.Label(w.Department, lang), EventType: w.EventType,
		EventTypeName: eventTypeName(w.EventType, lang), EventDate: w.EventDate, Amounts: []warningAmountJSON{}, Name: w.Name,
		Registered: w.HouseholdID != 0, PlaceName: w.PlaceName, ClueID: w.ClueID, Explanation: pick(lang, w.ExplainZH, w.ExplainEN),
		CreatedAt: w.CreatedAt, Status: w.Status, StatusName: warningStatusName(w.Status, lang), Measures: []string{}}
	for _, a := range w.Amounts {
		out.Amounts = append(out.Amounts, warningAmountJSON{Field: a.Field, Label: pick(lang, a.ZH, a.EN), Yuan: float64(a.Fen) / 100})
	}
	if lang == "zh" {
		out.Measures = append(out.Measures, w.MeasureZH...)
	} else {
		out.Measures = append(out.Measures, w.MeasureEN...)
	}
	if w.Monitoring != "" {
		out.Monitoring = safetynet.CategoryLabel(w.Monitoring, lang)
	}
	if w.Outcome != "" {
		out.Outcome = safetynet.CaseOutcomes.Label(w.Outcome, lang)
	}
	return out
}

func warningFilterOf(r *http.Request) (sqlstore.WarningFilter, error) {
	q := r.URL.Query()
	f := sqlstore.WarningFilter{Department: q.Get("department"), EventType: q.Get("event_type"), Status: q.Get("status")}
	if f.Department != "" && !safetynet.Departments.Valid(f.Department) {
		return f, safetynet.Invalid("department", "未知部门", "unknown department %q", f.Department)
	}
	if f.EventType != "" {
		t, ok := safetynet.EventTypeOf(f.EventType)
		if !ok {
			return f, safetynet.Invalid("event_type", "未知的事件类型", "unknown event type %q", f.EventType)
		}
		f.EventType = t.Code
	}
	if _, ok := warningStatusNames[f.Status]; f.Status != "" && f.Status != "monitored" && !ok {
		return f, safetynet.Invalid("status", "未知的状态", "unknown status %q", f.Status)
	}
	return f, nil
}

func (s *Server) writeWarnings(w http.ResponseWriter, r *http.Request, rc *reqCtx, f sqlstore.WarningFilter) error {
	list, err := s.store.Warnings(r.Context(), rc.actor, f)
	if err != nil {
		return err
	}
	out := warningListJSON{Items: make([]warningJSON, 0, len(list))}
	for _, x := range list {
		out.Items = append(out.Items, toWarningJSON(x, rc.lang))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// apiWarnings answers GET /api/v1/warnings: the warnings of the
// viewer's scope, filtered by department, event type and status.
func (s *Server) apiWarnings(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	if rc.actor.Role == safetynet.RoleDepartment {
		return safetynet.Forbidden() // departments read their feedback below
	}
	f, err := warningFilterOf(r)
	if err != nil {
		return err
	}
	return s.writeWarnings(w, r, rc, f)
}

// apiDepartmentWarnings answers GET /api/v1/feeds/{department}/warnings:
// feedback to a department (结果反馈) on the warnings raised from the events
// its account pushed. Staff read those of their scope.
func (s *Server) apiDepartmentWarnings(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	dept := r.PathValue("department")
	if !safetynet.Departments.Valid(dept) {
		return safetynet.NotFound("部门", "department")
	}
	f, err := warningFilterOf(r)
	if err != nil {
		return err
	}
	f.Department = dept
	return s.writeWarnings(w, r, rc, f)
}
