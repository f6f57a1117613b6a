package httpserver

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"safetynet"
	"safetynet/access"
	"safetynet/settlement"
	"safetynet/sqlstore"
)

// Page helpers of verification and settlement.

// SettleYuan writes fen as yuan with two decimals, e.g. 3000 → "30.00".
func (p *page) SettleYuan(fen int64) string { return settlement.Yuan(fen) }

// SeesSettlements reports whether the viewer may read settlements (the
// menu shows 结算 to them only).
func (p *page) SeesSettlements() bool { return p.User != nil && p.actor.SeesSettlements() }

// ServiceType names a service type.
func (p *page) ServiceType(t string) string { return typeName(t, p.Lang) }

// FlagName names an automatic flag's kind.
func (p *page) FlagName(kind string) string { return settlement.FlagName(kind, p.Lang) }

// ShanghaiTime writes a time in the settlement's zone, 2006-01-02 15:04.
func (p *page) ShanghaiTime(t time.Time) string {
	return t.In(settlement.Zone).Format("2006-01-02 15:04")
}

// HourMinute writes a time of day in the settlement's zone.
func (p *page) HourMinute(t time.Time) string { return t.In(settlement.Zone).Format("15:04") }

// Evidence is the link to a record's photo or signature.
func (p *page) Evidence(id int64) string { return evidenceURL(id) }

// Degrees writes micro-degrees as degrees.
func (p *page) Degrees(e6 int64) string { return strconv.FormatFloat(float64(e6)/1e6, 'f', 5, 64) }

// verifyPage is the verification list with the samples of the month.
type verifyPage struct {
	Month   string
	Status  string
	Sample  *sqlstore.ServiceSample
	Samples []sqlstore.ServiceSample
	Items   []sqlstore.ServiceRecordView
	Percent string
}

func (s *Server) webVerification(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	return s.showVerification(w, r, rc, nil)
}

func (s *Server) showVerification(w http.ResponseWriter, r *http.Request, rc *reqCtx, formErr error) error {
	if err := rc.actor.Require(access.ServiceView); err != nil {
		return err
	}
	f, err := verifyFilter(r)
	if err != nil {
		return err
	}
	if f.Month == "" {
		f.Month = s.currentMonth()
	}
	if f.Status == "" && f.Sample == 0 {
		f.Status = "pending"
	}
	pg := verifyPage{Month: f.Month, Status: f.Status, Percent: "20"}
	if f.Sample != 0 {
		x, err := s.store.ServiceSampleByID(r.Context(), rc.actor, f.Sample)
		if err != nil {
			return err
		}
		pg.Sample, f.Month, pg.Month = &x, x.Month, x.Month
	}
	if pg.Items, err = s.store.ServicesToVerify(r.Context(), rc.actor, f); err != nil {
		return err
	}
	if pg.Samples, err = s.store.ServiceSamples(r.Context(), rc.actor, pg.Month); err != nil {
		return err
	}
	status := http.StatusOK
	if formErr != nil {
		status = statusOf(s.publicError(r, formErr))
		pg.Percent = r.PostForm.Get("percent")
	}
	return s.render(w, r, rc, status, "settlement_verify", "settlement.verify_title", pg, formErr)
}

// webDrawSample takes the sample form.
func (s *Server) webDrawSample(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	if err := parseForm(r); err != nil {
		return err
	}
	var x sqlstore.ServiceSample
	err := func() error {
		p, err := strconv.Atoi(strings.TrimSpace(r.PostForm.Get("percent")))
		if err != nil {
			return safetynet.Invalid("percent", "抽查比例应在 1% 到 100% 之间", "the sample must be 1 to 100 percent")
		}
		in := sqlstore.SampleInput{Month: r.PostForm.Get("month"), Percent: p, Place: r.PostForm.Get("place")}
		if v := strings.TrimSpace(r.PostForm.Get("seed")); v != "" {
			seed, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				return safetynet.Invalid("seed", "随机种子应为整数", "the seed must be an integer")
			}
			in.Seed = &seed
		}
		x, err = s.store.DrawServiceSample(r.Context(), rc.actor, in)
		return err
	}()
	if err != nil {
		return s.formFailed(w, r, rc, err, func() error { return s.showVerification(w, r, rc, err) })
	}
	s.flashRedirect(w, r, fmt.Sprintf("/verification?sample=%d", x.ID), "settlement.sample_drawn")
	return nil
}

