package httpserver

import (
	"io"
	"net/http"
	"strings"
	"time"

	"safetynet"
	"safetynet/pacts"
	"safetynet/sqlstore"
)

// pactJSON is a curtain pact (窗帘之约).
type pactJSON struct {
	ID          int64         `json:"id"`
	PersonID    int64         `json:"person_id"`
	PersonName  string        `json:"person_name"`
	PlaceCode   string        `json:"place_code"`
	PlaceName   string        `json:"place_name"`
	StewardID   int64         `json:"steward_id"`
	StewardName string        `json:"steward_name"`
	Deadline    string        `json:"deadline"`
	Zone        string        `json:"zone"`
	WaitMinutes int           `json:"wait_minutes"`
	Ladder      []string      `json:"ladder"`
	Status      string        `json:"status"`
	HasLink     bool          `json:"has_link"`
	Away        []awayJSON    `json:"away"`
	Devices     []deviceJSON  `json:"devices"`
	Days        []pactDayJSON `json:"days"`
	Version     int           `json:"version"`
}

type awayJSON struct {
	From   string `json:"from"`
	To     string `json:"to"`
	Reason string `json:"reason"`
}

type deviceJSON struct {
	Device string `json:"device"`
	Kind   string `json:"kind"`
}

type pactListJSON struct {
	Items []pactJSON `json:"items"`
}

// pactDayJSON is a day of a pact: kept, missed (alerted), late or resolved.
type pactDayJSON struct {
	ID             int64      `json:"id"`
	PactID         int64      `json:"pact_id"`
	PersonName     string     `json:"person_name"`
	PlaceName      string     `json:"place_name"`
	StewardName    string     `json:"steward_name"`
	Day            string     `json:"day"`
	Status         string     `json:"status"`
	DueAt          time.Time  `json:"due_at"`
	SignAt         *time.Time `json:"sign_at,omitempty"`
	SignSource     string     `json:"sign_source"`
	Step           string     `json:"step"`
	AcknowledgedBy string     `json:"acknowledged_by"`
	AcknowledgedAt *time.Time `json:"acknowledged_at,omitempty"`
	Finding        string     `json:"finding"`
	FindingNote    string     `json:"finding_note"`
}

type pactDayListJSON struct {
	Items []pactDayJSON `json:"items"`
}

type pactRoundItemJSON struct {
	PactID     int64      `json:"pact_id"`
	DayID      int64      `json:"day_id"`
	PersonName string     `json:"person_name"`
	PlaceName  string     `json:"place_name"`
	Day        string     `json:"day"`
	DueAt      time.Time  `json:"due_at"`
	State      string     `json:"state"`
	SignAt     *time.Time `json:"sign_at,omitempty"`
}

type pactRoundJSON struct {
	Items []pactRoundItemJSON `json:"items"`
}

// pactLinkJSON is the person's own page link, shown once.
type pactLinkJSON struct {
	Token string `json:"token"`
	URL   string `json:"url"`
}

// pactDeviceSecretJSON is a bound device's secret, shown once.
type pactDeviceSecretJSON struct {
	Device string `json:"device"`
	Secret string `json:"secret"`
}

type pactCountsJSON struct {
	Kept               int     `json:"kept"`
	Missed             int     `json:"missed"`
	Late               int     `json:"late"`
	Answered           int     `json:"answered"`
	Found              int     `json:"found"`
	AvgResponseMinutes float64 `json:"avg_response_minutes"`
	AvgFindingMinutes  float64 `json:"avg_finding_minutes"`
}

type pactFigureJSON struct {
	PlaceCode string         `json:"place_code"`
	PlaceName string         `json:"place_name"`
	Current   pactCountsJSON `json:"current"`
	Previous  pactCountsJSON `json:"previous"`
}

type pactFiguresJSON struct {
	Place string           `json:"place"`
	From  string           `json:"from"`
	To    string           `json:"to"`
	Items []pactFigureJSON `json:"items"`
}

func optTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

func toPactDayJSON(d sqlstore.PactDay) pactDayJSON {
	return pactDayJSON{ID: d.ID, PactID: d.PactID, PersonName: d.PersonName, PlaceName: d.PlaceName, StewardName: d.StewardName,
		Day: d.Day, Status: d.Status, DueAt: d.Due, SignAt: optTime(d.SignAt), SignSource: d.SignSource, Step: d.RungKind,
		AcknowledgedBy: d.AckBy, AcknowledgedAt: optTime(d.AckAt), Finding: d.Finding, FindingNote: d.FindingNote}
}

