package httpserver

import (
	"net/http"
	"strconv"
	"time"

	"safetynet"
	"safetynet/sqlstore"
	"safetynet/volunteering"
)

// The API of volunteer relays (接龙): the village opens, reads and closes
// relays and makes sign-up links; a volunteer reads their slots and the
// relays nearby, takes, gives back and marks done; both read the hours.

type volTaskJSON struct {
	ID      int64  `json:"id"`
	Kind    string `json:"kind"`
	Title   string `json:"title"`
	Bring   string `json:"bring"`
	Address string `json:"address,omitempty"`
	From    string `json:"from"`
	To      string `json:"to"`
	Windows string `json:"windows"`
	PerSlot int    `json:"per_slot"`
}

type volTakerJSON struct {
	VolunteerID int64  `json:"volunteer_id"`
	Name        string `json:"name"`
	Neighbour   bool   `json:"neighbour"`
	Status      string `json:"status"`
	Note        string `json:"note,omitempty"`
}

type volSlotJSON struct {
	ID       int64          `json:"id"`
	TaskID   int64          `json:"task_id"`
	Task     string         `json:"task"`
	Kind     string         `json:"kind"`
	Start    time.Time      `json:"start"`
	End      time.Time      `json:"end"`
	Capacity int            `json:"capacity"`
	Taken    int            `json:"taken"`
	Done     int            `json:"done"`
	Alerted  bool           `json:"alerted"`
	Mine     string         `json:"mine,omitempty"`
	Takers   []volTakerJSON `json:"takers,omitempty"`
}

type volRelayJSON struct {
	ID          int64         `json:"id"`
	Title       string        `json:"title"`
	HouseholdID int64         `json:"household_id"`
	PersonID    int64         `json:"person_id"`
	CaseID      int64         `json:"case_id"`
	PlaceCode   string        `json:"place_code"`
	PlaceName   string        `json:"place_name"`
	VillageCode string        `json:"village_code"`
	ShortName   string        `json:"short_name"`
	Address     string        `json:"address"`
	Note        string        `json:"note"`
	Status      string        `json:"status"`
	HasLink     bool          `json:"has_link"`
	Version     int           `json:"version"`
	CreatedBy   string        `json:"created_by"`
	CreatedAt   time.Time     `json:"created_at"`
	Places      int           `json:"places"`
	Taken       int           `json:"taken"`
	Done        int           `json:"done"`
	Tasks       []volTaskJSON `json:"tasks,omitempty"`
	Slots       []volSlotJSON `json:"slots,omitempty"`
}

type volRelayListJSON struct {
	Items []volRelayJSON `json:"items"`
}

type volLinkJSON struct {
	URL   string `json:"url"`
	Token string `json:"token"`
}

type volMySlotJSON struct {
	SlotID     int64     `json:"slot_id"`
	RelayID    int64     `json:"relay_id"`
	Relay      string    `json:"relay"`
	Task       string    `json:"task"`
	Kind       string    `json:"kind"`
	Start      time.Time `json:"start"`
	End        time.Time `json:"end"`
	Status     string    `json:"status"`
	Note       string    `json:"note,omitempty"`
	Active     bool      `json:"active"`
	ShortName  string    `json:"short_name,omitempty"`
	Address    string    `json:"address,omitempty"`
	Bring      string    `json:"bring,omitempty"`
	RelayNote  string    `json:"relay_note,omitempty"`
	CanRelease bool      `json:"can_release"`
	CanDone    bool      `json:"can_done"`
}

type volTakerRelayJSON struct {
	ID      int64         `json:"id"`
	Title   string        `json:"title"`
	Village string        `json:"village"`
	Tasks   []volTaskJSON `json:"tasks"`
	Slots   []volSlotJSON `json:"slots"`
}

type volMineJSON struct {
	Items  []volMySlotJSON     `json:"items"`
	Relays []volTakerRelayJSON `json:"relays"`
}

type volTakeJSON struct {
	Already bool `json:"already"`
}

type volHoursRowJSON struct {
	VolunteerID int64    `json:"volunteer_id"`
	Name        string   `json:"name"`
	Neighbour   bool     `json:"neighbour"`
	Teams       []string `json:"teams"`
	Times       int      `json:"times"`
	Minutes     int      `json:"minutes"`
}

