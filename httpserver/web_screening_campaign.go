package httpserver

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"safetynet"
	"safetynet/access"
	"safetynet/campaigns"
	"safetynet/monitoring"
	"safetynet/sqlstore"
)

// Concentrated screening (集中排查) pages: the screenings one sees, a
// screening's progress drilled down from its place to the grids with the
// lists behind every figure (to do, screened, suggesting monitoring with
// their handover), and the form of one household on the phone.

// screeningInJSON is a screening record as the API and the phone's queue
// send it: amounts in yuan, as typed.
type screeningInJSON struct {
	ClientID    string            `json:"client_id"`
	HouseholdID int64             `json:"household_id"`
	PartnerID   int64             `json:"partner_id"`
	ScreenedOn  string            `json:"screened_on"`
	Members     int               `json:"members"`
	Income      map[string]string `json:"income"`
	Expenses    map[string]string `json:"expenses"`
	Findings    []string          `json:"findings"`
	Note        string            `json:"note"`
	Version     int               `json:"version"`
}

func (in screeningInJSON) screening() (campaigns.Screening, error) {
	out := campaigns.Screening{ClientID: in.ClientID, HouseholdID: in.HouseholdID, Partner: in.PartnerID, Members: in.Members,
		Findings: in.Findings, Note: in.Note, Version: in.Version, Income: map[string]int64{}, Expenses: map[string]int64{}}
	if in.ScreenedOn != "" {
		on, err := dateParam(in.ScreenedOn, "screened_on")
		if err != nil {
			return out, err
		}
		out.ScreenedOn = on
	}
	for _, part := range []struct {
		field string
		in    map[string]string
		out   map[string]int64
		v     safetynet.Vocab
	}{{"income", in.Income, out.Income, campaigns.IncomeSources}, {"expenses", in.Expenses, out.Expenses, campaigns.RigidExpenses}} {
		for k, text := range part.in {
			if strings.TrimSpace(text) == "" {
				continue
			}
			if !part.v.Valid(k) {
				return out, safetynet.Invalid(part.field, "未知的项目：%[1]s（可选：%[2]s）", "unknown item %[1]q", k, part.v.ZHList())
			}
			fen, err := safetynet.ParseYuan(text)
			if err != nil {
				return out, safetynet.Invalid(part.field+"."+k, "“%[1]s”应为金额（元），如 12000", "%[2]s must be an amount in yuan, e.g. 12000",
					part.v.Label(k, "zh"), part.v.Label(k, "en"))
			}
			part.out[k] = fen
		}
	}
	return out, nil
}

// screeningFormIn reads the household form.
func screeningFormIn(r *http.Request, householdID int64) screeningInJSON {
	f := r.PostForm
	in := screeningInJSON{ClientID: f.Get("client_id"), HouseholdID: householdID, ScreenedOn: f.Get("screened_on"), Note: f.Get("note"),
		Findings: f["findings"], Income: map[string]string{}, Expenses: map[string]string{}}
	in.PartnerID, _ = strconv.ParseInt(f.Get("partner_id"), 10, 64)
	in.Members, _ = strconv.Atoi(strings.TrimSpace(f.Get("members")))
	in.Version, _ = strconv.Atoi(f.Get("version"))
	for _, c := range campaigns.IncomeSources.Codes() {
		in.Income[c] = f.Get("income_" + c)
	}
	for _, c := range campaigns.RigidExpenses.Codes() {
		in.Expenses[c] = f.Get("expense_" + c)
	}
	return in
}

// screeningLink is the address of a screening's page at place, showing list.
func screeningLink(campaignID int64, place, list string, page int) string {
	q := url.Values{}
	if place != "" {
		q.Set("place", place)
	}
	if list != "" {
		q.Set("list", list)
	}
	if page > 1 {
		q.Set("page", strconv.Itoa(page))
	}
	s := fmt.Sprintf("/campaigns/%d/screening", campaignID)
	if len(q) > 0 {
		s += "?" + q.Encode()
	}
	return s
}

// webScreenings lists the screenings the user sees.
func (s *Server) webScreeningCampaigns(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	cs, err := s.store.ScreeningCampaigns(r.Context(), rc.actor)
	if err != nil {
		return err
	}
	return s.render(w, r, rc, http.StatusOK, "screening_campaigns", "screenc.title", cs, nil)
}

// screeningCampaignPage is a screening's progress and one of its lists.
type screeningCampaignPage struct {
	Progress sqlstore.ScreeningProgress
	List     sqlstore.ScreeningList
	Lists    []string
	Types    []string
}

// Link is the page at place with list.
func (p screeningCampaignPage) Link(place, list string, page int) string {
	return screeningLink(p.Progress.Campaign.ID, place, list, page)
}

// webScreeningCampaign shows a screening's progress at a place and a list.
func (s *Server) webScreeningCampaign(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "screeningID")
	if err != nil {
		return err
	}
	q := r.URL.Query()
	list := q.Get("list")
	if list == "" {
		list = sqlstore.ScreeningTodo
	}
	page, _ := strconv.Atoi(q.Get("page"))
	pg := screeningCampaignPage{Lists: sqlstore.ScreeningLists, Types: monitoring.Types}
	if pg.Progress, err = s.store.ScreeningProgressView(r.Context(), rc.actor, id, q.Get("place")); err != nil {
		return err
	}
	if pg.List, err = s.store.ScreeningHouseholds(r.Context(), rc.actor, id, pg.Progress.Place.Code, list, page); err != nil {
		return err
	}
	return s.render(w, r, rc, http.StatusOK, "screening_campaign", "screenc.title", pg, nil)
}

