package httpserver

import (
	"bytes"
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"strings"

	"safetynet"
	"safetynet/access"
	"safetynet/pacts"
	"safetynet/sqlstore"
)

// pactsPage is 窗帘之约: the pacts of the viewer's places (a neighbour's
// own), the open alerts and the links to the round and the figures.
type pactsPage struct {
	Pacts  []sqlstore.Pact
	Alerts []sqlstore.PactDay
	Manage bool
}

func (s *Server) webPacts(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	list, err := s.store.Pacts(r.Context(), rc.actor, "")
	if err != nil {
		return err
	}
	alerts, err := s.store.PactAlerts(r.Context(), rc.actor)
	if err != nil {
		return err
	}
	return s.render(w, r, rc, http.StatusOK, "pacts", "pacts.title", pactsPage{Pacts: list, Alerts: alerts,
		Manage: rc.actor.Can(access.RegisterEdit)}, nil)
}

// pactFormPage makes a pact: the elderly person found by name, a steward
// among the grid workers and neighbours, the deadline and the ladder.
type pactFormPage struct {
	Query    string
	Hits     []sqlstore.SearchHit
	PersonID int64
	Person   string
	Stewards []sqlstore.PactSteward
	Deadline string
	WaitMin  int
	Ladder   map[string]bool
}

func (s *Server) pactForm(r *http.Request, rc *reqCtx) (pactFormPage, error) {
	pg := pactFormPage{Query: strings.TrimSpace(r.URL.Query().Get("q")), Deadline: "08:00", WaitMin: pacts.DefaultWaitMin,
		Ladder: map[string]bool{}}
	for _, l := range pacts.DefaultLadder {
		pg.Ladder[string(l)] = true
	}
	var err error
	if pg.Query != "" {
		if pg.Hits, err = s.store.Search(r.Context(), rc.actor, pg.Query, 20); err != nil {
			return pg, err
		}
	}
	if v := r.URL.Query().Get("person"); v != "" {
		pg.PersonID, _ = strconv.ParseInt(v, 10, 64)
		if pg.Person, err = s.store.PactPersonName(r.Context(), rc.actor, pg.PersonID); err != nil {
			return pg, err
		}
	}
	pg.Stewards, err = s.store.PactStewards(r.Context(), rc.actor)
	return pg, err
}

func (s *Server) webNewPact(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	if err := rc.actor.Require(access.RegisterEdit); err != nil {
		return err
	}
	pg, err := s.pactForm(r, rc)
	if err != nil {
		return err
	}
	return s.render(w, r, rc, http.StatusOK, "pact_form", "pacts.new", pg, nil)
}

// pactInputOf reads the terms form.
func pactInputOf(r *http.Request) (sqlstore.PactInput, error) {
	f := r.PostForm
	in := pactInputJSON{Deadline: f.Get("deadline"), Zone: f.Get("zone")}
	in.PersonID, _ = strconv.ParseInt(f.Get("person_id"), 10, 64)
	in.StewardID, _ = strconv.ParseInt(f.Get("steward_id"), 10, 64)
	if v := strings.TrimSpace(f.Get("wait_minutes")); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return sqlstore.PactInput{}, safetynet.Invalid("wait_minutes", "等待时间应为分钟数，如 30", "wait_minutes must be a number of minutes, e.g. 30")
		}
		in.WaitMinutes = n
	}
	in.Ladder = []string{string(pacts.RungSteward)}
	for _, l := range pacts.DefaultLadder[1:] {
		if f.Get("ladder_"+string(l)) != "" {
			in.Ladder = append(in.Ladder, string(l))
		}
	}
	return in.input()
}

func (s *Server) webCreatePact(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	if err := parseForm(r); err != nil {
		return err
	}
	in, err := pactInputOf(r)
	if err == nil {
		var id int64
		if id, err = s.store.CreatePact(r.Context(), rc.actor, in); err == nil {
			s.flashRedirect(w, r, fmt.Sprintf("/pacts/%d", id), "pacts.created")
			return nil
		}
	}
	if safetynet.CodeOf(err) != safetynet.EInvalid {
		return err
	}
	r.URL.RawQuery = "person=" + r.PostForm.Get("person_id")
	pg, ferr := s.pactForm(r, rc)
	if ferr != nil {
		return ferr
	}
	pg.Deadline = r.PostForm.Get("deadline")
	return s.render(w, r, rc, http.StatusOK, "pact_form", "pacts.new", pg, err)
}

