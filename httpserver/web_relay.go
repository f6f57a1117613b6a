package httpserver

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"safetynet"
	"safetynet/access"
	"safetynet/sqlstore"
)

type cluePage struct {
	sqlstore.ClueView
	Household *safetynet.Household
	Now       time.Time
	Warning   *sqlstore.Warning // the department warning the clue was raised for
}

// webClue shows a clue with what to do next: acknowledge, verify at home.
func (s *Server) webClue(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	return s.showClue(w, r, rc, nil)
}

func (s *Server) showClue(w http.ResponseWriter, r *http.Request, rc *reqCtx, formErr error) error {
	id, err := pathID(r, "clueID")
	if err != nil {
		return err
	}
	v, err := s.store.ClueView(r.Context(), rc.actor, id)
	if err != nil {
		return err
	}
	pg := cluePage{ClueView: v, Now: s.store.Now()}
	if v.Clue.Source == "department" {
		if pg.Warning, err = s.store.ClueWarning(r.Context(), rc.actor, id); err != nil {
			return err
		}
	}
	if v.Clue.HouseholdID != 0 && rc.actor.Can(access.RegisterView) {
		if h, err := s.store.Household(r.Context(), rc.actor, v.Clue.HouseholdID); err == nil {
			pg.Household = &h
		}
	}
	return s.render(w, r, rc, http.StatusOK, "clue", "clue.title", pg, formErr)
}

// webAcknowledge acknowledges a clue from its page.
func (s *Server) webAcknowledge(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "clueID")
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
	if err := s.store.AcknowledgeClue(r.Context(), rc.actor, id, version); err != nil {
		return s.formFailed(w, r, rc, err, func() error { return s.showClue(w, r, rc, err) })
	}
	s.flashRedirect(w, r, fmt.Sprintf("/clues/%d", id), "flash.acknowledged")
	return nil
}

// webVerify records the home visit; a case opened goes to its page.
func (s *Server) webVerify(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "clueID")
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	v := sqlstore.Verification{Checklist: map[string]string{}, Risks: r.PostForm["risks"], Decision: r.PostForm.Get("decision"),
		Note: r.PostForm.Get("note")}
	for _, it := range safetynet.ChecklistItems {
		if val := r.PostForm.Get("check_" + it.Code); val != "" {
			v.Checklist[it.Code] = val
		}
	}
	version, err := formVersion(r)
	if err != nil {
		return err
	}
	caseID, err := s.store.VerifyClue(r.Context(), rc.actor, id, v, version)
	if err != nil {
		return s.formFailed(w, r, rc, err, func() error { return s.showClue(w, r, rc, err) })
	}
	if caseID != 0 {
		s.flashRedirect(w, r, fmt.Sprintf("/cases/%d", caseID), "flash.case_opened")
		return nil
	}
	s.flashRedirect(w, r, fmt.Sprintf("/clues/%d", id), "flash.verified")
	return nil
}

// webLinkClue links a clue to the household registered for its person.
func (s *Server) webLinkClue(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "clueID")
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	hh, err := formID(r, "household_id")
	if err == nil {
		err = s.store.LinkClue(r.Context(), rc.actor, id, hh)
	}
	if err != nil {
		return s.formFailed(w, r, rc, err, func() error { return s.showClue(w, r, rc, err) })
	}
	s.flashRedirect(w, r, fmt.Sprintf("/clues/%d", id), "flash.saved")
	return nil
}

type casePage struct {
	sqlstore.CaseView
	Catalogue []safetynet.Measure
	ByCode    map[string]safetynet.Measure
	Now       time.Time
	Today     string
	NextVisit string
}

// webCase shows a case with every form to work it.
func (s *Server) webCase(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	return s.showCase(w, r, rc, nil)
}

func (s *Server) showCase(w http.ResponseWriter, r *http.Request, rc *reqCtx, formErr error) error {
	id, err := pathID(r, "caseID")
	if err != nil {
		return err
	}
	v, err := s.store.CaseView(r.Context(), rc.actor, id)
	if err != nil {
		return err
	}
	all, err := s.store.Measures(r.Context(), true)
	if err != nil {
		return err
	}
	now := s.store.Now()
	limits, err := s.store.TimeLimits(r.Context())
	if err != nil {
		return err
	}
	pg := casePage{CaseView: v, ByCode: map[string]safetynet.Measure{}, Now: now, Today: now.Format("2006-01-02"),
		NextVisit: now.AddDate(0, 0, limits.FollowupDays).Format("2006-01-02")}
	for _, m := range all {
		pg.ByCode[m.Code] = m
		if m.Active {
			pg.Catalogue = append(pg.Catalogue, m)
		}
	}
	return s.render(w, r, rc, http.StatusOK, "case", "case.title", pg, formErr)
}

// caseAction runs one of the case page's forms and returns to the page.
func (s *Server) caseAction(w http.ResponseWriter, r *http.Request, rc *reqCtx, flash string, do func(id int64, f formValues) error) error {
	id, err := pathID(r, "caseID")
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	if err := do(id, formValues{r}); err != nil {
		return s.formFailed(w, r, rc, err, func() error { return s.showCase(w, r, rc, err) })
	}
	s.flashRedirect(w, r, fmt.Sprintf("/cases/%d", id), flash)
	return nil
}

