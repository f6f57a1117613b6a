package httpserver

import (
	"fmt"
	"net/http"
	"time"

	"safetynet"
	"safetynet/access"
	"safetynet/i18n"
	"safetynet/monitoring"
	"safetynet/sqlstore"
)

// reasonText says one condition of a readiness judgement in lang.
func reasonText(r monitoring.Reason, lang string) string {
	key := "monitoring.why." + r.Code + ".no"
	if r.OK {
		key = "monitoring.why." + r.Code + ".ok"
	}
	return fmt.Sprintf(i18n.T(lang, key), r.Args...)
}

// proposalJSON is a proposal as the API receives it: income in yuan.
type proposalJSON struct {
	HouseholdID int64    `json:"household_id"`
	Kind        string   `json:"kind"`
	Category    string   `json:"category"`
	RiskCauses  []string `json:"risk_causes"`
	Income      string   `json:"income"`
	Members     int      `json:"members"`
	Origin      string   `json:"origin"`
	ClueID      int64    `json:"clue_id"`
	Reason      string   `json:"reason"`
	Note        string   `json:"note"`
	Version     int      `json:"version"`
}

func (in proposalJSON) proposal() (monitoring.Proposal, error) {
	fen, err := safetynet.ParseYuan(in.Income)
	if err != nil || in.Income == "" {
		return monitoring.Proposal{}, safetynet.Invalid("income", "近12个月家庭纯收入应为金额（元），如 18000", "income must be an amount in yuan, e.g. 18000")
	}
	return monitoring.Proposal{Kind: monitoring.Kind(in.Kind), Category: in.Category, RiskCauses: in.RiskCauses, IncomeFen: fen,
		Members: in.Members, Origin: in.Origin, Reason: in.Reason}, nil
}

// apiMonitoringProcesses answers GET /api/v1/monitoring/processes.
func (s *Server) apiMonitoringProcesses(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	q := r.URL.Query()
	overdue, err := boolParam(r, "overdue")
	if err != nil {
		return err
	}
	f := sqlstore.MonitoringFilter{Place: q.Get("place"), Status: q.Get("status"), Step: q.Get("step"), Kind: q.Get("kind"), Overdue: overdue}
	if f.Limit, err = queryLimit(r, 0, 1000, 0); err != nil {
		return err
	}
	ps, err := s.store.MonitoringProcesses(r.Context(), rc.actor, f)
	if err != nil {
		return err
	}
	out := monitoringProcessListJSON{Items: make([]monitoringProcessJSON, 0, len(ps))}
	for _, p := range ps {
		out.Items = append(out.Items, toMonitoringProcessJSON(p, rc.lang))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// apiMonitoringProcess answers GET /api/v1/monitoring/processes/{processID}.
func (s *Server) apiMonitoringProcess(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "processID")
	if err != nil {
		return err
	}
	p, err := s.store.MonitoringProcessView(r.Context(), rc.actor, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toMonitoringProcessJSON(p, rc.lang))
	return nil
}

// apiProposeMonitoring answers POST /api/v1/monitoring/processes.
func (s *Server) apiProposeMonitoring(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	var in proposalJSON
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	p, err := in.proposal()
	if err != nil {
		return err
	}
	if in.HouseholdID <= 0 {
		return safetynet.Invalid("household_id", "请指定家庭", "household_id is required")
	}
	id, err := s.store.ProposeMonitoring(r.Context(), rc.actor, in.HouseholdID, p, in.ClueID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, createdJSON{ID: id})
	return nil
}

// monitoringStepJSON is the answer of a step as the API receives it.
type monitoringStepJSON struct {
	Passed       *bool  `json:"passed"`
	Date         string `json:"date"`
	Participants int    `json:"participants"`
	People       string `json:"people"`
	Start        string `json:"start"`
	End          string `json:"end"`
	Where        string `json:"where"`
	Objection    string `json:"objection"`
	Upheld       bool   `json:"upheld"`
	Note         string `json:"note"`
	Version      int    `json:"version"`
}

func jsonDate(field, v string) (time.Time, error) {
	if v == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse("2006-01-02", v)
	if err != nil {
		return t, safetynet.Invalid(field, "日期格式应为 2006-01-02", "dates are written 2006-01-02")
	}
	return t, nil
}

func (in monitoringStepJSON) record(action string) (monitoring.Record, error) {
	rec := monitoring.Record{Count: in.Participants, People: in.People, Where: in.Where, Objection: in.Objection, Upheld: in.Upheld, Note: in.Note}
	if action != monitoring.ActNotice {
		if in.Passed == nil {
			return rec, safetynet.Invalid("passed", "请选择通过或不通过", "passed is required")
		}
		rec.Passed = *in.Passed
	}
	var err error
	if rec.Date, err = jsonDate("date", in.Date); err != nil {
		return rec, err
	}
	if rec.Start, err = jsonDate("start", in.Start); err != nil {
		return rec, err
	}
	rec.End, err = jsonDate("end", in.End)
	return rec, err
}

// apiMonitoringStep answers POST /api/v1/monitoring/processes/{processID}/{step}
// for review, notice, town and county.
func (s *Server) apiMonitoringStep(action string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
		id, err := pathID(r, "processID")
		if err != nil {
			return err
		}
		var in monitoringStepJSON
		if err := decodeJSON(r, &in); err != nil {
			return err
		}
		if err := requireVersion(in.Version); err != nil {
			return err
		}
		rec, err := in.record(action)
		if err != nil {
			return err
		}
		if err := s.store.RecordMonitoringStep(r.Context(), rc.actor, id, action, rec, in.Version); err != nil {
			return err
		}
		w.WriteHeader(http.StatusNoContent)
		return nil
	}
}

