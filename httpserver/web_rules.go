package httpserver

import (
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"safetynet"
	"safetynet/access"
	"safetynet/rules"
	"safetynet/sqlstore"
)

// rulesPage is 设置 › 规则: the rules of the viewer's scope by measure.
type rulesPage struct {
	Rules   []sqlstore.Rule
	CanEdit bool
}

// webRules lists the rules the viewer may read, by measure.
func (s *Server) webRules(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	list, err := s.store.Rules(r.Context(), rc.actor, sqlstore.RuleFilter{})
	if err != nil {
		return err
	}
	sort.SliceStable(list, func(i, j int) bool { return list[i].Measure < list[j].Measure })
	if !rc.actor.Can(access.RulesEdit) {
		list = publishedRules(list) // readers see the rules that apply, not drafts
	}
	return s.render(w, r, rc, http.StatusOK, "rules", "rules.title", rulesPage{Rules: list, CanEdit: rc.actor.Can(access.RulesEdit)}, nil)
}

// ruleForm is the editor: the rule as written (or as typed when the save
// failed), its preview, the examples failing at publishing, its versions.
type ruleForm struct {
	Rule     sqlstore.Rule
	Examples string  // the advanced JSON box, as typed
	Rows     []exRow // the examples as the form shows them
	Measures []safetynet.Measure
	Places   []safetynet.Place
	Kinds    []string
	Preview  *sqlstore.Preview
	Failures []rules.Failure
	Versions []sqlstore.RuleVersion
	Issues   []string // type-check problems of the source, with position
	New      bool
}

func (s *Server) showRuleForm(w http.ResponseWriter, r *http.Request, rc *reqCtx, f ruleForm, formErr error) error {
	if err := rc.actor.Require(access.RulesEdit); err != nil {
		return err
	}
	var err error
	if f.Measures, err = s.store.Measures(r.Context(), false); err != nil {
		return err
	}
	// The scope: the author's place and, for a county, its towns.
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
	f.Kinds = []string{rules.KindEligibility, rules.KindExit}
	f.Rows = withBlanks(f.Rows)
	if env, err := s.rulesEnv(r.Context()); err == nil && strings.TrimSpace(f.Rule.Source) != "" {
		f.Issues = ruleIssues(env, f.Rule.Source, rc.lang)
	}
	status := http.StatusOK
	if formErr != nil {
		status = statusOf(s.publicError(r, formErr))
	}
	return s.render(w, r, rc, status, "rule_form", "rules.edit", f, formErr)
}

// webNewRule shows an empty editor for the author's place.
func (s *Server) webNewRule(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	return s.showRuleForm(w, r, rc, ruleForm{New: true, Rule: sqlstore.Rule{Place: rc.actor.Place, Kind: rules.KindEligibility,
		Measure: r.URL.Query().Get("measure")}}, nil)
}

// readRuleForm reads the editor's fields; wrong dates and examples are
// client errors naming the field.
func (s *Server) readRuleForm(r *http.Request) (sqlstore.RuleInput, string, []exRow, error) {
	if err := parseForm(r); err != nil {
		return sqlstore.RuleInput{}, "", nil, err
	}
	in := sqlstore.RuleInput{Name: strings.TrimSpace(r.PostForm.Get("name")), Measure: r.PostForm.Get("measure"),
		Kind: r.PostForm.Get("kind"), Place: r.PostForm.Get("place"), Source: r.PostForm.Get("source")}
	examples := r.PostForm.Get("examples")
	rows, fromForm := readExRows(r.PostForm)
	for _, d := range []struct {
		field string
		dst   *time.Time
	}{{"valid_from", &in.ValidFrom}, {"valid_to", &in.ValidTo}} {
		v := strings.TrimSpace(r.PostForm.Get(d.field))
		if v == "" {
			continue
		}
		t, err := time.Parse("2006-01-02", v)
		if err != nil {
			return in, examples, rows, safetynet.Invalid(d.field, "日期格式应为 2026-01-01", "dates are written 2026-01-01")
		}
		*d.dst = t
	}
	env, err := s.rulesEnv(r.Context())
	if err != nil {
		return in, examples, rows, err
	}
	// The JSON box, when filled, replaces the form's examples.
	if strings.TrimSpace(examples) != "" || !fromForm {
		in.Examples, err = parseExamples(env, examples)
		if err == nil {
			rows = exRows(in.Examples)
		}
		return in, examples, rows, err
	}
	in.Examples, err = buildExamples(env, rows)
	return in, "", rows, err
}

func ruleOf(in sqlstore.RuleInput, base sqlstore.Rule) sqlstore.Rule {
	base.Name, base.Measure, base.Kind, base.Place, base.Source = in.Name, in.Measure, in.Kind, in.Place, in.Source
	base.ValidFrom, base.ValidTo = in.ValidFrom, in.ValidTo
	return base
}

