package httpserver

import (
	"fmt"
	"net/http"
	"strconv"

	"safetynet"
	"safetynet/access"
	"safetynet/campaigns"
	"safetynet/sqlstore"
)

// CampKind, CampStatus, CampStage, CampVillageStatus, CampMetric and
// CampRole name the campaigns vocabulary in the page's language.
func (p *page) CampKind(k string) string          { return campaigns.Kinds.Label(k, p.Lang) }
func (p *page) CampStatus(s string) string        { return campaigns.Statuses.Label(s, p.Lang) }
func (p *page) CampStage(k string) string         { return campaigns.StageKinds.Label(k, p.Lang) }
func (p *page) CampVillageStatus(s string) string { return campaigns.VillageStatuses.Label(s, p.Lang) }
func (p *page) CampMetric(m string) string        { return campaigns.Metrics.Label(m, p.Lang) }
func (p *page) CampRole(r string) string          { return campaigns.UnitRoles.Label(r, p.Lang) }
func (p *page) CampKinds() safetynet.Vocab        { return campaigns.Kinds }
func (p *page) CampStageKinds() safetynet.Vocab   { return campaigns.StageKinds }
func (p *page) CampMetrics() safetynet.Vocab      { return campaigns.Metrics }
func (p *page) CampStatuses() safetynet.Vocab     { return campaigns.Statuses }

// CampTarget shows a goal's target: a share in percent, a count as is.
func (p *page) CampTarget(g campaigns.Goal) string {
	if campaigns.ShareMetric(g.Metric) {
		return campTargetText(g) + "%"
	}
	return strconv.FormatInt(g.Target, 10)
}

// CampMeasure names a measure of the catalogue.
func (p *page) CampMeasure(code string) string {
	if m, ok := p.measures()[code]; ok {
		if p.Lang == "zh" {
			return m.ZH
		}
		return m.EN
	}
	return code
}

// CampItemTitle is the title of the work item numbered seq (1-based).
func (p *page) CampItemTitle(c campaigns.Campaign, seq int) string {
	if seq > 0 && seq <= len(c.Items) {
		return c.Items[seq-1].Title
	}
	return p.T("camp.whole")
}

// campListPage is 专项行动: the campaigns the viewer sees.
type campListPage struct {
	Items  []sqlstore.CampaignListRow
	Status string
	Tasks  []sqlstore.CampaignTask // a village's own: 我的专项任务 first
}

func (s *Server) webCampaigns(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	status := r.URL.Query().Get("status")
	if !campaigns.Statuses.Valid(status) {
		status = ""
	}
	list, err := s.store.Campaigns(r.Context(), rc.actor, sqlstore.CampaignFilter{Status: status})
	if err != nil {
		return err
	}
	d := campListPage{Items: list, Status: status}
	if rc.actor.Can(access.CampaignWork) && !rc.actor.Can(access.CampaignManage) {
		if d.Tasks, err = s.store.MyCampaignTasks(r.Context(), rc.actor); err != nil {
			return err
		}
	}
	return s.render(w, r, rc, http.StatusOK, "campaigns", "camp.title", d, nil)
}

// campPage is one campaign: its document, goals, work items with their
// units, stages with the current one, villages and links to the pages
// of its progress, goals, report and screening.
type campPage struct {
	C          campaigns.Campaign
	Villages   []sqlstore.CampaignVillage
	Current    int
	Today      string
	Manage     bool
	Own        string               // the viewer's own village among the campaign's, if any
	Activities []campaigns.Activity // the latest of the villages the viewer sees
}

// IsCurrent reports whether stage i is under way.
func (d campPage) IsCurrent(i int) bool { return i == d.Current }

func (s *Server) webCampaign(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "campaignID")
	if err != nil {
		return err
	}
	c, err := s.store.Campaign(r.Context(), rc.actor, id)
	if err != nil {
		return err
	}
	vs, err := s.store.CampaignVillages(r.Context(), rc.actor, id)
	if err != nil {
		return err
	}
	today := campaigns.Today(s.store.Now())
	d := campPage{C: c, Villages: vs, Current: campaigns.CurrentStage(c.Stages, today), Today: today}
	d.Manage = rc.actor.Can(access.CampaignManage) && s.store.ManagesCampaign(r.Context(), rc.actor, c.PlaceCode)
	if len(vs) == 1 && c.Status != campaigns.StatusDraft {
		d.Own = vs[0].Code
	}
	if c.Status != campaigns.StatusDraft {
		acts, err := s.store.CampaignActivities(r.Context(), rc.actor, id, "")
		if err != nil {
			return err
		}
		d.Activities = acts[:min(len(acts), 20)]
	}
	return s.render(w, r, rc, http.StatusOK, "campaign", "camp.title", d, nil)
}

// webCampaignStart starts a draft; webCampaignEnd ends a running one.
func (s *Server) webCampaignStart(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	return s.webCampaignMove(w, r, rc, true)
}

func (s *Server) webCampaignEnd(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	return s.webCampaignMove(w, r, rc, false)
}

func (s *Server) webCampaignMove(w http.ResponseWriter, r *http.Request, rc *reqCtx, start bool) error {
	id, err := pathID(r, "campaignID")
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	version, _ := strconv.Atoi(r.PostForm.Get("version"))
	msg := "camp.started"
	if start {
		_, err = s.store.StartCampaign(r.Context(), rc.actor, id, version)
	} else {
		msg = "camp.ended"
		_, err = s.store.EndCampaign(r.Context(), rc.actor, id, version)
	}
	if err != nil {
		return err
	}
	s.flashRedirect(w, r, fmt.Sprintf("/campaigns/%d", id), msg)
	return nil
}

// webCampaignsMine is 我的专项任务: the running campaigns of the viewer's
// village with the stage under way and what is due.
func (s *Server) webCampaignsMine(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	tasks, err := s.store.MyCampaignTasks(r.Context(), rc.actor)
	if err != nil {
		return err
	}
	return s.render(w, r, rc, http.StatusOK, "campaigns_mine", "camp.mine", tasks, nil)
}
