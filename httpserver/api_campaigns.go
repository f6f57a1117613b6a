package httpserver

import (
	"net/http"
	"strconv"

	"safetynet"
	"safetynet/campaigns"
	"safetynet/sqlstore"
)

type campaignListJSON struct {
	Items []sqlstore.CampaignListRow `json:"items"`
}

// campaignOutJSON is a campaign created; created is false when the same
// client_id was sent before.
type campaignOutJSON struct {
	campaigns.Campaign
	Created bool `json:"created"`
}

// campaignInJSON is a campaign as a client sends it. Work items name
// their units by id (GET /api/v1/org-units), goals their work item by
// its position (item_seq, 1-based; 0 for the whole campaign).
type campaignInJSON struct {
	ClientID   string         `json:"client_id"`
	Kind       string         `json:"kind"`
	Title      string         `json:"title"`
	DocNo      string         `json:"doc_no"`
	PlaceCode  string         `json:"place_code"`
	StartsOn   string         `json:"starts_on"`
	EndsOn     string         `json:"ends_on"`
	Aims       string         `json:"aims"`
	CopiedFrom int64          `json:"copied_from"`
	Version    int            `json:"version"`
	Items      []campItemJSON `json:"items"`
	Goals      []campGoalJSON `json:"goals"`
	Stages     []campStageIn  `json:"stages"`
	Villages   []string       `json:"villages"`
}

type campItemJSON struct {
	Title       string   `json:"title"`
	Groups      []string `json:"groups"`
	Description string   `json:"description"`
	Units       []struct {
		UnitID int64  `json:"unit_id"`
		Role   string `json:"role"`
	} `json:"units"`
}

type campGoalJSON struct {
	Title   string `json:"title"`
	Metric  string `json:"metric"`
	Group   string `json:"group"`
	Measure string `json:"measure"`
	Target  int64  `json:"target"`
	ItemSeq int    `json:"item_seq"`
}

type campStageIn struct {
	Kind     string `json:"kind"`
	Title    string `json:"title"`
	StartsOn string `json:"starts_on"`
	EndsOn   string `json:"ends_on"`
}

func (j campaignInJSON) campaign() campaigns.Campaign {
	c := campaigns.Campaign{ClientID: j.ClientID, Kind: j.Kind, Title: j.Title, DocNo: j.DocNo, PlaceCode: j.PlaceCode, StartsOn: j.StartsOn,
		EndsOn: j.EndsOn, Aims: j.Aims, CopiedFrom: j.CopiedFrom, Villages: j.Villages}
	for _, it := range j.Items {
		x := campaigns.Item{Title: it.Title, Groups: it.Groups, Description: it.Description}
		for _, u := range it.Units {
			x.Units = append(x.Units, campaigns.ItemUnit{UnitID: u.UnitID, Role: u.Role})
		}
		c.Items = append(c.Items, x)
	}
	for _, g := range j.Goals {
		c.Goals = append(c.Goals, campaigns.Goal{Title: g.Title, Metric: g.Metric, Group: g.Group, Measure: g.Measure, Target: g.Target, ItemSeq: g.ItemSeq})
	}
	for _, s := range j.Stages {
		c.Stages = append(c.Stages, campaigns.Stage{Kind: s.Kind, Title: s.Title, StartsOn: s.StartsOn, EndsOn: s.EndsOn})
	}
	return c
}

// apiCampaigns answers GET /api/v1/campaigns?status=&kind=.
func (s *Server) apiCampaigns(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	q := r.URL.Query()
	l, err := s.store.Campaigns(r.Context(), rc.actor, sqlstore.CampaignFilter{Status: q.Get("status"), Kind: q.Get("kind")})
	if err != nil {
		return err
	}
	if l == nil {
		l = []sqlstore.CampaignListRow{}
	}
	writeJSON(w, http.StatusOK, campaignListJSON{Items: l})
	return nil
}

// apiCreateCampaign answers POST /api/v1/campaigns.
func (s *Server) apiCreateCampaign(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	var in campaignInJSON
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	c, created, err := s.store.CreateCampaign(r.Context(), rc.actor, in.campaign())
	if err != nil {
		return err
	}
	status := http.StatusOK
	if created {
		status = http.StatusCreated
	}
	writeJSON(w, status, campaignOutJSON{Campaign: c, Created: created})
	return nil
}

