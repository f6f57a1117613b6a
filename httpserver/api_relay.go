package httpserver

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"safetynet"
	"safetynet/sqlstore"
)

type clueInJSON struct {
	ClientID    string   `json:"client_id"`
	Source      string   `json:"source"`
	HouseholdID int64    `json:"household_id"`
	PersonID    int64    `json:"person_id"`
	Name        string   `json:"name"`
	PlaceCode   string   `json:"place_code"`
	Kinds       []string `json:"kinds"`
	Urgency     string   `json:"urgency"`
	Note        string   `json:"note"`
	ReportedAt  string   `json:"reported_at"`
	Photo       string   `json:"photo"` // a data: URL or base64 of a JPEG or PNG
}

// decodePhoto reads a photo sent as a data URL or plain base64.
func decodePhoto(s string) ([]byte, error) {
	if s == "" {
		return nil, nil
	}
	if i := strings.Index(s, ";base64,"); strings.HasPrefix(s, "data:") && i > 0 {
		s = s[i+len(";base64,"):]
	}
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return nil, safetynet.Invalid("photo", "照片格式无效", "the photo must be a JPEG or PNG in base64")
	}
	if ct := http.DetectContentType(b); ct != "image/jpeg" && ct != "image/png" {
		return nil, safetynet.Invalid("photo", "照片只能是 JPEG 或 PNG", "the photo must be a JPEG or PNG")
	}
	return b, nil
}

func (j clueInJSON) clue() (safetynet.NewClue, error) {
	c := safetynet.NewClue{ClientID: j.ClientID, Source: j.Source, HouseholdID: j.HouseholdID, PersonID: j.PersonID, Name: j.Name,
		PlaceCode: j.PlaceCode, Kinds: j.Kinds, Urgency: j.Urgency, Note: j.Note}
	if j.ReportedAt != "" {
		t, err := time.Parse(time.RFC3339, j.ReportedAt)
		if err != nil {
			return c, safetynet.Invalid("reported_at", "时间格式应为 RFC 3339", "reported_at must be an RFC 3339 time")
		}
		c.ReportedAt = t
	}
	var err error
	c.Photo, err = decodePhoto(j.Photo)
	return c, err
}

// apiReportClue answers POST /api/v1/clues. A resend of the same
// client_id answers 200 with the clue already recorded, so a phone may
// retry after losing the answer.
func (s *Server) apiReportClue(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	var in clueInJSON
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	nc, err := in.clue()
	if err != nil {
		return err
	}
	c, created, err := s.store.ReportClue(r.Context(), rc.actor, nc)
	if err != nil {
		return err
	}
	status := http.StatusOK
	if created {
		status = http.StatusCreated
		w.Header().Set("Location", fmt.Sprintf("/api/v1/clues/%d", c.ID))
	}
	writeJSON(w, status, toClueJSON(c))
	return nil
}

// apiClues answers GET /api/v1/clues?status=&place=&before=&limit=.
func (s *Server) apiClues(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	before, err := intParam(r, "before", 0)
	if err != nil {
		return err
	}
	limit, err := intParam(r, "limit", 50)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	list, err := s.store.Clues(r.Context(), rc.actor, sqlstore.ClueFilter{Status: q.Get("status"), Place: q.Get("place"), AfterID: int64(before), Limit: limit})
	if err != nil {
		return err
	}
	out := make([]clueJSON, 0, len(list))
	for _, c := range list {
		out = append(out, toClueJSON(c))
	}
	writeJSON(w, http.StatusOK, clueListJSON{Clues: out})
	return nil
}

// apiClue answers GET /api/v1/clues/{clueID}: the clue, its visits, its
// open steps and its timeline.
func (s *Server) apiClue(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "clueID")
	if err != nil {
		return err
	}
	v, err := s.store.ClueView(r.Context(), rc.actor, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toClueViewJSON(v))
	return nil
}

// cluePhoto answers GET …/clues/{clueID}/photo.
func (s *Server) cluePhoto(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "clueID")
	if err != nil {
		return err
	}
	b, err := s.store.CluePhoto(r.Context(), rc.actor, id)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", http.DetectContentType(b))
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.Write(b)
	return nil
}

type versionJSON struct {
	Version int `json:"version"`
}

// apiAcknowledge answers POST /api/v1/clues/{clueID}/acknowledge.
func (s *Server) apiAcknowledge(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "clueID")
	if err != nil {
		return err
	}
	var in versionJSON
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if err := requireVersion(in.Version); err != nil {
		return err
	}
	if err := s.store.AcknowledgeClue(r.Context(), rc.actor, id, in.Version); err != nil {
		return err
	}
	c, err := s.store.Clue(r.Context(), rc.actor, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toClueJSON(c))
	return nil
}

type verifyJSON struct {
	VisitedAt string            `json:"visited_at"`
	Checklist map[string]string `json:"checklist"`
	Risks     []string          `json:"risks"`
	Decision  string            `json:"decision"`
	Note      string            `json:"note"`
	Version   int               `json:"version"`
}

// apiVerify answers POST /api/v1/clues/{clueID}/verify: the home visit and
// its decision; a case opened by it is in the answer.
func (s *Server) apiVerify(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "clueID")
	if err != nil {
		return err
	}
	var in verifyJSON
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if err := requireVersion(in.Version); err != nil {
		return err
	}
	v := sqlstore.Verification{Checklist: in.Checklist, Risks: in.Risks, Decision: in.Decision, Note: in.Note}
	if in.VisitedAt != "" {
		if v.VisitedAt, err = time.Parse(time.RFC3339, in.VisitedAt); err != nil {
			return safetynet.Invalid("visited_at", "时间格式应为 RFC 3339", "visited_at must be an RFC 3339 time")
		}
	}
	caseID, err := s.store.VerifyClue(r.Context(), rc.actor, id, v, in.Version)
	if err != nil {
		return err
	}
	c, err := s.store.Clue(r.Context(), rc.actor, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, verifyResultJSON{Clue: toClueJSON(c), CaseID: caseID})
	return nil
}

// apiWork answers GET /api/v1/work?mine=true&overdue=true&place=&offset=:
// open steps, the soonest deadline first.
func (s *Server) apiWork(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	mine, err := boolParam(r, "mine")
	if err != nil {
		return err
	}
	overdue, err := boolParam(r, "overdue")
	if err != nil {
		return err
	}
	offset, err := intParam(r, "offset", 0)
	if err != nil {
		return err
	}
	limit, err := intParam(r, "limit", 100)
	if err != nil {
		return err
	}
	items, total, err := s.store.WorkList(r.Context(), rc.actor, sqlstore.WorkFilter{Mine: mine, Overdue: overdue,
		Place: r.URL.Query().Get("place"), Offset: offset, Limit: limit})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toWorkListJSON(items, total))
	return nil
}