func toPactJSON(p sqlstore.Pact) pactJSON {
	out := pactJSON{ID: p.ID, PersonID: p.PersonID, PersonName: p.PersonName, PlaceCode: p.PlaceCode, PlaceName: p.PlaceName,
		StewardID: p.StewardID, StewardName: p.StewardName, Deadline: pacts.Clock(p.Terms.DeadlineMin), Zone: p.Terms.Zone,
		WaitMinutes: p.Terms.WaitMin, Ladder: []string{}, Status: p.Status, HasLink: p.HasToken, Away: []awayJSON{},
		Devices: []deviceJSON{}, Days: []pactDayJSON{}, Version: p.Version}
	for _, r := range p.Terms.Ladder {
		out.Ladder = append(out.Ladder, string(r))
	}
	for _, w := range p.Aways {
		out.Away = append(out.Away, awayJSON(w))
	}
	for _, d := range p.Devices {
		out.Devices = append(out.Devices, deviceJSON(d))
	}
	for _, d := range p.Days {
		out.Days = append(out.Days, toPactDayJSON(d))
	}
	return out
}

// pactInputJSON creates or changes a pact.
type pactInputJSON struct {
	PersonID    int64    `json:"person_id"`
	StewardID   int64    `json:"steward_id"`
	Deadline    string   `json:"deadline"`
	Zone        string   `json:"zone"`
	WaitMinutes int      `json:"wait_minutes"`
	Ladder      []string `json:"ladder"`
	Version     int      `json:"version"`
}

func (in pactInputJSON) input() (sqlstore.PactInput, error) {
	out := sqlstore.PactInput{PersonID: in.PersonID, StewardID: in.StewardID,
		Terms: pacts.Terms{DeadlineMin: pacts.DefaultDeadline, Zone: in.Zone, WaitMin: in.WaitMinutes}}
	if in.PersonID <= 0 {
		return out, safetynet.Invalid("person_id", "请选择老人", "person_id is required")
	}
	if in.StewardID <= 0 {
		return out, safetynet.Invalid("steward_id", "请选择红管家", "steward_id is required")
	}
	if in.Deadline != "" {
		m, err := pacts.ParseClock(in.Deadline)
		if err != nil {
			return out, safetynet.Invalid("deadline", "截止时间应为 08:00 这样的时刻", "deadline must be a time of day like 08:00")
		}
		out.Terms.DeadlineMin = m
	}
	for _, r := range in.Ladder {
		out.Terms.Ladder = append(out.Terms.Ladder, pacts.Rung(r))
	}
	return out, nil
}

// apiPacts answers GET /api/v1/pacts.
func (s *Server) apiPacts(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	list, err := s.store.Pacts(r.Context(), rc.actor, r.URL.Query().Get("place"))
	if err != nil {
		return err
	}
	out := pactListJSON{Items: make([]pactJSON, 0, len(list))}
	for _, p := range list {
		out.Items = append(out.Items, toPactJSON(p))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// apiCreatePact answers POST /api/v1/pacts.
func (s *Server) apiCreatePact(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	var in pactInputJSON
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	p, err := in.input()
	if err != nil {
		return err
	}
	id, err := s.store.CreatePact(r.Context(), rc.actor, p)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, createdJSON{ID: id})
	return nil
}

// apiPact answers GET /api/v1/pacts/{pactID}.
func (s *Server) apiPact(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "pactID")
	if err != nil {
		return err
	}
	p, err := s.store.PactView(r.Context(), rc.actor, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toPactJSON(p))
	return nil
}

// apiUpdatePact answers PUT /api/v1/pacts/{pactID}.
func (s *Server) apiUpdatePact(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "pactID")
	if err != nil {
		return err
	}
	var in pactInputJSON
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if err := requireVersion(in.Version); err != nil {
		return err
	}
	p, err := in.input()
	if err != nil {
		return err
	}
	if err := s.store.UpdatePact(r.Context(), rc.actor, id, in.Version, p); err != nil {
		return err
	}
	return s.apiPact(w, r, rc)
}

// apiEndPact answers POST /api/v1/pacts/{pactID}/end.
func (s *Server) apiEndPact(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "pactID")
	if err != nil {
		return err
	}
	if err := s.store.EndPact(r.Context(), rc.actor, id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// apiReplacePactLink answers POST /api/v1/pacts/{pactID}/link: a new
// link for the person's own page; the old one stops working.
func (s *Server) apiReplacePactLink(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "pactID")
	if err != nil {
		return err
	}
	token, err := s.store.ReplacePactToken(r.Context(), rc.actor, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, pactLinkJSON{Token: token, URL: "/p/" + token})
	return nil
}

// apiRevokePactLink answers DELETE /api/v1/pacts/{pactID}/link.
func (s *Server) apiRevokePactLink(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "pactID")
	if err != nil {
		return err
	}
	if err := s.store.RevokePactToken(r.Context(), rc.actor, id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// apiPactAway answers POST /api/v1/pacts/{pactID}/away.
func (s *Server) apiPactAway(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "pactID")
	if err != nil {
		return err
	}
	var in awayJSON
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if err := s.store.AddPactAway(r.Context(), rc.actor, id, pacts.Away(in)); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// apiBindPactDevice answers POST /api/v1/pacts/{pactID}/devices.
func (s *Server) apiBindPactDevice(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "pactID")
	if err != nil {
		return err
	}
	var in deviceJSON
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	secret, err := s.store.BindPactDevice(r.Context(), rc.actor, id, in.Device, in.Kind)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, pactDeviceSecretJSON{Device: strings.TrimSpace(in.Device), Secret: secret})
	return nil
}