type volTeamHoursJSON struct {
	TeamID  int64  `json:"team_id"`
	Name    string `json:"name"`
	Members int    `json:"members"`
	Times   int    `json:"times"`
	Minutes int    `json:"minutes"`
}

type volHoursJSON struct {
	PlaceCode  string             `json:"place_code"`
	PlaceName  string             `json:"place_name"`
	From       string             `json:"from"`
	To         string             `json:"to"`
	Times      int                `json:"times"`
	Minutes    int                `json:"minutes"`
	Volunteers []volHoursRowJSON  `json:"volunteers"`
	Teams      []volTeamHoursJSON `json:"teams"`
}

func volTasksJSON(l []sqlstore.VolunteerTask) []volTaskJSON {
	out := []volTaskJSON{}
	for _, k := range l {
		out = append(out, volTaskJSON{ID: k.ID, Kind: k.Kind, Title: k.Title, Bring: k.Bring, Address: k.Address, From: k.From, To: k.To,
			Windows: k.Windows, PerSlot: k.PerSlot})
	}
	return out
}

func volSlotsJSON(l []sqlstore.VolunteerSlot) []volSlotJSON {
	out := []volSlotJSON{}
	for _, sl := range l {
		j := volSlotJSON{ID: sl.ID, TaskID: sl.TaskID, Task: sl.TaskTitle, Kind: sl.Kind, Start: sl.Start, End: sl.End, Capacity: sl.Capacity,
			Taken: sl.Taken, Done: sl.Done, Alerted: sl.Alerted, Mine: sl.Mine}
		for _, tk := range sl.Takers {
			j.Takers = append(j.Takers, volTakerJSON{VolunteerID: tk.VolunteerID, Name: tk.Name, Neighbour: tk.Neighbour, Status: tk.Status, Note: tk.Note})
		}
		out = append(out, j)
	}
	return out
}

func volRelayOut(v sqlstore.VolunteerRelay, full bool) volRelayJSON {
	j := volRelayJSON{ID: v.ID, Title: v.Title, HouseholdID: v.HouseholdID, PersonID: v.PersonID, CaseID: v.CaseID, PlaceCode: v.PlaceCode,
		PlaceName: v.PlaceName, VillageCode: v.VillageCode, ShortName: v.ShortName, Address: v.Address, Note: v.Note, Status: v.Status,
		HasLink: v.HasLink, Version: v.Version, CreatedBy: v.CreatedBy, CreatedAt: v.CreatedAt, Places: v.Places, Taken: v.Taken, Done: v.Done}
	if full {
		j.Tasks, j.Slots = volTasksJSON(v.Tasks), volSlotsJSON(v.Slots)
	}
	return j
}

func (s *Server) apiVolunteerRelays(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	q := r.URL.Query()
	f := sqlstore.VolunteerRelayFilter{Status: q.Get("status")}
	if f.Status != "" && f.Status != volunteering.RelayOpen && f.Status != volunteering.RelayClosed {
		return safetynet.Invalid("status", "状态无效", "status must be open or closed")
	}
	if v := q.Get("case"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return safetynet.Invalid("case", "案件编号无效", "case is not a number")
		}
		f.CaseID = n
	}
	limit, err := queryLimit(r, 1, 500, 100)
	if err != nil {
		return err
	}
	f.Limit = limit
	l, err := s.store.VolunteerRelays(r.Context(), rc.actor, f)
	if err != nil {
		return err
	}
	out := volRelayListJSON{Items: []volRelayJSON{}}
	for _, v := range l {
		out.Items = append(out.Items, volRelayOut(v, false))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// volRelayIn is the body that opens a relay.
type volRelayIn struct {
	ClientID    string `json:"client_id"`
	HouseholdID int64  `json:"household_id"`
	CaseID      int64  `json:"case_id"`
	PersonID    int64  `json:"person_id"`
	Title       string `json:"title"`
	ShortName   string `json:"short_name"`
	Address     string `json:"address"`
	Note        string `json:"note"`
	Tasks       []struct {
		Kind    string `json:"kind"`
		Title   string `json:"title"`
		Bring   string `json:"bring"`
		Address string `json:"address"`
		From    string `json:"from"`
		To      string `json:"to"`
		Windows string `json:"windows"`
		PerSlot int    `json:"per_slot"`
	} `json:"tasks"`
}

func (s *Server) apiCreateVolunteerRelay(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	var in volRelayIn
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	rel := volunteering.Relay{Title: in.Title, ShortName: in.ShortName, Address: in.Address, Note: in.Note}
	for i, t := range in.Tasks {
		ws, err := volunteering.ParseWindows(t.Windows)
		if err != nil {
			return safetynet.Text(safetynet.EInvalid, "tasks["+strconv.Itoa(i)+"].windows", "时间段无效：写作 11:00-12:00，多个用逗号分开", err.Error())
		}
		rel.Tasks = append(rel.Tasks, volunteering.Task{Kind: t.Kind, Title: t.Title, Bring: t.Bring, Address: t.Address, From: t.From, To: t.To,
			Windows: ws, PerSlot: t.PerSlot})
	}
	id, created, err := s.store.CreateVolunteerRelay(r.Context(), rc.actor, sqlstore.VolunteerRelayInput{ClientID: in.ClientID,
		HouseholdID: in.HouseholdID, CaseID: in.CaseID, PersonID: in.PersonID, Relay: rel})
	if err != nil {
		return err
	}
	status := http.StatusCreated
	if !created {
		status = http.StatusOK
	}
	writeJSON(w, status, createdJSON{ID: id})
	return nil
}

func (s *Server) apiVolunteerRelay(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "relayID")
	if err != nil {
		return err
	}
	v, err := s.store.VolunteerRelay(r.Context(), rc.actor, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, volRelayOut(v, true))
	return nil
}

