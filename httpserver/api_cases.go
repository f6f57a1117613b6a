package httpserver

import (
	"fmt"
	"net/http"
	"time"

	"safetynet"
	"safetynet/sqlstore"
)

type openCaseJSON struct {
	HouseholdID int64    `json:"household_id"`
	Urgency     string   `json:"urgency"`
	Risks       []string `json:"risks"`
	Note        string   `json:"note"`
}

// apiOpenCase answers POST /api/v1/cases: a case opened on a household
// without a clue (a hardship found on a visit).
func (s *Server) apiOpenCase(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	var in openCaseJSON
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if in.Urgency == "" {
		in.Urgency = "normal"
	}
	id, err := s.store.OpenCase(r.Context(), rc.actor, in.HouseholdID, in.Urgency, in.Risks, in.Note)
	if err != nil {
		return err
	}
	w.Header().Set("Location", fmt.Sprintf("/api/v1/cases/%d", id))
	return s.writeCase(w, r, rc, id, http.StatusCreated)
}

func (s *Server) writeCase(w http.ResponseWriter, r *http.Request, rc *reqCtx, id int64, status int) error {
	v, err := s.store.CaseView(r.Context(), rc.actor, id)
	if err != nil {
		return err
	}
	writeJSON(w, status, toCaseViewJSON(v))
	return nil
}

// apiCases answers GET /api/v1/cases?status=&place=&before=.
func (s *Server) apiCases(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	before, err := intParam(r, "before", 0)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	list, err := s.store.Cases(r.Context(), rc.actor, sqlstore.CaseFilter{Status: q.Get("status"), Place: q.Get("place"), AfterID: int64(before)})
	if err != nil {
		return err
	}
	out := make([]caseJSON, 0, len(list))
	for _, k := range list {
		out = append(out, toCaseJSON(k))
	}
	writeJSON(w, http.StatusOK, caseListJSON{Cases: out})
	return nil
}

// apiCase answers GET /api/v1/cases/{caseID}.
func (s *Server) apiCase(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "caseID")
	if err != nil {
		return err
	}
	return s.writeCase(w, r, rc, id, http.StatusOK)
}

type emergencyJSON struct {
	Description string `json:"description"`
	Provider    string `json:"provider"`
	DoneAt      string `json:"done_at"`
	Cost        string `json:"cost"`
}

// apiEmergency answers POST /api/v1/cases/{caseID}/emergency.
func (s *Server) apiEmergency(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "caseID")
	if err != nil {
		return err
	}
	var in emergencyJSON
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	e := sqlstore.Emergency{Description: in.Description, Provider: in.Provider}
	if in.DoneAt != "" {
		if e.DoneAt, err = time.Parse(time.RFC3339, in.DoneAt); err != nil {
			return safetynet.Invalid("done_at", "时间格式应为 RFC 3339", "done_at must be an RFC 3339 time")
		}
	}
	if e.CostFen, err = safetynet.ParseYuan(in.Cost); err != nil {
		return safetynet.Invalid("cost", "费用格式无效", "cost must be an amount of yuan")
	}
	if _, err := s.store.AddEmergency(r.Context(), rc.actor, id, e); err != nil {
		return err
	}
	return s.writeCase(w, r, rc, id, http.StatusOK)
}

type applicationJSON struct {
	Measure     string `json:"measure"`
	Amount      string `json:"amount"`
	PeriodStart string `json:"period_start"`
	PeriodEnd   string `json:"period_end"`
	Note        string `json:"note"`
}

func (j applicationJSON) application() (sqlstore.Application, error) {
	ap := sqlstore.Application{Measure: j.Measure, Note: j.Note}
	var err error
	if ap.AmountFen, err = safetynet.ParseYuan(j.Amount); err != nil {
		return ap, safetynet.Invalid("amount", "金额格式无效", "amount must be yuan")
	}
	if ap.PeriodStart, err = optionalDate(j.PeriodStart, "period_start"); err != nil {
		return ap, err
	}
	ap.PeriodEnd, err = optionalDate(j.PeriodEnd, "period_end")
	return ap, err
}

// apiApply answers POST /api/v1/cases/{caseID}/applications.
func (s *Server) apiApply(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "caseID")
	if err != nil {
		return err
	}
	var in applicationJSON
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	ap, err := in.application()
	if err != nil {
		return err
	}
	if _, err := s.store.ApplyMeasure(r.Context(), rc.actor, id, ap); err != nil {
		return err
	}
	return s.writeCase(w, r, rc, id, http.StatusCreated)
}

type decisionJSON struct {
	Approve bool   `json:"approve"`
	Reason  string `json:"reason"`
	Version int    `json:"version"`
}

// apiDecide answers POST /api/v1/applications/{applicationID}/decision.
func (s *Server) apiDecide(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "applicationID")
	if err != nil {
		return err
	}
	var in decisionJSON
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if err := requireVersion(in.Version); err != nil {
		return err
	}
	if err := s.store.DecideApplication(r.Context(), rc.actor, id, in.Approve, in.Reason, in.Version); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

type followupJSON struct {
	Due  string `json:"due"`
	Note string `json:"note"`
	Next string `json:"next"`
}

// apiScheduleFollowup answers POST /api/v1/cases/{caseID}/followups.
func (s *Server) apiScheduleFollowup(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "caseID")
	if err != nil {
		return err
	}
	var in followupJSON
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	due, err := dateParam(in.Due, "due")
	if err != nil {
		return err
	}
	if _, err := s.store.ScheduleFollowup(r.Context(), rc.actor, id, due); err != nil {
		return err
	}
	return s.writeCase(w, r, rc, id, http.StatusCreated)
}

// apiCompleteFollowup answers POST /api/v1/followups/{followupID}/done.
func (s *Server) apiCompleteFollowup(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "followupID")
	if err != nil {
		return err
	}
	var in followupJSON
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	next, err := optionalDate(in.Next, "next")
	if err != nil {
		return err
	}
	if err := s.store.CompleteFollowup(r.Context(), rc.actor, id, in.Note, next); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

type closeJSON struct {
	Outcome string `json:"outcome"`
	Note    string `json:"note"`
	Reason  string `json:"reason"`
	Version int    `json:"version"`
}

// apiCloseCase answers POST /api/v1/cases/{caseID}/close.
func (s *Server) apiCloseCase(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "caseID")
	if err != nil {
		return err
	}
	var in closeJSON
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if err := requireVersion(in.Version); err != nil {
		return err
	}
	if err := s.store.CloseCase(r.Context(), rc.actor, id, in.Outcome, in.Note, in.Version); err != nil {
		return err
	}
	return s.writeCase(w, r, rc, id, http.StatusOK)
}

// apiReopenCase answers POST /api/v1/cases/{caseID}/reopen.
func (s *Server) apiReopenCase(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "caseID")
	if err != nil {
		return err
	}
	var in closeJSON
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if err := requireVersion(in.Version); err != nil {
		return err
	}
	if err := s.store.ReopenCase(r.Context(), rc.actor, id, in.Reason, in.Version); err != nil {
		return err
	}
	return s.writeCase(w, r, rc, id, http.StatusOK)
}