// apiResubmitMonitoring answers POST …/{processID}/resubmit.
func (s *Server) apiResubmitMonitoring(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "processID")
	if err != nil {
		return err
	}
	var in proposalJSON
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if err := requireVersion(in.Version); err != nil {
		return err
	}
	p, err := in.proposal()
	if err != nil {
		return err
	}
	if err := s.store.ResubmitMonitoring(r.Context(), rc.actor, id, p, in.Note, in.Version); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// apiWithdrawMonitoring answers POST …/{processID}/withdraw.
func (s *Server) apiWithdrawMonitoring(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "processID")
	if err != nil {
		return err
	}
	var in struct {
		Note    string `json:"note"`
		Version int    `json:"version"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if err := requireVersion(in.Version); err != nil {
		return err
	}
	if err := s.store.WithdrawMonitoring(r.Context(), rc.actor, id, in.Note, in.Version); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// apiMonitoredHouseholds answers GET /api/v1/monitoring/households:
// monitored households, those ready for elimination, those overdue for
// review.
func (s *Server) apiMonitoredHouseholds(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	q := r.URL.Query()
	hs, err := s.store.MonitoredHouseholds(r.Context(), rc.actor, q.Get("place"), q.Get("list"))
	if err != nil {
		return err
	}
	out := monitoredHouseholdListJSON{Items: make([]monitoredHouseholdJSON, 0, len(hs))}
	for _, h := range hs {
		out.Items = append(out.Items, toMonitoredJSON(h, rc.lang))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// apiRecordAssessment answers POST /api/v1/monitoring/assessments: a
// periodic income review (监测复核) of a monitored household.
func (s *Server) apiRecordAssessment(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	var in struct {
		HouseholdID int64  `json:"household_id"`
		Date        string `json:"date"`
		Income      string `json:"income"`
		Members     int    `json:"members"`
		Note        string `json:"note"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	on, err := jsonDate("date", in.Date)
	if err != nil {
		return err
	}
	fen, err := safetynet.ParseYuan(in.Income)
	if err != nil || in.Income == "" {
		return safetynet.Invalid("income", "近12个月家庭纯收入应为金额（元）", "income must be an amount in yuan")
	}
	if in.HouseholdID <= 0 {
		return safetynet.Invalid("household_id", "请指定家庭", "household_id is required")
	}
	if err := s.store.RecordAssessment(r.Context(), rc.actor, in.HouseholdID, on, fen, in.Members, in.Note); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// apiMonitoringSettings answers GET /api/v1/monitoring/settings.
func (s *Server) apiMonitoringSettings(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	if err := rc.actor.Require(access.MonitoringView); err != nil {
		return err
	}
	v, err := s.store.MonitoringSettings(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toMonitoringSettingsJSON(v))
	return nil
}

// apiSetMonitoringSettings answers PUT /api/v1/monitoring/settings.
func (s *Server) apiSetMonitoringSettings(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	var in monitoringSettingsJSON
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	v := monitoring.Settings{ReviewDays: in.ReviewDays, NoticeDays: in.NoticeDays, TownDays: in.TownDays, CountyDays: in.CountyDays,
		NoticeMinDays: in.NoticeMinDays, AboveMonths: in.AboveMonths, MinMonitoredMonths: in.MinMonitoredMonths, ReviewMonths: in.ReviewMonths}
	if err := s.store.SetMonitoringSettings(r.Context(), rc.actor, v); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toMonitoringSettingsJSON(v))
	return nil
}
