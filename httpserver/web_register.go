package httpserver

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"safetynet"
	"safetynet/access"
	"safetynet/sqlstore"
)

type registerPage struct {
	Households []safetynet.Household
	Places     []sqlstore.RegisterPlace
	Place      string
	Category   string
	Next       string
	Query      string
	Hits       []sqlstore.SearchHit
	Searched   bool
	Colour     string                             // the colour filter
	Colours    map[int64]sqlstore.HouseholdColour // of the households listed
}

// webRegister is the register's home (台账): one search box, a filtered
// list of households, and the ways in and out of the register.
func (s *Server) webRegister(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	q := r.URL.Query()
	pg := registerPage{Place: q.Get("place"), Category: q.Get("category"), Query: q.Get("q"), Colour: q.Get("colour")}
	var err error
	if pg.Query != "" {
		pg.Searched = true
		if pg.Hits, err = s.store.Search(r.Context(), rc.actor, pg.Query, 100); err != nil {
			return err
		}
	}
	if pg.Places, err = s.store.RegisterPlaces(r.Context(), rc.actor); err != nil {
		return err
	}
	after, _ := strconv.ParseInt(q.Get("after"), 10, 64)
	if pg.Households, err = s.store.Households(r.Context(), rc.actor, sqlstore.HouseholdFilter{PlaceCode: pg.Place,
		Category: pg.Category, AfterID: after, Limit: 50, Colour: pg.Colour}); err != nil {
		return err
	}
	if pg.Colours, err = s.store.HouseholdColours(r.Context(), rc.actor, householdIDs(pg.Households)); err != nil { // web_colours.go
		return err
	}
	if len(pg.Households) == 50 {
		next := url.Values{"place": {pg.Place}, "category": {pg.Category}, "colour": {pg.Colour}, "after": {fmt.Sprint(pg.Households[49].ID)}}
		pg.Next = "/register?" + next.Encode()
	}
	return s.render(w, r, rc, http.StatusOK, "register", "register.title", pg, nil)
}

type householdPage struct {
	sqlstore.HouseholdView
	Revealed string // the full phone number, after a reveal
	Places   []sqlstore.RegisterPlace
	Work     sqlstore.HouseholdWork
	// Rules says which rule version matched when (政策找人), newest first.
	Rules []sqlstore.RuleHistoryEntry
	// Colour is the risk colour of a monitored household, with its changes.
	Colour        sqlstore.HouseholdColour
	ColourHistory []sqlstore.ColourChange
	// Monitoring is the 监测 block (nil for who may not see it).
	Monitoring *sqlstore.HouseholdMonitoring
	// Services is the block of services received (nil for who may not see them).
	Services *householdServices
	// Funds is what the household received from every source (帮扶资金).
	Funds *sqlstore.HouseholdFunds
}

// webHousehold is the household's one-page form (一户一表), printable.
func (s *Server) webHousehold(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	return s.showHousehold(w, r, rc, "", nil)
}

func (s *Server) showHousehold(w http.ResponseWriter, r *http.Request, rc *reqCtx, revealed string, formErr error) error {
	id, err := pathID(r, "householdID")
	if err != nil {
		return err
	}
	v, err := s.store.HouseholdView(r.Context(), rc.actor, id)
	if err != nil {
		return err
	}
	work, err := s.store.HouseholdWork(r.Context(), rc.actor, id)
	if err != nil {
		return err
	}
	pg := householdPage{HouseholdView: v, Revealed: revealed, Work: work}
	if pg.Colour, _, pg.ColourHistory, err = s.store.HouseholdColour(r.Context(), rc.actor, id); err != nil {
		return err
	}
	if rc.actor.Can(access.ScreeningView) {
		if pg.Rules, err = s.store.HouseholdRuleHistory(r.Context(), rc.actor, id); err != nil {
			return err
		}
	}
	if pg.Monitoring, err = s.householdMonitoring(r, rc, id); err != nil {
		return err
	}
	if pg.Services, err = s.householdServicesOf(r, rc, id); err != nil {
		return err
	}
	if pg.Funds, err = s.householdFunds(r, rc, id); err != nil {
		return err
	}
	return s.render(w, r, rc, http.StatusOK, "household", "household.title", pg, formErr)
}

