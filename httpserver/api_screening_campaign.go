package httpserver

import (
	"net/http"
	"strconv"

	"safetynet/campaigns"
	"safetynet/sqlstore"
)

// The JSON API of concentrated screening (集中排查).

type screeningCampaignsJSON struct {
	Items []screeningCampaignJSON `json:"items"`
}

type screeningCampaignJSON struct {
	sqlstore.ScreeningCampaign
	StatusLabel string `json:"status_label"`
	StartsOn    string `json:"starts_on"`
	EndsOn      string `json:"ends_on"`
	WindowStart string `json:"window_start"`
	WindowEnd   string `json:"window_end"`
}

func toScreeningCampaignJSON(c sqlstore.ScreeningCampaign, lang string) screeningCampaignJSON {
	return screeningCampaignJSON{ScreeningCampaign: c, StatusLabel: campaigns.Statuses.Label(c.Status, lang),
		StartsOn: c.StartsOn.Format("2006-01-02"), EndsOn: c.EndsOn.Format("2006-01-02"),
		WindowStart: c.Window.Start.Format("2006-01-02"), WindowEnd: c.Window.End.Format("2006-01-02")}
}

type screeningCountJSON struct {
	sqlstore.ScreeningCount
	NotScreened int    `json:"not_screened"`
	Share       int    `json:"share_permille"`
	Link        string `json:"link"` // the progress of the place (drill-down)
}

type screeningProgressJSON struct {
	Campaign screeningCampaignJSON `json:"campaign"`
	LineFen  int64                 `json:"line_fen"`
	Total    screeningCountJSON    `json:"total"`
	Rows     []screeningCountJSON  `json:"rows"`
}

func toScreeningCount(c sqlstore.ScreeningCount, campaignID int64) screeningCountJSON {
	return screeningCountJSON{ScreeningCount: c, NotScreened: c.Todo(), Share: c.Share(),
		Link: "/api/v1/screenings/" + strconv.FormatInt(campaignID, 10) + "/progress?place=" + c.PlaceCode}
}

