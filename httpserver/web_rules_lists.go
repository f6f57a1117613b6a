package httpserver

import (
	"net/http"
	"strconv"

	"safetynet"
	"safetynet/access"
	"safetynet/rules"
	"safetynet/sqlstore"
)

// screeningPage is 待办 › 政策找人: the 应享未享 or 应退未退 lines of a place
// with their explanation and the actions on each.
type screeningPage struct {
	List     string // rules.ListEligible or rules.ListExit
	Place    string
	Measure  string
	Status   string
	Lines    []sqlstore.ListLine
	Reasons  []rules.Reason
	Measures []safetynet.Measure
	CanAct   bool
}

// webScreening shows one of the two lists of the viewer's scope (or of
// ?place=), filtered by measure and status.
func (s *Server) webScreening(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	return s.showScreening(w, r, rc, nil)
}

func (s *Server) showScreening(w http.ResponseWriter, r *http.Request, rc *reqCtx, formErr error) error {
	if err := rc.actor.Require(access.ScreeningView); err != nil {
		return err
	}
	q := r.URL.Query()
	pg := screeningPage{List: q.Get("list"), Place: q.Get("place"), Measure: q.Get("measure"), Status: q.Get("status"),
		Reasons: rules.DismissReasons, CanAct: rc.actor.Can(access.ScreeningAct)}
	if pg.List != rules.ListExit {
		pg.List = rules.ListEligible
	}
	if pg.Status == "" {
		pg.Status = "open"
	}
	lines, err := s.store.ScreeningList(r.Context(), rc.actor, sqlstore.ListFilter{Place: pg.Place, List: pg.List,
		Measure: pg.Measure, Status: pg.Status})
	if err != nil {
		return err
	}
	pg.Lines = lines
	if pg.Measures, err = s.store.Measures(r.Context(), false); err != nil {
		return err
	}
	status := http.StatusOK
	if formErr != nil {
		status = statusOf(s.publicError(r, formErr))
	}
	return s.render(w, r, rc, status, "screening", "screening.title", pg, formErr)
}

// lineForm reads the line of a screening action and the list to return to.
func lineForm(r *http.Request) (int64, int, string, error) {
	if err := parseForm(r); err != nil {
		return 0, 0, "", err
	}
	id, err := strconv.ParseInt(r.PathValue("lineID"), 10, 64)
	if err != nil || id <= 0 {
		return 0, 0, "", safetynet.NotFound("条目", "line")
	}
	version, _ := strconv.Atoi(r.PostForm.Get("version"))
	back := "/screening?list=" + rules.ListEligible
	if r.PostForm.Get("list") == rules.ListExit {
		back = "/screening?list=" + rules.ListExit
	}
	return id, version, back, nil
}

// webDismissLine keeps a line off the list with a reason until the
// household's data change.
func (s *Server) webDismissLine(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, version, back, err := lineForm(r)
	if err != nil {
		return err
	}
	if err := requireVersion(version); err != nil {
		return err
	}
	err = s.store.DismissLine(r.Context(), rc.actor, id, r.PostForm.Get("reason"), r.PostForm.Get("note"), version)
	if err != nil {
		return s.formFailed(w, r, rc, err, func() error { return s.showScreening(w, r, rc, err) })
	}
	s.flashRedirect(w, r, back, "screening.dismissed")
	return nil
}

// webApplyLine starts the application for the line's measure in the
// relay's case flow and shows the case.
func (s *Server) webApplyLine(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, _, _, err := lineForm(r)
	if err != nil {
		return err
	}
	caseID, _, err := s.store.StartApplication(r.Context(), rc.actor, id)
	if err != nil {
		return s.formFailed(w, r, rc, err, func() error { return s.showScreening(w, r, rc, err) })
	}
	s.flashRedirect(w, r, "/cases/"+strconv.FormatInt(caseID, 10), "screening.applied")
	return nil
}

// webFollowupLine marks an exit line for continued follow-up (继续关注):
// payment is never stopped from here.
func (s *Server) webFollowupLine(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, version, back, err := lineForm(r)
	if err != nil {
		return err
	}
	if err := requireVersion(version); err != nil {
		return err
	}
	if err := s.store.MarkContinuedFollowup(r.Context(), rc.actor, id, r.PostForm.Get("note"), version); err != nil {
		return s.formFailed(w, r, rc, err, func() error { return s.showScreening(w, r, rc, err) })
	}
	s.flashRedirect(w, r, back, "screening.followed")
	return nil
}
