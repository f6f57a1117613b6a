package httpserver

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"safetynet"
	"safetynet/access"
	"safetynet/campaigns"
	"safetynet/sqlstore"
)

// enrolPage is a village's survey-and-register list (登记造册): per group
// its members, the register's proposals, a search by name, and the
// confirm-and-submit form.
type enrolPage struct {
	S         sqlstore.EnrolSheet
	Counts    campaigns.Counts
	Group     string // the group searched
	Q         string
	Hits      []sqlstore.EnrolPerson
	CanWork   bool // may change the list (open, campaign running)
	CanReopen bool
	Link      string // the page's path
	Progress  string // the campaign progress page at the village's town
	Form      map[string]string
}

// enrolPath reads {campaignID} and {villageCode} of an enrolment route.
func enrolPath(r *http.Request) (int64, string, error) {
	id, err := pathID(r, "campaignID")
	if err != nil {
		return 0, "", err
	}
	return id, r.PathValue("villageCode"), nil
}

// enrolTarget reads the campaign and village of a register route and
// checks the village is in the actor's scope before anything else is read.
func (s *Server) enrolTarget(r *http.Request, rc *reqCtx) (int64, string, error) {
	id, village, err := enrolPath(r)
	if err != nil {
		return 0, "", err
	}
	if err := s.store.EnrolCheck(r.Context(), rc.actor, id, village); err != nil {
		return 0, "", err
	}
	return id, village, nil
}

func enrolLink(id int64, village string) string {
	return fmt.Sprintf("/campaigns/%d/villages/%s/register", id, url.PathEscape(village))
}

func (s *Server) webEnrol(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	return s.showEnrol(w, r, rc, nil, nil)
}

func (s *Server) showEnrol(w http.ResponseWriter, r *http.Request, rc *reqCtx, form map[string]string, formErr error) error {
	id, village, err := enrolPath(r)
	if err != nil {
		return err
	}
	e, err := s.store.EnrolSheetOf(r.Context(), rc.actor, id, village)
	if err != nil {
		return err
	}
	if form == nil {
		form = map[string]string{}
	}
	pg := enrolPage{S: e, Counts: e.Counts(), Link: enrolLink(id, village), Form: form,
		Progress: fmt.Sprintf("/campaigns/%d/progress?place=%s", id, url.QueryEscape(e.Town)),
		CanWork:  rc.actor.Can(access.CampaignWork) && e.Status != campaigns.VillageSubmitted && e.CampaignStatus == campaigns.StatusRunning,
		CanReopen: rc.actor.Can(access.CampaignManage) && rc.actor.Place != village && e.Status == campaigns.VillageSubmitted &&
			e.CampaignStatus == campaigns.StatusRunning}
	q := r.URL.Query()
	pg.Group, pg.Q = q.Get("group"), strings.TrimSpace(q.Get("q"))
	if pg.CanWork && pg.Group != "" && pg.Q != "" {
		if pg.Hits, err = s.store.EnrolSearch(r.Context(), rc.actor, id, village, pg.Group, pg.Q); err != nil {
			if safetynet.AsError(err) == nil || safetynet.CodeOf(err) != safetynet.EInvalid {
				return err
			}
			formErr = err
		}
	}
	status := http.StatusOK
	if formErr != nil {
		status = statusOf(s.publicError(r, formErr))
	}
	return s.render(w, r, rc, status, "enrol", "enrol.title", pg, formErr)
}

// webEnrolAdd takes a person onto a group's list.
func (s *Server) webEnrolAdd(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, village, err := s.enrolTarget(r, rc)
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	group := r.PostForm.Get("group")
	err = func() error {
		pid, err := strconv.ParseInt(r.PostForm.Get("person_id"), 10, 64)
		if err != nil || pid <= 0 {
			return safetynet.Invalid("person_id", "请选择人员", "choose a person")
		}
		_, err = s.store.AddEnrolMember(r.Context(), rc.actor, id, village, sqlstore.EnrolAdd{Group: group, PersonID: pid, Note: r.PostForm.Get("note")})
		return err
	}()
	if err != nil {
		return s.formFailed(w, r, rc, err, func() error { return s.showEnrol(w, r, rc, map[string]string{"group": group}, err) })
	}
	s.flashRedirect(w, r, enrolLink(id, village)+"#group-"+url.PathEscape(group), "enrol.added")
	return nil
}