// verifyRecordPage is one record with its evidence and the review form.
type verifyRecordPage struct {
	D         sqlstore.ServiceRecordDetail
	Sample    string
	CanReview bool
	Reason    string
}

func (s *Server) webVerifyRecord(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	return s.showVerifyRecord(w, r, rc, nil)
}

func (s *Server) showVerifyRecord(w http.ResponseWriter, r *http.Request, rc *reqCtx, formErr error) error {
	id, err := pathID(r, "verifyRecordID")
	if err != nil {
		return err
	}
	d, err := s.store.ServiceRecord(r.Context(), rc.actor, id)
	if err != nil {
		return err
	}
	pg := verifyRecordPage{D: d, Sample: r.URL.Query().Get("sample"), CanReview: rc.actor.Can(access.ServiceVerify) && !d.Closed}
	status := http.StatusOK
	if formErr != nil {
		status = statusOf(s.publicError(r, formErr))
		pg.Reason, pg.Sample = r.PostForm.Get("reason"), r.PostForm.Get("sample")
	}
	return s.render(w, r, rc, status, "settlement_record", "settlement.record_title", pg, formErr)
}

// webReviewService takes the accept or reject form.
func (s *Server) webReviewService(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "verifyRecordID")
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	if _, err := s.store.ServiceRecord(r.Context(), rc.actor, id); err != nil {
		return err // the scope first
	}
	sample, _ := strconv.ParseInt(r.PostForm.Get("sample"), 10, 64)
	err = func() error {
		version, err := formVersion(r)
		if err != nil {
			return err
		}
		return s.store.ReviewService(r.Context(), rc.actor, id, sqlstore.ServiceReview{Decision: r.PostForm.Get("decision"),
			Reason: r.PostForm.Get("reason"), Version: version, Sample: sample})
	}()
	if err != nil {
		return s.formFailed(w, r, rc, err, func() error { return s.showVerifyRecord(w, r, rc, err) })
	}
	back := "/verification"
	if sample > 0 {
		back = fmt.Sprintf("/verification?sample=%d", sample)
	}
	s.flashRedirect(w, r, back, "settlement.reviewed")
	return nil
}

// settlementsPage lists the organisations' month.
type settlementsPage struct {
	Month string
	Items []sqlstore.SettlementSummary
}

func (s *Server) webSettlements(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	month := r.URL.Query().Get("month")
	if month == "" {
		month = s.currentMonth()
	}
	l, err := s.store.Settlements(r.Context(), rc.actor, month)
	if err != nil {
		return err
	}
	m, _ := settlement.CheckMonth("month", month)
	return s.render(w, r, rc, http.StatusOK, "settlement_list", "settlement.title", settlementsPage{Month: m, Items: l}, nil)
}

// settlementPage is an organisation's month: the draft or the approved sheet.
type settlementPage struct {
	S          sqlstore.Settlement
	CanApprove bool
	Ended      bool
	ClientID   string
	Form       map[string]string
	PrevMonth  string
}

func (s *Server) webSettlement(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	return s.showSettlement(w, r, rc, nil, nil)
}

func (s *Server) showSettlement(w http.ResponseWriter, r *http.Request, rc *reqCtx, form map[string]string, formErr error) error {
	id, err := pathID(r, "orgID")
	if err != nil {
		return err
	}
	st, err := s.store.Settlement(r.Context(), rc.actor, id, r.PathValue("month"), 200)
	if err != nil {
		return err
	}
	if form == nil {
		form = map[string]string{"about_month": settlement.AddMonths(st.Month, -1)}
	}
	pg := settlementPage{S: st, CanApprove: rc.actor.Can(access.SettlementApprove), Ended: settlement.Ended(st.Month, s.store.Now()),
		ClientID: form["client_id"], Form: form, PrevMonth: settlement.AddMonths(st.Month, -1)}
	if pg.ClientID == "" {
		pg.ClientID = newClientID()
	}
	status := http.StatusOK
	if formErr != nil {
		status = statusOf(s.publicError(r, formErr))
	}
	return s.render(w, r, rc, status, "settlement_sheet", "settlement.sheet_title", pg, formErr)
}