// apiCampaign answers GET /api/v1/campaigns/{campaignID}.
func (s *Server) apiCampaign(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "campaignID")
	if err != nil {
		return err
	}
	c, err := s.store.Campaign(r.Context(), rc.actor, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, c)
	return nil
}

// apiUpdateCampaign answers PUT /api/v1/campaigns/{campaignID}: a draft
// replaced whole, with the version read.
func (s *Server) apiUpdateCampaign(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "campaignID")
	if err != nil {
		return err
	}
	var in campaignInJSON
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	c, err := s.store.UpdateCampaign(r.Context(), rc.actor, id, in.Version, in.campaign())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, c)
	return nil
}

// apiStartCampaign answers POST /api/v1/campaigns/{campaignID}/start and
// apiEndCampaign …/end, each with the version read.
func (s *Server) apiStartCampaign(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	return s.apiMoveCampaign(w, r, rc, true)
}

func (s *Server) apiEndCampaign(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	return s.apiMoveCampaign(w, r, rc, false)
}

func (s *Server) apiMoveCampaign(w http.ResponseWriter, r *http.Request, rc *reqCtx, start bool) error {
	id, err := pathID(r, "campaignID")
	if err != nil {
		return err
	}
	var in versionJSON
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	var c campaigns.Campaign
	if start {
		c, err = s.store.StartCampaign(r.Context(), rc.actor, id, in.Version)
	} else {
		c, err = s.store.EndCampaign(r.Context(), rc.actor, id, in.Version)
	}
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, c)
	return nil
}

type campaignVillageListJSON struct {
	Items []sqlstore.CampaignVillage `json:"items"`
}

// apiCampaignVillages answers GET /api/v1/campaigns/{campaignID}/villages.
func (s *Server) apiCampaignVillages(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "campaignID")
	if err != nil {
		return err
	}
	l, err := s.store.CampaignVillages(r.Context(), rc.actor, id)
	if err != nil {
		return err
	}
	if l == nil {
		l = []sqlstore.CampaignVillage{}
	}
	writeJSON(w, http.StatusOK, campaignVillageListJSON{Items: l})
	return nil
}

// campaignVillageJSON is a village's tasks: the stages with its status.
type campaignVillageJSON struct {
	Village sqlstore.CampaignVillage `json:"village"`
	Stages  []sqlstore.VillageStage  `json:"stages"`
}

// apiCampaignVillage answers GET /api/v1/campaigns/{campaignID}/villages/{villageCode}.
func (s *Server) apiCampaignVillage(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "campaignID")
	if err != nil {
		return err
	}
	_, v, st, err := s.store.CampaignVillageStages(r.Context(), rc.actor, id, r.PathValue("villageCode"))
	if err != nil {
		return err
	}
	if st == nil {
		st = []sqlstore.VillageStage{}
	}
	writeJSON(w, http.StatusOK, campaignVillageJSON{Village: v, Stages: st})
	return nil
}

type campaignTaskListJSON struct {
	Items []sqlstore.CampaignTask `json:"items"`
}

// apiCampaignsMine answers GET /api/v1/campaigns/mine.
func (s *Server) apiCampaignsMine(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	l, err := s.store.MyCampaignTasks(r.Context(), rc.actor)
	if err != nil {
		return err
	}
	if l == nil {
		l = []sqlstore.CampaignTask{}
	}
	writeJSON(w, http.StatusOK, campaignTaskListJSON{Items: l})
	return nil
}

type campaignActivityListJSON struct {
	Items []campaigns.Activity `json:"items"`
}

// campaignActivityOutJSON is an activity recorded; created is false when
// the same client_id was sent before.
type campaignActivityOutJSON struct {
	campaigns.Activity
	Created bool `json:"created"`
}

// campaignActivityInJSON is an activity as the phone sends it.
type campaignActivityInJSON struct {
	ClientID     string  `json:"client_id"`
	ItemID       int64   `json:"item_id"`
	VillageCode  string  `json:"village_code"`
	Title        string  `json:"title"`
	HeldOn       string  `json:"held_on"`
	Venue        string  `json:"venue"`
	Participants int     `json:"participants"`
	Note         string  `json:"note"`
	PersonIDs    []int64 `json:"person_ids"`
	Photo        string  `json:"photo"` // a data: URL or base64 of a JPEG or PNG
}

