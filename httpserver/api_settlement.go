package httpserver

import (
	"fmt"
	"net/http"
	"strconv"

	"safetynet"
	"safetynet/settlement"
	"safetynet/sqlstore"
)

// evidenceURL is where the services capability serves a record's photo
// or signature.
func evidenceURL(id int64) string { return fmt.Sprintf("/services/evidence/%d", id) }

// verifyFilter reads the verification list's query: month, status, place,
// sample, org, limit.
func verifyFilter(r *http.Request) (sqlstore.VerifyFilter, error) {
	q := r.URL.Query()
	f := sqlstore.VerifyFilter{Month: q.Get("month"), Place: q.Get("place"), Status: q.Get("status")}
	for name, dst := range map[string]*int64{"sample": &f.Sample, "org": &f.Org} {
		if v := q.Get(name); v != "" {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil || n <= 0 {
				return f, safetynet.Invalid(name, "编号无效", "%s must be a positive integer", name)
			}
			*dst = n
		}
	}
	var err error
	f.Limit, err = queryLimit(r, 0, 2000, 0)
	return f, err
}

// apiVerification answers GET /api/v1/verification.
func (s *Server) apiVerification(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	f, err := verifyFilter(r)
	if err != nil {
		return err
	}
	l, err := s.store.ServicesToVerify(r.Context(), rc.actor, f)
	if err != nil {
		return err
	}
	out := verifyRecordListJSON{Items: make([]verifyRecordJSON, 0, len(l))}
	for _, x := range l {
		out.Items = append(out.Items, toVerifyRecordJSON(x, rc.lang))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// apiVerifyRecord answers GET /api/v1/verification/{verifyRecordID}.
func (s *Server) apiVerifyRecord(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "verifyRecordID")
	if err != nil {
		return err
	}
	d, err := s.store.ServiceRecord(r.Context(), rc.actor, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toVerifyRecordDetailJSON(d, rc.lang))
	return nil
}

// apiReviewService answers POST /api/v1/verification/{verifyRecordID}/review.
func (s *Server) apiReviewService(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "verifyRecordID")
	if err != nil {
		return err
	}
	var in struct {
		Decision string `json:"decision"`
		Reason   string `json:"reason"`
		Version  int    `json:"version"`
		SampleID int64  `json:"sample_id"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if err := requireVersion(in.Version); err != nil {
		return err
	}
	if err := s.store.ReviewService(r.Context(), rc.actor, id, sqlstore.ServiceReview{Decision: in.Decision, Reason: in.Reason,
		Version: in.Version, Sample: in.SampleID}); err != nil {
		return err
	}
	d, err := s.store.ServiceRecord(r.Context(), rc.actor, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toVerifyRecordDetailJSON(d, rc.lang))
	return nil
}

// apiServiceSamples answers GET /api/v1/verification/samples.
func (s *Server) apiServiceSamples(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	l, err := s.store.ServiceSamples(r.Context(), rc.actor, r.URL.Query().Get("month"))
	if err != nil {
		return err
	}
	out := verifySampleListJSON{Items: make([]verifySampleJSON, 0, len(l))}
	for _, x := range l {
		out.Items = append(out.Items, toVerifySampleJSON(x))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// apiDrawSample answers POST /api/v1/verification/samples.
func (s *Server) apiDrawSample(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	var in struct {
		Place   string `json:"place"`
		Month   string `json:"month"`
		Percent int    `json:"percent"`
		Seed    *int64 `json:"seed"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	x, err := s.store.DrawServiceSample(r.Context(), rc.actor, sqlstore.SampleInput{Place: in.Place, Month: in.Month, Percent: in.Percent, Seed: in.Seed})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, toVerifySampleJSON(x))
	return nil
}

// currentMonth is the month shown by default: the previous one during the
// first ten days (when last month is being verified and settled), else this one.
func (s *Server) currentMonth() string {
	now := s.store.Now()
	if now.In(settlement.Zone).Day() <= 10 {
		return settlement.AddMonths(settlement.Month(now), -1)
	}
	return settlement.Month(now)
}

