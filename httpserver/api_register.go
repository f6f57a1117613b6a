package httpserver

import (
	"net/http"
	"strconv"
	"time"

	"safetynet"
	"safetynet/sqlstore"
)

// pathID reads a positive integer path value; anything else is "not found".
func pathID(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, safetynet.NotFound("记录", "record")
	}
	return id, nil
}

// apiHouseholds answers GET /api/v1/households?place=&category=&after=&limit=.
func (s *Server) apiHouseholds(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	q := r.URL.Query()
	after, err := intParam(r, "after", 0)
	if err != nil {
		return err
	}
	limit, err := intParam(r, "limit", 50)
	if err != nil {
		return err
	}
	list, err := s.store.Households(r.Context(), rc.actor, sqlstore.HouseholdFilter{PlaceCode: q.Get("place"),
		Category: q.Get("category"), AfterID: int64(after), Limit: limit, Colour: q.Get("colour")})
	if err != nil {
		return err
	}
	out := make([]householdJSON, 0, len(list))
	for _, h := range list {
		out = append(out, toHouseholdJSON(h, rc.lang))
	}
	if err := s.addColours(r.Context(), rc, out); err != nil { // api_colours.go
		return err
	}
	resp := householdListJSON{Households: out}
	if len(list) > 0 && len(list) == max(min(limit, 500), 1) {
		resp.NextAfter = list[len(list)-1].ID
	}
	writeJSON(w, http.StatusOK, resp)
	return nil
}

type householdCreateJSON struct {
	householdInputJSON
	Head personInputJSON `json:"head"`
}

// apiCreateHousehold answers POST /api/v1/households: a household with its head.
func (s *Server) apiCreateHousehold(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	var in householdCreateJSON
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	hh, err := in.householdInputJSON.input()
	if err != nil {
		return err
	}
	head, err := in.Head.input()
	if err != nil {
		return err
	}
	id, err := s.store.CreateHousehold(r.Context(), rc.actor, hh, head)
	if err != nil {
		return err
	}
	return s.writeHousehold(w, r, rc, id, http.StatusCreated)
}

func (s *Server) writeHousehold(w http.ResponseWriter, r *http.Request, rc *reqCtx, id int64, status int) error {
	v, err := s.store.HouseholdView(r.Context(), rc.actor, id)
	if err != nil {
		return err
	}
	if status == http.StatusCreated {
		w.Header().Set("Location", "/api/v1/households/"+strconv.FormatInt(id, 10))
	}
	j := toHouseholdViewJSON(v, rc.lang)
	hs := []householdJSON{j.Household}
	if err := s.addColours(r.Context(), rc, hs); err != nil { // api_colours.go
		return err
	}
	j.Household = hs[0]
	writeJSON(w, status, j)
	return nil
}

// apiHousehold answers GET /api/v1/households/{householdID}.
func (s *Server) apiHousehold(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "householdID")
	if err != nil {
		return err
	}
	return s.writeHousehold(w, r, rc, id, http.StatusOK)
}

type householdPatchJSON struct {
	householdInputJSON
	Version int `json:"version"`
}

// apiUpdateHousehold answers PATCH /api/v1/households/{householdID}.
func (s *Server) apiUpdateHousehold(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "householdID")
	if err != nil {
		return err
	}
	var in householdPatchJSON
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if err := requireVersion(in.Version); err != nil {
		return err
	}
	p, err := in.patch()
	if err != nil {
		return err
	}
	if err := s.store.UpdateHousehold(r.Context(), rc.actor, id, p, in.Version); err != nil {
		return err
	}
	return s.writeHousehold(w, r, rc, id, http.StatusOK)
}

var errVersionRequired = safetynet.Invalid("version", "需要提供当前版本号 version", "version is required: send the version you last read")

// apiAddMember answers POST /api/v1/households/{householdID}/members.
func (s *Server) apiAddMember(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "householdID")
	if err != nil {
		return err
	}
	var in personInputJSON
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	p, err := in.input()
	if err != nil {
		return err
	}
	pid, err := s.store.AddPerson(r.Context(), rc.actor, id, p)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/persons/"+strconv.FormatInt(pid, 10))
	return s.writePerson(w, r, rc, pid, http.StatusCreated)
}

