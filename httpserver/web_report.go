package httpserver

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"safetynet"
	"safetynet/access"
	"safetynet/sqlstore"
)

type reportPage struct {
	ClientID   string
	Households []safetynet.Household
	Many       bool // too many households to list: search instead
	Places     []sqlstore.RegisterPlace
	Staff      bool // may enter residents' reports and hotline calls
	Household  int64
	Form       map[string]string
}

// maxListed is how many households the report form lists; grid workers
// have far fewer.
const maxListed = 300

func newClientID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// webReportForm is the clue form (急难线索), made for a phone: pick the
// household, tick what happened, send. With script it also works offline
// (app.js keeps the report and sends it when the connection returns).
func (s *Server) webReportForm(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	return s.showReport(w, r, rc, nil, nil)
}

func (s *Server) showReport(w http.ResponseWriter, r *http.Request, rc *reqCtx, form map[string]string, formErr error) error {
	if err := rc.actor.Require(access.ClueReport); err != nil {
		return err
	}
	pg := reportPage{ClientID: newClientID(), Staff: rc.actor.Can(access.WorkHandle), Form: form}
	if id := form["client_id"]; id != "" {
		pg.ClientID = id // nothing was saved: sending the corrected form again is the same report
	}
	if pg.Form == nil {
		pg.Form = map[string]string{"urgency": "normal"}
	}
	pg.Household, _ = strconv.ParseInt(r.URL.Query().Get("household"), 10, 64)
	list, err := s.store.Households(r.Context(), rc.actor, sqlstore.HouseholdFilter{Limit: maxListed + 1})
	if err != nil {
		return err
	}
	if len(list) > maxListed {
		pg.Many = true
		list = nil
	}
	pg.Households = list
	if pg.Places, err = s.store.RegisterPlaces(r.Context(), rc.actor); err != nil {
		return err
	}
	return s.render(w, r, rc, http.StatusOK, "report", "report.title", pg, formErr)
}

// webReport takes the form posted without script.
func (s *Server) webReport(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	if err := parseMultipartForm(r, 8<<20); err != nil {
		if safetynet.AsError(err) != nil {
			return err
		}
		return safetynet.Invalid("photo", "照片过大或表单无效", "the photo is too large or the form is invalid")
	}
	f := r.Form
	nc := safetynet.NewClue{ClientID: f.Get("client_id"), Source: f.Get("source"), Kinds: f["kinds"], Urgency: f.Get("urgency"),
		Note: f.Get("note"), Name: strings.TrimSpace(f.Get("name")), PlaceCode: f.Get("place_code")}
	nc.HouseholdID, _ = strconv.ParseInt(f.Get("household_id"), 10, 64)
	if file, _, err := r.FormFile("photo"); err == nil {
		nc.Photo, _ = io.ReadAll(io.LimitReader(file, safetynet.MaxPhoto+1))
		file.Close()
		if len(nc.Photo) == 0 {
			nc.Photo = nil
		}
	}
	c, _, err := s.store.ReportClue(r.Context(), rc.actor, nc)
	if err != nil {
		form := map[string]string{"client_id": nc.ClientID, "urgency": nc.Urgency, "note": nc.Note, "name": nc.Name, "place_code": nc.PlaceCode,
			"household_id": f.Get("household_id"), "source": nc.Source}
		for _, k := range nc.Kinds {
			form["kind_"+k] = "1"
		}
		return s.formFailed(w, r, rc, err, func() error { return s.showReport(w, r, rc, form, err) })
	}
	s.flashRedirect(w, r, fmt.Sprintf("/clues/%d", c.ID), "flash.reported")
	return nil
}

type workPage struct {
	Items   []sqlstore.WorkItem
	Total   int
	Tab     string // mine, overdue, all
	Offset  int
	Next    int
	Now     time.Time
	Clues   []sqlstore.Clue
	Reports bool
	Colours map[int64]sqlstore.HouseholdColour // risk colours of the items' households
}

// webWork is the work list of a level: what it has to do (待办), what is
// overdue anywhere below it, or every open step.
func (s *Server) webWork(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	tab := r.URL.Query().Get("tab")
	if tab != "overdue" && tab != "mine" && tab != "reported" {
		// Everything open in the user's places first: a village also sees
		// its clues that were escalated to the town.
		tab = "all"
	}
	offset, _ := strconv.Atoi(r.URL.Query().Get("offset"))
	pg := workPage{Tab: tab, Offset: max(offset, 0), Now: s.store.Now()}
	var err error
	if tab == "reported" {
		pg.Clues, err = s.store.Clues(r.Context(), rc.actor, sqlstore.ClueFilter{Limit: 100})
	} else {
		pg.Items, pg.Total, err = s.store.WorkList(r.Context(), rc.actor, sqlstore.WorkFilter{Mine: tab == "mine", Overdue: tab == "overdue",
			Offset: pg.Offset, Limit: 100})
	}
	if err != nil {
		return err
	}
	if pg.Colours, err = s.workColours(r, rc, pg.Items); err != nil { // web_colours.go
		return err
	}
	if pg.Offset+len(pg.Items) < pg.Total {
		pg.Next = pg.Offset + len(pg.Items)
	}
	return s.render(w, r, rc, http.StatusOK, "work", "work.title", pg, nil)
}

// Due says how long is left before a deadline, or how late it is.
func (p *page) Due(due, now time.Time) string {
	d := due.Sub(now)
	late := d < 0
	if late {
		d = -d
	}
	var n string
	switch {
	case d < time.Minute && late:
		return p.T("time.just_late")
	case d < time.Minute:
		return p.T("time.due_now")
	case d >= 48*time.Hour:
		n = fmt.Sprintf("%d%s", int(d.Hours()/24), p.T("time.days"))
	case d >= time.Hour:
		n = fmt.Sprintf("%d%s", int(d.Hours()), p.T("time.hours"))
	default:
		n = fmt.Sprintf("%d%s", int(d.Minutes()), p.T("time.minutes"))
	}
	if late {
		return p.T("time.late") + n
	}
	return p.T("time.left") + n
}
