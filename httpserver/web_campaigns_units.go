package httpserver

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"safetynet"
	"safetynet/access"
	"safetynet/campaigns"
)

// unitsPage is 站所: the units of a county or town, and the form adding
// or changing one with its members chosen by name.
type unitsPage struct {
	Place      safetynet.Place
	Places     []safetynet.Place
	Units      []campaigns.Unit
	Unit       campaigns.Unit // the unit edited (ID 0: a new one)
	Candidates []campaigns.UnitMember
	Members    map[int64]bool
	Manage     bool
}

func (s *Server) unitsPlace(r *http.Request, rc *reqCtx, code string) (safetynet.Place, error) {
	if code == "" {
		code = rc.actor.Place
	}
	return s.store.Place(r.Context(), rc.actor, code)
}

func (s *Server) showUnits(w http.ResponseWriter, r *http.Request, rc *reqCtx, d unitsPage, formErr error) error {
	units, err := s.store.OrgUnits(r.Context(), rc.actor, d.Place.Code)
	if err != nil {
		return err
	}
	d.Units = units
	d.Places = s.buyerPlaces(r, rc)
	d.Manage = rc.actor.Can(access.CampaignManage) && (d.Place.Level == safetynet.LevelCounty || d.Place.Level == safetynet.LevelTown) &&
		s.store.ManagesCampaign(r.Context(), rc.actor, d.Place.Code)
	if d.Manage {
		d.Candidates, _ = s.store.UnitCandidates(r.Context(), rc.actor, d.Place.Code)
	}
	if d.Members == nil {
		d.Members = map[int64]bool{}
		for _, m := range d.Unit.Members {
			d.Members[m.UserID] = true
		}
	}
	return s.render(w, r, rc, http.StatusOK, "org_units", "camp.units", d, formErr)
}

// webOrgUnits lists the units of ?place= (the viewer's place by default),
// with the form of a new one; ?edit= opens a unit in the form.
func (s *Server) webOrgUnits(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	if err := rc.actor.Require(access.CampaignView); err != nil {
		return err
	}
	q := r.URL.Query()
	d := unitsPage{Unit: campaigns.Unit{Active: true}}
	if id, _ := strconv.ParseInt(q.Get("edit"), 10, 64); id > 0 {
		u, err := s.store.OrgUnit(r.Context(), rc.actor, id)
		if err != nil {
			return err
		}
		d.Unit = u
		q.Set("place", u.PlaceCode)
	}
	p, err := s.unitsPlace(r, rc, q.Get("place"))
	if err != nil {
		return err
	}
	d.Place = p
	return s.showUnits(w, r, rc, d, nil)
}

// webSaveOrgUnit creates or changes a unit.
func (s *Server) webSaveOrgUnit(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	if err := parseForm(r); err != nil {
		return err
	}
	f := r.PostForm
	u := campaigns.Unit{Name: strings.TrimSpace(f.Get("name")), Note: strings.TrimSpace(f.Get("note")), PlaceCode: f.Get("place_code"),
		Active: f.Get("active") != "" || f.Get("id") == "" || f.Get("id") == "0"}
	u.ID, _ = strconv.ParseInt(f.Get("id"), 10, 64)
	members := map[int64]bool{}
	var ids []int64
	for _, v := range f["members"] {
		if id, err := strconv.ParseInt(v, 10, 64); err == nil && !members[id] {
			members[id] = true
			ids = append(ids, id)
		}
	}
	saved, err := s.store.SaveOrgUnit(r.Context(), rc.actor, u, ids)
	if err != nil {
		return s.formFailed(w, r, rc, err, func() error {
			p, perr := s.unitsPlace(r, rc, u.PlaceCode)
			if perr != nil {
				return perr
			}
			return s.showUnits(w, r, rc, unitsPage{Place: p, Unit: u, Members: members}, err)
		})
	}
	s.flashRedirect(w, r, fmt.Sprintf("/org-units?place=%s", saved.PlaceCode), "camp.unit_saved")
	return nil
}
