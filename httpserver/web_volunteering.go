package httpserver

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"safetynet"
	"safetynet/access"
	"safetynet/sqlstore"
	"safetynet/volunteering"
)

// The village's pages of volunteer relays (接龙): the list, the form that
// opens one (from a case or for a household), the relay's page with its
// slots filling up, and the hours with the teams.

type volListPage struct {
	Relays []sqlstore.VolunteerRelay
	Query  string
	Hits   []sqlstore.SearchHit // households to open a relay for
}

func (s *Server) webVolunteering(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	if !rc.actor.Can(access.VolunteerManage) || rc.actor.Role == safetynet.RoleVolunteer {
		if rc.actor.Can(access.VolunteerTake) {
			http.Redirect(w, r, "/volunteering/mine", http.StatusSeeOther)
			return nil
		}
		return safetynet.Forbidden()
	}
	l, err := s.store.VolunteerRelays(r.Context(), rc.actor, sqlstore.VolunteerRelayFilter{Limit: 200})
	if err != nil {
		return err
	}
	pg := volListPage{Relays: l, Query: strings.TrimSpace(r.URL.Query().Get("q"))}
	if pg.Query != "" {
		// A relay for a household without a case: find it by a member's name or the address.
		if pg.Hits, err = s.store.Search(r.Context(), rc.actor, pg.Query, 20); err != nil {
			return err
		}
	}
	return s.render(w, r, rc, http.StatusOK, "volunteering_list", "volunteering.title", pg, nil)
}

// volTaskForm is one task row of the form.
type volTaskForm struct {
	Kind, Title, Bring, From, To, Windows, PerSlot string
}

type volFormPage struct {
	Draft    sqlstore.VolunteerDraft
	ClientID string
	Form     map[string]string
	Tasks    []volTaskForm
	Kinds    []string
}

// volFormRows is how many task rows the form offers.
const volFormRows = 3

func (s *Server) webNewVolunteerRelay(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	return s.showVolunteerForm(w, r, rc, nil, nil, nil)
}

func (s *Server) showVolunteerForm(w http.ResponseWriter, r *http.Request, rc *reqCtx, form map[string]string, tasks []volTaskForm, formErr error) error {
	q := r.URL.Query()
	if r.Method == http.MethodPost {
		q = r.PostForm
	}
	caseID, _ := strconv.ParseInt(q.Get("case"), 10, 64)
	hh, _ := strconv.ParseInt(q.Get("household"), 10, 64)
	if caseID == 0 && hh == 0 {
		return safetynet.Invalid("household", "请从案件或户页面发起接龙", "open a relay from a case or a household")
	}
	d, err := s.store.VolunteerRelayDraft(r.Context(), rc.actor, hh, caseID)
	if err != nil {
		return err
	}
	if form == nil {
		today := s.store.Now().In(volunteering.Zone)
		form = map[string]string{"title": "暖邻相伴爱心送餐", "address": d.Address, "client_id": newClientID()}
		if len(d.Members) > 0 { // the eldest is listed first
			form["person_id"], form["short_name"] = fmt.Sprint(d.Members[0].ID), d.Members[0].ShortName
		}
		from, to := today.Format(volunteering.DateLayout), today.AddDate(0, 0, 13).Format(volunteering.DateLayout)
		tasks = []volTaskForm{
			{Kind: volunteering.KindMeal, Title: "午餐、晚餐送餐", Bring: "热饭菜一份（少盐少油）", From: from, To: to, Windows: "11:00-12:00,17:00-18:00", PerSlot: "1"},
			{Kind: volunteering.KindCare, Title: "照护起居", Bring: "帮助洗漱、打扫、陪伴聊天", From: from, To: to, Windows: "09:00-10:00", PerSlot: "1"},
			{Kind: volunteering.KindVisit, From: from, To: to, PerSlot: "1"},
		}
	}
	for len(tasks) < volFormRows {
		tasks = append(tasks, volTaskForm{PerSlot: "1"})
	}
	status := http.StatusOK
	if formErr != nil {
		status = statusOf(s.publicError(r, formErr))
	}
	return s.render(w, r, rc, status, "volunteering_form", "volunteering.new", volFormPage{Draft: d, ClientID: form["client_id"], Form: form,
		Tasks: tasks, Kinds: volunteering.Kinds}, formErr)
}

