package httpserver

import (
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"safetynet"
	"safetynet/access"
	"safetynet/rules"
	"safetynet/sqlstore"
)

// warningRuleForm is the editor of a warning rule: the same check as one
// types, preview, examples, publishing and versions as eligibility rules.
type warningRuleForm struct {
	Rule     sqlstore.WarningRule
	Examples string // the examples as JSON, as typed
	Places   []safetynet.Place
	Periods  []string
	Preview  *sqlstore.Preview
	Days     int
	Failures []rules.Failure
	Versions []sqlstore.RuleVersion
	Errors   []sqlstore.WarningError
	Issues   []string
	New      bool
}

// HasType reports whether the rule applies to an event type.
func (f warningRuleForm) HasType(code string) bool { return slices.Contains(f.Rule.EventTypes, code) }

// HasKind reports whether the rule raises a clue kind.
func (f warningRuleForm) HasKind(code string) bool { return slices.Contains(f.Rule.ClueKinds, code) }

// WarnClueKinds lists the clue kinds.
func (p *page) WarnClueKinds() safetynet.Vocab { return safetynet.ClueKinds }

func (s *Server) showWarningRuleForm(w http.ResponseWriter, r *http.Request, rc *reqCtx, f warningRuleForm, formErr error) error {
	if err := rc.actor.Require(access.RulesEdit); err != nil {
		return err
	}
	if me, err := s.store.Place(r.Context(), rc.actor, rc.actor.Place); err == nil {
		f.Places = append(f.Places, me)
		if me.Level == safetynet.LevelCounty {
			kids, err := s.store.PlaceChildren(r.Context(), rc.actor, me.Code)
			if err != nil {
				return err
			}
			f.Places = append(f.Places, kids...)
		}
	}
	f.Periods = sqlstore.WarningPeriods
	if f.Days == 0 {
		f.Days = sqlstore.WarningPreviewDays
	}
	if strings.TrimSpace(f.Rule.Source) != "" {
		if env, err := s.store.WarningEnv(r.Context()); err == nil {
			if _, cerr := env.Check(f.Rule.Source); cerr != nil {
				if ce, ok := cerr.(*rules.CompileError); ok {
					for _, is := range ce.Issues {
						f.Issues = append(f.Issues, issueText(is, rc.lang))
					}
				}
			}
		}
	}
	status := http.StatusOK
	if formErr != nil {
		status = statusOf(s.publicError(r, formErr))
	}
	return s.render(w, r, rc, status, "warning_rule_form", "warnings.rule_edit", f, formErr)
}

// webNewWarningRule shows an empty warning rule for the author's place.
func (s *Server) webNewWarningRule(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	return s.showWarningRuleForm(w, r, rc, warningRuleForm{New: true, Rule: sqlstore.WarningRule{Rule: sqlstore.Rule{Place: rc.actor.Place,
		Kind: rules.KindWarning}, Urgency: "normal", Period: sqlstore.PeriodYear}}, nil)
}

// readWarningRuleForm reads the editor's fields.
func (s *Server) readWarningRuleForm(r *http.Request) (sqlstore.WarningRuleInput, string, error) {
	if err := parseForm(r); err != nil {
		return sqlstore.WarningRuleInput{}, "", err
	}
	f := r.PostForm
	in := sqlstore.WarningRuleInput{Name: strings.TrimSpace(f.Get("name")), Place: f.Get("place"), Source: f.Get("source"),
		EventTypes: f["event_type"], Urgency: f.Get("urgency"), ClueKinds: f["clue_kind"], Period: f.Get("period")}
	examples := f.Get("examples")
	for _, d := range []struct {
		field string
		dst   *time.Time
	}{{"valid_from", &in.ValidFrom}, {"valid_to", &in.ValidTo}} {
		v := strings.TrimSpace(f.Get(d.field))
		if v == "" {
			continue
		}
		t, err := time.Parse("2006-01-02", v)
		if err != nil {
			return in, examples, safetynet.Invalid(d.field, "日期格式应为 2026-01-01", "dates are written 2026-01-01")
		}
		*d.dst = t
	}
	var err error
	in.Examples, err = s.parseWarningExamples(r, json.RawMessage(examples))
	return in, examples, err
}

func warningRuleOf(in sqlstore.WarningRuleInput, base sqlstore.WarningRule) sqlstore.WarningRule {
	base.Name, base.Place, base.Source, base.ValidFrom, base.ValidTo = in.Name, in.Place, in.Source, in.ValidFrom, in.ValidTo
	base.EventTypes, base.Urgency, base.ClueKinds, base.Period = in.EventTypes, in.Urgency, in.ClueKinds, in.Period
	return base
}

// examplesText writes a rule's examples as the editor's JSON.
func examplesText(x sqlstore.WarningRule, lang string) string {
	ex := toWarningRuleJSON(x, lang).Examples
	if len(ex) == 0 {
		return ""
	}
	b, _ := json.MarshalIndent(ex, "", "  ")
	return string(b)
}