// pactPage shows a pact, its terms, pauses, devices, recent days and
// the person's link (shown once, when made).
type pactPage struct {
	P        sqlstore.Pact
	Manage   bool
	Act      bool
	Stewards []sqlstore.PactSteward
	Ladder   map[string]bool
	NewLink  string        // the person's page, just made
	QR       template.HTML // its QR code as SVG markup, if it could be made
	Device   string        // a device just bound
	Secret   string        // its secret, shown once
}

func (s *Server) showPact(w http.ResponseWriter, r *http.Request, rc *reqCtx, id int64, pg pactPage, formErr error) error {
	p, err := s.store.PactView(r.Context(), rc.actor, id)
	if err != nil {
		return err
	}
	pg.P, pg.Manage = p, rc.actor.Can(access.RegisterEdit) && rc.actor.Role != safetynet.RoleVolunteer
	pg.Act = rc.actor.Role == safetynet.RoleVolunteer || rc.actor.Can(access.FollowupRecord)
	pg.Ladder = map[string]bool{}
	for _, l := range p.Terms.Ladder {
		pg.Ladder[string(l)] = true
	}
	if pg.Manage {
		if pg.Stewards, err = s.store.PactStewards(r.Context(), rc.actor); err != nil {
			return err
		}
	}
	return s.render(w, r, rc, http.StatusOK, "pact", "pacts.pact", pg, formErr)
}

func (s *Server) webPact(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "pactID")
	if err != nil {
		return err
	}
	return s.showPact(w, r, rc, id, pactPage{}, nil)
}

// pactPost runs a form on a pact and shows the pact again (a bad input
// on the page, other errors as such).
func (s *Server) pactPost(do func(r *http.Request, rc *reqCtx, id int64, pg *pactPage) error, flash string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
		id, err := pathID(r, "pactID")
		if err != nil {
			return err
		}
		if err := parseForm(r); err != nil {
			return err
		}
		var pg pactPage
		if err := do(r, rc, id, &pg); err != nil {
			if c := safetynet.CodeOf(err); c == safetynet.EInvalid || c == safetynet.EConflict {
				return s.showPact(w, r, rc, id, pg, err)
			}
			return err
		}
		if pg.NewLink != "" || pg.Secret != "" {
			return s.showPact(w, r, rc, id, pg, nil)
		}
		s.flashRedirect(w, r, pactNext(r.PostForm.Get("next"), id), flash)
		return nil
	}
}

func (s *Server) webUpdatePact() handlerFunc {
	return s.pactPost(func(r *http.Request, rc *reqCtx, id int64, pg *pactPage) error {
		v, err := formVersion(r)
		if err != nil {
			return err
		}
		in, err := pactInputOf(r)
		if err != nil {
			return err
		}
		return s.store.UpdatePact(r.Context(), rc.actor, id, v, in)
	}, "pacts.saved")
}

func (s *Server) webPactLink() handlerFunc {
	return s.pactPost(func(r *http.Request, rc *reqCtx, id int64, pg *pactPage) error {
		token, err := s.store.ReplacePactToken(r.Context(), rc.actor, id)
		if err != nil {
			return err
		}
		pg.NewLink = s.absURL(r, "/p/"+token)
		pg.QR = qrSVG(pg.NewLink)
		return nil
	}, "")
}

func (s *Server) webPactRevoke() handlerFunc {
	return s.pactPost(func(r *http.Request, rc *reqCtx, id int64, pg *pactPage) error {
		return s.store.RevokePactToken(r.Context(), rc.actor, id)
	}, "pacts.revoked")
}

func (s *Server) webPactEnd() handlerFunc {
	return s.pactPost(func(r *http.Request, rc *reqCtx, id int64, pg *pactPage) error {
		return s.store.EndPact(r.Context(), rc.actor, id)
	}, "pacts.ended")
}