func (s *Server) writePerson(w http.ResponseWriter, r *http.Request, rc *reqCtx, id int64, status int) error {
	v, err := s.store.PersonView(r.Context(), rc.actor, id)
	if err != nil {
		return err
	}
	writeJSON(w, status, toPersonViewJSON(v, rc.lang))
	return nil
}

// apiPerson answers GET /api/v1/persons/{personID}: the person's file.
func (s *Server) apiPerson(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "personID")
	if err != nil {
		return err
	}
	return s.writePerson(w, r, rc, id, http.StatusOK)
}

type personPatchJSON struct {
	personInputJSON
	Version int `json:"version"`
}

// apiUpdatePerson answers PATCH /api/v1/persons/{personID}.
func (s *Server) apiUpdatePerson(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "personID")
	if err != nil {
		return err
	}
	var in personPatchJSON
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if err := requireVersion(in.Version); err != nil {
		return err
	}
	p, err := in.patch()
	if err != nil {
		return err
	}
	if err := s.store.UpdatePerson(r.Context(), rc.actor, id, p, in.Version); err != nil {
		return err
	}
	return s.writePerson(w, r, rc, id, http.StatusOK)
}

type statusJSON struct {
	Status  string `json:"status"`
	Date    string `json:"date"`
	Note    string `json:"note"`
	NewHead int64  `json:"new_head"`
	Version int    `json:"version"`
}

// apiPersonStatus answers POST /api/v1/persons/{personID}/status: a death
// or a departure.
func (s *Server) apiPersonStatus(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "personID")
	if err != nil {
		return err
	}
	var in statusJSON
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if err := requireVersion(in.Version); err != nil {
		return err
	}
	date, err := dateParam(in.Date, "date")
	if err != nil {
		return err
	}
	if err := s.store.SetPersonStatus(r.Context(), rc.actor, id, sqlstore.StatusChange{Status: in.Status, Date: date, Note: in.Note,
		NewHead: in.NewHead, Version: in.Version}); err != nil {
		return err
	}
	return s.writePerson(w, r, rc, id, http.StatusOK)
}

// dateParam parses a required date of a request body.
func dateParam(v, field string) (time.Time, error) {
	t, err := time.Parse("2006-01-02", v)
	if err != nil {
		return t, safetynet.Invalid(field, "日期格式应为 2006-01-02", "%s must be a date like 2006-01-02", field)
	}
	return t, nil
}

// optionalDate parses an optional date; empty gives the zero time.
func optionalDate(v, field string) (time.Time, error) {
	if v == "" {
		return time.Time{}, nil
	}
	return dateParam(v, field)
}

type revealJSON struct {
	Field string `json:"field"`
}

// apiRevealPerson answers POST /api/v1/persons/{personID}/reveal with the
// full ID or phone number; the reveal is audited.
func (s *Server) apiRevealPerson(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "personID")
	if err != nil {
		return err
	}
	var in revealJSON
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	v, err := s.store.RevealPerson(r.Context(), rc.actor, id, sqlstore.RevealField(in.Field))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, revealedJSON{Field: in.Field, Value: v})
	return nil
}

// apiRevealHousehold answers POST /api/v1/households/{householdID}/reveal
// with the household's full phone number; audited.
func (s *Server) apiRevealHousehold(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "householdID")
	if err != nil {
		return err
	}
	var in revealJSON
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if in.Field != "phone" {
		return safetynet.Invalid("field", "家庭只能查看电话", "a household has only its phone to reveal")
	}
	v, err := s.store.RevealHousehold(r.Context(), rc.actor, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, revealedJSON{Field: in.Field, Value: v})
	return nil
}

// apiSearch answers GET /api/v1/search?q=: name, ID number, phone or address.
func (s *Server) apiSearch(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	limit, err := intParam(r, "limit", 50)
	if err != nil {
		return err
	}
	hits, err := s.store.Search(r.Context(), rc.actor, r.URL.Query().Get("q"), limit)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toSearchResultsJSON(hits, rc.lang))
	return nil
}