func (s *Server) apiCloseVolunteerRelay(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "relayID")
	if err != nil {
		return err
	}
	var in struct {
		Version *int `json:"version"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if in.Version == nil {
		return errVersionRequired
	}
	if err := s.store.CloseVolunteerRelay(r.Context(), rc.actor, id, *in.Version); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) apiVolunteerLink(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "relayID")
	if err != nil {
		return err
	}
	token, err := s.store.NewVolunteerLink(r.Context(), rc.actor, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, volLinkJSON{URL: s.absURL(r, "/j/"+token), Token: token})
	return nil
}

func (s *Server) apiVolunteerMine(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	return s.writeVolunteerMine(w, r, sqlstore.UserTaker(rc.actor))
}

func (s *Server) writeVolunteerMine(w http.ResponseWriter, r *http.Request, tk sqlstore.Taker) error {
	mine, err := s.store.MySlots(r.Context(), tk)
	if err != nil {
		return err
	}
	relays, err := s.store.TakerRelays(r.Context(), tk)
	if err != nil {
		return err
	}
	out := volMineJSON{Items: []volMySlotJSON{}, Relays: []volTakerRelayJSON{}}
	for _, m := range mine {
		out.Items = append(out.Items, volMySlotJSON{SlotID: m.SlotID, RelayID: m.RelayID, Relay: m.RelayTitle, Task: m.TaskTitle, Kind: m.Kind,
			Start: m.Start, End: m.End, Status: m.Status, Note: m.Note, Active: m.Active, ShortName: m.ShortName, Address: m.Address, Bring: m.Bring,
			RelayNote: m.RelayNote, CanRelease: m.CanRelease, CanDone: m.CanDone})
	}
	for _, rl := range relays {
		out.Relays = append(out.Relays, volTakerRelayJSON{ID: rl.ID, Title: rl.Title, Village: rl.VillageName, Tasks: volTasksJSON(rl.Tasks),
			Slots: volSlotsJSON(rl.Slots)})
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) apiVolunteerSlot(action string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
		return s.volunteerSlotJSON(w, r, sqlstore.UserTaker(rc.actor), action)
	}
}

// volDeviceHeader carries a neighbour's device token on the link's API.
const volDeviceHeader = "X-Volunteer-Device"

// apiVolunteerLinkSlot is a neighbour's action through a relay's link.
func (s *Server) apiVolunteerLinkSlot(action string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
		return s.volunteerSlotJSON(w, r, sqlstore.DeviceTaker(r.PathValue("token"), r.Header.Get(volDeviceHeader)), action)
	}
}

func (s *Server) apiVolunteerLinkMine(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	return s.writeVolunteerMine(w, r, sqlstore.DeviceTaker(r.PathValue("token"), r.Header.Get(volDeviceHeader)))
}

type volDeviceJSON struct {
	DeviceToken string `json:"device_token"`
}

func (s *Server) apiVolunteerSignup(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	var in struct {
		Name  string `json:"name"`
		Phone string `json:"phone"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	dev, err := s.store.SignupNeighbour(r.Context(), r.PathValue("token"), in.Name, in.Phone)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, volDeviceJSON{DeviceToken: dev})
	return nil
}

