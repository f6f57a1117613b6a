package httpserver

import (
	"net/http"
	"time"

	"safetynet/campaigns"
	"safetynet/sqlstore"
)

// enrolPersonJSON is a person on (or for) a list: name, household
// address, age; never an ID number.
type enrolPersonJSON struct {
	MemberID    int64      `json:"member_id,omitempty"`
	PersonID    int64      `json:"person_id"`
	HouseholdID int64      `json:"household_id"`
	Name        string     `json:"name"`
	Address     string     `json:"address"`
	PlaceName   string     `json:"place_name"`
	Age         *int       `json:"age,omitempty"`
	HasCategory bool       `json:"has_category"`
	Note        string     `json:"note,omitempty"`
	AddedBy     string     `json:"added_by,omitempty"`
	AddedAt     *time.Time `json:"added_at,omitempty"`
}

type enrolGroupJSON struct {
	Code      string            `json:"code"`
	Name      string            `json:"name"`
	Items     []string          `json:"items"`
	Household bool              `json:"household"`
	Count     int               `json:"count"`
	Members   []enrolPersonJSON `json:"members"`
	Proposals []enrolPersonJSON `json:"proposals"`
}

// enrolSheetJSON is a village's list.
type enrolSheetJSON struct {
	CampaignID    int64            `json:"campaign_id"`
	CampaignTitle string           `json:"campaign_title"`
	Village       string           `json:"village"`
	VillageName   string           `json:"village_name"`
	TownName      string           `json:"town_name"`
	Stage         string           `json:"stage"`
	StartsOn      string           `json:"starts_on"`
	EndsOn        string           `json:"ends_on"`
	Status        string           `json:"status"`
	SubmittedLate bool             `json:"submitted_late"`
	SubmittedAt   *time.Time       `json:"submitted_at,omitempty"`
	SubmittedBy   string           `json:"submitted_by,omitempty"`
	Confirmed     map[string]int   `json:"confirmed"`
	Version       int              `json:"version"`
	Groups        []enrolGroupJSON `json:"groups"`
}

type enrolSearchJSON struct {
	Items []enrolPersonJSON `json:"items"`
}

type enrolAddedJSON struct {
	Added bool `json:"added"`
}

type enrolTallyJSON struct {
	Place         string         `json:"place"`
	Name          string         `json:"name"`
	Level         string         `json:"level"`
	Villages      int            `json:"villages"`
	NotStarted    int            `json:"not_started"`
	InProgress    int            `json:"in_progress"`
	Submitted     int            `json:"submitted"`
	SubmittedLate int            `json:"submitted_late"`
	Late          int            `json:"late"`
	Counts        map[string]int `json:"counts"`
	Status        string         `json:"status,omitempty"`
}

type enrolVillageJSON struct {
	Village       string         `json:"village"`
	Name          string         `json:"name"`
	TownName      string         `json:"town_name"`
	Status        string         `json:"status"`
	SubmittedLate bool           `json:"submitted_late"`
	Counts        map[string]int `json:"counts"`
}

// enrolProgressJSON is the campaign progress at a place.
type enrolProgressJSON struct {
	CampaignID    int64              `json:"campaign_id"`
	CampaignTitle string             `json:"campaign_title"`
	Stage         string             `json:"stage"`
	EndsOn        string             `json:"ends_on"`
	Groups        []string           `json:"groups"`
	Path          []placeRefJSON     `json:"path"`
	Total         enrolTallyJSON     `json:"total"`
	Rows          []enrolTallyJSON   `json:"rows"`
	Villages      []enrolVillageJSON `json:"villages,omitempty"`
}

type placeRefJSON struct {
	Code  string `json:"code"`
	Name  string `json:"name"`
	Level string `json:"level"`
}

func counts(c campaigns.Counts, groups []string) map[string]int {
	out := make(map[string]int, len(groups))
	for _, g := range groups {
		out[g] = c[g]
	}
	return out
}

func toEnrolPersonJSON(p sqlstore.EnrolPerson) enrolPersonJSON {
	out := enrolPersonJSON{MemberID: p.MemberID, PersonID: p.PersonID, HouseholdID: p.HouseholdID, Name: p.Name, Address: p.Address,
		PlaceName: p.PlaceName, HasCategory: p.HasCategory, Note: p.Note, AddedBy: p.AddedBy}
	if p.Age >= 0 {
		age := p.Age
		out.Age = &age
	}
	if !p.AddedAt.IsZero() {
		at := p.AddedAt
		out.AddedAt = &at
	}
	return out
}

func toEnrolTallyJSON(t sqlstore.EnrolTally, groups []string) enrolTallyJSON {
	return enrolTallyJSON{Place: t.Place, Name: t.Name, Level: string(t.Level), Villages: t.Villages, NotStarted: t.NotStarted,
		InProgress: t.InProgress, Submitted: t.Submitted, SubmittedLate: t.SubmittedLate, Late: t.Late, Counts: counts(t.Counts, groups), Status: t.Status}
}

