package httpserver

import (
	"net/http"
	"strconv"
	"time"

	"safetynet"
	"safetynet/i18n"
	"safetynet/sqlstore"
	"safetynet/visits"
)

// visitPlanJSON is the visit plan, in and out.
type visitPlanJSON struct {
	Version     int                `json:"version"`
	Frequencies []visits.Frequency `json:"frequencies"`
	Within      []visits.Within    `json:"within"`
}

type keyFamilyListJSON struct {
	Items []sqlstore.KeyFamily `json:"items"`
}

type visitPairListJSON struct {
	Items []sqlstore.VisitPair `json:"items"`
}

// dayItemJSON is a line of the day with what it is in the caller's
// language.
type dayItemJSON struct {
	visits.Item
	Label string `json:"label"`
}

type daySectionJSON struct {
	Name  string        `json:"name"`
	Items []dayItemJSON `json:"items"`
}

type dayJSON struct {
	Date     string           `json:"date"`
	Sections []daySectionJSON `json:"sections"`
}

// visitOutJSON is a recorded visit; report_link opens the clue form for
// the household when the result is "not fine".
type visitOutJSON struct {
	sqlstore.VisitRecord
	Created    bool   `json:"created"`
	ReportLink string `json:"report_link"`
}

// itemLabel names a day item in lang.
func itemLabel(it visits.Item, lang string) string {
	if it.LabelZH != "" {
		if lang == "zh" {
			return it.LabelZH
		}
		return it.LabelEN
	}
	return i18n.T(lang, "visits.what."+it.What)
}

func toDayJSON(d sqlstore.Day, lang string) dayJSON {
	out := dayJSON{Date: d.Date, Sections: make([]daySectionJSON, 0, len(d.Sections))}
	for _, sec := range d.Sections {
		js := daySectionJSON{Name: sec.Name, Items: make([]dayItemJSON, 0, len(sec.Items))}
		for _, it := range sec.Items {
			js.Items = append(js.Items, dayItemJSON{Item: it, Label: itemLabel(it, lang)})
		}
		out.Sections = append(out.Sections, js)
	}
	return out
}

// apiVisitPlan answers GET /api/v1/visits/plan.
func (s *Server) apiVisitPlan(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	p, err := s.store.VisitPlan(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, visitPlanJSON(p))
	return nil
}

// apiSetVisitPlan answers PUT /api/v1/visits/plan.
func (s *Server) apiSetVisitPlan(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	var in visitPlanJSON
	in.Version = -1
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if in.Version < 0 {
		return errVersionRequired
	}
	p, err := s.store.SetVisitPlan(r.Context(), rc.actor, sqlstore.VisitPlan(in), in.Version)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, visitPlanJSON(p))
	return nil
}

// apiKeyFamilies answers GET /api/v1/visits/key-families?place=.
func (s *Server) apiKeyFamilies(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	ks, err := s.store.KeyFamilies(r.Context(), rc.actor, r.URL.Query().Get("place"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, keyFamilyListJSON{Items: ks})
	return nil
}

// apiMarkKeyFamily answers PUT and DELETE /api/v1/visits/key-families/{householdID}.
func (s *Server) apiMarkKeyFamily(on bool) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
		id, err := pathID(r, "householdID")
		if err != nil {
			return err
		}
		var in struct {
			Note string `json:"note"`
		}
		if on && r.ContentLength != 0 {
			if err := decodeJSON(r, &in); err != nil {
				return err
			}
		}
		if err := s.store.MarkKeyFamily(r.Context(), rc.actor, id, on, in.Note); err != nil {
			return err
		}
		w.WriteHeader(http.StatusNoContent)
		return nil
	}
}

// apiVisitPairs answers GET /api/v1/households/{householdID}/visit-pairs.
func (s *Server) apiVisitPairs(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "householdID")
	if err != nil {
		return err
	}
	ps, err := s.store.VisitPairs(r.Context(), rc.actor, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, visitPairListJSON{Items: ps})
	return nil
}