// apiCampaignActivities answers GET /api/v1/campaigns/{campaignID}/activities?village=.
func (s *Server) apiCampaignActivities(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "campaignID")
	if err != nil {
		return err
	}
	l, err := s.store.CampaignActivities(r.Context(), rc.actor, id, r.URL.Query().Get("village"))
	if err != nil {
		return err
	}
	if l == nil {
		l = []campaigns.Activity{}
	}
	writeJSON(w, http.StatusOK, campaignActivityListJSON{Items: l})
	return nil
}

// apiRecordCampaignActivity answers POST /api/v1/campaigns/{campaignID}/activities.
func (s *Server) apiRecordCampaignActivity(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "campaignID")
	if err != nil {
		return err
	}
	var in campaignActivityInJSON
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	act := campaigns.Activity{ClientID: in.ClientID, CampaignID: id, ItemID: in.ItemID, VillageCode: in.VillageCode, Title: in.Title,
		HeldOn: in.HeldOn, Venue: in.Venue, Participants: in.Participants, Note: in.Note, PersonIDs: in.PersonIDs}
	if act.Photo, err = decodePhoto(in.Photo); err != nil {
		return err
	}
	out, created, err := s.store.RecordCampaignActivity(r.Context(), rc.actor, act)
	if err != nil {
		return err
	}
	status := http.StatusOK
	if created {
		status = http.StatusCreated
	}
	writeJSON(w, status, campaignActivityOutJSON{Activity: out, Created: created})
	return nil
}

type orgUnitListJSON struct {
	Items []campaigns.Unit `json:"items"`
}

// orgUnitInJSON is a unit as a client sends it; members are user ids of
// the unit's place.
type orgUnitInJSON struct {
	PlaceCode string  `json:"place_code"`
	Name      string  `json:"name"`
	Note      string  `json:"note"`
	Active    *bool   `json:"active"`
	Members   []int64 `json:"members"`
}

// apiOrgUnits answers GET /api/v1/org-units?place=.
func (s *Server) apiOrgUnits(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	place := r.URL.Query().Get("place")
	if place == "" {
		place = rc.actor.Place
	}
	l, err := s.store.OrgUnits(r.Context(), rc.actor, place)
	if err != nil {
		return err
	}
	if l == nil {
		l = []campaigns.Unit{}
	}
	writeJSON(w, http.StatusOK, orgUnitListJSON{Items: l})
	return nil
}

// apiCreateOrgUnit answers POST /api/v1/org-units.
func (s *Server) apiCreateOrgUnit(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	var in orgUnitInJSON
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	u, err := s.store.SaveOrgUnit(r.Context(), rc.actor, campaigns.Unit{PlaceCode: in.PlaceCode, Name: in.Name, Note: in.Note, Active: true}, in.Members)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, u)
	return nil
}

// apiUpdateOrgUnit answers PUT /api/v1/org-units/{unitID}.
func (s *Server) apiUpdateOrgUnit(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "unitID")
	if err != nil {
		return err
	}
	var in orgUnitInJSON
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	active := true
	if in.Active != nil {
		active = *in.Active
	}
	u, err := s.store.SaveOrgUnit(r.Context(), rc.actor, campaigns.Unit{ID: id, Name: in.Name, Note: in.Note, Active: active}, in.Members)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, u)
	return nil
}

type campaignRefListJSON struct {
	Items []sqlstore.CampaignRef `json:"items"`
}

// apiHouseholdCampaigns answers GET /api/v1/households/{householdID}/campaigns:
// the running campaigns a visit or service of the household may be
// tagged with.
func (s *Server) apiHouseholdCampaigns(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "householdID")
	if err != nil {
		return err
	}
	l, err := s.householdCampaigns(r, rc, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, campaignRefListJSON{Items: l})
	return nil
}

// householdCampaigns lists the campaigns a record of a household the
// viewer sees may be tagged with (none for a household outside).
func (s *Server) householdCampaigns(r *http.Request, rc *reqCtx, id int64) ([]sqlstore.CampaignRef, error) {
	if _, err := s.store.Household(r.Context(), rc.actor, id); err != nil {
		return nil, err
	}
	l, err := s.store.TaggableCampaigns(r.Context(), rc.actor, id)
	if l == nil {
		l = []sqlstore.CampaignRef{}
	}
	return l, err
}

// campaignIDParam reads an optional campaign id of a form.
func campaignIDParam(v string) (int64, error) {
	if v == "" || v == "0" {
		return 0, nil
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id < 0 {
		return 0, safetynet.Invalid("campaign_id", "请从列表中选择专项行动", "choose the campaign from the list")
	}
	return id, nil
}