// apiScreeningCampaigns answers GET /api/v1/screenings.
func (s *Server) apiScreeningCampaigns(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	cs, err := s.store.ScreeningCampaigns(r.Context(), rc.actor)
	if err != nil {
		return err
	}
	out := screeningCampaignsJSON{Items: make([]screeningCampaignJSON, 0, len(cs))}
	for _, c := range cs {
		out.Items = append(out.Items, toScreeningCampaignJSON(c, rc.lang))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// apiScreeningProgress answers GET /api/v1/screenings/{screeningID}/progress.
func (s *Server) apiScreeningProgress(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "screeningID")
	if err != nil {
		return err
	}
	p, err := s.store.ScreeningProgressView(r.Context(), rc.actor, id, r.URL.Query().Get("place"))
	if err != nil {
		return err
	}
	out := screeningProgressJSON{Campaign: toScreeningCampaignJSON(p.Campaign, rc.lang), LineFen: p.LineFen,
		Total: toScreeningCount(p.Total, id), Rows: make([]screeningCountJSON, 0, len(p.Rows))}
	for _, c := range p.Rows {
		out.Rows = append(out.Rows, toScreeningCount(c, id))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

type screeningHouseholdJSON struct {
	sqlstore.ScreeningHousehold
	ScreenedOn string   `json:"screened_on"` // "" when not screened
	Handover   string   `json:"handover"`    // handed, open, monitored, todo; "" when not screened
	Reasons    []string `json:"reasons"`
}

type screeningCampaignListJSON struct {
	List  string                   `json:"list"`
	Page  int                      `json:"page"`
	More  bool                     `json:"more"`
	Items []screeningHouseholdJSON `json:"items"`
}

// apiScreeningHouseholds answers GET /api/v1/screenings/{screeningID}/households.
func (s *Server) apiScreeningHouseholds(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "screeningID")
	if err != nil {
		return err
	}
	q := r.URL.Query()
	page, err := intParam(r, "page", 1)
	if err != nil {
		return err
	}
	list := q.Get("list")
	if list == "" {
		list = sqlstore.ScreeningTodo
	}
	l, err := s.store.ScreeningHouseholds(r.Context(), rc.actor, id, q.Get("place"), list, page)
	if err != nil {
		return err
	}
	out := screeningCampaignListJSON{List: l.List, Page: l.Page, More: l.More, Items: make([]screeningHouseholdJSON, 0, len(l.Rows))}
	for _, h := range l.Rows {
		js := screeningHouseholdJSON{ScreeningHousehold: h, Reasons: []string{}}
		if h.Findings == nil {
			js.Findings = []string{}
		}
		if h.RecordID != 0 {
			js.Handover, js.ScreenedOn = h.Handover(), h.ScreenedOn.Format("2006-01-02")
			if h.Suggests {
				js.Reasons = h.Suggestion().Reasons(h.LineFen, rc.lang)
			}
		}
		out.Items = append(out.Items, js)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

type screeningRecordJSON struct {
	sqlstore.ScreeningRecord
	ScreenedOn string   `json:"screened_on"`
	Created    bool     `json:"created"`
	Reasons    []string `json:"reasons"`
}

func toScreeningRecordJSON(rec sqlstore.ScreeningRecord, created bool, lang string) screeningRecordJSON {
	out := screeningRecordJSON{ScreeningRecord: rec, ScreenedOn: rec.ScreenedOn.Format("2006-01-02"), Created: created, Reasons: rec.Suggestion().Reasons(rec.LineFen, lang)}
	if out.Reasons == nil || !rec.Suggests {
		out.Reasons = []string{}
	}
	if out.Findings == nil {
		out.Findings = []string{}
	}
	return out
}

type screeningFormJSON struct {
	HouseholdID int64                       `json:"household_id"`
	HeadName    string                      `json:"head_name"`
	PlaceName   string                      `json:"place_name"`
	Address     string                      `json:"address"`
	Members     int                         `json:"members"`
	LineFen     int64                       `json:"line_fen"`
	Partners    []sqlstore.ScreeningPartner `json:"partners"`
	Record      *screeningRecordJSON        `json:"record,omitempty"` // absent when not screened
}

// apiScreeningHousehold answers GET /api/v1/screenings/{screeningID}/households/{householdID}:
// what the form needs (the register's member count, the partners, the
// record when screened, with its version for a correction).
func (s *Server) apiScreeningHousehold(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	cid, err := pathID(r, "screeningID")
	if err != nil {
		return err
	}
	hid, err := pathID(r, "householdID")
	if err != nil {
		return err
	}
	f, err := s.store.ScreeningFormView(r.Context(), rc.actor, cid, hid)
	if err != nil {
		return err
	}
	out := screeningFormJSON{HouseholdID: hid, HeadName: f.Household.HeadName, PlaceName: f.Household.PlaceName, Address: f.Household.Address,
		Members: f.Household.Members, LineFen: f.LineFen, Partners: f.Partners}
	if out.Partners == nil {
		out.Partners = []sqlstore.ScreeningPartner{}
	}
	if f.Record != nil {
		rec := toScreeningRecordJSON(*f.Record, false, rc.lang)
		out.Record = &rec
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// apiRecordScreening answers POST /api/v1/screenings/{screeningID}/records:
// 201 for a new record or correction, 200 for a resend of one already
// stored (the same client_id).
func (s *Server) apiRecordScreening(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	cid, err := pathID(r, "screeningID")
	if err != nil {
		return err
	}
	var in screeningInJSON
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	sc, err := in.screening()
	if err != nil {
		return err
	}
	rec, created, err := s.store.RecordScreening(r.Context(), rc.actor, cid, sc)
	if err != nil {
		return err
	}
	status := http.StatusOK
	if created || (sc.Version > 0 && rec.Version == sc.Version+1) {
		status = http.StatusCreated
	}
	writeJSON(w, status, toScreeningRecordJSON(rec, created, rc.lang))
	return nil
}

type screeningHandoverJSON struct {
	Category   string   `json:"category"`
	RiskCauses []string `json:"risk_causes"`
}

type screeningHandedJSON struct {
	ProcessID int64  `json:"process_id"`
	Started   bool   `json:"started"`
	Link      string `json:"link"`
}

// apiHandOverScreening answers POST /api/v1/screening-records/{screeningRecordID}/handover.
// An empty body hands over with the prefilled type and causes.
func (s *Server) apiHandOverScreening(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	rid, err := pathID(r, "screeningRecordID")
	if err != nil {
		return err
	}
	var in screeningHandoverJSON
	if r.ContentLength != 0 {
		if err := decodeJSON(r, &in); err != nil {
			return err
		}
	}
	pid, started, err := s.store.HandOverScreening(r.Context(), rc.actor, rid, campaigns.Handover{Category: in.Category, Causes: in.RiskCauses})
	if err != nil {
		return err
	}
	status := http.StatusOK
	if started {
		status = http.StatusCreated
	}
	writeJSON(w, status, screeningHandedJSON{ProcessID: pid, Started: started, Link: "/api/v1/monitoring/processes/" + strconv.FormatInt(pid, 10)})
	return nil
}