// screeningFormPage is the form of one household.
type screeningFormPage struct {
	sqlstore.ScreeningForm
	ClientID string
	In       screeningInJSON // what was typed, when shown again with an error
	Typed    bool
}

// Amount is the yuan typed for an income source or expense, or stored.
func (p screeningFormPage) Amount(kind, code string) string {
	if p.Typed {
		if kind == "income" {
			return p.In.Income[code]
		}
		return p.In.Expenses[code]
	}
	if p.Record == nil {
		return ""
	}
	m := p.Record.Income
	if kind != "income" {
		m = p.Record.Expenses
	}
	if m[code] == 0 {
		return ""
	}
	return safetynet.FormatYuan(m[code])
}

// Found reports whether a finding is ticked.
func (p screeningFormPage) Found(code string) bool {
	l := p.In.Findings
	if !p.Typed && p.Record != nil {
		l = p.Record.Findings
	}
	for _, f := range l {
		if f == code {
			return true
		}
	}
	return false
}

// Members is the household size to show: typed, recorded, or the register's.
func (p screeningFormPage) Members() int {
	switch {
	case p.Typed && p.In.Members > 0:
		return p.In.Members
	case p.Record != nil:
		return p.Record.Members
	}
	return max(p.Household.Members, 1)
}

// Partner is the partner chosen: typed, or the other screener recorded.
func (p screeningFormPage) Partner(userID int64) int64 {
	if p.Typed {
		return p.In.PartnerID
	}
	if p.Record != nil {
		if p.Record.Screener1 == userID {
			return p.Record.Screener2
		}
		return p.Record.Screener1
	}
	return 0
}

// ScreenedOn is the date to show.
func (p screeningFormPage) ScreenedOn() string {
	if p.Typed && p.In.ScreenedOn != "" {
		return p.In.ScreenedOn
	}
	if p.Record != nil {
		return p.Record.ScreenedOn.Format("2006-01-02")
	}
	return p.Today.Format("2006-01-02")
}

// Note is the note to show.
func (p screeningFormPage) Note() string {
	if p.Typed || p.Record == nil {
		return p.In.Note
	}
	return p.Record.Note
}

func (s *Server) webScreeningForm(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	return s.showScreeningForm(w, r, rc, nil, nil)
}

func (s *Server) showScreeningForm(w http.ResponseWriter, r *http.Request, rc *reqCtx, typed *screeningInJSON, formErr error) error {
	cid, err := pathID(r, "screeningID")
	if err != nil {
		return err
	}
	hid, err := pathID(r, "householdID")
	if err != nil {
		return err
	}
	f, err := s.store.ScreeningFormView(r.Context(), rc.actor, cid, hid)
	if err != nil {
		return err
	}
	pg := screeningFormPage{ScreeningForm: f, ClientID: newClientID()}
	if typed != nil {
		pg.In, pg.Typed, pg.ClientID = *typed, true, typed.ClientID
	}
	status := http.StatusOK
	if formErr != nil {
		status = statusOf(s.publicError(r, formErr))
	}
	return s.render(w, r, rc, status, "screening_campaign_form", "screenc.form", pg, formErr)
}

// webRecordScreening records the form without script (the phone's script
// sends it through the offline queue to the API instead).
func (s *Server) webRecordScreening(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	cid, err := pathID(r, "screeningID")
	if err != nil {
		return err
	}
	hid, err := pathID(r, "householdID")
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	in := screeningFormIn(r, hid)
	var rec sqlstore.ScreeningRecord
	err = func() error {
		sc, err := in.screening()
		if err != nil {
			return err
		}
		rec, _, err = s.store.RecordScreening(r.Context(), rc.actor, cid, sc)
		return err
	}()
	if err != nil {
		return s.formFailed(w, r, rc, err, func() error { return s.showScreeningForm(w, r, rc, &in, err) })
	}
	msg := "screenc.saved"
	if rec.Suggests {
		msg = "screenc.saved_suggests"
	}
	s.flashRedirect(w, r, screeningLink(cid, r.URL.Query().Get("place"), sqlstore.ScreeningTodo, 0), msg)
	return nil
}

// webHandOverScreening hands a suggesting household to the inclusion flow
// from the list (one tap; type and causes prefilled, changeable).
func (s *Server) webHandOverScreening(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	cid, err := pathID(r, "screeningID")
	if err != nil {
		return err
	}
	rid, err := pathID(r, "screeningRecordID")
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	if !rc.actor.Can(access.MonitoringPropose) {
		return safetynet.Forbidden()
	}
	_, started, err := s.store.HandOverScreening(r.Context(), rc.actor, rid,
		campaigns.Handover{Category: r.PostForm.Get("category"), Causes: r.PostForm["risk_causes"]})
	if err != nil {
		return err
	}
	msg := "screenc.handed"
	if !started {
		msg = "screenc.linked"
	}
	s.flashRedirect(w, r, screeningLink(cid, r.PostForm.Get("place"), sqlstore.ScreeningSuggested, 0)+"#screening-list", msg)
	return nil
}