// apiPairVisitor answers POST /api/v1/visits/pairs.
func (s *Server) apiPairVisitor(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	var in struct {
		HouseholdID int64  `json:"household_id"`
		Level       string `json:"level"`
		UserID      int64  `json:"user_id"`
		Name        string `json:"name"`
		Phone       string `json:"phone"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	id, err := s.store.PairVisitor(r.Context(), rc.actor, sqlstore.NewVisitPair(in))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, createdJSON{ID: id})
	return nil
}

// apiUnpairVisitor answers DELETE /api/v1/visits/pairs/{pairID}.
func (s *Server) apiUnpairVisitor(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "pairID")
	if err != nil {
		return err
	}
	if err := s.store.UnpairVisitor(r.Context(), rc.actor, id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// apiVisitDay answers GET /api/v1/visits/today: the caller's day.
func (s *Server) apiVisitDay(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	d, err := s.store.VisitDay(r.Context(), rc.actor)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toDayJSON(d, rc.lang))
	return nil
}

// visitInJSON is a visit record as a phone sends it.
type visitInJSON struct {
	ClientID    string   `json:"client_id"`
	DueID       int64    `json:"due_id"`
	HouseholdID int64    `json:"household_id"`
	Kind        string   `json:"kind"`
	Result      string   `json:"result"`
	Note        string   `json:"note"`
	Photo       string   `json:"photo"`
	Checklist   []string `json:"checklist"`
	MadeAt      string   `json:"made_at"`
	CampaignID  int64    `json:"campaign_id"`
}

func (in visitInJSON) visit() (visits.NewVisit, error) {
	v := visits.NewVisit{ClientID: in.ClientID, DueID: in.DueID, HouseholdID: in.HouseholdID, Kind: in.Kind, Result: in.Result,
		Note: in.Note, Checklist: in.Checklist, CampaignID: in.CampaignID}
	if in.MadeAt != "" {
		t, err := time.Parse(time.RFC3339, in.MadeAt)
		if err != nil {
			return v, safetynet.Invalid("made_at", "走访时间格式应为 2006-01-02T15:04:05+08:00", "made_at must be a time like 2006-01-02T15:04:05+08:00")
		}
		v.MadeAt = t
	}
	var err error
	v.Photo, err = decodePhoto(in.Photo)
	return v, err
}

// recordVisit records a visit and answers with it: 201 when new, 200 for
// a resend of the same client ID.
func (s *Server) recordVisit(w http.ResponseWriter, r *http.Request, rc *reqCtx, in visitInJSON) error {
	v, err := in.visit()
	if err != nil {
		return err
	}
	rec, created, err := s.store.RecordVisit(r.Context(), rc.actor, v)
	if err != nil {
		return err
	}
	out := visitOutJSON{VisitRecord: rec, Created: created}
	if rec.Result == visits.ResultNotFine {
		out.ReportLink = "/report?household=" + strconv.FormatInt(rec.HouseholdID, 10) + "&source=visit"
	}
	status := http.StatusOK
	if created {
		status = http.StatusCreated
	}
	writeJSON(w, status, out)
	return nil
}

// apiRecordVisit answers POST /api/v1/visits.
func (s *Server) apiRecordVisit(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	var in visitInJSON
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	return s.recordVisit(w, r, rc, in)
}

// apiMustVisit answers POST /api/v1/visits/must: an occasion that needs a
// visit (五必访).
func (s *Server) apiMustVisit(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	var in struct {
		HouseholdID int64  `json:"household_id"`
		Trigger     string `json:"trigger"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if err := s.store.QueueMustVisit(r.Context(), rc.actor, in.HouseholdID, in.Trigger); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// coverageQuery reads place, from, to (local dates, to inclusive) and
// days of a coverage request; the default period is the last 30 days.
func coverageQuery(r *http.Request, now time.Time) (place string, from, to time.Time, days int, err error) {
	q := r.URL.Query()
	loc := visits.Zone("")
	today := visits.LocalDate(now, loc)
	to, from, days = today.AddDate(0, 0, 1), today.AddDate(0, 0, -29), 7
	if v := q.Get("to"); v != "" {
		t, err := time.ParseInLocation(visits.DateLayout, v, loc)
		if err != nil {
			return "", from, to, 0, safetynet.Invalid("to", "日期格式应为 2006-01-02", "to must be a date like 2006-01-02")
		}
		to = t.AddDate(0, 0, 1)
	}
	if v := q.Get("from"); v != "" {
		t, err := time.ParseInLocation(visits.DateLayout, v, loc)
		if err != nil {
			return "", from, to, 0, safetynet.Invalid("from", "日期格式应为 2006-01-02", "from must be a date like 2006-01-02")
		}
		from = t
	}
	if v := q.Get("days"); v != "" {
		if days, err = strconv.Atoi(v); err != nil {
			return "", from, to, 0, safetynet.Invalid("days", "未走访天数应为整数", "days must be an integer")
		}
	}
	return q.Get("place"), from, to, days, nil
}

// apiVisitCoverage answers GET /api/v1/visits/coverage.
func (s *Server) apiVisitCoverage(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	place, from, to, days, err := coverageQuery(r, s.store.Now())
	if err != nil {
		return err
	}
	c, err := s.store.VisitCoverage(r.Context(), rc.actor, place, from, to, days)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, c)
	return nil
}