func (s *Server) volunteerSlotJSON(w http.ResponseWriter, r *http.Request, tk sqlstore.Taker, action string) error {
	id, err := pathID(r, "slotID")
	if err != nil {
		return err
	}
	var in struct {
		Note string `json:"note"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	switch action {
	case "take":
		res, err := s.store.TakeSlot(r.Context(), tk, id)
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, volTakeJSON{Already: res.Already})
		return nil
	case "release":
		err = s.store.ReleaseSlot(r.Context(), tk, id)
	default:
		err = s.store.DoneSlot(r.Context(), tk, id, in.Note)
	}
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) apiVolunteerHours(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	from, to, err := volPeriod(r, s.store.Now())
	if err != nil {
		return err
	}
	h, err := s.store.VolunteerHoursOf(r.Context(), rc.actor, r.URL.Query().Get("place"), from, to)
	if err != nil {
		return err
	}
	out := volHoursJSON{PlaceCode: h.PlaceCode, PlaceName: h.PlaceName, From: from.Format(volunteering.DateLayout),
		To: to.AddDate(0, 0, -1).Format(volunteering.DateLayout), Times: h.Times, Minutes: h.Minutes,
		Volunteers: []volHoursRowJSON{}, Teams: []volTeamHoursJSON{}}
	for _, v := range h.Volunteers {
		teams := v.Teams
		if teams == nil {
			teams = []string{}
		}
		out.Volunteers = append(out.Volunteers, volHoursRowJSON{VolunteerID: v.VolunteerID, Name: v.Name, Neighbour: v.Neighbour, Teams: teams,
			Times: v.Times, Minutes: v.Minutes})
	}
	for _, t := range h.Teams {
		out.Teams = append(out.Teams, volTeamHoursJSON{TeamID: t.TeamID, Name: t.Name, Members: t.Members, Times: t.Times, Minutes: t.Minutes})
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

type volRefJSON struct {
	ID        int64  `json:"id"`
	Name      string `json:"name"`
	Neighbour bool   `json:"neighbour"`
}

type volTeamJSON struct {
	ID        int64        `json:"id"`
	Name      string       `json:"name"`
	PlaceCode string       `json:"place_code"`
	PlaceName string       `json:"place_name"`
	Members   []volRefJSON `json:"members"`
}

type volTeamListJSON struct {
	Items []volTeamJSON `json:"items"`
}

type volRefListJSON struct {
	Items []volRefJSON `json:"items"`
}

func volRefsJSON(l []sqlstore.VolunteerRef) []volRefJSON {
	out := []volRefJSON{}
	for _, v := range l {
		out = append(out, volRefJSON{ID: v.ID, Name: v.Name, Neighbour: v.Neighbour})
	}
	return out
}

func (s *Server) apiVolunteerTeams(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	l, err := s.store.VolunteerTeams(r.Context(), rc.actor)
	if err != nil {
		return err
	}
	out := volTeamListJSON{Items: []volTeamJSON{}}
	for _, t := range l {
		out.Items = append(out.Items, volTeamJSON{ID: t.ID, Name: t.Name, PlaceCode: t.PlaceCode, PlaceName: t.PlaceName, Members: volRefsJSON(t.Members)})
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) apiCreateVolunteerTeam(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	var in struct {
		Name      string `json:"name"`
		PlaceCode string `json:"place_code"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	id, err := s.store.CreateVolunteerTeam(r.Context(), rc.actor, in.Name, in.PlaceCode)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, createdJSON{ID: id})
	return nil
}

func (s *Server) apiVolunteerTeamMember(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "teamID")
	if err != nil {
		return err
	}
	var in struct {
		VolunteerID int64 `json:"volunteer_id"`
		Remove      bool  `json:"remove"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if err := s.store.SetTeamMember(r.Context(), rc.actor, id, in.VolunteerID, !in.Remove); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) apiVolunteers(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	l, err := s.store.Volunteers(r.Context(), rc.actor)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, volRefListJSON{Items: volRefsJSON(l)})
	return nil
}
