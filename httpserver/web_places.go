package httpserver

import (
	"net/http"

	"safetynet"
	"safetynet/access"
)

type placePage struct {
	Place       safetynet.Place
	Path        []safetynet.Place
	Children    []safetynet.Place
	ChildLevels []safetynet.Level // levels that may be added here
	Users       []safetynet.User
	Form        placeForm
}

type placeForm struct {
	Name, Level, ParentCode, NewName, NewParent string
}

// childLevels lists the levels a place of level l may hold.
func childLevels(l safetynet.Level) []safetynet.Level {
	var out []safetynet.Level
	for _, c := range safetynet.Levels {
		if safetynet.CanContain(l, c) {
			out = append(out, c)
		}
	}
	return out
}

// webPlaces opens the root of the user's scope.
func (s *Server) webPlaces(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	if q := r.URL.Query().Get("q"); q != "" {
		found, err := s.store.SearchPlaces(r.Context(), rc.actor, q, 100)
		if err != nil {
			return err
		}
		return s.render(w, r, rc, http.StatusOK, "place_search", "places.search", placeSearchPage{Query: q, Places: found}, nil)
	}
	http.Redirect(w, r, "/places/"+rc.actor.Place, http.StatusSeeOther)
	return nil
}

type placeSearchPage struct {
	Query  string
	Places []safetynet.Place
}

func (s *Server) loadPlacePage(r *http.Request, rc *reqCtx, code string) (placePage, error) {
	var pg placePage
	var err error
	if pg.Place, err = s.store.Place(r.Context(), rc.actor, code); err != nil {
		return pg, err
	}
	if pg.Path, err = s.store.PlacePath(r.Context(), rc.actor, code); err != nil {
		return pg, err
	}
	if pg.Children, err = s.store.PlaceChildren(r.Context(), rc.actor, code); err != nil {
		return pg, err
	}
	if rc.actor.Can(access.UserView) {
		if pg.Users, err = s.store.Users(r.Context(), rc.actor, safetynet.UserFilter{PlaceCode: code, Limit: 50}); err != nil {
			return pg, err
		}
		// Only the users placed exactly here; the subtree's are one click away.
		here := pg.Users[:0]
		for _, u := range pg.Users {
			if u.PlaceCode == code {
				here = append(here, u)
			}
		}
		pg.Users = here
	}
	pg.ChildLevels = childLevels(pg.Place.Level)
	pg.Form = placeForm{NewName: pg.Place.Name, NewParent: pg.Place.ParentCode}
	if len(pg.ChildLevels) > 0 {
		pg.Form.Level = string(pg.ChildLevels[0])
	}
	return pg, nil
}

// webPlace shows a place: where it sits, what it holds, who works there,
// and, for administrators, forms to add, rename and move.
func (s *Server) webPlace(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	pg, err := s.loadPlacePage(r, rc, r.PathValue("code"))
	if err != nil {
		return err
	}
	return s.render(w, r, rc, http.StatusOK, "place", "places.title", pg, nil)
}

// webCreatePlace adds a group or grid (or any allowed level) under a place.
func (s *Server) webCreatePlace(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	code := r.PathValue("code")
	if err := rc.actor.Require(access.PlaceManage); err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	in := safetynet.PlaceInput{Name: r.PostForm.Get("name"), Level: safetynet.Level(r.PostForm.Get("level")),
		Code: r.PostForm.Get("code"), ParentCode: code}
	p, err := s.store.CreatePlace(r.Context(), rc.actor, in)
	if err != nil {
		return s.placeFormError(w, r, rc, code, err, func(f *placeForm) { f.Name, f.Level = in.Name, string(in.Level) })
	}
	s.flashRedirect(w, r, "/places/"+p.ParentCode, "flash.place_created")
	return nil
}

// webUpdatePlace renames or moves a place.
func (s *Server) webUpdatePlace(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	code := r.PathValue("code")
	if err := rc.actor.Require(access.PlaceManage); err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	version, err := formVersion(r)
	if err != nil {
		return err
	}
	name, parent := r.PostForm.Get("name"), r.PostForm.Get("parent_code")
	up := safetynet.PlaceUpdate{Version: version}
	if r.PostForm.Has("name") {
		up.Name = &name
	}
	if r.PostForm.Has("parent_code") {
		up.ParentCode = &parent
	}
	if _, err := s.store.UpdatePlace(r.Context(), rc.actor, code, up); err != nil {
		return s.placeFormError(w, r, rc, code, err, func(f *placeForm) {
			if up.Name != nil {
				f.NewName = name
			}
			if up.ParentCode != nil {
				f.NewParent = parent
			}
		})
	}
	s.flashRedirect(w, r, "/places/"+code, "flash.place_saved")
	return nil
}

// placeFormError shows the place page again with the form as submitted
// and its error; errors that are not about the form end as an error page.
func (s *Server) placeFormError(w http.ResponseWriter, r *http.Request, rc *reqCtx, code string, err error, keep func(*placeForm)) error {
	if e := safetynet.AsError(err); e == nil || e.Code == safetynet.ENotFound || e.Code == safetynet.EForbidden {
		return err
	}
	pg, lerr := s.loadPlacePage(r, rc, code)
	if lerr != nil {
		return lerr
	}
	keep(&pg.Form)
	return s.render(w, r, rc, http.StatusOK, "place", "places.title", pg, err)
}
