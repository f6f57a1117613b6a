package httpserver

import (
	"io"
	"mime"
	"net/http"
	"strconv"
	"time"

	"safetynet"
	"safetynet/access"
	"safetynet/divisions"
)

type placeJSON struct {
	Code       string      `json:"code"`
	Name       string      `json:"name"`
	Level      string      `json:"level"`
	ParentCode string      `json:"parent_code,omitempty"`
	Version    int         `json:"version"`
	Children   int         `json:"children_count"`
	CreatedAt  *time.Time  `json:"created_at,omitempty"`
	UpdatedAt  *time.Time  `json:"updated_at,omitempty"`
	Path       []placeRef  `json:"path,omitempty"`
	ChildList  []placeJSON `json:"children,omitempty"`
}

type placeRef struct {
	Code  string `json:"code"`
	Name  string `json:"name"`
	Level string `json:"level"`
}

func toPlaceJSON(p safetynet.Place) placeJSON {
	return placeJSON{Code: p.Code, Name: p.Name, Level: string(p.Level), ParentCode: p.ParentCode, Version: p.Version,
		Children: p.Children, CreatedAt: timePtr(p.CreatedAt), UpdatedAt: timePtr(p.UpdatedAt)}
}

func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

// apiPlace answers GET /api/v1/places/{code}: the place, the path from
// the caller's scope root to it, and its children.
func (s *Server) apiPlace(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	code := r.PathValue("code")
	p, err := s.store.Place(r.Context(), rc.actor, code)
	if err != nil {
		return err
	}
	kids, err := s.store.PlaceChildren(r.Context(), rc.actor, code)
	if err != nil {
		return err
	}
	path, err := s.store.PlacePath(r.Context(), rc.actor, code)
	if err != nil {
		return err
	}
	out := toPlaceJSON(p)
	out.ChildList = make([]placeJSON, 0, len(kids))
	for _, k := range kids {
		out.ChildList = append(out.ChildList, toPlaceJSON(k))
	}
	for _, a := range path {
		out.Path = append(out.Path, placeRef{Code: a.Code, Name: a.Name, Level: string(a.Level)})
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// apiPlaces answers GET /api/v1/places: with ?q= a search of the caller's
// scope, without it the root of the caller's scope.
func (s *Server) apiPlaces(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	q := r.URL.Query().Get("q")
	if q == "" {
		p, err := s.store.Place(r.Context(), rc.actor, rc.actor.Place)
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, placeListJSON{Places: []placeJSON{toPlaceJSON(p)}})
		return nil
	}
	limit, err := intParam(r, "limit", 50)
	if err != nil {
		return err
	}
	found, err := s.store.SearchPlaces(r.Context(), rc.actor, q, limit)
	if err != nil {
		return err
	}
	out := make([]placeJSON, 0, len(found))
	for _, p := range found {
		out = append(out, toPlaceJSON(p))
	}
	writeJSON(w, http.StatusOK, placeListJSON{Places: out})
	return nil
}

type placeCreateJSON struct {
	Code       string `json:"code"`
	Name       string `json:"name"`
	Level      string `json:"level"`
	ParentCode string `json:"parent_code"`
}

// apiCreatePlace answers POST /api/v1/places.
func (s *Server) apiCreatePlace(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	var in placeCreateJSON
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	p, err := s.store.CreatePlace(r.Context(), rc.actor, safetynet.PlaceInput{
		Code: in.Code, Name: in.Name, Level: safetynet.Level(in.Level), ParentCode: in.ParentCode})
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/places/"+p.Code)
	writeJSON(w, http.StatusCreated, toPlaceJSON(p))
	return nil
}

type placeUpdateJSON struct {
	Name       *string `json:"name"`
	ParentCode *string `json:"parent_code"`
	Version    int     `json:"version"`
}

// apiUpdatePlace answers PATCH /api/v1/places/{code}: rename or move.
func (s *Server) apiUpdatePlace(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	var in placeUpdateJSON
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if err := requireVersion(in.Version); err != nil {
		return err
	}
	p, err := s.store.UpdatePlace(r.Context(), rc.actor, r.PathValue("code"),
		safetynet.PlaceUpdate{Name: in.Name, ParentCode: in.ParentCode, Version: in.Version})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toPlaceJSON(p))
	return nil
}

type importReportJSON struct {
	DryRun    bool             `json:"dry_run"`
	Rows      int              `json:"rows"`
	Created   int              `json:"created"`
	Updated   int              `json:"updated"`
	Unchanged int              `json:"unchanged"`
	Errors    []rowErrorJSON   `json:"errors"`
	Error     *errorDetailJSON `json:"error,omitempty"`
}

type rowErrorJSON struct {
	Row     int    `json:"row"`
	Field   string `json:"field,omitempty"`
	Message string `json:"message"`
}

// apiImportPlaces answers POST /api/v1/places/import: the body is the CSV
// (text/csv) and ?dry_run=true checks without saving. A file with errors
// answers 422 with every error, and nothing is saved.
func (s *Server) apiImportPlaces(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	dry, err := boolParam(r, "dry_run")
	if err != nil {
		return err
	}
	var body io.Reader = r.Body
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt == "multipart/form-data" {
		f, _, err := uploadedFile(r, "file")
		if err != nil {
			return err
		}
		defer f.Close()
		body = f
	}
	rep, err := s.importPlaces(r, rc, body, dry)
	out := importReportJSON{DryRun: rep.DryRun, Rows: rep.Rows, Created: rep.Created, Updated: rep.Updated,
		Unchanged: rep.Unchanged, Errors: make([]rowErrorJSON, 0, len(rep.Errors))}
	for _, e := range rep.Errors {
		out.Errors = append(out.Errors, rowErrorJSON{Row: e.Row, Field: e.Field, Message: e.Message(rc.lang)})
	}
	if err != nil && len(rep.Errors) == 0 {
		return err
	}
	status := http.StatusOK
	if err != nil {
		e := s.publicError(r, err)
		d := errorDetail(e, rc.lang)
		out.Error = &d
		status = http.StatusUnprocessableEntity
	}
	writeJSON(w, status, out)
	return nil
}

// importPlaces parses a division CSV and imports it. Rows that cannot be
// parsed are reported without consulting the database: checks against
// the hierarchy would only repeat them as missing parents.
func (s *Server) importPlaces(r *http.Request, rc *reqCtx, body io.Reader, dry bool) (safetynet.ImportReport, error) {
	if err := rc.actor.Require(access.PlaceManage); err != nil {
		return safetynet.ImportReport{DryRun: dry}, err
	}
	rows, rowErrs, err := divisions.Parse(body)
	if err != nil {
		return safetynet.ImportReport{DryRun: dry}, err
	}
	if len(rowErrs) > 0 {
		rep := safetynet.ImportReport{DryRun: dry, Rows: len(rows) + len(rowErrs), Errors: rowErrs}
		return rep, safetynet.Invalid("file", "文件中有%d处错误，未做任何更改", "the file has %d errors; nothing was changed", len(rowErrs))
	}
	return s.store.ImportPlaces(r.Context(), rc.actor, rows, dry)
}

func intParam(r *http.Request, name string, def int) (int, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, safetynet.Invalid(name, "参数 %s 应为非负整数", "parameter %s must be a non-negative integer", name)
	}
	return n, nil
}

func boolParam(r *http.Request, name string) (bool, error) {
	switch r.URL.Query().Get(name) {
	case "", "0", "false":
		return false, nil
	case "1", "true":
		return true, nil
	}
	return false, safetynet.Invalid(name, "参数 %s 应为 true 或 false", "parameter %s must be true or false", name)
}
