package httpserver

import (
	"net/http"
	"net/url"
	"strconv"

	"safetynet"
	"safetynet/access"
	"safetynet/sqlstore"
)

type auditPage struct {
	Entries []safetynet.AuditEntry
	Filter  url.Values
	Next    string                   // URL of the next (older) page
	Users   []safetynet.User         // the user filter's choices
	Places  []sqlstore.RegisterPlace // the place filter's choices
}

// webAudit shows the audit log of the user's scope with filters.
func (s *Server) webAudit(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	f, err := auditFilter(r)
	if err != nil {
		return err
	}
	f.Limit = 100
	entries, err := s.store.AuditLog(r.Context(), rc.actor, f)
	if err != nil {
		return err
	}
	pg := auditPage{Entries: entries, Filter: r.URL.Query()}
	if rc.actor.Can(access.UserView) {
		if pg.Users, err = s.store.Users(r.Context(), rc.actor, safetynet.UserFilter{Limit: 500, IncludeDisabled: true}); err != nil {
			return err
		}
	}
	if rc.actor.Can(access.RegisterView) {
		if pg.Places, err = s.store.RegisterPlaces(r.Context(), rc.actor); err != nil {
			return err
		}
	}
	if len(entries) == f.Limit {
		next := r.URL.Query()
		next.Set("before", strconv.FormatInt(entries[len(entries)-1].ID, 10))
		pg.Next = "/audit?" + next.Encode()
	}
	return s.render(w, r, rc, http.StatusOK, "audit", "audit.title", pg, nil)
}

type homePage struct {
	Place    safetynet.Place
	Children []safetynet.Place
	Work     bool // the user sees work: the counts below mean something
	Open     int  // open steps in the user's places
	Mine     int  // of which the user's own place must do
	Overdue  int  // of which past their deadline

	// Colours counts monitored households by risk colour (town, county and above).
	Colours *colourCounts
}

// webHome greets the user with the place they are responsible for.
func (s *Server) webHome(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	var pg homePage
	var err error
	if pg.Place, err = s.store.Place(r.Context(), rc.actor, rc.actor.Place); err != nil {
		return err
	}
	if pg.Children, err = s.store.PlaceChildren(r.Context(), rc.actor, rc.actor.Place); err != nil {
		return err
	}
	if pg.Work = rc.actor.Can(access.WorkView); pg.Work {
		for _, c := range []struct {
			f sqlstore.WorkFilter
			n *int
		}{{sqlstore.WorkFilter{}, &pg.Open}, {sqlstore.WorkFilter{Mine: true}, &pg.Mine}, {sqlstore.WorkFilter{Overdue: true}, &pg.Overdue}} {
			c.f.Limit = 1
			if _, *c.n, err = s.store.WorkList(r.Context(), rc.actor, c.f); err != nil {
				return err
			}
		}
	}
	if pg.Colours, err = s.homeColours(r, rc, pg.Place); err != nil { // web_colours.go
		return err
	}
	return s.render(w, r, rc, http.StatusOK, "home", "home.title", pg, nil)
}