func (s *Server) webPactAway() handlerFunc {
	return s.pactPost(func(r *http.Request, rc *reqCtx, id int64, pg *pactPage) error {
		f := r.PostForm
		return s.store.AddPactAway(r.Context(), rc.actor, id, pacts.Away{From: f.Get("from"), To: f.Get("to"), Reason: f.Get("reason")})
	}, "pacts.paused")
}

func (s *Server) webPactDevice() handlerFunc {
	return s.pactPost(func(r *http.Request, rc *reqCtx, id int64, pg *pactPage) error {
		secret, err := s.store.BindPactDevice(r.Context(), rc.actor, id, r.PostForm.Get("device"), r.PostForm.Get("kind"))
		if err != nil {
			return err
		}
		pg.Device, pg.Secret = strings.TrimSpace(r.PostForm.Get("device")), secret
		return nil
	}, "")
}

func (s *Server) webPactSign() handlerFunc {
	return s.pactPost(func(r *http.Request, rc *reqCtx, id int64, pg *pactPage) error {
		return s.store.SignPact(r.Context(), rc.actor, id)
	}, "pacts.signed")
}

// absURL makes a link absolute for the printed card.
func (s *Server) absURL(r *http.Request, p string) string {
	scheme := "http"
	if r.TLS != nil || s.secure {
		scheme = "https"
	}
	return scheme + "://" + r.Host + p
}

// pactRoundPage is the steward's morning round: one tap per pact.
type pactRoundPage struct {
	Items []sqlstore.PactRoundItem
}

func (s *Server) webPactRound(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	items, err := s.store.PactRound(r.Context(), rc.actor, s.store.Now())
	if err != nil {
		return err
	}
	return s.render(w, r, rc, http.StatusOK, "pact_round", "pacts.round", pactRoundPage{Items: items}, nil)
}

// pactDayPage is the alert: acknowledge ("我去看看") and record the finding.
type pactDayPage struct {
	D        sqlstore.PactDay
	Findings []pacts.Finding
	Act      bool
}

func (s *Server) showPactDay(w http.ResponseWriter, r *http.Request, rc *reqCtx, id int64, formErr error) error {
	d, err := s.store.PactDayView(r.Context(), rc.actor, id)
	if err != nil {
		return err
	}
	return s.render(w, r, rc, http.StatusOK, "pact_day", "pacts.alert", pactDayPage{D: d, Findings: pacts.Findings,
		Act: rc.actor.Role == safetynet.RoleVolunteer || rc.actor.Can(access.FollowupRecord)}, formErr)
}

func (s *Server) webPactDay(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "pactDayID")
	if err != nil {
		return err
	}
	return s.showPactDay(w, r, rc, id, nil)
}

func (s *Server) webAcknowledgePactDay(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "pactDayID")
	if err != nil {
		return err
	}
	if err := s.store.AcknowledgePactDay(r.Context(), rc.actor, id); err != nil {
		if safetynet.CodeOf(err) == safetynet.EConflict {
			return s.showPactDay(w, r, rc, id, err)
		}
		return err
	}
	s.flashRedirect(w, r, fmt.Sprintf("/pacts/days/%d", id), "pacts.going")
	return nil
}

func (s *Server) webPactFinding(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "pactDayID")
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	f := pacts.Finding(r.PostForm.Get("finding"))
	if err := s.store.RecordPactFinding(r.Context(), rc.actor, id, f, r.PostForm.Get("note")); err != nil {
		if c := safetynet.CodeOf(err); c == safetynet.EInvalid || c == safetynet.EConflict {
			return s.showPactDay(w, r, rc, id, err)
		}
		return err
	}
	if f == pacts.FoundHelp && rc.actor.Can(access.ClueReport) {
		d, err := s.store.PactDayView(r.Context(), rc.actor, id)
		if err != nil {
			return err
		}
		s.flashRedirect(w, r, fmt.Sprintf("/report?household=%d", d.HouseholdID), "pacts.report_help")
		return nil
	}
	s.flashRedirect(w, r, fmt.Sprintf("/pacts/days/%d", id), "pacts.recorded")
	return nil
}

// pactFiguresPage shows the days kept, missed and answered per place.
type pactFiguresPage struct {
	Place, PlaceName, From, To string
	Items                      []sqlstore.PactFigure
}