func (s *Server) loadWarningRuleForm(r *http.Request, rc *reqCtx, id int64) (warningRuleForm, error) {
	x, err := s.store.WarningRule(r.Context(), rc.actor, id)
	if err != nil {
		return warningRuleForm{}, err
	}
	f := warningRuleForm{Rule: x, Examples: examplesText(x, rc.lang)}
	if f.Versions, err = s.store.RuleVersions(r.Context(), rc.actor, id); err != nil {
		return f, err
	}
	f.Errors, err = s.store.WarningErrors(r.Context(), rc.actor, id)
	return f, err
}

// webCreateWarningRule saves a new draft and opens it.
func (s *Server) webCreateWarningRule(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	in, examples, err := s.readWarningRuleForm(r)
	var id int64
	if err == nil {
		id, err = s.store.CreateWarningRule(r.Context(), rc.actor, in)
	}
	if err != nil {
		f := warningRuleForm{New: true, Rule: warningRuleOf(in, sqlstore.WarningRule{Rule: sqlstore.Rule{Kind: rules.KindWarning}}), Examples: examples}
		return s.formFailed(w, r, rc, err, func() error { return s.showWarningRuleForm(w, r, rc, f, err) })
	}
	s.flashRedirect(w, r, "/warning-rules/"+strconv.FormatInt(id, 10), "flash.saved")
	return nil
}

// webWarningRule shows the editor; /preview adds the preview over the
// events of the last ?days= days (90 by default).
func (s *Server) webWarningRule(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	if err := rc.actor.Require(access.RulesEdit); err != nil {
		return err
	}
	id, err := warningRuleID(r)
	if err != nil {
		return err
	}
	f, err := s.loadWarningRuleForm(r, rc, id)
	if err != nil {
		return err
	}
	if strings.HasSuffix(r.URL.Path, "/preview") {
		f.Days = sqlstore.WarningPreviewDays
		if d := r.URL.Query().Get("days"); d != "" {
			if f.Days, err = strconv.Atoi(d); err != nil {
				return safetynet.Invalid("days", "天数须为整数", "days must be an integer")
			}
		}
		pv, err := s.store.PreviewWarningRule(r.Context(), rc.actor, id, f.Days)
		if err != nil {
			return s.showWarningRuleForm(w, r, rc, f, err)
		}
		f.Preview, f.Failures = &pv, pv.Failures
	}
	return s.showWarningRuleForm(w, r, rc, f, nil)
}

// webUpdateWarningRule saves the draft.
func (s *Server) webUpdateWarningRule(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := warningRuleID(r)
	if err != nil {
		return err
	}
	in, examples, err := s.readWarningRuleForm(r)
	if err == nil {
		var version int
		if version, err = formVersion(r); err == nil {
			err = s.store.UpdateWarningRule(r.Context(), rc.actor, id, in, version)
		}
	}
	if err != nil {
		return s.formFailed(w, r, rc, err, func() error {
			f, lerr := s.loadWarningRuleForm(r, rc, id)
			if lerr != nil {
				return lerr
			}
			f.Rule, f.Examples = warningRuleOf(in, f.Rule), examples
			return s.showWarningRuleForm(w, r, rc, f, err)
		})
	}
	to := "/warning-rules/" + strconv.FormatInt(id, 10)
	if r.PostForm.Get("then") == "preview" {
		to += "/preview"
	}
	s.flashRedirect(w, r, to, "flash.saved")
	return nil
}

// webPublishWarningRule publishes the draft (its examples must pass).
func (s *Server) webPublishWarningRule(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	return s.warningRuleAction(w, r, rc, func(id int64, version int) (string, error) {
		_, err := s.store.PublishRule(r.Context(), rc.actor, id, version)
		return "rules.published", err
	})
}

// webRetireWarningRule retires a warning rule: it raises no more warnings;
// those raised stay.
func (s *Server) webRetireWarningRule(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	return s.warningRuleAction(w, r, rc, func(id int64, version int) (string, error) {
		return "warnings.retired", s.store.RetireRule(r.Context(), rc.actor, id, version)
	})
}

func (s *Server) warningRuleAction(w http.ResponseWriter, r *http.Request, rc *reqCtx, act func(id int64, version int) (string, error)) error {
	id, err := warningRuleID(r)
	if err != nil {
		return err
	}
	if _, err := s.store.WarningRule(r.Context(), rc.actor, id); err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	version, err := formVersion(r)
	if err != nil {
		return err
	}
	flash, err := act(id, version)
	if err != nil {
		return s.formFailed(w, r, rc, err, func() error {
			f, lerr := s.loadWarningRuleForm(r, rc, id)
			if lerr != nil {
				return lerr
			}
			if pv, perr := s.store.PreviewWarningRule(r.Context(), rc.actor, id, sqlstore.WarningPreviewDays); perr == nil {
				f.Preview, f.Failures = &pv, pv.Failures
			}
			return s.showWarningRuleForm(w, r, rc, f, err)
		})
	}
	s.flashRedirect(w, r, "/warning-rules/"+strconv.FormatInt(id, 10), flash)
	return nil
}
