package httpserver

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"safetynet"
	"safetynet/access"
	"safetynet/monitoring"
	"safetynet/sqlstore"
)

func init() { vocabs["monitoring_origin"] = monitoring.Origins }

// monitoringListPage is 监测: processes in progress, monitored households,
// those ready for elimination and those overdue for review.
type monitoringListPage struct {
	Tab        string // progress, monitored, ready, overdue, done
	Place      string
	Step       string
	Kind       string
	Overdue    bool
	Processes  []sqlstore.MonitoringProcess
	Households []sqlstore.MonitoredHousehold
	Steps      []string
	Places     []sqlstore.RegisterPlace // the villages of the viewer's area, for the filter
	ByStep     []stepCount              // processes in progress per step
	Now        time.Time
}

// stepCount is how many processes wait at a step, and how many of them
// are overdue.
type stepCount struct {
	Step       string
	N, Overdue int
}

// webMonitoring is the 监测 list of the viewer's area (or ?place=).
func (s *Server) webMonitoring(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	if err := rc.actor.Require(access.MonitoringView); err != nil {
		return err
	}
	q := r.URL.Query()
	pg := monitoringListPage{Tab: q.Get("tab"), Place: q.Get("place"), Step: q.Get("step"), Kind: q.Get("kind"),
		Overdue: q.Get("overdue") == "1", Steps: monitoring.Steps, Now: s.store.Now()}
	var err error
	switch pg.Tab {
	case sqlstore.MonitoredAll, sqlstore.MonitoredReady, sqlstore.MonitoredOverdue:
		pg.Households, err = s.store.MonitoredHouseholds(r.Context(), rc.actor, pg.Place, pg.Tab)
	case "done":
		pg.Processes, err = s.store.MonitoringProcesses(r.Context(), rc.actor, sqlstore.MonitoringFilter{Place: pg.Place, Status: "all",
			Kind: pg.Kind, Limit: 100})
	default:
		pg.Tab = "progress"
		pg.Processes, err = s.store.MonitoringProcesses(r.Context(), rc.actor, sqlstore.MonitoringFilter{Place: pg.Place, Step: pg.Step,
			Kind: pg.Kind, Overdue: pg.Overdue})
	}
	if err != nil {
		return err
	}
	if pg.Tab == "progress" && pg.Step == "" {
		for _, step := range monitoring.Steps {
			c := stepCount{Step: step}
			for _, p := range pg.Processes {
				if p.Step == step {
					c.N++
					if p.Overdue {
						c.Overdue++
					}
				}
			}
			if c.N > 0 {
				pg.ByStep = append(pg.ByStep, c)
			}
		}
	}
	places, err := s.store.RegisterPlaces(r.Context(), rc.actor)
	if err != nil {
		return err
	}
	for _, p := range places {
		if p.Level == safetynet.LevelVillage {
			pg.Places = append(pg.Places, p)
		}
	}
	return s.render(w, r, rc, http.StatusOK, "monitoring", "monitoring.title", pg, nil)
}

// ReasonText says a condition of a readiness judgement in the page's language.
func (p *page) ReasonText(r monitoring.Reason) string { return reasonText(r, p.Lang) }

// MonitoringCauses lists risk causes by name.
func (p *page) MonitoringCauses(codes []string) string {
	out := make([]string, len(codes))
	for i, c := range codes {
		out[i] = p.L("risk", c)
	}
	return strings.Join(out, p.pick("、", ", "))
}

// monitoringProcessPage is one process with the form of its current step.
type monitoringProcessPage struct {
	P             sqlstore.MonitoringProcess
	CanAct        bool
	CanWithdraw   bool
	Types         []string
	NoticeMinDays int
	NoticeStart   string // suggested dates of the notice form
	NoticeEnd     string
	Today         string // by the store's clock
	Now           time.Time
}

func (s *Server) webMonitoringProcess(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	return s.showMonitoringProcess(w, r, rc, nil)
}

func (s *Server) showMonitoringProcess(w http.ResponseWriter, r *http.Request, rc *reqCtx, formErr error) error {
	id, err := pathID(r, "processID")
	if err != nil {
		return err
	}
	p, err := s.store.MonitoringProcessView(r.Context(), rc.actor, id)
	if err != nil {
		return err
	}
	settings, err := s.store.MonitoringSettings(r.Context())
	if err != nil {
		return err
	}
	now := s.store.Now()
	pg := monitoringProcessPage{P: p, CanAct: monitoring.CanAct(rc.actor, p.Status, p.Step), Types: monitoring.Types,
		NoticeMinDays: settings.NoticeMinDays, Now: now, Today: now.Format("2006-01-02"),
		CanWithdraw: p.Status == monitoring.StatusOpen && rc.actor.Can(access.MonitoringPropose) &&
			p.Step != monitoring.StepTown && p.Step != monitoring.StepCounty}
	start := now
	if rv, ok := p.Last(monitoring.ActReview); ok && rv.Date.After(now.AddDate(0, 0, -30)) {
		start = rv.Date.AddDate(0, 0, 1)
	}
	pg.NoticeStart, pg.NoticeEnd = start.Format("2006-01-02"), start.AddDate(0, 0, settings.NoticeMinDays-1).Format("2006-01-02")
	status := http.StatusOK
	if formErr != nil {
		status = statusOf(s.publicError(r, formErr))
	}
	return s.render(w, r, rc, status, "monitoring_process", "monitoring.process", pg, formErr)
}

