package httpserver

import (
	"net/http"
	"time"

	"safetynet"
	"safetynet/inspections"
	"safetynet/sqlstore"
)

// The JSON API of unannounced inspections. Everything here goes through
// the store's secrecy rule: an inspection not yet started answers 404 to
// anyone but its inspectors, exactly as one that does not exist.

type inspectionListJSON struct {
	Items []sqlstore.Inspection `json:"items"`
}

type inspectionInJSON struct {
	ClientID   string  `json:"client_id"`
	Title      string  `json:"title"`
	CampaignID int64   `json:"campaign_id"`
	PlaceCode  string  `json:"place_code"`
	PlannedOn  string  `json:"planned_on"`
	Villages   int     `json:"villages"`
	Households int     `json:"households"`
	Inspectors []int64 `json:"inspectors"`
}

type inspectionOutJSON struct {
	sqlstore.Inspection
	Created bool `json:"created"`
}

type checkInJSON struct {
	ClientID      string               `json:"client_id"`
	SampleID      int64                `json:"sample_id"`
	Found         *bool                `json:"found"`
	Answers       []inspections.Answer `json:"answers"`
	HouseholdSays string               `json:"household_says"`
	Note          string               `json:"note"`
	Photos        []string             `json:"photos"` // data: URLs or base64 of JPEG or PNG
	CheckedAt     string               `json:"checked_at"`
}

type checkOutJSON struct {
	sqlstore.InspectionCheck
	Created bool `json:"created"`
}

type checkListJSON struct {
	Items []sqlstore.InspectionCheck `json:"items"`
}

// apiInspections answers GET /api/v1/inspections?status=.
func (s *Server) apiInspections(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	st := r.URL.Query().Get("status")
	if st != "" && !inspections.Statuses.Valid(st) {
		return safetynet.Invalid("status", "状态无效", "status must be draft, drawn, started or closed")
	}
	l, err := s.store.Inspections(r.Context(), rc.actor, sqlstore.InspectionFilter{Status: st})
	if err != nil {
		return err
	}
	if l == nil {
		l = []sqlstore.Inspection{}
	}
	writeJSON(w, http.StatusOK, inspectionListJSON{Items: l})
	return nil
}

// apiCreateInspection answers POST /api/v1/inspections; a resend of the
// same client_id answers 200 with the inspection already created.
func (s *Server) apiCreateInspection(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	var in inspectionInJSON
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	got, created, err := s.store.CreateInspection(r.Context(), rc.actor, inspections.NewInspection{ClientID: in.ClientID, Title: in.Title,
		CampaignID: in.CampaignID, PlaceCode: in.PlaceCode, PlannedOn: in.PlannedOn, Villages: in.Villages, Households: in.Households,
		InspectorIDs: in.Inspectors})
	if err != nil {
		return err
	}
	status := http.StatusOK
	if created {
		status = http.StatusCreated
	}
	writeJSON(w, status, inspectionOutJSON{Inspection: got, Created: created})
	return nil
}

// apiInspection answers GET /api/v1/inspections/{inspectionID}.
func (s *Server) apiInspection(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "inspectionID")
	if err != nil {
		return err
	}
	v, err := s.store.InspectionByID(r.Context(), rc.actor, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, v)
	return nil
}

// apiInspectionAction answers POST /api/v1/inspections/{inspectionID}/draw,
// /start and /close with {"version": n}; it answers the inspection.
func (s *Server) apiInspectionAction(action string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
		id, err := pathID(r, "inspectionID")
		if err != nil {
			return err
		}
		in := versionJSON{Version: -1}
		if err := decodeJSON(r, &in); err != nil {
			return err
		}
		if in.Version < 0 {
			return errVersionRequired
		}
		switch action {
		case "draw":
			_, err = s.store.DrawInspection(r.Context(), rc.actor, id, in.Version)
		case "start":
			err = s.store.StartInspection(r.Context(), rc.actor, id, in.Version)
		default:
			err = s.store.CloseInspection(r.Context(), rc.actor, id, in.Version)
		}
		if err != nil {
			return err
		}
		v, err := s.store.InspectionByID(r.Context(), rc.actor, id)
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, v)
		return nil
	}
}

// apiRedrawInspection answers GET /api/v1/inspections/{inspectionID}/redraw.
func (s *Server) apiRedrawInspection(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "inspectionID")
	if err != nil {
		return err
	}
	rd, err := s.store.RedrawInspection(r.Context(), rc.actor, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, rd)
	return nil
}

// apiInspectionChecks answers GET /api/v1/inspections/{inspectionID}/checks.
func (s *Server) apiInspectionChecks(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "inspectionID")
	if err != nil {
		return err
	}
	l, err := s.store.ChecksOf(r.Context(), rc.actor, id)
	if err != nil {
		return err
	}
	if l == nil {
		l = []sqlstore.InspectionCheck{}
	}
	writeJSON(w, http.StatusOK, checkListJSON{Items: l})
	return nil
}

// apiInspectionSample answers GET /api/v1/inspection-samples/{sampleID}:
// the household with what the system says about it, and its check.
func (s *Server) apiInspectionSample(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "sampleID")
	if err != nil {
		return err
	}
	d, err := s.store.SampleByID(r.Context(), rc.actor, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, d)
	return nil
}

// apiRecordCheck answers POST /api/v1/inspections/checks. A resend of the
// same client_id answers 200 with the check already recorded, so a phone
// may retry after losing the answer.
func (s *Server) apiRecordCheck(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	var in checkInJSON
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if in.Found == nil {
		return safetynet.Invalid("found", "请说明是否找到该户", "found (true or false) is required")
	}
	nc := inspections.NewCheck{ClientID: in.ClientID, SampleID: in.SampleID, Found: *in.Found, Answers: in.Answers,
		HouseholdSays: in.HouseholdSays, Note: in.Note}
	if in.CheckedAt != "" {
		t, err := time.Parse(time.RFC3339, in.CheckedAt)
		if err != nil {
			return safetynet.Invalid("checked_at", "时间格式应为 RFC 3339", "checked_at must be an RFC 3339 time")
		}
		nc.CheckedAt = t
	}
	if len(in.Photos) > inspections.MaxPhotos {
		return safetynet.Invalid("photos", "照片不能超过4张", "at most 4 photos")
	}
	for _, p := range in.Photos {
		b, err := decodePhoto(p)
		if err != nil {
			return err
		}
		nc.Photos = append(nc.Photos, b)
	}
	c, created, err := s.store.RecordCheck(r.Context(), rc.actor, nc)
	if err != nil {
		return err
	}
	status := http.StatusOK
	if created {
		status = http.StatusCreated
	}
	writeJSON(w, status, checkOutJSON{InspectionCheck: c, Created: created})
	return nil
}
