package httpserver

import (
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"safetynet"
	"safetynet/access"
	"safetynet/campaigns"
	"safetynet/sqlstore"
)

// campFormPage is the campaign form (new, copied or a draft edited).
// Rows are added and removed by buttons that post the form back without
// saving, so it works on any phone without script.
type campFormPage struct {
	ID       int64 // 0 for a new campaign
	Version  int
	C        campaigns.Campaign
	Targets  []string // the goals' targets as typed (a share in percent)
	Places   []safetynet.Place
	Units    []campaigns.Unit
	Villages []sqlstore.CampaignVillage
	Picked   map[string]bool
	Measures []safetynet.Measure
	Action   string
}

// CampLead is the lead unit of a work item, 0 when none.
func (p *page) CampLead(it campaigns.Item) int64 {
	for _, u := range it.Units {
		if u.Role == campaigns.RoleLead {
			return u.UnitID
		}
	}
	return 0
}

// CampCoop reports whether unit cooperates on a work item.
func (p *page) CampCoop(it campaigns.Item, unit int64) bool {
	for _, u := range it.Units {
		if u.UnitID == unit && u.Role == campaigns.RoleCooperate {
			return true
		}
	}
	return false
}

// CampHas reports whether list holds v.
func (p *page) CampHas(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// CampTargetText is a goal's target as the form shows it: a share in
// percent, a count as is.
func campTargetText(g campaigns.Goal) string {
	if campaigns.ShareMetric(g.Metric) {
		return strconv.FormatFloat(float64(g.Target)/10, 'f', -1, 64)
	}
	if g.Target == 0 {
		return ""
	}
	return strconv.FormatInt(g.Target, 10)
}

// parseCampTarget reads a typed target: a share in percent (to per
// mille), a count as a whole number.
func parseCampTarget(metric, s string, n int) (int64, error) {
	s = strings.TrimSuffix(strings.TrimSpace(s), "%")
	if campaigns.ShareMetric(metric) {
		f, err := strconv.ParseFloat(s, 64)
		if err != nil || math.IsNaN(f) {
			return 0, safetynet.Invalid("goals", "第 %d 个目标：目标值请填百分数，如 100", "goal %d: the target is a percentage, e.g. 100", n)
		}
		return int64(math.Round(f * 10)), nil
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, safetynet.Invalid("goals", "第 %d 个目标：目标值请填整数", "goal %d: the target is a whole number", n)
	}
	return v, nil
}

// campFromForm reads the posted form into a campaign, the targets as
// typed, the villages ticked, and the row operation asked for ("save" or
// add_item, del_goal_2…). Blank rows are dropped on save.
func campFromForm(f url.Values) (campaigns.Campaign, []string, string, error) {
	get := func(k string) string { return strings.TrimSpace(f.Get(k)) }
	count := func(k string) int {
		n, _ := strconv.Atoi(f.Get(k))
		return min(max(n, 0), 60)
	}
	c := campaigns.Campaign{ClientID: get("client_id"), Kind: get("kind"), Title: get("title"), DocNo: get("doc_no"), PlaceCode: get("place_code"),
		StartsOn: get("starts_on"), EndsOn: get("ends_on"), Aims: get("aims"), Villages: f["villages"]}
	c.CopiedFrom, _ = strconv.ParseInt(get("copied_from"), 10, 64)
	op := get("op")
	if op == "" {
		op = "save"
	}
	saving := op == "save"
	for i := range count("n_items") {
		k := strconv.Itoa(i)
		it := campaigns.Item{Title: get("item_title_" + k), Description: get("item_desc_" + k), Groups: f["item_groups_"+k], Units: []campaigns.ItemUnit{}}
		if lead, _ := strconv.ParseInt(get("item_lead_"+k), 10, 64); lead > 0 {
			it.Units = append(it.Units, campaigns.ItemUnit{UnitID: lead, Role: campaigns.RoleLead})
		}
		seen := map[int64]bool{}
		for _, u := range it.Units {
			seen[u.UnitID] = true
		}
		for _, v := range f["item_coop_"+k] {
			if id, _ := strconv.ParseInt(v, 10, 64); id > 0 && !seen[id] { // the lead is not also a cooperating unit
				seen[id] = true
				it.Units = append(it.Units, campaigns.ItemUnit{UnitID: id, Role: campaigns.RoleCooperate})
			}
		}
		if saving && it.Title == "" && it.Description == "" && len(it.Groups) == 0 && len(it.Units) == 0 {
			continue
		}
		c.Items = append(c.Items, it)
	}
	var targets []string
	var firstErr error
	for i := range count("n_goals") {
		k := strconv.Itoa(i)
		g := campaigns.Goal{Title: get("goal_title_" + k), Metric: get("goal_metric_" + k), Group: get("goal_group_" + k), Measure: get("goal_measure_" + k)}
		g.ItemSeq, _ = strconv.Atoi(get("goal_item_" + k))
		t := get("goal_target_" + k)
		if saving && g.Title == "" && t == "" {
			continue
		}
		if saving && firstErr == nil {
			v, err := parseCampTarget(g.Metric, t, len(c.Goals)+1)
			if err != nil {
				firstErr = err
			}
			g.Target = v
		}
		c.Goals = append(c.Goals, g)
		targets = append(targets, t)
	}
	for i := range count("n_stages") {
		k := strconv.Itoa(i)
		st := campaigns.Stage{Kind: get("stage_kind_" + k), Title: get("stage_title_" + k), StartsOn: get("stage_starts_" + k), EndsOn: get("stage_ends_" + k)}
		if saving && st.Title == "" && st.StartsOn == "" && st.EndsOn == "" {
			continue
		}
		c.Stages = append(c.Stages, st)
	}
	// Row operations.
	switch {
	case op == "add_item":
		c.Items = append(c.Items, campaigns.Item{Units: []campaigns.ItemUnit{}})
	case op == "add_goal":
		c.Goals = append(c.Goals, campaigns.Goal{})
		targets = append(targets, "")
	case op == "add_stage":
		c.Stages = append(c.Stages, campaigns.Stage{})
	case strings.HasPrefix(op, "del_"):
		what, n, _ := strings.Cut(strings.TrimPrefix(op, "del_"), "_")
		i, err := strconv.Atoi(n)
		if err == nil && i >= 0 {
			switch {
			case what == "item" && i < len(c.Items):
				c.Items = append(c.Items[:i], c.Items[i+1:]...)
				for j := range c.Goals {
					switch {
					case c.Goals[j].ItemSeq == i+1:
						c.Goals[j].ItemSeq = 0
					case c.Goals[j].ItemSeq > i+1:
						c.Goals[j].ItemSeq--
					}
				}
			case what == "goal" && i < len(c.Goals):
				c.Goals = append(c.Goals[:i], c.Goals[i+1:]...)
				targets = append(targets[:i], targets[i+1:]...)
			case what == "stage" && i < len(c.Stages):
				c.Stages = append(c.Stages[:i], c.Stages[i+1:]...)
			}
		}
	}
	return c, targets, op, firstErr
}

// campForm fills the choices of the form for a campaign owned by place.
func (s *Server) campForm(r *http.Request, rc *reqCtx, d *campFormPage) {
	if d.C.PlaceCode == "" {
		d.C.PlaceCode = rc.actor.Place
	}
	d.Places = s.buyerPlaces(r, rc)
	d.Units, _ = s.store.CampaignUnitChoices(r.Context(), rc.actor, d.C.PlaceCode)
	d.Villages, _ = s.store.CampaignPlaceVillages(r.Context(), rc.actor, d.C.PlaceCode)
	ms, _ := s.store.Measures(r.Context(), true)
	d.Measures = ms
	if d.Picked == nil {
		d.Picked = map[string]bool{}
		for _, v := range d.C.Villages {
			d.Picked[v] = true
		}
		if len(d.C.Villages) == 0 {
			for _, v := range d.Villages {
				d.Picked[v.Code] = true
			}
		}
	}
	for len(d.Targets) < len(d.C.Goals) {
		d.Targets = append(d.Targets, campTargetText(d.C.Goals[len(d.Targets)]))
	}
}

// webCampaignNew shows the form of a new campaign: blank with the five
// stages of seed 004, or copied from ?from= with its dates moved to
// ?start=.
func (s *Server) webCampaignNew(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	if err := rc.actor.Require(access.CampaignManage); err != nil {
		return err
	}
	d := &campFormPage{Action: "/campaigns/new"}
	q := r.URL.Query()
	if from, _ := strconv.ParseInt(q.Get("from"), 10, 64); from > 0 {
		old, err := s.store.Campaign(r.Context(), rc.actor, from)
		if err != nil {
			return err
		}
		c, err := campaigns.Shift(old, q.Get("start"))
		if err != nil {
			return err
		}
		c.Villages = nil // every village of the place, as it is today
		d.C = c
	} else {
		d.C = campaigns.Campaign{Kind: campaigns.KindCare, Items: []campaigns.Item{{}}, Goals: []campaigns.Goal{{}}}
		for _, k := range []string{campaigns.StageMobilise, campaigns.StageRegister, campaigns.StageCarryOut, campaigns.StageSumUp, campaigns.StageConsolidate} {
			d.C.Stages = append(d.C.Stages, campaigns.Stage{Kind: k})
		}
	}
	d.C.ClientID = newClientID()
	s.campForm(r, rc, d)
	return s.render(w, r, rc, http.StatusOK, "campaign_form", "camp.new", d, nil)
}

// webCampaignCreate saves a new campaign, or redraws the form with a row
// added or removed.
func (s *Server) webCampaignCreate(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	if err := parseForm(r); err != nil {
		return err
	}
	c, targets, op, err := campFromForm(r.PostForm)
	d := &campFormPage{Action: "/campaigns/new", C: c, Targets: targets, Picked: picked(r.PostForm["villages"])}
	if op == "save" && err == nil {
		var out campaigns.Campaign
		out, _, err = s.store.CreateCampaign(r.Context(), rc.actor, c)
		if err == nil {
			s.flashRedirect(w, r, fmt.Sprintf("/campaigns/%d", out.ID), "camp.created")
			return nil
		}
	}
	if op != "save" {
		err = nil
	}
	if op == "place" { // another owning place: its units and all its villages
		d.Picked, d.C.Villages = nil, nil
	}
	redraw := func() error {
		s.campForm(r, rc, d)
		return s.render(w, r, rc, http.StatusOK, "campaign_form", "camp.new", d, err)
	}
	if err != nil {
		return s.formFailed(w, r, rc, err, redraw)
	}
	return redraw()
}

func picked(codes []string) map[string]bool {
	m := map[string]bool{}
	for _, c := range codes {
		m[c] = true
	}
	return m
}

// webCampaignEdit shows a draft's form.
func (s *Server) webCampaignEdit(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	if err := rc.actor.Require(access.CampaignManage); err != nil {
		return err
	}
	id, err := pathID(r, "campaignID")
	if err != nil {
		return err
	}
	c, err := s.store.Campaign(r.Context(), rc.actor, id)
	if err != nil {
		return err
	}
	if c.Status != campaigns.StatusDraft {
		return safetynet.Conflict("status", "行动已启动，不能再修改", "the campaign has started and can no longer be edited")
	}
	d := &campFormPage{ID: id, Version: c.Version, C: c, Action: fmt.Sprintf("/campaigns/%d/edit", id)}
	s.campForm(r, rc, d)
	return s.render(w, r, rc, http.StatusOK, "campaign_form", "camp.edit", d, nil)
}

// webCampaignUpdate saves a draft (with the version the editor read), or
// redraws the form with a row added or removed.
func (s *Server) webCampaignUpdate(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "campaignID")
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	version, _ := strconv.Atoi(r.PostForm.Get("version"))
	c, targets, op, err := campFromForm(r.PostForm)
	old, gerr := s.store.Campaign(r.Context(), rc.actor, id)
	if gerr != nil {
		return gerr
	}
	c.PlaceCode = old.PlaceCode
	d := &campFormPage{ID: id, Version: version, C: c, Targets: targets, Picked: picked(r.PostForm["villages"]), Action: fmt.Sprintf("/campaigns/%d/edit", id)}
	if op == "save" && err == nil {
		if _, err = s.store.UpdateCampaign(r.Context(), rc.actor, id, version, c); err == nil {
			s.flashRedirect(w, r, fmt.Sprintf("/campaigns/%d", id), "camp.saved")
			return nil
		}
	}
	if op != "save" {
		err = nil
	}
	redraw := func() error {
		s.campForm(r, rc, d)
		return s.render(w, r, rc, http.StatusOK, "campaign_form", "camp.edit", d, err)
	}
	if err != nil {
		return s.formFailed(w, r, rc, err, redraw)
	}
	return redraw()
}
