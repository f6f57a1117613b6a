package httpserver

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	"safetynet"
	"safetynet/access"
	"safetynet/sqlstore"
)

// ruleJSON is an eligibility or exit rule of a measure.
type ruleJSON struct {
	ID          int64         `json:"id"`
	Name        string        `json:"name"`
	Measure     string        `json:"measure"`
	MeasureName string        `json:"measure_name"`
	Kind        string        `json:"kind"`
	Place       string        `json:"place"`
	PlaceName   string        `json:"place_name"`
	ValidFrom   string        `json:"valid_from,omitempty"`
	ValidTo     string        `json:"valid_to,omitempty"`
	Status      string        `json:"status"`
	Source      string        `json:"source"`
	Examples    []exampleJSON `json:"examples"`
	Version     int           `json:"version"`
	Published   int           `json:"published"`
	PublishedAt *time.Time    `json:"published_at,omitempty"`
	PublishedBy string        `json:"published_by,omitempty"`
	UpdatedAt   *time.Time    `json:"updated_at,omitempty"`
	UpdatedBy   string        `json:"updated_by,omitempty"`
}

type ruleListJSON struct {
	Items []ruleJSON `json:"items"`
}

func day(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format("2006-01-02")
}

func toRuleJSON(x sqlstore.Rule, lang string) ruleJSON {
	out := ruleJSON{ID: x.ID, Name: x.Name, Measure: x.Measure, MeasureName: x.MeasureEN, Kind: x.Kind, Place: x.Place,
		PlaceName: x.PlaceName, ValidFrom: day(x.ValidFrom), ValidTo: day(x.ValidTo), Status: x.Status, Source: x.Source,
		Examples: examplesOut(x.Examples), Version: x.Version, Published: x.Published, PublishedAt: timePtr(x.PublishedAt),
		PublishedBy: x.PublishedBy, UpdatedAt: timePtr(x.UpdatedAt), UpdatedBy: x.UpdatedBy}
	if lang == "zh" {
		out.MeasureName = x.MeasureZH
	}
	return out
}

// ruleInJSON is what an author sends.
type ruleInJSON struct {
	Name      string          `json:"name"`
	Measure   string          `json:"measure"`
	Kind      string          `json:"kind"`
	Place     string          `json:"place"`
	ValidFrom string          `json:"valid_from"`
	ValidTo   string          `json:"valid_to"`
	Source    string          `json:"source"`
	Examples  json.RawMessage `json:"examples"`
	Version   int             `json:"version"`
}

func (s *Server) ruleInput(r *http.Request, in ruleInJSON) (sqlstore.RuleInput, error) {
	out := sqlstore.RuleInput{Name: strings.TrimSpace(in.Name), Measure: in.Measure, Kind: in.Kind, Place: in.Place, Source: in.Source}
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
	env, err := s.rulesEnv(r.Context())
	if err != nil {
		return out, err
	}
	if raw := strings.TrimSpace(string(in.Examples)); raw != "" && raw != "null" {
		out.Examples, err = parseExamples(env, raw)
	}
	return out, err
}

// apiRules answers GET /api/v1/rules.
func (s *Server) apiRules(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	q := r.URL.Query()
	list, err := s.store.Rules(r.Context(), rc.actor, sqlstore.RuleFilter{Measure: q.Get("measure"), Kind: q.Get("kind"), Status: q.Get("status")})
	if err != nil {
		return err
	}
	out := ruleListJSON{Items: make([]ruleJSON, 0, len(list))}
	for _, x := range list {
		out.Items = append(out.Items, toRuleJSON(x, rc.lang))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) writeRule(w http.ResponseWriter, r *http.Request, rc *reqCtx, id int64, status int) error {
	x, err := s.store.Rule(r.Context(), rc.actor, id)
	if err != nil {
		return err
	}
	writeJSON(w, status, toRuleJSON(x, rc.lang))
	return nil
}

// apiRule answers GET /api/v1/rules/{ruleID}.
func (s *Server) apiRule(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "ruleID")
	if err != nil {
		return err
	}
	return s.writeRule(w, r, rc, id, http.StatusOK)
}

// apiCreateRule answers POST /api/v1/rules: a draft.
func (s *Server) apiCreateRule(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	if err := rc.actor.Require(access.RulesEdit); err != nil {
		return err
	}
	var in ruleInJSON
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	ri, err := s.ruleInput(r, in)
	if err != nil {
		return err
	}
	id, err := s.store.CreateRule(r.Context(), rc.actor, ri)
	if err != nil {
		return s.ruleSourceFailed(w, r, rc, ri.Source, err)
	}
	return s.writeRule(w, r, rc, id, http.StatusCreated)
}

// ruleSourceFailed answers a refused rule whose source does not compile
// with every issue and its position; other errors pass through.
func (s *Server) ruleSourceFailed(w http.ResponseWriter, r *http.Request, rc *reqCtx, src string, err error) error {
	if safetynet.CodeOf(err) == safetynet.EInvalid {
		if env, eerr := s.rulesEnv(r.Context()); eerr == nil {
			if _, cerr := env.Check(src); cerr != nil && writeRuleSourceError(w, cerr, "source", rc.lang) {
				return nil
			}
		}
	}
	return err
}