func formStr(f formValues, name string) string {
	if v := f.str(name); v != nil {
		return *v
	}
	return ""
}

func (s *Server) webEmergency(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	return s.caseAction(w, r, rc, "flash.saved", func(id int64, f formValues) error {
		cost, err := safetynet.ParseYuan(formStr(f, "cost"))
		if err != nil {
			return safetynet.Invalid("cost", "费用格式无效", "cost must be yuan")
		}
		_, err = s.store.AddEmergency(r.Context(), rc.actor, id, sqlstore.Emergency{Description: formStr(f, "description"),
			Provider: formStr(f, "provider"), CostFen: cost})
		return err
	})
}

func (s *Server) webApply(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	return s.caseAction(w, r, rc, "flash.applied", func(id int64, f formValues) error {
		ap, err := applicationJSON{Measure: formStr(f, "measure"), Amount: formStr(f, "amount"), PeriodStart: formStr(f, "period_start"),
			PeriodEnd: formStr(f, "period_end"), Note: formStr(f, "note")}.application()
		if err != nil {
			return err
		}
		_, err = s.store.ApplyMeasure(r.Context(), rc.actor, id, ap)
		return err
	})
}

// webDecide decides an application from the case page.
func (s *Server) webDecide(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	return s.caseAction(w, r, rc, "flash.decided", func(id int64, f formValues) error {
		item, err := formID(r, "application_id")
		if err != nil {
			return err
		}
		version, err := formVersion(r)
		if err != nil {
			return err
		}
		return s.store.DecideApplication(r.Context(), rc.actor, item, formStr(f, "decision") == "approve", formStr(f, "reason"), version)
	})
}

func (s *Server) webScheduleFollowup(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	return s.caseAction(w, r, rc, "flash.saved", func(id int64, f formValues) error {
		due, err := dateParam(formStr(f, "due"), "due")
		if err != nil {
			return err
		}
		_, err = s.store.ScheduleFollowup(r.Context(), rc.actor, id, due)
		return err
	})
}

func (s *Server) webCompleteFollowup(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	return s.caseAction(w, r, rc, "flash.saved", func(id int64, f formValues) error {
		item, err := formID(r, "followup_id")
		if err != nil {
			return err
		}
		next, err := optionalDate(formStr(f, "next"), "next")
		if err != nil {
			return err
		}
		return s.store.CompleteFollowup(r.Context(), rc.actor, item, formStr(f, "note"), next)
	})
}

func (s *Server) webCloseCase(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	return s.caseAction(w, r, rc, "flash.case_closed", func(id int64, f formValues) error {
		version, err := formVersion(r)
		if err != nil {
			return err
		}
		return s.store.CloseCase(r.Context(), rc.actor, id, formStr(f, "outcome"), formStr(f, "note"), version)
	})
}

func (s *Server) webReopenCase(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	return s.caseAction(w, r, rc, "flash.saved", func(id int64, f formValues) error {
		version, err := formVersion(r)
		if err != nil {
			return err
		}
		return s.store.ReopenCase(r.Context(), rc.actor, id, formStr(f, "reason"), version)
	})
}

// webOpenCase opens a case on a household from its form.
func (s *Server) webOpenCase(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "householdID")
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	caseID, err := s.store.OpenCase(r.Context(), rc.actor, id, r.PostForm.Get("urgency"), r.PostForm["risks"], strings.TrimSpace(r.PostForm.Get("note")))
	if err != nil {
		return s.formFailed(w, r, rc, err, func() error { return s.showHousehold(w, r, rc, "", err) })
	}
	s.flashRedirect(w, r, fmt.Sprintf("/cases/%d", caseID), "flash.case_opened")
	return nil
}

type inboxPage struct {
	Notifications []sqlstore.Notification
	Unread        int
}

func (s *Server) webInbox(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	list, unread, err := s.store.Inbox(r.Context(), rc.actor, 100)
	if err != nil {
		return err
	}
	return s.render(w, r, rc, http.StatusOK, "inbox", "inbox.title", inboxPage{Notifications: list, Unread: unread}, nil)
}

// webOpenNotification marks a notification read and follows its link.
func (s *Server) webOpenNotification(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	if err := parseForm(r); err != nil {
		return err
	}
	id, err := formID(r, "id")
	if err != nil {
		return err
	}
	if err := s.store.MarkRead(r.Context(), rc.actor, id); err != nil {
		return err
	}
	http.Redirect(w, r, safeNext(r.PostForm.Get("link")), http.StatusSeeOther)
	return nil
}

func (s *Server) webReadAll(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	if err := s.store.MarkRead(r.Context(), rc.actor, 0); err != nil {
		return err
	}
	http.Redirect(w, r, "/inbox", http.StatusSeeOther)
	return nil
}

type figuresPage struct {
	sqlstore.Figures
	FromStr, ToStr string
}

func (s *Server) webFigures(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	from, to, err := period(r, s.store.Now())
	if err != nil {
		return err
	}
	f, err := s.store.Figures(r.Context(), rc.actor, r.URL.Query().Get("place"), from, to)
	if err != nil {
		return err
	}
	pg := figuresPage{Figures: f, FromStr: from.Format("2006-01-02"), ToStr: to.AddDate(0, 0, -1).Format("2006-01-02")}
	return s.render(w, r, rc, http.StatusOK, "figures", "figures.title", pg, nil)
}