// webEnrolRemove takes a member off the list with a reason.
func (s *Server) webEnrolRemove(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, village, err := s.enrolTarget(r, rc)
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	mid, _ := strconv.ParseInt(r.PostForm.Get("member_id"), 10, 64)
	form := map[string]string{"member_id": r.PostForm.Get("member_id"), "reason": r.PostForm.Get("reason")}
	if err := s.store.RemoveEnrolMember(r.Context(), rc.actor, id, village, mid, r.PostForm.Get("reason")); err != nil {
		return s.formFailed(w, r, rc, err, func() error { return s.showEnrol(w, r, rc, form, err) })
	}
	s.flashRedirect(w, r, enrolLink(id, village), "enrol.removed")
	return nil
}

// webEnrolSubmit submits the list with the counts the village confirmed.
func (s *Server) webEnrolSubmit(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, village, err := s.enrolTarget(r, rc)
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	err = func() error {
		if r.PostForm.Get("confirm") != "1" {
			return safetynet.Invalid("confirm", "请勾选确认人数", "tick the box to confirm the counts")
		}
		version, err := strconv.Atoi(r.PostForm.Get("version"))
		if err != nil {
			return safetynet.Invalid("version", "版本无效，请刷新", "invalid version: reload the page")
		}
		counts := campaigns.Counts{}
		for k, v := range r.PostForm {
			if g, ok := strings.CutPrefix(k, "count_"); ok {
				n, err := strconv.Atoi(strings.TrimSpace(v[0]))
				if err != nil || n < 0 {
					return safetynet.Invalid(k, "人数应为非负整数", "the count must be a whole number, 0 or more")
				}
				counts[g] = n
			}
		}
		return s.store.SubmitEnrolment(r.Context(), rc.actor, id, village, version, counts)
	}()
	if err != nil {
		return s.formFailed(w, r, rc, err, func() error { return s.showEnrol(w, r, rc, nil, err) })
	}
	s.flashRedirect(w, r, enrolLink(id, village), "enrol.submitted")
	return nil
}

// webEnrolReopen lets the town reopen a submitted list.
func (s *Server) webEnrolReopen(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, village, err := s.enrolTarget(r, rc)
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	if err := s.store.ReopenEnrolment(r.Context(), rc.actor, id, village, r.PostForm.Get("reason")); err != nil {
		form := map[string]string{"reopen_reason": r.PostForm.Get("reason")}
		return s.formFailed(w, r, rc, err, func() error { return s.showEnrol(w, r, rc, form, err) })
	}
	s.flashRedirect(w, r, enrolLink(id, village), "enrol.reopened")
	return nil
}

// progressPage is a campaign's register stage from one place, with the
// list of villages behind a figure when a status is chosen.
type progressPage struct {
	P        sqlstore.EnrolProgress
	Status   string
	Villages []sqlstore.EnrolVillageRow
	Base     string // the page's path without its query
	Now      string
}

func (s *Server) webCampaignProgress(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "campaignID")
	if err != nil {
		return err
	}
	q := r.URL.Query()
	p, err := s.store.CampaignEnrolProgress(r.Context(), rc.actor, id, q.Get("place"))
	if err != nil {
		return err
	}
	pg := progressPage{P: p, Status: q.Get("status"), Base: fmt.Sprintf("/campaigns/%d/progress", id), Now: campaigns.Today(s.store.Now())}
	if pg.Status != "" {
		status := pg.Status
		if status == "all" {
			status = ""
		}
		if pg.Villages, err = s.store.CampaignEnrolVillages(r.Context(), rc.actor, id, p.Total.Place, status); err != nil {
			return err
		}
	}
	return s.render(w, r, rc, http.StatusOK, "campaign_progress", "enrol.progress", pg, nil)
}

// EnrolStatus names a village's shown status.
func (p *page) EnrolStatus(code string) string {
	switch code {
	case "submitted_late":
		return p.T("enrol.submitted_late")
	case "all":
		return p.T("enrol.all")
	}
	return campaigns.VillageStatuses.Label(code, p.Lang)
}

// EnrolStage names a stage kind.
func (p *page) EnrolStage(code string) string { return campaigns.StageKinds.Label(code, p.Lang) }

// webEnrolStage leads from a village's register stage row (the item of a
// campaign.stage deadline in the work list) to the village's list.
func (s *Server) webEnrolStage(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	row, err := pathID(r, "stageRowID")
	if err != nil {
		return err
	}
	id, village, err := s.store.EnrolStageTarget(r.Context(), rc.actor, row)
	if err != nil {
		return err
	}
	http.Redirect(w, r, enrolLink(id, village), http.StatusSeeOther)
	return nil
}
