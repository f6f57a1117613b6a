package httpserver

import (
	"fmt"
	"io"
	"net/http"

	"safetynet"
	"safetynet/access"
	"safetynet/ledger"
	"safetynet/sqlstore"
)

type importsPage struct {
	Imports []sqlstore.ImportRecord
	Places  []sqlstore.RegisterPlace
}

// webImports lists the imports of the user's area with the upload form.
func (s *Server) webImports(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	return s.showImports(w, r, rc, nil)
}

func (s *Server) showImports(w http.ResponseWriter, r *http.Request, rc *reqCtx, formErr error) error {
	list, err := s.store.Imports(r.Context(), rc.actor, 50)
	if err != nil {
		return err
	}
	places, err := s.store.RegisterPlaces(r.Context(), rc.actor)
	if err != nil {
		return err
	}
	return s.render(w, r, rc, http.StatusOK, "imports", "imports.title", importsPage{Imports: list, Places: places}, formErr)
}

// webUploadImport stores the file, checks it and shows the result.
func (s *Server) webUploadImport(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	if err := rc.actor.Require(access.RegisterImport); err != nil {
		return err
	}
	f, name, err := uploadedFile(r, "file")
	if err != nil {
		return s.formFailed(w, r, rc, err, func() error { return s.showImports(w, r, rc, err) })
	}
	defer f.Close()
	data, err := io.ReadAll(f)
	if err != nil {
		return err
	}
	im, err := s.store.CreateImport(r.Context(), rc.actor, "ledger", name, data)
	if err != nil {
		return s.formFailed(w, r, rc, err, func() error { return s.showImports(w, r, rc, err) })
	}
	if _, err := s.preview(r.Context(), rc.actor, im, &importSettings{DefaultPlace: r.FormValue("default_place")}); err != nil && safetynet.AsError(err) == nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("/imports/%d", im.ID), http.StatusSeeOther)
	return nil
}

type importPage struct {
	Import   sqlstore.ImportRecord
	Settings importSettings
	Report   safetynet.LedgerReport
	Checked  bool // the report is of a completed run
	Fields   []ledger.FieldInfo
	Places   []sqlstore.RegisterPlace
	MaxShown int
}

// Column returns the index of the column mapped to field, -1 if none.
func (p importPage) Column(f ledger.Field) int {
	if c, ok := p.Settings.Mapping[f]; ok {
		return c
	}
	return -1
}

// webImport shows an import: its columns, its check report, and the
// buttons to check again or to commit.
func (s *Server) webImport(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "importID")
	if err != nil {
		return err
	}
	return s.showImport(w, r, rc, id, nil, http.StatusOK)
}

func (s *Server) showImport(w http.ResponseWriter, r *http.Request, rc *reqCtx, id int64, formErr error, status int) error {
	im, err := s.store.Import(r.Context(), rc.actor, id)
	if err != nil {
		return err
	}
	pg := importPage{Import: im, Fields: ledger.Fields, MaxShown: 200}
	_ = jsonUnmarshal(im.Mapping, &pg.Settings)
	pg.Checked = jsonUnmarshal(im.Report, &pg.Report) == nil && pg.Report.Rows > 0
	if pg.Places, err = s.store.RegisterPlaces(r.Context(), rc.actor); err != nil {
		return err
	}
	if formErr == nil && im.Status == sqlstore.ImportFailed && !pg.Checked {
		var saved struct{ FileError *safetynet.Error }
		if jsonUnmarshal(im.Report, &saved) == nil && saved.FileError != nil {
			formErr = saved.FileError
		} else {
			formErr = safetynet.Invalid("mapping", "请检查列的对应关系", "check which column holds what")
		}
	}
	return s.render(w, r, rc, status, "import", "imports.title", pg, formErr)
}

// webPreviewImport runs the check again with the columns the user chose.
func (s *Server) webPreviewImport(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "importID")
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	im, err := s.store.Import(r.Context(), rc.actor, id)
	if err != nil {
		return err
	}
	values := map[string]string{}
	for _, f := range ledger.Fields {
		values[string(f.Field)] = r.PostForm.Get("map_" + string(f.Field))
	}
	var set importSettings
	_ = jsonUnmarshal(im.Mapping, &set)
	m, err := ledger.ParseMapping(values, set.Header)
	if err == nil {
		set.Mapping, set.DefaultPlace = m, r.PostForm.Get("default_place")
		_, err = s.preview(r.Context(), rc.actor, im, &set)
	}
	if err != nil {
		return s.formFailed(w, r, rc, err, func() error { return s.showImport(w, r, rc, id, err, http.StatusOK) })
	}
	http.Redirect(w, r, fmt.Sprintf("/imports/%d", id), http.StatusSeeOther)
	return nil
}

// webCommitImport saves the import; with errors nothing is saved and the
// page shows them.
func (s *Server) webCommitImport(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "importID")
	if err != nil {
		return err
	}
	if _, err := s.commitImport(r.Context(), rc.actor, id); err != nil {
		return s.formFailed(w, r, rc, err, func() error { return s.showImport(w, r, rc, id, err, http.StatusOK) })
	}
	s.flashRedirect(w, r, fmt.Sprintf("/imports/%d", id), "flash.imported")
	return nil
}

type exportPage struct {
	Places []sqlstore.RegisterPlace
}

// webExport shows the export form; the file comes from /export.xlsx.
func (s *Server) webExport(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	if err := rc.actor.Require(access.RegisterExport); err != nil {
		return err
	}
	places, err := s.store.RegisterPlaces(r.Context(), rc.actor)
	if err != nil {
		return err
	}
	return s.render(w, r, rc, http.StatusOK, "export", "export.title", exportPage{Places: places}, nil)
}
