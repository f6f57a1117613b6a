package httpserver

import (
	"net/http"
	"sort"

	"safetynet/sqlstore"
)

// visitDayCampaigns are the campaigns each household of a visit day may
// be tagged with (the day lists only households the viewer visits).
func (s *Server) visitDayCampaigns(r *http.Request, d sqlstore.Day) map[int64][]sqlstore.CampaignRef {
	var ids []int64
	for _, sec := range d.Sections {
		if sec.Name != "visits" {
			continue
		}
		for _, it := range sec.Items {
			ids = append(ids, it.HouseholdID)
		}
	}
	m, err := s.store.TaggableCampaignsFor(r.Context(), ids)
	if err != nil {
		s.log.Error("campaigns of the visit day", "err", err)
	}
	return m
}

// dayCampaigns are the campaigns each household of a service day may be
// tagged with, and all of them for the service recorded without a plan.
func (s *Server) dayCampaigns(r *http.Request, d sqlstore.ServiceDay) (map[int64][]sqlstore.CampaignRef, []sqlstore.CampaignRef) {
	var ids []int64
	for _, it := range d.Items {
		ids = append(ids, it.HouseholdID)
	}
	for _, h := range d.Households {
		ids = append(ids, h.ID)
	}
	m, err := s.store.TaggableCampaignsFor(r.Context(), ids)
	if err != nil {
		s.log.Error("campaigns of the service day", "err", err)
	}
	var all []sqlstore.CampaignRef
	seen := map[int64]bool{}
	for _, refs := range m {
		for _, c := range refs {
			if !seen[c.ID] {
				seen[c.ID] = true
				all = append(all, c)
			}
		}
	}
	sort.Slice(all, func(i, j int) bool { return all[i].ID > all[j].ID })
	return m, all
}
