package httpserver

import (
	"net/http"

	"safetynet/sqlstore"
)

// The campaign's goals, lists, typical cases and report as JSON; the
// report also as .xlsx.

func (s *Server) apiCampaignGoals(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "campaignID")
	if err != nil {
		return err
	}
	g, err := s.store.GoalsOf(r.Context(), rc.actor, id, r.URL.Query().Get("place"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, g)
	return nil
}

func (s *Server) apiGoalList(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "campaignID")
	if err != nil {
		return err
	}
	goal, err := pathID(r, "goalID")
	if err != nil {
		return err
	}
	q := r.URL.Query()
	l, err := s.store.GoalListOf(r.Context(), rc.actor, id, goal, q.Get("place"), q.Get("which"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, l)
	return nil
}

// campaignExamplesJSON is the typical cases of a campaign.
type campaignExamplesJSON struct {
	Campaign sqlstore.GoalCampaign      `json:"campaign"`
	Examples []sqlstore.CampaignExample `json:"examples"`
}

func (s *Server) apiCampaignExamples(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "campaignID")
	if err != nil {
		return err
	}
	c, ex, err := s.store.CampaignExamples(r.Context(), rc.actor, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, campaignExamplesJSON{Campaign: c, Examples: ex})
	return nil
}

func (s *Server) apiExampleCandidates(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "campaignID")
	if err != nil {
		return err
	}
	cs, err := s.store.ExampleCandidates(r.Context(), rc.actor, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, cs)
	return nil
}

func (s *Server) apiMarkExample(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "campaignID")
	if err != nil {
		return err
	}
	var in sqlstore.NewExample
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	e, err := s.store.MarkExample(r.Context(), rc.actor, id, in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, e)
	return nil
}

func (s *Server) apiRemoveExample(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "campaignID")
	if err != nil {
		return err
	}
	ex, err := pathID(r, "exampleID")
	if err != nil {
		return err
	}
	if err := s.store.RemoveExample(r.Context(), rc.actor, id, ex); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) apiCampaignReport(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "campaignID")
	if err != nil {
		return err
	}
	rep, err := s.store.CampaignReportOf(r.Context(), rc.actor, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, rep)
	return nil
}
