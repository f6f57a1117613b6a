package httpserver

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"safetynet/sqlstore"
)

// The campaign's goals (目标进度), the lists behind their figures, its
// typical cases (典型案例) and its report (总结报告): every figure is
// recomputed from records when the page is asked for.

func (s *Server) webCampaignGoals(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "campaignID")
	if err != nil {
		return err
	}
	g, err := s.store.GoalsOf(r.Context(), rc.actor, id, r.URL.Query().Get("place"))
	if err != nil {
		return err
	}
	return s.render(w, r, rc, http.StatusOK, "campaign_goals", "goals.title", g, nil)
}

func (s *Server) webGoalList(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "campaignID")
	if err != nil {
		return err
	}
	goal, err := pathID(r, "goalID")
	if err != nil {
		return err
	}
	q := r.URL.Query()
	l, err := s.store.GoalListOf(r.Context(), rc.actor, id, goal, q.Get("place"), q.Get("which"))
	if err != nil {
		return err
	}
	return s.render(w, r, rc, http.StatusOK, "campaign_goals_list", "goals.list", l, nil)
}

// examplesPage is the typical cases of a campaign with the form to mark one.
type examplesPage struct {
	Campaign   sqlstore.GoalCampaign
	Examples   []sqlstore.CampaignExample
	Candidates []sqlstore.ExampleCandidate
	Form       url.Values
	Chosen     string // "case:ID" or "household:ID", from a list's link or the form
}

func (s *Server) webCampaignExamples(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	return s.showExamples(w, r, rc, nil)
}

func (s *Server) showExamples(w http.ResponseWriter, r *http.Request, rc *reqCtx, formErr error) error {
	id, err := pathID(r, "campaignID")
	if err != nil {
		return err
	}
	c, ex, err := s.store.CampaignExamples(r.Context(), rc.actor, id)
	if err != nil {
		return err
	}
	pg := examplesPage{Campaign: c, Examples: ex, Form: r.PostForm}
	if pg.Form == nil {
		pg.Form = url.Values{}
	}
	pg.Chosen = pg.Form.Get("subject")
	if q := r.URL.Query(); pg.Chosen == "" && q.Get("household") != "" {
		pg.Chosen = "household:" + q.Get("household")
	} else if pg.Chosen == "" && q.Get("case") != "" {
		pg.Chosen = "case:" + q.Get("case")
	}
	if pg.Candidates, err = s.store.ExampleCandidates(r.Context(), rc.actor, id); err != nil {
		return err
	}
	// The case or household a list's link named, when it is not among the
	// candidates (a household of the register not registered for the campaign).
	if caseID, hh := exampleSubject(pg.Chosen); caseID+hh > 0 && !slices.ContainsFunc(pg.Candidates, func(c sqlstore.ExampleCandidate) bool {
		return c.CaseID == caseID && (caseID > 0 || c.HouseholdID == hh)
	}) {
		if c, err := s.store.ExampleSubject(r.Context(), rc.actor, id, caseID, hh); err == nil {
			pg.Candidates = append([]sqlstore.ExampleCandidate{c}, pg.Candidates...)
		}
	}
	status := http.StatusOK
	if formErr != nil {
		status = statusOf(s.publicError(r, formErr))
	}
	return s.render(w, r, rc, status, "campaign_examples", "goals.examples", pg, formErr)
}

// exampleSubject reads the form's "case:ID" or "household:ID".
func exampleSubject(v string) (caseID, householdID int64) {
	kind, num, _ := strings.Cut(v, ":")
	id, err := strconv.ParseInt(num, 10, 64)
	if err != nil || id <= 0 {
		return 0, 0
	}
	switch kind {
	case "case":
		return id, 0
	case "household":
		return 0, id
	}
	return 0, 0
}

func (s *Server) webMarkExample(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "campaignID")
	if err != nil {
		return err
	}
	f := r.PostForm
	in := sqlstore.NewExample{Title: f.Get("title"), Text: f.Get("text")}
	in.CaseID, in.HouseholdID = exampleSubject(f.Get("subject"))
	if _, err := s.store.MarkExample(r.Context(), rc.actor, id, in); err != nil {
		return s.formFailed(w, r, rc, err, func() error { return s.showExamples(w, r, rc, err) })
	}
	s.flashRedirect(w, r, "/campaigns/"+strconv.FormatInt(id, 10)+"/examples", "goals.example_marked")
	return nil
}

func (s *Server) webRemoveExample(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "campaignID")
	if err != nil {
		return err
	}
	ex, err := pathID(r, "exampleID")
	if err != nil {
		return err
	}
	if err := s.store.RemoveExample(r.Context(), rc.actor, id, ex); err != nil {
		return err
	}
	s.flashRedirect(w, r, "/campaigns/"+strconv.FormatInt(id, 10)+"/examples", "goals.example_removed")
	return nil
}

func (s *Server) webCampaignReport(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "campaignID")
	if err != nil {
		return err
	}
	rep, err := s.store.CampaignReportOf(r.Context(), rc.actor, id)
	if err != nil {
		return err
	}
	return s.render(w, r, rc, http.StatusOK, "campaign_report", "goals.report", rep, nil)
}

func (s *Server) webCampaignReportXLSX(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "campaignID")
	if err != nil {
		return err
	}
	rep, err := s.store.CampaignReportOf(r.Context(), rc.actor, id)
	if err != nil {
		return err
	}
	b, err := goalsReportXLSX(rep, rc.lang)
	if err != nil {
		return fmt.Errorf("httpserver: campaign report: %w", err)
	}
	name := fmt.Sprintf("campaign-%d-report.xlsx", id)
	w.Header().Set("Content-Type", xlsxType)
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	_, err = w.Write(b)
	return err
}