// webRevealHousehold shows the household page with its full phone number.
func (s *Server) webRevealHousehold(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "householdID")
	if err != nil {
		return err
	}
	v, err := s.store.RevealHousehold(r.Context(), rc.actor, id)
	if err != nil {
		return err
	}
	return s.showHousehold(w, r, rc, v, nil)
}

type householdFormPage struct {
	New       bool
	Household safetynet.Household
	Places    []sqlstore.RegisterPlace
	Form      map[string]string
}

func (s *Server) householdForm(w http.ResponseWriter, r *http.Request, rc *reqCtx, pg householdFormPage, formErr error) error {
	if err := rc.actor.Require(access.RegisterEdit); err != nil {
		return err
	}
	places, err := s.store.RegisterPlaces(r.Context(), rc.actor)
	if err != nil {
		return err
	}
	pg.Places = places
	if pg.Form == nil {
		pg.Form = map[string]string{}
	}
	title := "household.edit"
	if pg.New {
		title = "household.new"
	}
	return s.render(w, r, rc, http.StatusOK, "household_form", title, pg, formErr)
}

// formMap keeps what the user typed, to show it again with an error.
func formMap(r *http.Request) map[string]string {
	m := map[string]string{}
	for k, v := range r.PostForm {
		if len(v) > 0 && k != "id_number" && k != "head_id_number" {
			m[k] = v[0]
		}
	}
	return m
}

func (s *Server) webNewHousehold(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	return s.householdForm(w, r, rc, householdFormPage{New: true, Form: map[string]string{"place_code": r.URL.Query().Get("place")}}, nil)
}

// webCreateHousehold registers a household and its head from one form.
func (s *Server) webCreateHousehold(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	if err := parseForm(r); err != nil {
		return err
	}
	f := formValues{r}
	id, err := func() (int64, error) {
		hp, err := f.householdPatch()
		if err != nil {
			return 0, err
		}
		pp, err := f.personPatch("head_")
		if err != nil {
			return 0, err
		}
		return s.store.CreateHousehold(r.Context(), rc.actor, hp.Apply(safetynet.Household{}), pp.Apply(safetynet.Person{}))
	}()
	if err != nil {
		if safetynet.AsError(err) == nil {
			return err
		}
		return s.householdForm(w, r, rc, householdFormPage{New: true, Form: formMap(r)}, err)
	}
	s.flashRedirect(w, r, fmt.Sprintf("/households/%d", id), "flash.household_created")
	return nil
}

func (s *Server) webEditHousehold(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "householdID")
	if err != nil {
		return err
	}
	v, err := s.store.HouseholdView(r.Context(), rc.actor, id)
	if err != nil {
		return err
	}
	h := v.Household
	form := map[string]string{"number": h.Number, "place_code": h.PlaceCode, "address": h.Address, "housing": h.Housing,
		"water": h.Water, "notes": h.Notes, "income_year": strconv.Itoa(h.IncomeYear)}
	if h.IncomeFen != 0 {
		form["income"] = safetynet.FormatYuan(h.IncomeFen)
	}
	if h.IncomeYear == 0 {
		form["income_year"] = ""
	}
	return s.householdForm(w, r, rc, householdFormPage{Household: h, Form: form}, nil)
}

func (s *Server) webUpdateHousehold(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "householdID")
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	err = func() error {
		version, err := formVersion(r)
		if err != nil {
			return err
		}
		p, err := formValues{r}.householdPatch()
		if err != nil {
			return err
		}
		return s.store.UpdateHousehold(r.Context(), rc.actor, id, p, version)
	}()
	if err != nil {
		if e := safetynet.AsError(err); e == nil || e.Code == safetynet.ENotFound || e.Code == safetynet.EForbidden {
			return err
		}
		v, lerr := s.store.HouseholdView(r.Context(), rc.actor, id)
		if lerr != nil {
			return lerr
		}
		return s.householdForm(w, r, rc, householdFormPage{Household: v.Household, Form: formMap(r)}, err)
	}
	s.flashRedirect(w, r, fmt.Sprintf("/households/%d", id), "flash.saved")
	return nil
}