// webCreateRule saves a new draft and opens it in the editor.
func (s *Server) webCreateRule(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	in, examples, rows, err := s.readRuleForm(r)
	var id int64
	if err == nil {
		id, err = s.store.CreateRule(r.Context(), rc.actor, in)
	}
	if err != nil {
		f := ruleForm{New: true, Rule: ruleOf(in, sqlstore.Rule{}), Examples: examples, Rows: rows}
		return s.formFailed(w, r, rc, err, func() error { return s.showRuleForm(w, r, rc, f, err) })
	}
	s.flashRedirect(w, r, "/rules/"+strconv.FormatInt(id, 10), "flash.saved")
	return nil
}

func ruleID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("ruleID"), 10, 64)
	if err != nil || id <= 0 {
		return 0, safetynet.NotFound("规则", "rule")
	}
	return id, nil
}

// loadRuleForm fills the editor with the stored rule and its versions.
func (s *Server) loadRuleForm(r *http.Request, rc *reqCtx, id int64) (ruleForm, error) {
	x, err := s.store.Rule(r.Context(), rc.actor, id)
	if err != nil {
		return ruleForm{}, err
	}
	f := ruleForm{Rule: x, Rows: exRows(x.Examples)}
	f.Versions, err = s.store.RuleVersions(r.Context(), rc.actor, id)
	return f, err
}

// webRule shows the editor of a rule; /rules/{id}/preview adds the preview.
func (s *Server) webRule(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	if !rc.actor.Can(access.RulesEdit) && rc.actor.Can(access.RulesView) && !strings.HasSuffix(r.URL.Path, "/preview") {
		return s.webRuleReadOnly(w, r, rc) // town and village staff, inspectors
	}
	if err := rc.actor.Require(access.RulesEdit); err != nil {
		return err
	}
	id, err := ruleID(r)
	if err != nil {
		return err
	}
	f, err := s.loadRuleForm(r, rc, id)
	if err != nil {
		return err
	}
	if f.Rule.Kind == rules.KindWarning { // a warning rule has its own editor
		http.Redirect(w, r, "/warning-rules/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
		return nil
	}
	if strings.HasSuffix(r.URL.Path, "/preview") {
		pv, err := s.store.PreviewRule(r.Context(), rc.actor, id)
		if err != nil {
			return s.showRuleForm(w, r, rc, f, err)
		}
		f.Preview, f.Failures = &pv, pv.Failures
	}
	return s.showRuleForm(w, r, rc, f, nil)
}

// webUpdateRule saves the draft of a rule; the published version keeps
// running until the next publishing.
func (s *Server) webUpdateRule(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := ruleID(r)
	if err != nil {
		return err
	}
	in, examples, rows, err := s.readRuleForm(r)
	if err == nil {
		var version int
		if version, err = formVersion(r); err == nil {
			err = s.store.UpdateRule(r.Context(), rc.actor, id, in, version)
		}
	}
	if err != nil {
		return s.formFailed(w, r, rc, err, func() error {
			f, lerr := s.loadRuleForm(r, rc, id)
			if lerr != nil {
				return lerr
			}
			f.Rule, f.Examples, f.Rows = ruleOf(in, f.Rule), examples, rows
			return s.showRuleForm(w, r, rc, f, err)
		})
	}
	to := "/rules/" + strconv.FormatInt(id, 10)
	if r.PostForm.Get("then") == "preview" {
		to += "/preview"
	}
	s.flashRedirect(w, r, to, "flash.saved")
	return nil
}

// webPublishRule publishes the draft; failing examples refuse it and are
// listed.
func (s *Server) webPublishRule(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := ruleID(r)
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	version, err := formVersion(r)
	if err != nil {
		return err
	}
	if _, err := s.store.PublishRule(r.Context(), rc.actor, id, version); err != nil {
		return s.formFailed(w, r, rc, err, func() error {
			f, lerr := s.loadRuleForm(r, rc, id)
			if lerr != nil {
				return lerr
			}
			if pv, perr := s.store.PreviewRule(r.Context(), rc.actor, id); perr == nil {
				f.Preview, f.Failures = &pv, pv.Failures
			}
			return s.showRuleForm(w, r, rc, f, err)
		})
	}
	s.flashRedirect(w, r, "/rules/"+strconv.FormatInt(id, 10), "rules.published")
	return nil
}

// webRetireRule retires a rule: its lines close, past results are kept.
func (s *Server) webRetireRule(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := ruleID(r)
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	version, err := formVersion(r)
	if err != nil {
		return err
	}
	if err := s.store.RetireRule(r.Context(), rc.actor, id, version); err != nil {
		return s.formFailed(w, r, rc, err, func() error {
			f, lerr := s.loadRuleForm(r, rc, id)
			if lerr != nil {
				return lerr
			}
			return s.showRuleForm(w, r, rc, f, err)
		})
	}
	s.flashRedirect(w, r, "/rules", "rules.retired")
	return nil
}