func (s *Server) webCreateVolunteerRelay(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	if err := parseForm(r); err != nil {
		return err
	}
	f := r.PostForm
	form := map[string]string{}
	for _, k := range []string{"client_id", "title", "short_name", "address", "note", "person_id"} {
		form[k] = f.Get(k)
	}
	var tasks []volTaskForm
	for i := 0; i < volFormRows; i++ {
		p := fmt.Sprintf("task%d_", i)
		tasks = append(tasks, volTaskForm{Kind: f.Get(p + "kind"), Title: f.Get(p + "title"), Bring: f.Get(p + "bring"), From: f.Get(p + "from"),
			To: f.Get(p + "to"), Windows: f.Get(p + "windows"), PerSlot: f.Get(p + "per_slot")})
	}
	var id int64
	err := func() error {
		caseID, _ := strconv.ParseInt(f.Get("case"), 10, 64)
		hh, _ := strconv.ParseInt(f.Get("household"), 10, 64)
		person, _ := strconv.ParseInt(f.Get("person_id"), 10, 64)
		in := sqlstore.VolunteerRelayInput{ClientID: f.Get("client_id"), HouseholdID: hh, CaseID: caseID, PersonID: person,
			Relay: volunteering.Relay{Title: f.Get("title"), ShortName: f.Get("short_name"), Address: f.Get("address"), Note: f.Get("note")}}
		for i, t := range tasks {
			if strings.TrimSpace(t.Windows) == "" {
				continue // an unused row
			}
			ws, err := volunteering.ParseWindows(t.Windows)
			if err != nil {
				return safetynet.Text(safetynet.EInvalid, fmt.Sprintf("tasks[%d].windows", i), "时间段无效：写作 11:00-12:00，多个用逗号分开", err.Error())
			}
			n, err := strconv.Atoi(strings.TrimSpace(t.PerSlot))
			if err != nil {
				return safetynet.Text(safetynet.EInvalid, fmt.Sprintf("tasks[%d].per_slot", i), "每个时段 1 到 10 人", "people per slot is not a number")
			}
			in.Relay.Tasks = append(in.Relay.Tasks, volunteering.Task{Kind: t.Kind, Title: t.Title, Bring: t.Bring, From: t.From, To: t.To, Windows: ws, PerSlot: n})
		}
		var err error
		id, _, err = s.store.CreateVolunteerRelay(r.Context(), rc.actor, in)
		return err
	}()
	if err != nil {
		return s.formFailed(w, r, rc, err, func() error { return s.showVolunteerForm(w, r, rc, form, tasks, err) })
	}
	s.flashRedirect(w, r, fmt.Sprintf("/volunteering/relays/%d", id), "volunteering.created")
	return nil
}

// volDay is one local day of a relay's slots.
type volDay struct {
	Date  time.Time
	Slots []sqlstore.VolunteerSlot
}

// volDays groups slots (in time order) by local day.
func volDays(slots []sqlstore.VolunteerSlot) []volDay {
	var out []volDay
	for _, sl := range slots {
		d := sl.Start.In(volunteering.Zone)
		day := time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, volunteering.Zone)
		if len(out) == 0 || !out[len(out)-1].Date.Equal(day) {
			out = append(out, volDay{Date: day})
		}
		out[len(out)-1].Slots = append(out[len(out)-1].Slots, sl)
	}
	return out
}

type volRelayPage struct {
	R       sqlstore.VolunteerRelay
	Days    []volDay
	Link    string
	QR      any
	Percent int
}

