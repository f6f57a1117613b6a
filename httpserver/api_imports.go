package httpserver

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"safetynet"
	"safetynet/access"
	"safetynet/ledger"
	"safetynet/sqlstore"
)

type importJSON struct {
	ID        int64            `json:"id"`
	FileName  string           `json:"file_name"`
	SHA256    string           `json:"sha256"`
	Size      int              `json:"size"`
	Status    string           `json:"status"`
	Username  string           `json:"username"`
	CreatedAt time.Time        `json:"created_at"`
	UpdatedAt time.Time        `json:"updated_at"`
	Header    []string         `json:"header,omitempty"`
	Mapping   map[string]int   `json:"mapping,omitempty"`
	Default   string           `json:"default_place,omitempty"`
	Missing   []string         `json:"missing,omitempty"`
	Report    *ledgerReportOut `json:"report,omitempty"`
	Error     *errorDetailJSON `json:"error,omitempty"`
}

type ledgerReportOut struct {
	DryRun     bool            `json:"dry_run"`
	Rows       int             `json:"rows"`
	Households countsJSON      `json:"households"`
	Persons    countsJSON      `json:"persons"`
	Categories int             `json:"categories_added"`
	Changes    []rowChangeJSON `json:"changes"`
	Errors     []rowErrorJSON  `json:"errors"`
}

func toReportOut(rep safetynet.LedgerReport, lang string) *ledgerReportOut {
	out := &ledgerReportOut{DryRun: rep.DryRun, Rows: rep.Rows, Households: toCountsJSON(rep.Households), Persons: toCountsJSON(rep.Persons),
		Categories: rep.Categories, Changes: []rowChangeJSON{}, Errors: []rowErrorJSON{}}
	for _, c := range rep.Changes {
		out.Changes = append(out.Changes, rowChangeJSON{Row: c.Row, Name: c.Name, Fields: orEmpty(c.Fields)})
	}
	for _, e := range rep.Errors {
		out.Errors = append(out.Errors, rowErrorJSON{Row: e.Row, Field: e.Field, Message: e.Message(lang)})
	}
	return out
}

func toImportJSON(im sqlstore.ImportRecord, run *ledgerRun, runErr error, r *http.Request, s *Server, lang string) importJSON {
	j := importJSON{ID: im.ID, FileName: im.FileName, SHA256: im.SHA256, Size: im.Size, Status: im.Status, Username: im.Username,
		CreatedAt: im.CreatedAt, UpdatedAt: im.UpdatedAt}
	if run != nil {
		if run.Sheet != nil {
			j.Header = run.Sheet.Header
		}
		j.Mapping = map[string]int{}
		for f, c := range run.Settings.Mapping {
			j.Mapping[string(f)] = c
		}
		j.Default = run.Settings.DefaultPlace
		for _, f := range run.Missing {
			j.Missing = append(j.Missing, string(f))
		}
		if runErr == nil {
			j.Report = toReportOut(run.Report, lang)
		}
	}
	if runErr != nil {
		e := s.publicError(r, runErr)
		d := errorDetail(e, lang)
		j.Error = &d
	}
	return j
}

// uploadBody returns an uploaded file: the "file" field of a multipart
// form, or the raw body named by ?filename=.
func uploadBody(r *http.Request) (name string, data []byte, err error) {
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt == "multipart/form-data" {
		f, name, err := uploadedFile(r, "file")
		if err != nil {
			return "", nil, err
		}
		defer f.Close()
		data, err = io.ReadAll(f)
		return name, data, err
	}
	name = r.URL.Query().Get("filename")
	if name == "" {
		return "", nil, safetynet.Invalid("filename", "请用 ?filename= 给出文件名（.xlsx 或 .csv）", "name the file with ?filename= (.xlsx or .csv)")
	}
	data, err = io.ReadAll(r.Body)
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return "", nil, errTooLarge
	}
	return name, data, err
}

// apiCreateImport answers POST /api/v1/imports: the ledger is stored and
// checked in a dry run, whose report comes back.
func (s *Server) apiCreateImport(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	if err := rc.actor.Require(access.RegisterImport); err != nil {
		return err
	}
	name, data, err := uploadBody(r)
	if err != nil {
		return err
	}
	im, err := s.store.CreateImport(r.Context(), rc.actor, "ledger", name, data)
	if err != nil {
		return err
	}
	set := &importSettings{DefaultPlace: r.FormValue("default_place")}
	run, err := s.preview(r.Context(), rc.actor, im, set)
	if err != nil && safetynet.AsError(err) == nil {
		return err
	}
	im, _ = s.store.Import(r.Context(), rc.actor, im.ID)
	w.Header().Set("Location", fmt.Sprintf("/api/v1/imports/%d", im.ID))
	writeJSON(w, http.StatusCreated, toImportJSON(im, &run, err, r, s, rc.lang))
	return nil
}