// apiUpdateRule answers PATCH /api/v1/rules/{ruleID}: the draft changes;
// the published version runs until the next publishing.
func (s *Server) apiUpdateRule(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "ruleID")
	if err != nil {
		return err
	}
	var in ruleInJSON
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if err := requireVersion(in.Version); err != nil {
		return err
	}
	ri, err := s.ruleInput(r, in)
	if err != nil {
		return err
	}
	if err := s.store.UpdateRule(r.Context(), rc.actor, id, ri, in.Version); err != nil {
		return s.ruleSourceFailed(w, r, rc, ri.Source, err)
	}
	return s.writeRule(w, r, rc, id, http.StatusOK)
}

// apiPublishRule answers POST /api/v1/rules/{ruleID}/publish.
func (s *Server) apiPublishRule(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "ruleID")
	if err != nil {
		return err
	}
	var in versionJSON
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if err := requireVersion(in.Version); err != nil {
		return err
	}
	if _, err := s.store.PublishRule(r.Context(), rc.actor, id, in.Version); err != nil {
		return err
	}
	return s.writeRule(w, r, rc, id, http.StatusOK)
}

// rulePreviewJSON is what a draft would match in the author's scope.
type rulePreviewJSON struct {
	Count    int                   `json:"count"`
	Total    int                   `json:"total"`
	Errors   int                   `json:"errors"`
	Missing  int                   `json:"missing"`
	Warnings []string              `json:"warnings"`
	Failures []string              `json:"failures"`
	Lines    []rulePreviewLineJSON `json:"lines"`
}

type rulePreviewLineJSON struct {
	HouseholdID int64  `json:"household_id"`
	Head        string `json:"head"`
	PlaceCode   string `json:"place_code"`
	PlaceName   string `json:"place_name"`
	Explanation string `json:"explanation"`
}

// apiPreviewRule answers POST /api/v1/rules/{ruleID}/preview: the count
// of matching households, the first 50 with why, loud warnings when the
// rule matches (almost) all or none, and the failing examples.
func (s *Server) apiPreviewRule(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "ruleID")
	if err != nil {
		return err
	}
	var in struct{}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	pv, err := s.store.PreviewRule(r.Context(), rc.actor, id)
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

func pick(lang, zh, en string) string {
	if lang == "zh" {
		return zh
	}
	return en
}

// paramJSON is a parameter of a county and year.
type paramJSON struct {
	Name      string     `json:"name"`
	Label     string     `json:"label"`
	Type      string     `json:"type"`
	Unit      string     `json:"unit,omitempty"`
	County    string     `json:"county"`
	Year      int        `json:"year"`
	Value     *float64   `json:"value"`
	Text      string     `json:"text,omitempty"`
	UpdatedBy string     `json:"updated_by,omitempty"`
	UpdatedAt *time.Time `json:"updated_at,omitempty"`
}

type paramListJSON struct {
	Items []paramJSON `json:"items"`
}

func paramYear(v string) (int, error) {
	if v == "" {
		return time.Now().Year(), nil
	}
	y, err := strconv.Atoi(v)
	if err != nil || y < 2000 || y > 2100 {
		return 0, safetynet.Invalid("year", "年度应为 2000 到 2100 之间的整数", "year must be an integer from 2000 to 2100")
	}
	return y, nil
}

func (s *Server) writeParams(w http.ResponseWriter, r *http.Request, rc *reqCtx, county string, year int) error {
	ps, err := s.store.Params(r.Context(), rc.actor, county, year)
	if err != nil {
		return err
	}
	out := paramListJSON{Items: make([]paramJSON, 0, len(ps))}
	for _, p := range ps {
		pj := paramJSON{Name: p.Name, Label: pick(rc.lang, p.ZH, p.EN), Type: string(p.Type), Unit: p.Unit,
			County: p.County, Year: p.Year, UpdatedBy: p.UpdatedBy, UpdatedAt: timePtr(p.UpdatedAt)}
		switch v := p.Value.(type) {
		case float64:
			pj.Value = &v
		case int64:
			f := float64(v)
			pj.Value = &f
		case int:
			f := float64(v)
			pj.Value = &f
		case string:
			pj.Text = v
		}
		out.Items = append(out.Items, pj)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// apiParams answers GET /api/v1/rules/params?county=&year=.
func (s *Server) apiParams(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	year, err := paramYear(r.URL.Query().Get("year"))
	if err != nil {
		return err
	}
	county := r.URL.Query().Get("county")
	if county == "" {
		county = rc.actor.Place
	}
	return s.writeParams(w, r, rc, county, year)
}

// apiSetParam answers POST /api/v1/rules/params: one value of a county
// and year; rules are not touched, the county is re-screened.
func (s *Server) apiSetParam(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	var in struct {
		County string `json:"county"`
		Year   int    `json:"year"`
		Name   string `json:"name"`
		Value  any    `json:"value"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if in.Year < 2000 || in.Year > 2100 {
		return safetynet.Invalid("year", "年度应为 2000 到 2100 之间的整数", "year must be an integer from 2000 to 2100")
	}
	if err := s.store.SetParam(r.Context(), rc.actor, in.County, in.Year, in.Name, in.Value); err != nil {
		return err
	}
	return s.writeParams(w, r, rc, in.County, in.Year)
}

// apiRetireRule answers POST /api/v1/rules/{ruleID}/retire: the rule stops
// matching and its open lines close; past results are kept.
func (s *Server) apiRetireRule(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "ruleID")
	if err != nil {
		return err
	}
	var in versionJSON
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if err := requireVersion(in.Version); err != nil {
		return err
	}
	if err := s.store.RetireRule(r.Context(), rc.actor, id, in.Version); err != nil {
		return err
	}
	return s.writeRule(w, r, rc, id, http.StatusOK)
}
