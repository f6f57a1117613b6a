package httpserver

import (
	"bytes"
	"io"
	"net/http"
	"time"

	"safetynet/sqlstore"
)

// screeningLineJSON is one line of the 应享未享 (eligible) or 应退未退
// (exit) list.
type screeningLineJSON struct {
	ID          int64      `json:"id"`
	List        string     `json:"list"`
	Measure     string     `json:"measure"`
	MeasureName string     `json:"measure_name"`
	HouseholdID int64      `json:"household_id"`
	Head        string     `json:"head"`
	PlaceCode   string     `json:"place_code"`
	PlaceName   string     `json:"place_name"`
	RuleID      int64      `json:"rule_id"`
	RuleName    string     `json:"rule_name"`
	RuleVersion int        `json:"rule_version"`
	Explanation string     `json:"explanation"`
	Status      string     `json:"status"`
	Reason      string     `json:"reason,omitempty"`
	Note        string     `json:"note,omitempty"`
	By          string     `json:"by,omitempty"`
	At          *time.Time `json:"at,omitempty"`
	CaseID      int64      `json:"case_id,omitempty"`
	Since       time.Time  `json:"since"`
	Outreach    string     `json:"outreach,omitempty"`
	Version     int        `json:"version"`
}

type screeningListJSON struct {
	Items []screeningLineJSON `json:"items"`
}

func toScreeningLineJSON(l sqlstore.ListLine, lang string) screeningLineJSON {
	out := screeningLineJSON{ID: l.ID, List: l.List, Measure: l.Measure, MeasureName: l.MeasureEN, HouseholdID: l.HouseholdID,
		Head: l.Name, PlaceCode: l.PlaceCode, PlaceName: l.PlaceName, RuleID: l.RuleID, RuleName: l.RuleName,
		RuleVersion: l.RuleVersion, Explanation: l.ExplainEN, Status: l.Status, Reason: l.Reason, Note: l.Note, By: l.By,
		At: timePtr(l.At), CaseID: l.CaseID, Since: l.Since, Outreach: l.Outreach, Version: l.Version}
	if lang == "zh" {
		out.MeasureName, out.Explanation = l.MeasureZH, l.ExplainZH
	}
	return out
}

// apiScreeningLines answers GET /api/v1/screening/lines: the lines of a
// place of the caller's scope, filtered by list, measure and status.
func (s *Server) apiScreeningLines(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	q := r.URL.Query()
	f := sqlstore.ListFilter{Place: q.Get("place"), List: q.Get("list"), Measure: q.Get("measure"), Status: q.Get("status")}
	var err error
	if f.Limit, err = queryLimit(r, 0, 1000, 0); err != nil {
		return err
	}
	lines, err := s.store.ScreeningList(r.Context(), rc.actor, f)
	if err != nil {
		return err
	}
	out := screeningListJSON{Items: make([]screeningLineJSON, 0, len(lines))}
	for _, l := range lines {
		out.Items = append(out.Items, toScreeningLineJSON(l, rc.lang))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// apiDismissLine answers POST /api/v1/screening/lines/{lineID}/dismiss.
func (s *Server) apiDismissLine(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "lineID")
	if err != nil {
		return err
	}
	var in struct {
		Reason  string `json:"reason"`
		Note    string `json:"note"`
		Version int    `json:"version"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if err := requireVersion(in.Version); err != nil {
		return err
	}
	if err := s.store.DismissLine(r.Context(), rc.actor, id, in.Reason, in.Note, in.Version); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// startedJSON names the case and the application a line started.
type startedJSON struct {
	CaseID        int64 `json:"case_id"`
	ApplicationID int64 `json:"application_id"`
}

// apiApplyLine answers POST /api/v1/screening/lines/{lineID}/apply: the
// application for the line's measure, in a case of the relay.
func (s *Server) apiApplyLine(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "lineID")
	if err != nil {
		return err
	}
	// Nothing is needed: an empty body is as good as {}.
	if err := decodeOptionalJSON(r, &struct{}{}); err != nil {
		return err
	}
	caseID, itemID, err := s.store.StartApplication(r.Context(), rc.actor, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, startedJSON{CaseID: caseID, ApplicationID: itemID})
	return nil
}

// apiFollowupLine answers POST /api/v1/screening/lines/{lineID}/followup:
// an exit line marked for continued follow-up; payment is not stopped.
func (s *Server) apiFollowupLine(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "lineID")
	if err != nil {
		return err
	}
	var in struct {
		Note    string `json:"note"`
		Version int    `json:"version"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if err := requireVersion(in.Version); err != nil {
		return err
	}
	if err := s.store.MarkContinuedFollowup(r.Context(), rc.actor, id, in.Note, in.Version); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// decodeOptionalJSON decodes a body that may be left out: an empty body
// (or only white space) leaves dst as it is, anything else must be JSON.
func decodeOptionalJSON(r *http.Request, dst any) error {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return jsonError(err)
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return nil
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	return decodeJSON(r, dst)
}
