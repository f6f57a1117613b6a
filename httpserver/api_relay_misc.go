package httpserver

import (
	"net/http"
	"time"

	"safetynet"
	"safetynet/sqlstore"
)

// apiInbox answers GET /api/v1/inbox.
func (s *Server) apiInbox(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	list, unread, err := s.store.Inbox(r.Context(), rc.actor, 100)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toInboxJSON(list, unread))
	return nil
}

type readJSON struct {
	ID int64 `json:"id"` // 0 marks all read
}

// apiMarkRead answers POST /api/v1/inbox/read.
func (s *Server) apiMarkRead(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	var in readJSON
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if err := s.store.MarkRead(r.Context(), rc.actor, in.ID); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// period reads ?from=&to= (dates), the last 30 days by default.
func period(r *http.Request, now time.Time) (time.Time, time.Time, error) {
	to, err := timeParam(r.URL.Query().Get("to"), "to", true)
	if err != nil {
		return to, to, err
	}
	if to.IsZero() {
		y, m, d := now.Date()
		to = time.Date(y, m, d, 0, 0, 0, 0, now.Location()).AddDate(0, 0, 1)
	}
	from, err := timeParam(r.URL.Query().Get("from"), "from", false)
	if err != nil {
		return from, to, err
	}
	if from.IsZero() {
		from = to.AddDate(0, 0, -30)
	}
	return from, to, nil
}

type durationsJSON struct {
	N         int     `json:"n"`
	MedianMin float64 `json:"median_minutes"`
	P90Min    float64 `json:"p90_minutes"`
}

func toDurationsJSON(d sqlstore.Durations) durationsJSON {
	return durationsJSON{N: d.N, MedianMin: d.Median.Minutes(), P90Min: d.P90.Minutes()}
}

// apiFigures answers GET /api/v1/figures?place=&from=&to=.
func (s *Server) apiFigures(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	from, to, err := period(r, s.store.Now())
	if err != nil {
		return err
	}
	f, err := s.store.Figures(r.Context(), rc.actor, r.URL.Query().Get("place"), from, to)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toFiguresJSON(f))
	return nil
}

// apiTimeLimits answers GET /api/v1/settings/time-limits.
func (s *Server) apiTimeLimits(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	l, err := s.store.TimeLimits(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, l)
	return nil
}

// apiSetTimeLimits answers PUT /api/v1/settings/time-limits.
func (s *Server) apiSetTimeLimits(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	var in safetynet.TimeLimits
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if err := s.store.SetTimeLimits(r.Context(), rc.actor, in); err != nil {
		return err
	}
	return s.apiTimeLimits(w, r, rc)
}

// measureCatalogueJSON is an entry of the catalogue: its code and what
// PUT /api/v1/measures/{code} takes.
type measureCatalogueJSON struct {
	Code string `json:"code"`
	measurePutJSON
}

// apiMeasures answers GET /api/v1/measures: the catalogue.
func (s *Server) apiMeasures(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	ms, err := s.store.Measures(r.Context(), true)
	if err != nil {
		return err
	}
	out := make([]measureCatalogueJSON, 0, len(ms))
	for _, m := range ms {
		j := measureCatalogueJSON{Code: m.Code, measurePutJSON: measurePutJSON{ZH: m.ZH, EN: m.EN, Kind: m.Kind, Unit: m.Unit,
			Level: string(m.Level), DecisionDays: m.DecisionDays, Active: m.Active, Position: m.Position}}
		if m.CountyAboveFen > 0 {
			j.CountyAbove = safetynet.FormatYuan(m.CountyAboveFen)
		}
		out = append(out, j)
	}
	writeJSON(w, http.StatusOK, measureCatalogueListJSON{Measures: out})
	return nil
}

type measurePutJSON struct {
	ZH           string `json:"zh"`
	EN           string `json:"en"`
	Kind         string `json:"kind"`
	Unit         string `json:"unit"`
	Level        string `json:"approval_level"`
	CountyAbove  string `json:"county_above"`
	DecisionDays int    `json:"decision_days"`
	Active       bool   `json:"active"`
	Position     int    `json:"position"`
}

// apiPutMeasure answers PUT /api/v1/measures/{measureCode}.
func (s *Server) apiPutMeasure(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	var in measurePutJSON
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	above, err := safetynet.ParseYuan(in.CountyAbove)
	if err != nil {
		return safetynet.Invalid("county_above", "金额格式无效", "county_above must be yuan")
	}
	m := safetynet.Measure{Code: r.PathValue("measureCode"), ZH: in.ZH, EN: in.EN, Kind: in.Kind, Unit: in.Unit, Level: safetynet.Level(in.Level),
		CountyAboveFen: above, DecisionDays: in.DecisionDays, Active: in.Active, Position: in.Position}
	if err := s.store.SaveMeasure(r.Context(), rc.actor, m); err != nil {
		return err
	}
	return s.apiMeasures(w, r, rc)
}
