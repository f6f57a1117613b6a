package httpserver

import (
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"safetynet"
	"safetynet/access"
	"safetynet/inspections"
	"safetynet/sqlstore"
)

// rectListPage lists the rectifications of the viewer's area by tab.
type rectListPage struct {
	Tab    string // todo (open and reopened), reported, overdue, all
	Items  []sqlstore.Rectification
	Total  int
	Next   int
	Query  string
	Now    time.Time
	Filter sqlstore.RectifyFilter
}

// rectTabs are the tabs of the list and the statuses each shows.
var rectTabs = []string{"todo", "reported", "overdue", "all"}

func (s *Server) webRectifications(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	if err := rc.actor.Require(access.InspectionView); err != nil {
		return err
	}
	q := r.URL.Query()
	pg := rectListPage{Tab: q.Get("tab"), Now: s.store.Now()}
	f, err := rectFilter(r)
	if err != nil {
		return err
	}
	switch pg.Tab {
	case "", "todo":
		pg.Tab = "todo"
	case "reported":
		f.Status = inspections.RectifyReported
	case "overdue":
		f.Overdue = true
	case "all":
	default:
		return safetynet.Invalid("tab", "页签无效", "unknown tab %q", pg.Tab)
	}
	if pg.Tab == "todo" {
		// Open and reopened, in one list: two reads, the open first.
		f.Status = inspections.RectifyOpen
		open, n, err := s.store.Rectifications(r.Context(), rc.actor, f)
		if err != nil {
			return err
		}
		f.Status = inspections.RectifyReopened
		again, m, err := s.store.Rectifications(r.Context(), rc.actor, f)
		if err != nil {
			return err
		}
		pg.Items, pg.Total = append(again, open...), n+m
	} else {
		pg.Items, pg.Total, err = s.store.Rectifications(r.Context(), rc.actor, f)
		if err != nil {
			return err
		}
		if f.Offset+len(pg.Items) < pg.Total {
			pg.Next = f.Offset + len(pg.Items)
		}
	}
	pg.Filter = f
	if f.InspectionID > 0 {
		pg.Query = fmt.Sprintf("&inspection=%d", f.InspectionID)
	}
	return s.render(w, r, rc, http.StatusOK, "rectifications", "rectify.title", pg, nil)
}

// rectFilter reads the list's query: inspection, offset.
func rectFilter(r *http.Request) (sqlstore.RectifyFilter, error) {
	q := r.URL.Query()
	var f sqlstore.RectifyFilter
	if v := q.Get("inspection"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			return f, safetynet.Invalid("inspection", "督查编号无效", "inspection must be a number")
		}
		f.InspectionID = n
	}
	if v := q.Get("offset"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return f, safetynet.Invalid("offset", "分页参数无效", "offset must be a number")
		}
		f.Offset = n
	}
	f.Place = q.Get("place")
	f.Limit = 50
	return f, nil
}

// rectPage is one rectification with the forms the viewer may use.
type rectPage struct {
	R         sqlstore.Rectification
	CanReport bool
	CanReview bool
	Form      map[string]string
	Now       time.Time
	Today     string
	MaxDue    string
}

func (s *Server) webRectification(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	return s.showRectification(w, r, rc, nil, nil)
}

func (s *Server) showRectification(w http.ResponseWriter, r *http.Request, rc *reqCtx, form map[string]string, formErr error) error {
	id, err := pathID(r, "rectID")
	if err != nil {
		return err
	}
	d, err := s.store.Rectification(r.Context(), rc.actor, id)
	if err != nil {
		return err
	}
	if form == nil {
		form = map[string]string{}
	}
	now := s.store.Now()
	pg := rectPage{R: d, Form: form, Now: now, Today: inspections.RectifyDay(now),
		MaxDue:    inspections.RectifyDay(now.AddDate(0, 0, inspections.MaxRectifyDays)),
		CanReport: rc.actor.Can(access.InspectionRectify) && inspections.RectifyOpenStatus(d.Status),
		CanReview: rc.actor.Can(access.InspectionManage) && d.IsInspector && (d.Status == inspections.RectifyReported || d.Status == inspections.RectifyAccepted)}
	status := http.StatusOK
	if formErr != nil {
		status = statusOf(s.publicError(r, formErr))
	}
	return s.render(w, r, rc, status, "rectification", "rectify.one", pg, formErr)
}

