package httpserver

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"safetynet/access"
	"safetynet/sqlstore"
)

// paramsPage is 设置 › 规则 › 参数: the parameters of a county and year
// (低保线 and the like), edited without touching rules.
type paramsPage struct {
	County  string
	Year    int
	Params  []sqlstore.ParamValue
	CanEdit bool
}

// Shown formats a parameter value for its input ("" when not set).
func (paramsPage) Shown(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	return fmt.Sprint(v)
}

func (s *Server) webParams(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	return s.showParams(w, r, rc, r.URL.Query().Get("county"), r.URL.Query().Get("year"), nil)
}

func (s *Server) showParams(w http.ResponseWriter, r *http.Request, rc *reqCtx, county, yearText string, formErr error) error {
	year, err := paramYear(yearText)
	if err != nil {
		return err
	}
	if county == "" {
		county = rc.actor.Place
	}
	ps, err := s.store.Params(r.Context(), rc.actor, county, year)
	if err != nil {
		return err
	}
	pg := paramsPage{County: county, Year: year, Params: ps, CanEdit: rc.actor.Can(access.RulesEdit)}
	status := http.StatusOK
	if formErr != nil {
		status = statusOf(s.publicError(r, formErr))
	}
	return s.render(w, r, rc, status, "rule_params", "rules.params", pg, formErr)
}

// webSetParam saves one parameter value; the county is re-screened.
func (s *Server) webSetParam(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	if err := parseForm(r); err != nil {
		return err
	}
	county, yearText := r.PostForm.Get("county"), r.PostForm.Get("year")
	year, err := paramYear(yearText)
	if err == nil {
		err = s.store.SetParam(r.Context(), rc.actor, county, year, r.PostForm.Get("name"), strings.TrimSpace(r.PostForm.Get("value")))
	}
	if err != nil {
		return s.formFailed(w, r, rc, err, func() error { return s.showParams(w, r, rc, county, yearText, err) })
	}
	s.flashRedirect(w, r, "/rules/params?county="+county+"&year="+strconv.Itoa(year), "flash.saved")
	return nil
}