// apiSignPact answers POST /api/v1/pacts/{pactID}/sign: "窗帘已开".
func (s *Server) apiSignPact(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "pactID")
	if err != nil {
		return err
	}
	if err := s.store.SignPact(r.Context(), rc.actor, id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// apiPactRound answers GET /api/v1/pacts/round: the caller's pacts today.
func (s *Server) apiPactRound(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	items, err := s.store.PactRound(r.Context(), rc.actor, s.store.Now())
	if err != nil {
		return err
	}
	out := pactRoundJSON{Items: make([]pactRoundItemJSON, 0, len(items))}
	for _, it := range items {
		out.Items = append(out.Items, pactRoundItemJSON{PactID: it.PactID, DayID: it.DayID, PersonName: it.PersonName,
			PlaceName: it.PlaceName, Day: it.Day, DueAt: it.Due, State: it.State, SignAt: optTime(it.SignAt)})
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// apiPactAlerts answers GET /api/v1/pacts/alerts: missed days still open.
func (s *Server) apiPactAlerts(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	list, err := s.store.PactAlerts(r.Context(), rc.actor)
	if err != nil {
		return err
	}
	out := pactDayListJSON{Items: make([]pactDayJSON, 0, len(list))}
	for _, d := range list {
		out.Items = append(out.Items, toPactDayJSON(d))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// apiPactDay answers GET /api/v1/pacts/days/{pactDayID}.
func (s *Server) apiPactDay(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "pactDayID")
	if err != nil {
		return err
	}
	d, err := s.store.PactDayView(r.Context(), rc.actor, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toPactDayJSON(d))
	return nil
}

// apiAcknowledgePactDay answers POST /api/v1/pacts/days/{pactDayID}/acknowledge: "我去看看".
func (s *Server) apiAcknowledgePactDay(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "pactDayID")
	if err != nil {
		return err
	}
	if err := s.store.AcknowledgePactDay(r.Context(), rc.actor, id); err != nil {
		return err
	}
	return s.apiPactDay(w, r, rc)
}

type pactFindingJSON struct {
	Finding string `json:"finding"`
	Note    string `json:"note"`
}

// apiPactFinding answers POST /api/v1/pacts/days/{pactDayID}/finding.
func (s *Server) apiPactFinding(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "pactDayID")
	if err != nil {
		return err
	}
	var in pactFindingJSON
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if err := s.store.RecordPactFinding(r.Context(), rc.actor, id, pacts.Finding(in.Finding), in.Note); err != nil {
		return err
	}
	return s.apiPactDay(w, r, rc)
}

// pactPeriod reads place, from and to (default: the last 30 days).
func (s *Server) pactPeriod(r *http.Request, rc *reqCtx) (place, from, to string) {
	q := r.URL.Query()
	place, from, to = q.Get("place"), q.Get("from"), q.Get("to")
	if place == "" {
		place = rc.actor.Place
	}
	loc, _ := pacts.Location("")
	if to == "" {
		to = pacts.DayOf(s.store.Now(), loc)
	}
	if from == "" {
		from = pacts.AddDays(to, -29)
	}
	return place, from, to
}

// apiPactFigures answers GET /api/v1/pacts/figures.
func (s *Server) apiPactFigures(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	place, from, to := s.pactPeriod(r, rc)
	figs, err := s.store.PactFigures(r.Context(), rc.actor, place, from, to)
	if err != nil {
		return err
	}
	out := pactFiguresJSON{Place: place, From: from, To: to, Items: make([]pactFigureJSON, 0, len(figs))}
	for _, f := range figs {
		out.Items = append(out.Items, pactFigureJSON{PlaceCode: f.PlaceCode, PlaceName: f.PlaceName,
			Current: toPactCounts(f.Now), Previous: toPactCounts(f.Before)})
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// apiPactSignal answers POST /api/v1/pacts/devices/{device}/signals: a
// device's sign of life, signed with its secret (no login).
func (s *Server) apiPactSignal(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return safetynet.Errorf(safetynet.ETooLarge, "", "请求过大", "the request is too large")
	}
	if err := s.store.PactDeviceSignal(r.Context(), r.PathValue("device"), r.Header.Get("X-Pact-Timestamp"),
		r.Header.Get("X-Pact-Signature"), body); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func toPactCounts(c sqlstore.PactCounts) pactCountsJSON {
	return pactCountsJSON{Kept: c.Kept, Missed: c.Missed, Late: c.Late, Answered: c.Answered, Found: c.Found,
		AvgResponseMinutes: c.AvgResponseMin, AvgFindingMinutes: c.AvgFindingMin}
}