// webApproveSettlement takes the approval form (with the total shown).
func (s *Server) webApproveSettlement(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "orgID")
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	month := r.PathValue("month")
	if _, err := s.store.Settlement(r.Context(), rc.actor, id, month, 1); err != nil {
		return err
	}
	err = func() error {
		total, err := strconv.ParseInt(r.PostForm.Get("total_fen"), 10, 64)
		if err != nil {
			return safetynet.Invalid("total_fen", "请刷新页面后再批准", "reload the page and approve again")
		}
		_, err = s.store.ApproveSettlement(r.Context(), rc.actor, id, month, total)
		return err
	}()
	if err != nil {
		return s.formFailed(w, r, rc, err, func() error { return s.showSettlement(w, r, rc, nil, err) })
	}
	s.flashRedirect(w, r, fmt.Sprintf("/settlements/%d/%s", id, url.PathEscape(month)), "settlement.approved")
	return nil
}

// webAddAdjustment takes the adjustment form (amount in yuan).
func (s *Server) webAddAdjustment(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "orgID")
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	month := r.PathValue("month")
	st, err := s.store.Settlement(r.Context(), rc.actor, id, month, 1)
	if err != nil {
		return err
	}
	f := r.PostForm
	form := map[string]string{"client_id": f.Get("client_id"), "about_month": f.Get("about_month"), "amount": f.Get("amount"),
		"reason": f.Get("reason"), "worker_id": f.Get("worker_id")}
	err = func() error {
		fen, err := parseYuan(f.Get("amount"))
		if err != nil {
			return err
		}
		worker, _ := strconv.ParseInt(f.Get("worker_id"), 10, 64)
		contract, _ := strconv.ParseInt(f.Get("contract_id"), 10, 64)
		if contract == 0 && len(st.Budgets) > 0 {
			contract = st.Budgets[0].ContractID
		}
		_, _, err = s.store.AddSettlementAdjustment(r.Context(), rc.actor, id, month, sqlstore.AdjustmentInput{ClientID: f.Get("client_id"),
			AboutMonth: f.Get("about_month"), ContractID: contract, WorkerID: worker, AmountFen: fen, Reason: f.Get("reason")})
		return err
	}()
	if err != nil {
		return s.formFailed(w, r, rc, err, func() error { return s.showSettlement(w, r, rc, form, err) })
	}
	s.flashRedirect(w, r, fmt.Sprintf("/settlements/%d/%s", id, url.PathEscape(month)), "settlement.adjusted")
	return nil
}

// parseYuan reads an amount in yuan with at most two decimals, e.g.
// "-30" or "12.50", as fen.
func parseYuan(v string) (int64, error) {
	v = strings.TrimSpace(v)
	bad := safetynet.Invalid("amount", "金额应为元，最多两位小数，例如 -30 或 12.50", "the amount is in yuan with at most two decimals, e.g. -30 or 12.50")
	neg := strings.HasPrefix(v, "-")
	v = strings.TrimPrefix(v, "-")
	whole, frac, _ := strings.Cut(v, ".")
	if whole == "" || len(frac) > 2 || len(whole) > 9 {
		return 0, bad
	}
	for len(frac) < 2 {
		frac += "0"
	}
	y, err1 := strconv.ParseInt(whole, 10, 64)
	c, err2 := strconv.ParseInt(frac, 10, 64)
	if err1 != nil || err2 != nil || y < 0 || c < 0 {
		return 0, bad
	}
	fen := y*100 + c
	if neg {
		fen = -fen
	}
	return fen, nil
}

// serviceFiguresPage shows the figures of a place.
type serviceFiguresPage struct {
	F        sqlstore.ServiceFigures
	From, To string
}

func (s *Server) webServiceFigures(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	from, to := s.figuresMonths(r)
	f, err := s.store.ServiceFiguresOf(r.Context(), rc.actor, r.URL.Query().Get("place"), from, to)
	if err != nil {
		return err
	}
	return s.render(w, r, rc, http.StatusOK, "settlement_figures", "settlement.figures_title", serviceFiguresPage{F: f, From: f.From, To: f.To}, nil)
}