// formRecord reads the answer of a step from the process page's form.
func formRecord(r *http.Request, action string) (monitoring.Record, error) {
	f := r.PostForm
	rec := monitoring.Record{People: f.Get("people"), Where: f.Get("where"), Objection: f.Get("objection"),
		Upheld: f.Get("upheld") == "1", Note: f.Get("note"), Passed: f.Get("passed") == "1"}
	if action != monitoring.ActNotice && f.Get("passed") == "" {
		return rec, safetynet.Invalid("passed", "请选择通过或不通过", "choose pass or return")
	}
	if v := f.Get("participants"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return rec, safetynet.Invalid("participants", "参加人数应为整数", "participants must be a whole number")
		}
		rec.Count = n
	}
	var err error
	for _, d := range []struct {
		name string
		dst  *time.Time
	}{{"date", &rec.Date}, {"start", &rec.Start}, {"end", &rec.End}} {
		if *d.dst, err = optionalDate(f.Get(d.name), d.name); err != nil {
			return rec, err
		}
	}
	return rec, nil
}

// webMonitoringStep records a step from the process page.
func (s *Server) webMonitoringStep(action string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
		id, err := pathID(r, "processID")
		if err != nil {
			return err
		}
		if err := parseForm(r); err != nil {
			return err
		}
		if _, err := s.store.MonitoringProcessView(r.Context(), rc.actor, id); err != nil {
			return err // the scope first: an outside process is not found, whatever the form says
		}
		err = func() error {
			version, err := formVersion(r)
			if err != nil {
				return err
			}
			rec, err := formRecord(r, action)
			if err != nil {
				return err
			}
			return s.store.RecordMonitoringStep(r.Context(), rc.actor, id, action, rec, version)
		}()
		if err != nil {
			return s.formFailed(w, r, rc, err, func() error { return s.showMonitoringProcess(w, r, rc, err) })
		}
		s.flashRedirect(w, r, monitoring.Link(id), "monitoring.saved")
		return nil
	}
}

// formProposal reads a proposal form (new or resubmitted).
func formProposal(r *http.Request, kind monitoring.Kind) (monitoring.Proposal, error) {
	f := r.PostForm
	p := monitoring.Proposal{Kind: kind, Category: f.Get("category"), RiskCauses: f["risk_causes"], Origin: f.Get("origin"),
		Reason: f.Get("reason")}
	fen, err := safetynet.ParseYuan(f.Get("income"))
	if err != nil || strings.TrimSpace(f.Get("income")) == "" {
		return p, safetynet.Invalid("income", "近12个月家庭纯收入应为金额（元），如 18000", "income must be an amount in yuan, e.g. 18000")
	}
	p.IncomeFen = fen
	if v := f.Get("members"); v != "" {
		if p.Members, err = strconv.Atoi(v); err != nil {
			return p, safetynet.Invalid("members", "家庭人口应为整数", "the number of persons must be a whole number")
		}
	}
	return p, nil
}

// webResubmitMonitoring sends a returned process back to the town.
func (s *Server) webResubmitMonitoring(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "processID")
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	if _, err := s.store.MonitoringProcessView(r.Context(), rc.actor, id); err != nil {
		return err
	}
	err = func() error {
		version, err := formVersion(r)
		if err != nil {
			return err
		}
		p, err := formProposal(r, monitoring.Kind(r.PostForm.Get("kind")))
		if err != nil {
			return err
		}
		return s.store.ResubmitMonitoring(r.Context(), rc.actor, id, p, r.PostForm.Get("note"), version)
	}()
	if err != nil {
		return s.formFailed(w, r, rc, err, func() error { return s.showMonitoringProcess(w, r, rc, err) })
	}
	s.flashRedirect(w, r, monitoring.Link(id), "monitoring.saved")
	return nil
}