// apiImports answers GET /api/v1/imports.
func (s *Server) apiImports(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	list, err := s.store.Imports(r.Context(), rc.actor, 100)
	if err != nil {
		return err
	}
	out := make([]importJSON, 0, len(list))
	for _, im := range list {
		out = append(out, toImportJSON(im, nil, nil, r, s, rc.lang))
	}
	writeJSON(w, http.StatusOK, importListJSON{Imports: out})
	return nil
}

// apiImport answers GET /api/v1/imports/{importID} with its last report.
func (s *Server) apiImport(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "importID")
	if err != nil {
		return err
	}
	im, err := s.store.Import(r.Context(), rc.actor, id)
	if err != nil {
		return err
	}
	j := toImportJSON(im, nil, nil, r, s, rc.lang)
	var rep safetynet.LedgerReport
	if jsonUnmarshal(im.Report, &rep) == nil && rep.Rows > 0 {
		j.Report = toReportOut(rep, rc.lang)
	}
	writeJSON(w, http.StatusOK, j)
	return nil
}

type previewJSON struct {
	Mapping      map[string]int `json:"mapping"`
	DefaultPlace string         `json:"default_place"`
}

// apiPreviewImport answers POST /api/v1/imports/{importID}/preview: a new
// dry run with a corrected mapping ({field: column index}) or default place.
func (s *Server) apiPreviewImport(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "importID")
	if err != nil {
		return err
	}
	var in previewJSON
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	im, err := s.store.Import(r.Context(), rc.actor, id)
	if err != nil {
		return err
	}
	set := &importSettings{DefaultPlace: in.DefaultPlace}
	if in.Mapping != nil {
		values := map[string]string{}
		for f, c := range in.Mapping {
			values[f] = strconv.Itoa(c)
		}
		m, err := ledger.ParseMapping(values, nil)
		if err != nil {
			return err
		}
		set.Mapping = m
	}
	run, err := s.preview(r.Context(), rc.actor, im, set)
	if err != nil && safetynet.AsError(err) == nil {
		return err
	}
	im, _ = s.store.Import(r.Context(), rc.actor, id)
	writeJSON(w, http.StatusOK, toImportJSON(im, &run, err, r, s, rc.lang))
	return nil
}

// apiCommitImport answers POST /api/v1/imports/{importID}/commit. A file
// with errors answers 422 with them; nothing is saved.
func (s *Server) apiCommitImport(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "importID")
	if err != nil {
		return err
	}
	run, err := s.commitImport(r.Context(), rc.actor, id)
	if err != nil && (safetynet.AsError(err) == nil || len(run.Report.Errors) == 0) {
		return err
	}
	im, _ := s.store.Import(r.Context(), rc.actor, id)
	j := toImportJSON(im, &run, nil, r, s, rc.lang)
	status := http.StatusOK
	if err != nil {
		e := s.publicError(r, err)
		d := errorDetail(e, rc.lang)
		j.Error = &d
		status = http.StatusUnprocessableEntity
	}
	writeJSON(w, status, j)
	return nil
}

// importErrors answers GET …/imports/{importID}/errors.xlsx: the rejected
// rows with their reasons and original cells (numbers masked).
func (s *Server) importErrors(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "importID")
	if err != nil {
		return err
	}
	im, err := s.store.Import(r.Context(), rc.actor, id)
	if err != nil {
		return err
	}
	var rep safetynet.LedgerReport
	_ = jsonUnmarshal(im.Report, &rep)
	data, err := s.store.ImportFile(r.Context(), rc.actor, id)
	if err != nil {
		return err
	}
	sheet, _ := ledger.Read(im.FileName, data)
	var buf bytes.Buffer
	if err := ledger.WriteErrorReport(&buf, rep.Errors, sheet, rc.lang); err != nil {
		return err
	}
	sendFile(w, fmt.Sprintf("errors-%d.xlsx", id), xlsxType, buf.Bytes())
	return nil
}

// importOriginal answers GET …/imports/{importID}/file: the file as uploaded.
func (s *Server) importOriginal(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "importID")
	if err != nil {
		return err
	}
	im, err := s.store.Import(r.Context(), rc.actor, id)
	if err != nil {
		return err
	}
	data, err := s.store.ImportFile(r.Context(), rc.actor, id)
	if err != nil {
		return err
	}
	sendFile(w, im.FileName, "application/octet-stream", data)
	return nil
}

const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// sendFile sends a download with a file name that survives Chinese.
func sendFile(w http.ResponseWriter, name, ctype string, data []byte) {
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Disposition", "attachment; filename=\"download\"; filename*=UTF-8''"+url.PathEscape(name))
	w.Header().Set("Content-Length", strconv.Itoa(len(data)))
	w.Write(data)
}
