package httpserver

import (
	"net/http"
	"strconv"

	"safetynet"
	"safetynet/access"
	"safetynet/sqlstore"
)

// outreachPage is 政策宣传: the outreach tasks of the viewer (a grid
// worker's: the households of the grid) and, for village and town, the
// counts per grid or village.
type outreachPage struct {
	Tasks  []sqlstore.OutreachTask
	Done   []sqlstore.OutreachTask
	Counts []sqlstore.OutreachCount
}

func (s *Server) webOutreach(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	return s.showOutreach(w, r, rc, nil)
}

func (s *Server) showOutreach(w http.ResponseWriter, r *http.Request, rc *reqCtx, formErr error) error {
	if err := rc.actor.Require(access.OutreachRecord); err != nil {
		return err
	}
	var pg outreachPage
	var err error
	if pg.Tasks, err = s.store.OutreachTasks(r.Context(), rc.actor, "pending"); err != nil {
		return err
	}
	if pg.Done, err = s.store.OutreachTasks(r.Context(), rc.actor, "done"); err != nil {
		return err
	}
	if len(pg.Done) > 20 {
		pg.Done = pg.Done[:20]
	}
	if rc.actor.Can(access.ScreeningView) {
		if pg.Counts, err = s.store.OutreachCounts(r.Context(), rc.actor, r.URL.Query().Get("place")); err != nil {
			return err
		}
	}
	status := http.StatusOK
	if formErr != nil {
		status = statusOf(s.publicError(r, formErr))
	}
	return s.render(w, r, rc, status, "outreach", "outreach.title", pg, formErr)
}

// webRecordOutreach records in one tap that the household was told and
// whether it wants to apply (愿意申请 notifies village staff).
func (s *Server) webRecordOutreach(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	if err := parseForm(r); err != nil {
		return err
	}
	id, err := strconv.ParseInt(r.PathValue("taskID"), 10, 64)
	if err != nil || id <= 0 {
		return safetynet.NotFound("宣传任务", "outreach task")
	}
	version, err := formVersion(r)
	if err != nil {
		return err
	}
	wants := r.PostForm.Get("wants_apply") == "1"
	if err := s.store.RecordOutreach(r.Context(), rc.actor, id, true, wants, r.PostForm.Get("note"), version); err != nil {
		return s.formFailed(w, r, rc, err, func() error { return s.showOutreach(w, r, rc, err) })
	}
	s.flashRedirect(w, r, "/outreach", "outreach.recorded")
	return nil
}