func (s *Server) webVolunteerRelay(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	return s.showVolunteerRelay(w, r, rc, "", nil)
}

func (s *Server) showVolunteerRelay(w http.ResponseWriter, r *http.Request, rc *reqCtx, link string, formErr error) error {
	id, err := pathID(r, "relayID")
	if err != nil {
		return err
	}
	v, err := s.store.VolunteerRelay(r.Context(), rc.actor, id)
	if err != nil {
		return err
	}
	pg := volRelayPage{R: v, Days: volDays(v.Slots), Link: link}
	if link != "" {
		pg.QR = qrSVG(link)
	}
	if v.Places > 0 {
		pg.Percent = v.Taken * 100 / v.Places
	}
	return s.render(w, r, rc, http.StatusOK, "volunteering_relay", "volunteering.relay", pg, formErr)
}

func (s *Server) webVolunteerLink(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "relayID")
	if err != nil {
		return err
	}
	token, err := s.store.NewVolunteerLink(r.Context(), rc.actor, id)
	if err != nil {
		return s.formFailed(w, r, rc, err, func() error { return s.showVolunteerRelay(w, r, rc, "", err) })
	}
	return s.showVolunteerRelay(w, r, rc, s.absURL(r, "/j/"+token), nil)
}

func (s *Server) webCloseVolunteerRelay(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "relayID")
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	err = func() error {
		v, err := formVersion(r)
		if err != nil {
			return err
		}
		return s.store.CloseVolunteerRelay(r.Context(), rc.actor, id, v)
	}()
	if err != nil {
		return s.formFailed(w, r, rc, err, func() error { return s.showVolunteerRelay(w, r, rc, "", err) })
	}
	s.flashRedirect(w, r, fmt.Sprintf("/volunteering/relays/%d", id), "volunteering.closed")
	return nil
}

type volHoursPage struct {
	H          sqlstore.VolunteerHours
	From, To   string
	Manage     bool
	Teams      []sqlstore.VolunteerTeam
	Volunteers []sqlstore.VolunteerRef
	Home       safetynet.Place   // the viewer's own place
	Places     []safetynet.Place // its children, to narrow the figures to
}

// volPeriod reads ?from= and ?to= (local dates, to inclusive); the
// default is the current month.
func volPeriod(r *http.Request, now time.Time) (from, to time.Time, err error) {
	q := r.URL.Query()
	n := now.In(volunteering.Zone)
	from = time.Date(n.Year(), n.Month(), 1, 0, 0, 0, 0, volunteering.Zone)
	to = from.AddDate(0, 1, 0)
	if v := q.Get("from"); v != "" {
		if from, err = time.ParseInLocation(volunteering.DateLayout, v, volunteering.Zone); err != nil {
			return from, to, safetynet.Invalid("from", "开始日期无效", "from is not a date (YYYY-MM-DD)")
		}
	}
	if v := q.Get("to"); v != "" {
		t, err := time.ParseInLocation(volunteering.DateLayout, v, volunteering.Zone)
		if err != nil {
			return from, to, safetynet.Invalid("to", "结束日期无效", "to is not a date (YYYY-MM-DD)")
		}
		to = t.AddDate(0, 0, 1)
	}
	return from, to, nil
}

func (s *Server) webVolunteerHours(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	return s.showVolunteerHours(w, r, rc, nil)
}