// apiSettlements answers GET /api/v1/settlements.
func (s *Server) apiSettlements(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	month := r.URL.Query().Get("month")
	if month == "" {
		month = s.currentMonth()
	}
	l, err := s.store.Settlements(r.Context(), rc.actor, month)
	if err != nil {
		return err
	}
	out := settlementListJSON{Month: month, Items: make([]settlementSummaryJSON, 0, len(l))}
	for _, x := range l {
		status := "draft"
		if x.Approved {
			status = "approved"
		}
		out.Items = append(out.Items, settlementSummaryJSON{OrgID: x.OrgID, Org: x.OrgName, PlaceName: x.PlaceName, Month: x.Month, Status: status,
			Records: x.Records, Accepted: x.Accepted, Rejected: x.Rejected, Pending: x.Pending, Flagged: x.Flagged, AmountFen: x.AmountFen})
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// apiSettlement answers GET /api/v1/settlements/{orgID}/{month}.
func (s *Server) apiSettlement(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "orgID")
	if err != nil {
		return err
	}
	st, err := s.store.Settlement(r.Context(), rc.actor, id, r.PathValue("month"), 0)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toSettlementJSON(st, rc.lang))
	return nil
}

// apiApproveSettlement answers POST /api/v1/settlements/{orgID}/{month}/approve.
func (s *Server) apiApproveSettlement(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "orgID")
	if err != nil {
		return err
	}
	var in struct {
		TotalFen *int64 `json:"total_fen"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if in.TotalFen == nil {
		return safetynet.Invalid("total_fen", "请提供您核对过的结算总额（分）", "total_fen, the total you checked, is required")
	}
	st, err := s.store.ApproveSettlement(r.Context(), rc.actor, id, r.PathValue("month"), *in.TotalFen)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toSettlementJSON(st, rc.lang))
	return nil
}

// apiAddAdjustment answers POST /api/v1/settlements/{orgID}/{month}/adjustments.
func (s *Server) apiAddAdjustment(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "orgID")
	if err != nil {
		return err
	}
	var in struct {
		ClientID   string `json:"client_id"`
		AboutMonth string `json:"about_month"`
		ContractID int64  `json:"contract_id"`
		WorkerID   int64  `json:"worker_id"`
		RecordID   int64  `json:"record_id"`
		AmountFen  int64  `json:"amount_fen"`
		Reason     string `json:"reason"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	aid, dup, err := s.store.AddSettlementAdjustment(r.Context(), rc.actor, id, r.PathValue("month"), sqlstore.AdjustmentInput{ClientID: in.ClientID,
		AboutMonth: in.AboutMonth, ContractID: in.ContractID, WorkerID: in.WorkerID, RecordID: in.RecordID, AmountFen: in.AmountFen, Reason: in.Reason})
	if err != nil {
		return err
	}
	status := http.StatusCreated
	if dup {
		status = http.StatusOK
	}
	writeJSON(w, status, adjustmentCreatedJSON{ID: aid, Duplicate: dup})
	return nil
}

// apiSettlementSheet answers GET /api/v1/settlements/{orgID}/{month}/sheet.xlsx
// (and the page's download link).
func (s *Server) apiSettlementSheet(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "orgID")
	if err != nil {
		return err
	}
	st, err := s.store.Settlement(r.Context(), rc.actor, id, r.PathValue("month"), 0)
	if err != nil {
		return err
	}
	b, err := settlementXLSX(st, rc.lang)
	if err != nil {
		return err
	}
	name := fmt.Sprintf("settlement-%d-%s.xlsx", st.OrgID, st.Month)
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.Write(b)
	return nil
}

// figuresMonths reads from and to (months; the current month and the
// two before by default).
func (s *Server) figuresMonths(r *http.Request) (string, string) {
	q := r.URL.Query()
	to := q.Get("to")
	if to == "" {
		to = s.currentMonth()
	}
	from := q.Get("from")
	if from == "" {
		from = settlement.AddMonths(to, -2)
	}
	return from, to
}

// apiServiceFigures answers GET /api/v1/settlements/figures.
func (s *Server) apiServiceFigures(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	from, to := s.figuresMonths(r)
	f, err := s.store.ServiceFiguresOf(r.Context(), rc.actor, r.URL.Query().Get("place"), from, to)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toServiceFiguresJSON(f, rc.lang))
	return nil
}