// webWithdrawMonitoring ends a process the village has not sent up.
func (s *Server) webWithdrawMonitoring(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "processID")
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	if _, err := s.store.MonitoringProcessView(r.Context(), rc.actor, id); err != nil {
		return err
	}
	err = func() error {
		version, err := formVersion(r)
		if err != nil {
			return err
		}
		return s.store.WithdrawMonitoring(r.Context(), rc.actor, id, r.PostForm.Get("note"), version)
	}()
	if err != nil {
		return s.formFailed(w, r, rc, err, func() error { return s.showMonitoringProcess(w, r, rc, err) })
	}
	s.flashRedirect(w, r, monitoring.Link(id), "monitoring.saved")
	return nil
}

// monitoringProposePage is the form proposing inclusion or elimination.
type monitoringProposePage struct {
	Household safetynet.Household
	Kind      monitoring.Kind
	ClueID    int64
	Origin    string
	Types     []string
	Risks     []string // risk causes found by the verification, ticked
	Category  string
}

func (s *Server) webProposeMonitoringForm(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	return s.showProposeMonitoring(w, r, rc, nil)
}

func (s *Server) showProposeMonitoring(w http.ResponseWriter, r *http.Request, rc *reqCtx, formErr error) error {
	if err := rc.actor.Require(access.MonitoringPropose); err != nil {
		return err
	}
	id, err := pathID(r, "householdID")
	if err != nil {
		return err
	}
	h, err := s.store.Household(r.Context(), rc.actor, id)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	pg := monitoringProposePage{Household: h, Kind: monitoring.Include, Origin: q.Get("origin"), Types: monitoring.Types,
		Category: safetynet.CatMonitorMarginal}
	if q.Get("kind") == string(monitoring.Eliminate) {
		pg.Kind = monitoring.Eliminate
	}
	if c, err := strconv.ParseInt(q.Get("clue"), 10, 64); err == nil && c > 0 {
		pg.ClueID = c
		vs, err := s.store.Verifications(r.Context(), rc.actor, c)
		if err != nil {
			return err
		}
		for _, v := range vs {
			pg.Risks = append(pg.Risks, v.Risks...)
		}
	}
	if pg.Origin == "" {
		pg.Origin = "screening"
	}
	status := http.StatusOK
	if formErr != nil {
		status = statusOf(s.publicError(r, formErr))
	}
	return s.render(w, r, rc, status, "monitoring_propose", "monitoring.propose", pg, formErr)
}

// webProposeMonitoring starts a process from the proposal form.
func (s *Server) webProposeMonitoring(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	hid, err := pathID(r, "householdID")
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	if _, err := s.store.Household(r.Context(), rc.actor, hid); err != nil {
		return err
	}
	var id int64
	err = func() error {
		kind := monitoring.Include
		if r.PostForm.Get("kind") == string(monitoring.Eliminate) {
			kind = monitoring.Eliminate
		}
		p, err := formProposal(r, kind)
		if err != nil {
			return err
		}
		clue, _ := strconv.ParseInt(r.PostForm.Get("clue_id"), 10, 64)
		id, err = s.store.ProposeMonitoring(r.Context(), rc.actor, hid, p, clue)
		return err
	}()
	if err != nil {
		return s.formFailed(w, r, rc, err, func() error { return s.showProposeMonitoring(w, r, rc, err) })
	}
	s.flashRedirect(w, r, monitoring.Link(id), "monitoring.proposed")
	return nil
}

// webRecordAssessment records a periodic income review from the
// household page's 监测 block.
func (s *Server) webRecordAssessment(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	hid, err := pathID(r, "householdID")
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	if _, err := s.store.Household(r.Context(), rc.actor, hid); err != nil {
		return err
	}
	err = func() error {
		on, err := dateParam(r.PostForm.Get("date"), "date")
		if err != nil {
			return err
		}
		p, err := formProposal(r, monitoring.Eliminate)
		if err != nil {
			return err
		}
		return s.store.RecordAssessment(r.Context(), rc.actor, hid, on, p.IncomeFen, p.Members, r.PostForm.Get("note"))
	}()
	if err != nil {
		return s.formFailed(w, r, rc, err, func() error { return s.showHousehold(w, r, rc, "", err) })
	}
	s.flashRedirect(w, r, fmt.Sprintf("/households/%d#monitoring", hid), "monitoring.assessed")
	return nil
}

// householdMonitoring is the 监测 block of the household page, nil for
// those who may not see it.
func (s *Server) householdMonitoring(r *http.Request, rc *reqCtx, id int64) (*sqlstore.HouseholdMonitoring, error) {
	if !rc.actor.Can(access.MonitoringView) {
		return nil, nil
	}
	v, err := s.store.HouseholdMonitoringView(r.Context(), rc.actor, id)
	if err != nil {
		return nil, err
	}
	return &v, nil
}