// webRectifyAct takes the report, accept and reopen forms.
func (s *Server) webRectifyAct(action string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
		id, err := pathID(r, "rectID")
		if err != nil {
			return err
		}
		// The report's form is multipart, with an optional photo the page
		// has scaled down; the others are plain forms.
		if err := parseMultipartForm(r, 8<<20); err != nil {
			if safetynet.AsError(err) != nil {
				return err
			}
			return safetynet.Invalid("photo", "照片过大或表单无效", "the photo is too large or the form is invalid")
		}
		f := r.PostForm
		err = func() error {
			version, err := formVersion(r)
			if err != nil {
				return err
			}
			switch action {
			case inspections.ActReport:
				var photo []byte
				if file, _, err := r.FormFile("photo"); err == nil {
					photo, _ = io.ReadAll(io.LimitReader(file, safetynet.MaxPhoto+1))
					file.Close()
				}
				return s.store.ReportRectification(r.Context(), rc.actor, id, f.Get("report"), photo, version)
			case inspections.ActAccept:
				return s.store.AcceptRectification(r.Context(), rc.actor, id, version)
			default:
				return s.store.ReopenRectification(r.Context(), rc.actor, id, f.Get("reason"), f.Get("due_on"), version)
			}
		}()
		if err != nil {
			form := map[string]string{"report": f.Get("report"), "reason": f.Get("reason"), "due_on": f.Get("due_on")}
			return s.formFailed(w, r, rc, err, func() error { return s.showRectification(w, r, rc, form, err) })
		}
		s.flashRedirect(w, r, inspections.RectifyLink(id), "rectify.flash."+action)
		return nil
	}
}

// rectCheckPage is a household check with a one-tap raise per problem.
type rectCheckPage struct {
	C    sqlstore.RectifyCheck
	Dues map[string]string // item → default due date
}

// webRectifyCheck shows a check's problems to the inspector, each with
// its due date and a button raising it (a second tap finds it raised).
func (s *Server) webRectifyCheck(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	return s.showRectifyCheck(w, r, rc, nil)
}

func (s *Server) showRectifyCheck(w http.ResponseWriter, r *http.Request, rc *reqCtx, formErr error) error {
	inspID, err := pathID(r, "inspectionID")
	if err != nil {
		return err
	}
	checkID, err := pathID(r, "checkID")
	if err != nil {
		return err
	}
	c, err := s.store.RectifyCheck(r.Context(), rc.actor, inspID, checkID)
	if err != nil {
		return err
	}
	status := http.StatusOK
	if formErr != nil {
		status = statusOf(s.publicError(r, formErr))
	}
	pg := rectCheckPage{C: c, Dues: map[string]string{}}
	for _, p := range c.Problems {
		pg.Dues[p.Item] = inspections.DefaultDue(p.Item, s.store.Now())
	}
	return s.render(w, r, rc, status, "rectify_check", "rectify.raise_title", pg, formErr)
}

// webRaiseRectification takes a raise: from a check (check_id and item)
// or a village finding (village).
func (s *Server) webRaiseRectification(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	inspID, err := pathID(r, "inspectionID")
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	if err := s.store.RectifyInspection(r.Context(), rc.actor, inspID); err != nil {
		return err // the scope first
	}
	f := r.PostForm
	in := sqlstore.RectifyRaise{Village: f.Get("village"), Item: f.Get("item"), Finding: f.Get("finding"), DueOn: f.Get("due_on")}
	if v := f.Get("check_id"); v != "" {
		if in.CheckID, err = formID(r, "check_id"); err != nil {
			return err
		}
	}
	id, created, err := s.store.RaiseRectification(r.Context(), rc.actor, inspID, in)
	if err != nil {
		if in.CheckID > 0 {
			r.SetPathValue("checkID", strconv.FormatInt(in.CheckID, 10))
			return s.formFailed(w, r, rc, err, func() error { return s.showRectifyCheck(w, r, rc, err) })
		}
		return s.formFailed(w, r, rc, err, func() error {
			return s.showInspectionScores(w, r, rc, map[string]string{"village": in.Village,
				"finding": in.Finding, "due_on": in.DueOn}, err)
		})
	}
	flash := "rectify.flash.raised"
	if !created {
		flash = "rectify.flash.already"
	}
	to := inspections.RectifyLink(id)
	if in.CheckID > 0 {
		to = fmt.Sprintf("/inspections/%d/checks/%d/rectify", inspID, in.CheckID)
	}
	s.flashRedirect(w, r, to, flash)
	return nil
}

// rectificationPhoto serves the photo of a village's report to those who
// see the rectification.
func (s *Server) rectificationPhoto(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "rectID")
	if err != nil {
		return err
	}
	b, err := s.store.RectificationPhoto(r.Context(), rc.actor, id)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", http.DetectContentType(b))
	w.Header().Set("Cache-Control", "private, max-age=3600")
	_, err = w.Write(b)
	return err
}