// apiEnrol answers GET /api/v1/campaigns/{campaignID}/villages/{villageCode}/register.
func (s *Server) apiEnrol(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, village, err := enrolPath(r)
	if err != nil {
		return err
	}
	e, err := s.store.EnrolSheetOf(r.Context(), rc.actor, id, village)
	if err != nil {
		return err
	}
	out := enrolSheetJSON{CampaignID: id, CampaignTitle: e.CampaignTitle, Village: e.Village, VillageName: e.VillageName, TownName: e.TownName,
		Stage: e.StageTitle, StartsOn: e.StartsOn, EndsOn: e.EndsOn, Status: e.Shown, SubmittedLate: e.SubmittedLate, SubmittedBy: e.SubmittedBy,
		Confirmed: counts(e.Confirmed, e.GroupCodes()), Version: e.Version, Groups: []enrolGroupJSON{}}
	if !e.SubmittedAt.IsZero() {
		at := e.SubmittedAt
		out.SubmittedAt = &at
	}
	for _, g := range e.Groups {
		gj := enrolGroupJSON{Code: g.Code, Name: campaignsCat(g.Code, rc.lang), Items: g.Items, Household: g.Household, Count: len(g.Members),
			Members: []enrolPersonJSON{}, Proposals: []enrolPersonJSON{}}
		for _, m := range g.Members {
			gj.Members = append(gj.Members, toEnrolPersonJSON(m))
		}
		for _, m := range g.Proposals {
			gj.Proposals = append(gj.Proposals, toEnrolPersonJSON(m))
		}
		out.Groups = append(out.Groups, gj)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// apiEnrolSearch answers GET …/register/search?group=&q=.
func (s *Server) apiEnrolSearch(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, village, err := enrolPath(r)
	if err != nil {
		return err
	}
	hits, err := s.store.EnrolSearch(r.Context(), rc.actor, id, village, r.URL.Query().Get("group"), r.URL.Query().Get("q"))
	if err != nil {
		return err
	}
	out := enrolSearchJSON{Items: []enrolPersonJSON{}}
	for _, h := range hits {
		out.Items = append(out.Items, toEnrolPersonJSON(h))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// apiEnrolAdd answers POST …/register/members: 201 when listed, 200 when
// the person was already on the list.
func (s *Server) apiEnrolAdd(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, village, err := s.enrolTarget(r, rc)
	if err != nil {
		return err
	}
	var in struct {
		Group    string `json:"group"`
		PersonID int64  `json:"person_id"`
		Note     string `json:"note"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	added, err := s.store.AddEnrolMember(r.Context(), rc.actor, id, village, sqlstore.EnrolAdd{Group: in.Group, PersonID: in.PersonID, Note: in.Note})
	if err != nil {
		return err
	}
	status := http.StatusOK
	if added {
		status = http.StatusCreated
	}
	writeJSON(w, status, enrolAddedJSON{Added: added})
	return nil
}

// apiEnrolRemove answers POST …/register/members/{memberID}/remove.
func (s *Server) apiEnrolRemove(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, village, err := s.enrolTarget(r, rc)
	if err != nil {
		return err
	}
	mid, err := pathID(r, "memberID")
	if err != nil {
		return err
	}
	var in struct {
		Reason string `json:"reason"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if err := s.store.RemoveEnrolMember(r.Context(), rc.actor, id, village, mid, in.Reason); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// apiEnrolSubmit answers POST …/register/submit.
func (s *Server) apiEnrolSubmit(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, village, err := s.enrolTarget(r, rc)
	if err != nil {
		return err
	}
	var in struct {
		Version int            `json:"version"`
		Counts  map[string]int `json:"counts"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if err := s.store.SubmitEnrolment(r.Context(), rc.actor, id, village, in.Version, campaigns.Counts(in.Counts)); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// apiEnrolReopen answers POST …/register/reopen.
func (s *Server) apiEnrolReopen(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, village, err := s.enrolTarget(r, rc)
	if err != nil {
		return err
	}
	var in struct {
		Reason string `json:"reason"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if err := s.store.ReopenEnrolment(r.Context(), rc.actor, id, village, in.Reason); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// apiCampaignProgress answers GET /api/v1/campaigns/{campaignID}/progress?place=&status=.
func (s *Server) apiCampaignProgress(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "campaignID")
	if err != nil {
		return err
	}
	q := r.URL.Query()
	p, err := s.store.CampaignEnrolProgress(r.Context(), rc.actor, id, q.Get("place"))
	if err != nil {
		return err
	}
	out := enrolProgressJSON{CampaignID: id, CampaignTitle: p.CampaignTitle, Stage: p.StageTitle, EndsOn: p.EndsOn, Groups: p.Groups,
		Path: []placeRefJSON{}, Total: toEnrolTallyJSON(p.Total, p.Groups), Rows: []enrolTallyJSON{}}
	if out.Groups == nil {
		out.Groups = []string{}
	}
	for _, pl := range p.Path {
		out.Path = append(out.Path, placeRefJSON{Code: pl.Code, Name: pl.Name, Level: string(pl.Level)})
	}
	for _, row := range p.Rows {
		out.Rows = append(out.Rows, toEnrolTallyJSON(row, p.Groups))
	}
	if st := q.Get("status"); st != "" {
		if st == "all" {
			st = ""
		}
		vs, err := s.store.CampaignEnrolVillages(r.Context(), rc.actor, id, p.Total.Place, st)
		if err != nil {
			return err
		}
		out.Villages = []enrolVillageJSON{}
		for _, v := range vs {
			out.Villages = append(out.Villages, enrolVillageJSON{Village: v.Village, Name: v.Name, TownName: v.TownName, Status: v.Status,
				SubmittedLate: v.SubmittedLate, Counts: counts(v.Counts, p.Groups)})
		}
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}
