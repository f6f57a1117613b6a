package httpserver

import (
	"errors"
	"mime/multipart"
	"net/http"

	"safetynet"
	"safetynet/access"
)

type placesImportPage struct {
	Report   *safetynet.ImportReport
	FileName string
	Done     bool // the import was committed
}

func (s *Server) webPlacesImportForm(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	if err := rc.actor.Require(access.PlaceManage); err != nil {
		return err
	}
	return s.render(w, r, rc, http.StatusOK, "places_import", "import.title", placesImportPage{}, nil)
}

// webImport checks (button "check") or imports (button "import") an
// uploaded division CSV and shows the report with every rejected line.
func (s *Server) webPlacesImport(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	if err := rc.actor.Require(access.PlaceManage); err != nil {
		return err
	}
	file, name, err := uploadedFile(r, "file")
	if err != nil {
		return s.render(w, r, rc, http.StatusOK, "places_import", "import.title", placesImportPage{}, err)
	}
	defer file.Close()
	dry := r.FormValue("action") != "import"
	rep, err := s.importPlaces(r, rc, file, dry)
	pg := placesImportPage{Report: &rep, FileName: name, Done: err == nil && !dry}
	if err != nil && safetynet.AsError(err) == nil {
		return err
	}
	return s.render(w, r, rc, http.StatusOK, "places_import", "import.title", pg, err)
}

// uploadedFile returns the file of a multipart form field.
func uploadedFile(r *http.Request, field string) (multipart.File, string, error) {
	if err := parseMultipartForm(r, 8<<20); err != nil {
		if safetynet.AsError(err) != nil {
			return nil, "", err
		}
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, "", errTooLarge
		}
		return nil, "", safetynet.Invalid(field, "请选择要上传的文件", "choose a file to upload")
	}
	f, h, err := r.FormFile(field)
	if err != nil {
		return nil, "", safetynet.Invalid(field, "请选择要上传的文件", "choose a file to upload")
	}
	return f, h.Filename, nil
}