func (s *Server) showVolunteerHours(w http.ResponseWriter, r *http.Request, rc *reqCtx, formErr error) error {
	from, to, err := volPeriod(r, s.store.Now())
	if err != nil {
		return err
	}
	h, err := s.store.VolunteerHoursOf(r.Context(), rc.actor, r.URL.Query().Get("place"), from, to)
	if err != nil {
		return err
	}
	pg := volHoursPage{H: h, From: from.Format(volunteering.DateLayout), To: to.AddDate(0, 0, -1).Format(volunteering.DateLayout),
		Manage: rc.actor.VolunteerScope().Kind == access.ScopeSubtree}
	if pg.Manage {
		if pg.Teams, err = s.store.VolunteerTeams(r.Context(), rc.actor); err != nil {
			return err
		}
		if pg.Volunteers, err = s.store.Volunteers(r.Context(), rc.actor); err != nil {
			return err
		}
		if pg.Home, err = s.store.Place(r.Context(), rc.actor, rc.actor.Place); err != nil {
			return err
		}
		if pg.Places, err = s.store.PlaceChildren(r.Context(), rc.actor, rc.actor.Place); err != nil {
			return err
		}
	}
	return s.render(w, r, rc, http.StatusOK, "volunteering_hours", "volunteering.hours", pg, formErr)
}

func (s *Server) webCreateVolunteerTeam(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	if err := parseForm(r); err != nil {
		return err
	}
	if _, err := s.store.CreateVolunteerTeam(r.Context(), rc.actor, r.PostForm.Get("name"), r.PostForm.Get("place_code")); err != nil {
		return s.formFailed(w, r, rc, err, func() error { return s.showVolunteerHours(w, r, rc, err) })
	}
	s.flashRedirect(w, r, "/volunteering/hours", "volunteering.team_saved")
	return nil
}

func (s *Server) webVolunteerTeamMember(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "teamID")
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	vol, _ := strconv.ParseInt(r.PostForm.Get("volunteer_id"), 10, 64)
	if err := s.store.SetTeamMember(r.Context(), rc.actor, id, vol, r.PostForm.Get("remove") == ""); err != nil {
		return s.formFailed(w, r, rc, err, func() error { return s.showVolunteerHours(w, r, rc, err) })
	}
	s.flashRedirect(w, r, "/volunteering/hours", "volunteering.team_saved")
	return nil
}

// VolHours writes minutes as hours with one decimal.
func (p *page) VolHours(min int) string { return strconv.FormatFloat(float64(min)/60, 'f', 1, 64) }

// VolKind names a kind of task.
func (p *page) VolKind(k string) string {
	n, ok := volunteering.KindNames[k]
	if !ok {
		return k
	}
	if p.Lang == "en" {
		return n[1]
	}
	return n[0]
}

// VolDay writes a local day as 7月28日 周二 or Tue 28 Jul.
func (p *page) VolDay(t time.Time) string {
	t = t.In(volunteering.Zone)
	if p.Lang == "en" {
		return t.Format("Mon 2 Jan")
	}
	return fmt.Sprintf("%d月%d日 周%s", t.Month(), t.Day(), []string{"日", "一", "二", "三", "四", "五", "六"}[t.Weekday()])
}

// VolClock writes the local time of day of t.
func (p *page) VolClock(t time.Time) string { return t.In(volunteering.Zone).Format("15:04") }

// volunteerNotice is the inbox text of a reminder or an empty-slot alert.
func (p *page) volunteerNotice(n sqlstore.Notification) string {
	d := n.Detail
	at := ""
	if v, ok := d["start"].(float64); ok {
		at = p.VolDay(time.UnixMilli(int64(v))) + " " + p.VolClock(time.UnixMilli(int64(v)))
	}
	if v, ok := d["first"].(float64); ok {
		at = p.VolDay(time.UnixMilli(int64(v))) + " " + p.VolClock(time.UnixMilli(int64(v)))
	}
	if n.Kind == volunteering.NoticeReminder {
		return p.pick("接龙提醒：", "relay reminder: ") + at + " " + ud(detailStr(d, "task"))
	}
	return p.pick("接龙缺人：", "relay short of people: ") + ud(detailStr(d, "title")) + p.pick("，24 小时内有 ", ", ") + detailNum(d, "count") +
		p.pick(" 个时段无人认领，最早 ", " slots within 24 hours have nobody, the first ") + at
}
