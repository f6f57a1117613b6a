package httpserver

import (
	"net/http"
	"time"

	"safetynet/inspections"
	"safetynet/sqlstore"
)

// rectificationJSON is a rectification item.
type rectificationJSON struct {
	ID              int64      `json:"id"`
	InspectionID    int64      `json:"inspection_id"`
	InspectionTitle string     `json:"inspection_title"`
	CheckID         int64      `json:"check_id"`
	HouseholdID     int64      `json:"household_id"`
	Household       string     `json:"household,omitempty"`
	VillageCode     string     `json:"village_code"`
	VillageName     string     `json:"village_name"`
	Item            string     `json:"item"`
	ItemName        string     `json:"item_name"`
	Finding         string     `json:"finding"`
	DueOn           string     `json:"due_on"`
	Status          string     `json:"status"`
	Overdue         bool       `json:"overdue"`
	Report          string     `json:"report,omitempty"`
	HasPhoto        bool       `json:"has_photo"`
	ReportedBy      string     `json:"reported_by,omitempty"`
	ReportedAt      *time.Time `json:"reported_at,omitempty"`
	AcceptedBy      string     `json:"accepted_by,omitempty"`
	AcceptedAt      *time.Time `json:"accepted_at,omitempty"`
	RaisedBy        string     `json:"raised_by"`
	RaisedAt        time.Time  `json:"raised_at"`
	Reopens         int        `json:"reopens"`
	Level           string     `json:"level,omitempty"`
	Owner           string     `json:"owner,omitempty"`
	DeadlineAt      *time.Time `json:"deadline_at,omitempty"`
	Escalations     int        `json:"escalations"`
	Version         int        `json:"version"`
}

type rectificationListJSON struct {
	Items []rectificationJSON `json:"items"`
	Total int                 `json:"total"`
}

type rectifyEventJSON struct {
	Action string    `json:"action"`
	By     string    `json:"by"`
	At     time.Time `json:"at"`
	Text   string    `json:"text,omitempty"`
	DueOn  string    `json:"due_on,omitempty"`
}

type rectificationDetailJSON struct {
	rectificationJSON
	History []rectifyEventJSON `json:"history"`
}

type rectifyRaisedJSON struct {
	ID      int64 `json:"id"`
	Created bool  `json:"created"`
}

func toRectificationJSON(r sqlstore.Rectification, lang string) rectificationJSON {
	return rectificationJSON{ID: r.ID, InspectionID: r.InspectionID, InspectionTitle: r.InspectionTitle, CheckID: r.CheckID,
		HouseholdID: r.HouseholdID, Household: r.HouseholdName, VillageCode: r.Village, VillageName: r.VillageName, Item: r.Item,
		ItemName: inspections.RectifyItemLabel(r.Item, lang), Finding: r.Finding, DueOn: r.DueOn, Status: r.Status, Overdue: r.Overdue,
		Report: r.Report, HasPhoto: r.HasPhoto, ReportedBy: r.ReportedBy, ReportedAt: timePtr(r.ReportedAt), AcceptedBy: r.AcceptedBy, AcceptedAt: timePtr(r.AcceptedAt),
		RaisedBy: r.RaisedBy, RaisedAt: r.RaisedAt, Reopens: r.Reopens, Level: string(r.Level), Owner: r.OwnerName,
		DeadlineAt: timePtr(r.DeadlineAt), Escalations: r.Escalations, Version: r.Version}
}

// apiRectifications answers GET /api/v1/rectifications.
func (s *Server) apiRectifications(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	f, err := rectFilter(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	f.Status, f.Overdue, f.Limit = q.Get("status"), q.Get("overdue") == "true", 100
	l, n, err := s.store.Rectifications(r.Context(), rc.actor, f)
	if err != nil {
		return err
	}
	out := rectificationListJSON{Items: make([]rectificationJSON, 0, len(l)), Total: n}
	for _, x := range l {
		out.Items = append(out.Items, toRectificationJSON(x, rc.lang))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// apiRectification answers GET /api/v1/rectifications/{rectID}.
func (s *Server) apiRectification(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "rectID")
	if err != nil {
		return err
	}
	d, err := s.store.Rectification(r.Context(), rc.actor, id)
	if err != nil {
		return err
	}
	out := rectificationDetailJSON{rectificationJSON: toRectificationJSON(d, rc.lang), History: []rectifyEventJSON{}}
	for _, e := range d.History {
		out.History = append(out.History, rectifyEventJSON{Action: e.Action, By: e.Who, At: e.At, Text: e.Text, DueOn: e.DueOn})
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// apiRaiseRectification answers POST /api/v1/inspections/{inspectionID}/rectifications:
// 201 with the new item, 200 with the one already raised.
func (s *Server) apiRaiseRectification(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "inspectionID")
	if err != nil {
		return err
	}
	var in struct {
		CheckID     int64  `json:"check_id"`
		VillageCode string `json:"village_code"`
		Item        string `json:"item"`
		Finding     string `json:"finding"`
		DueOn       string `json:"due_on"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	rid, created, err := s.store.RaiseRectification(r.Context(), rc.actor, id, sqlstore.RectifyRaise{CheckID: in.CheckID, Village: in.VillageCode,
		Item: in.Item, Finding: in.Finding, DueOn: in.DueOn})
	if err != nil {
		return err
	}
	status := http.StatusOK
	if created {
		status = http.StatusCreated
	}
	writeJSON(w, status, rectifyRaisedJSON{ID: rid, Created: created})
	return nil
}

// apiRectifyAct answers POST /api/v1/rectifications/{rectID}/report,
// /accept and /reopen.
func (s *Server) apiRectifyAct(action string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
		id, err := pathID(r, "rectID")
		if err != nil {
			return err
		}
		var in struct {
			Report  string `json:"report"`
			Photo   string `json:"photo"`
			Reason  string `json:"reason"`
			DueOn   string `json:"due_on"`
			Version int    `json:"version"`
		}
		if err := decodeJSON(r, &in); err != nil {
			return err
		}
		if err := requireVersion(in.Version); err != nil {
			return err
		}
		switch action {
		case inspections.ActReport:
			var photo []byte
			if photo, err = decodePhoto(in.Photo); err == nil {
				err = s.store.ReportRectification(r.Context(), rc.actor, id, in.Report, photo, in.Version)
			}
		case inspections.ActAccept:
			err = s.store.AcceptRectification(r.Context(), rc.actor, id, in.Version)
		default:
			err = s.store.ReopenRectification(r.Context(), rc.actor, id, in.Reason, in.DueOn, in.Version)
		}
		if err != nil {
			return err
		}
		w.WriteHeader(http.StatusNoContent)
		return nil
	}
}
