package httpserver

import (
	"net/http"
	"time"

	"safetynet/sqlstore"
)

// outreachTaskJSON is a policy outreach task (惠民政策宣传).
type outreachTaskJSON struct {
	ID          int64      `json:"id"`
	LineID      int64      `json:"line_id"`
	HouseholdID int64      `json:"household_id"`
	Head        string     `json:"head"`
	PlaceCode   string     `json:"place_code"`
	PlaceName   string     `json:"place_name"`
	Owner       string     `json:"owner"`
	Measure     string     `json:"measure"`
	MeasureName string     `json:"measure_name"`
	Plain       string     `json:"plain"`
	Status      string     `json:"status"`
	Told        bool       `json:"told"`
	WantsApply  bool       `json:"wants_apply"`
	Note        string     `json:"note,omitempty"`
	ToldAt      *time.Time `json:"told_at,omitempty"`
	By          string     `json:"by,omitempty"`
	Version     int        `json:"version"`
}

type outreachListJSON struct {
	Items []outreachTaskJSON `json:"items"`
}

func toOutreachJSON(o sqlstore.OutreachTask, lang string) outreachTaskJSON {
	out := outreachTaskJSON{ID: o.ID, LineID: o.LineID, HouseholdID: o.HouseholdID, Head: o.Name, PlaceCode: o.PlaceCode,
		PlaceName: o.PlaceName, Owner: o.Owner, Measure: o.Measure, MeasureName: o.MeasureEN, Plain: o.PlainEN,
		Status: o.Status, Told: o.Told, WantsApply: o.WantsApply, Note: o.Note, ToldAt: timePtr(o.ToldAt), By: o.By,
		Version: o.Version}
	if lang == "zh" {
		out.MeasureName, out.Plain = o.MeasureZH, o.PlainZH
	}
	return out
}

// apiOutreachTasks answers GET /api/v1/outreach: the caller's tasks (a grid
// worker's: those of the grid), ?status=pending|done.
func (s *Server) apiOutreachTasks(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	tasks, err := s.store.OutreachTasks(r.Context(), rc.actor, r.URL.Query().Get("status"))
	if err != nil {
		return err
	}
	out := outreachListJSON{Items: make([]outreachTaskJSON, 0, len(tasks))}
	for _, o := range tasks {
		out.Items = append(out.Items, toOutreachJSON(o, rc.lang))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// apiRecordOutreach answers POST /api/v1/outreach/{taskID}: the household
// was told, and whether it wants to apply (which notifies village staff).
func (s *Server) apiRecordOutreach(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "taskID")
	if err != nil {
		return err
	}
	var in struct {
		Told       bool   `json:"told"`
		WantsApply bool   `json:"wants_apply"`
		Note       string `json:"note"`
		Version    int    `json:"version"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if err := requireVersion(in.Version); err != nil {
		return err
	}
	if err := s.store.RecordOutreach(r.Context(), rc.actor, id, in.Told, in.WantsApply, in.Note, in.Version); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// outreachCountJSON is the outreach done and pending in one place.
type outreachCountJSON struct {
	PlaceCode  string `json:"place_code"`
	PlaceName  string `json:"place_name"`
	Level      string `json:"level"`
	Pending    int    `json:"pending"`
	Done       int    `json:"done"`
	WantsApply int    `json:"wants_apply"`
}

type outreachCountsJSON struct {
	Items []outreachCountJSON `json:"items"`
}

// apiOutreachCounts answers GET /api/v1/outreach/counts?place=: one row
// per child place (villages, grids) of the place.
func (s *Server) apiOutreachCounts(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	counts, err := s.store.OutreachCounts(r.Context(), rc.actor, r.URL.Query().Get("place"))
	if err != nil {
		return err
	}
	out := outreachCountsJSON{Items: make([]outreachCountJSON, 0, len(counts))}
	for _, c := range counts {
		out.Items = append(out.Items, outreachCountJSON{PlaceCode: c.PlaceCode, PlaceName: c.PlaceName, Level: string(c.Level),
			Pending: c.Pending, Done: c.Done, WantsApply: c.WantsApply})
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}