func (s *Server) webPactFigures(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	place, from, to := s.pactPeriod(r, rc)
	figs, err := s.store.PactFigures(r.Context(), rc.actor, place, from, to)
	if err != nil {
		return err
	}
	pl, err := s.store.Place(r.Context(), rc.actor, place)
	if err != nil {
		return err
	}
	return s.render(w, r, rc, http.StatusOK, "pact_figures", "pacts.figures", pactFiguresPage{Place: place, PlaceName: pl.Name,
		From: from, To: to, Items: figs}, nil)
}

// pactSelfPage is the elderly person's own page: the steward's name and
// one huge button, nothing else.
type pactSelfPage struct {
	Token   string
	Steward string
	Signed  bool
	Gone    bool // the link was revoked or replaced
}

// renderBare writes a page without the layout's menu and footer.
func (s *Server) renderBare(w http.ResponseWriter, rc *reqCtx, status int, name string, data any) error {
	t, ok := s.pages[name]
	if !ok {
		return fmt.Errorf("httpserver: no template %q", name)
	}
	p := &page{Lang: rc.lang, Data: data}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "bare", p); err != nil {
		return fmt.Errorf("httpserver: render %s: %w", name, err)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Referrer-Policy", "no-referrer")
	w.WriteHeader(status)
	_, err := w.Write(buf.Bytes())
	return err
}

func (s *Server) webPactSelf(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	token := r.PathValue("token")
	v, err := s.store.PactSelfView(r.Context(), token)
	if safetynet.CodeOf(err) == safetynet.ENotFound {
		return s.renderBare(w, rc, http.StatusNotFound, "pact_self", pactSelfPage{Gone: true})
	}
	if err != nil {
		return err
	}
	return s.renderBare(w, rc, http.StatusOK, "pact_self", pactSelfPage{Token: token, Steward: v.StewardName, Signed: v.SignedToday})
}

func (s *Server) webPactSelfSign(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	token := r.PathValue("token")
	err := s.store.PactSelfSign(r.Context(), token)
	if safetynet.CodeOf(err) == safetynet.ENotFound {
		return s.renderBare(w, rc, http.StatusNotFound, "pact_self", pactSelfPage{Gone: true})
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/p/"+token, http.StatusSeeOther)
	return nil
}

// PactState names a day's state.
func (p *page) PactState(state string) string { return p.T("pacts.state." + state) }

// PactRung names a step of the ladder.
func (p *page) PactRung(r string) string { return p.T("pacts.rung." + r) }

// PactFinding names a finding.
func (p *page) PactFinding(f string) string { return p.T("pacts.finding." + f) }

// PactAway names the reason of a pause.
func (p *page) PactAway(r string) string { return p.T("pacts.away." + r) }

// PactDevice names a kind of device.
func (p *page) PactDevice(k string) string { return p.T("pacts.device." + k) }

// PactSource names where a sign came from.
func (p *page) PactSource(k string) string {
	if k == "" {
		return ""
	}
	return p.T("pacts.source." + k)
}

// PactClock writes a deadline as 08:00.
func (p *page) PactClock(min int) string { return pacts.Clock(min) }

// PactRungs lists the steps of the ladder for the forms.
func (p *page) PactRungs() []pacts.Rung { return pacts.DefaultLadder }

// PactAwayReasons lists the reasons of a pause.
func (p *page) PactAwayReasons() []string { return pacts.AwayReasons }

// PactDeviceKinds lists the kinds of devices.
func (p *page) PactDeviceKinds() []string { return sqlstore.DeviceKinds }

// PactMinutes writes a response time in minutes.
func (p *page) PactMinutes(m float64) string { return strconv.FormatFloat(m, 'f', 0, 64) }

// pactNotice is the inbox text of a missed day.
func (p *page) pactNotice(d map[string]any) string {
	return p.pick("窗帘之约：", "curtain pact: ") + ud(detailStr(d, "person")) + p.pick(" 今天到时还没有平安信号，请马上去看看（", " gave no sign of life by the deadline today; please go and see (") +
		p.PactRung(detailStr(d, "step")) + p.pick("）", ")")
}

// pactNext is where a pact form returns: the round when it came from
// there, else the pact.
func pactNext(next string, id int64) string {
	if next == "/pacts/round" {
		return next
	}
	return fmt.Sprintf("/pacts/%d", id)
}
