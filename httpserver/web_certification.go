package httpserver

import (
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"safetynet"
	"safetynet/access"
	"safetynet/certification"
	"safetynet/sqlstore"
)

// certListPage is the list of survival certifications: due soon (the grid
// worker's list to help with), overdue (the county's suspension review
// list) or the figures of the area.
type certListPage struct {
	Tab     string // due, overdue, figures
	Review  string
	Items   []sqlstore.CertificationDue
	Figures *sqlstore.CertFigures
	From    string
	To      string
	Now     time.Time
}

func (s *Server) webCertifications(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	if err := rc.actor.Require(access.CertificationView); err != nil {
		return err
	}
	q := r.URL.Query()
	pg := certListPage{Tab: q.Get("tab"), Review: q.Get("review"), Now: s.store.Now()}
	switch pg.Tab {
	case "":
		pg.Tab = "due"
	case "due", "overdue", "figures":
	default:
		return safetynet.Invalid("tab", "页签无效", "unknown tab %q", pg.Tab)
	}
	var err error
	switch pg.Tab {
	case "due":
		pg.Items, err = s.store.CertificationsDue(r.Context(), rc.actor, certification.Window)
	case "overdue":
		pg.Items, err = s.store.Certifications(r.Context(), rc.actor, sqlstore.CertificationFilter{Overdue: true, Review: pg.Review})
	case "figures":
		var from, to time.Time
		from, to, err = certPeriod(r, pg.Now)
		if err == nil {
			var f sqlstore.CertFigures
			f, err = s.store.CertificationFigures(r.Context(), rc.actor, q.Get("place"), from, to)
			pg.Figures, pg.From, pg.To = &f, dayText(from), dayText(to.AddDate(0, 0, -1))
		}
	}
	if err != nil {
		return err
	}
	return s.render(w, r, rc, http.StatusOK, "certifications", "certification.title", pg, nil)
}

// certPage is one recipient's certification with its history and forms.
type certPage struct {
	D         sqlstore.CertificationDetail
	ClientID  string
	Today     string
	Methods   []string
	Reviews   []string
	CanReview bool
	Form      map[string]string
}

func (s *Server) webCertification(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	return s.showCertification(w, r, rc, nil, nil)
}

func (s *Server) showCertification(w http.ResponseWriter, r *http.Request, rc *reqCtx, form map[string]string, formErr error) error {
	id, err := pathID(r, "dueID")
	if err != nil {
		return err
	}
	d, err := s.store.Certification(r.Context(), rc.actor, id)
	if err != nil {
		return err
	}
	if form == nil {
		form = map[string]string{}
	}
	pg := certPage{D: d, ClientID: form["client_id"], Today: dayText(s.store.Now()), Methods: certification.Methods,
		Reviews: certification.Reviews, Form: form,
		CanReview: rc.actor.Can(access.CertificationReview) && (d.Status == certification.StatusOverdue || d.Review == certification.ReviewSuspend)}
	if pg.ClientID == "" {
		pg.ClientID = newClientID()
	}
	status := http.StatusOK
	if formErr != nil {
		status = statusOf(s.publicError(r, formErr))
	}
	return s.render(w, r, rc, status, "certification", "certification.one", pg, formErr)
}

// webRecordCertification takes the record form (with its photo).
func (s *Server) webRecordCertification(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "dueID")
	if err != nil {
		return err
	}
	if err := parseMultipartForm(r, 8<<20); err != nil {
		if safetynet.AsError(err) != nil {
			return err
		}
		return safetynet.Invalid("photo", "照片过大或表单无效", "the photo is too large or the form is invalid")
	}
	if _, err := s.store.Certification(r.Context(), rc.actor, id); err != nil {
		return err // the scope first
	}
	f := r.Form
	form := map[string]string{"client_id": f.Get("client_id"), "method": f.Get("method"), "date": f.Get("date"),
		"evidence": f.Get("evidence"), "note": f.Get("note")}
	err = func() error {
		on, err := certDate("date", f.Get("date"))
		if err != nil {
			return err
		}
		in := sqlstore.CertificationInput{ClientID: f.Get("client_id"), Record: certification.Record{Method: f.Get("method"), On: on,
			Evidence: f.Get("evidence"), Note: f.Get("note")}}
		if file, _, err := r.FormFile("photo"); err == nil {
			in.Photo, _ = io.ReadAll(io.LimitReader(file, safetynet.MaxPhoto+1))
			file.Close()
			if len(in.Photo) == 0 {
				in.Photo = nil
			}
		}
		_, _, err = s.store.RecordCertification(r.Context(), rc.actor, id, in)
		return err
	}()
	if err != nil {
		return s.formFailed(w, r, rc, err, func() error { return s.showCertification(w, r, rc, form, err) })
	}
	s.flashRedirect(w, r, fmt.Sprintf("/certifications/%d", id), "certification.recorded")
	return nil
}

// webReviewCertification takes the county's review form.
func (s *Server) webReviewCertification(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "dueID")
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	if _, err := s.store.Certification(r.Context(), rc.actor, id); err != nil {
		return err
	}
	err = func() error {
		version, err := formVersion(r)
		if err != nil {
			return err
		}
		return s.store.ReviewCertification(r.Context(), rc.actor, id, r.PostForm.Get("decision"), r.PostForm.Get("note"), version)
	}()
	if err != nil {
		form := map[string]string{"decision": r.PostForm.Get("decision"), "review_note": r.PostForm.Get("note")}
		return s.formFailed(w, r, rc, err, func() error { return s.showCertification(w, r, rc, form, err) })
	}
	s.flashRedirect(w, r, fmt.Sprintf("/certifications/%d", id), "certification.reviewed")
	return nil
}

// certSettingsPage lists the measures with their certification setting.
type certSettingsPage struct {
	Items  []sqlstore.CertificationSetting
	Months []int
}

func (s *Server) webCertificationSettings(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	return s.showCertificationSettings(w, r, rc, nil)
}

func (s *Server) showCertificationSettings(w http.ResponseWriter, r *http.Request, rc *reqCtx, formErr error) error {
	if err := rc.actor.Require(access.CertificationSettings); err != nil {
		return err
	}
	l, err := s.store.CertificationSettings(r.Context(), rc.actor)
	if err != nil {
		return err
	}
	status := http.StatusOK
	if formErr != nil {
		status = statusOf(s.publicError(r, formErr))
	}
	return s.render(w, r, rc, status, "certification_settings", "certification.settings", certSettingsPage{Items: l,
		Months: certification.AllowedMonths}, formErr)
}

func (s *Server) webSetCertificationSetting(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	if err := parseForm(r); err != nil {
		return err
	}
	err := func() error {
		n, err := strconv.Atoi(r.PostForm.Get("months"))
		if err != nil {
			return safetynet.Invalid("months", "请选择认证周期", "choose an interval")
		}
		v, err := strconv.Atoi(r.PostForm.Get("version"))
		if err != nil || v < 0 {
			return errVersionRequired
		}
		return s.store.SetCertificationSetting(r.Context(), rc.actor, certification.Setting{Measure: r.PostForm.Get("measure"), Months: n,
			Active: r.PostForm.Get("active") == "1"}, v)
	}()
	if err != nil {
		return s.formFailed(w, r, rc, err, func() error { return s.showCertificationSettings(w, r, rc, err) })
	}
	s.flashRedirect(w, r, "/certifications/settings", "certification.settings_saved")
	return nil
}

// CertMethods are the methods of a certification record form.
func (p *page) CertMethods() []string { return certification.Methods }
