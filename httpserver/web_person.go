package httpserver

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"safetynet"
	"safetynet/access"
	"safetynet/sqlstore"
)

type personPage struct {
	sqlstore.PersonView
	RevealedID, RevealedPhone string
}

// webPerson is the person's file (一人一档) with their whole timeline.
func (s *Server) webPerson(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	return s.showPerson(w, r, rc, personPage{}, nil)
}

func (s *Server) showPerson(w http.ResponseWriter, r *http.Request, rc *reqCtx, pg personPage, formErr error) error {
	id, err := pathID(r, "personID")
	if err != nil {
		return err
	}
	if pg.PersonView, err = s.store.PersonView(r.Context(), rc.actor, id); err != nil {
		return err
	}
	return s.render(w, r, rc, http.StatusOK, "person", "person.title", pg, formErr)
}

// webRevealPerson shows the file with the full ID or phone number.
func (s *Server) webRevealPerson(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "personID")
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	field := sqlstore.RevealField(r.PostForm.Get("field"))
	v, err := s.store.RevealPerson(r.Context(), rc.actor, id, field)
	if err != nil {
		return err
	}
	pg := personPage{}
	if field == sqlstore.RevealID {
		pg.RevealedID = v
	} else {
		pg.RevealedPhone = v
	}
	return s.showPerson(w, r, rc, pg, nil)
}

type personFormPage struct {
	New       bool
	Household safetynet.Household
	Person    safetynet.Person
	Form      map[string]string
}

func (s *Server) personForm(w http.ResponseWriter, r *http.Request, rc *reqCtx, pg personFormPage, formErr error) error {
	if err := rc.actor.Require(access.RegisterEdit); err != nil {
		return err
	}
	if pg.Form == nil {
		pg.Form = map[string]string{}
	}
	title := "person.edit"
	if pg.New {
		title = "person.new"
	}
	return s.render(w, r, rc, http.StatusOK, "person_form", title, pg, formErr)
}

func (s *Server) webNewMember(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "householdID")
	if err != nil {
		return err
	}
	v, err := s.store.HouseholdView(r.Context(), rc.actor, id)
	if err != nil {
		return err
	}
	return s.personForm(w, r, rc, personFormPage{New: true, Household: v.Household}, nil)
}

func (s *Server) webAddMember(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "householdID")
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	pid, err := func() (int64, error) {
		p, err := formValues{r}.personPatch("")
		if err != nil {
			return 0, err
		}
		return s.store.AddPerson(r.Context(), rc.actor, id, p.Apply(safetynet.Person{}))
	}()
	if err != nil {
		if e := safetynet.AsError(err); e == nil || e.Code == safetynet.ENotFound || e.Code == safetynet.EForbidden {
			return err
		}
		v, lerr := s.store.HouseholdView(r.Context(), rc.actor, id)
		if lerr != nil {
			return lerr
		}
		return s.personForm(w, r, rc, personFormPage{New: true, Household: v.Household, Form: formMap(r)}, err)
	}
	s.flashRedirect(w, r, fmt.Sprintf("/households/%d#person-%d", id, pid), "flash.member_added")
	return nil
}

func (s *Server) webEditPerson(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "personID")
	if err != nil {
		return err
	}
	v, err := s.store.PersonView(r.Context(), rc.actor, id)
	if err != nil {
		return err
	}
	p := v.Person
	form := map[string]string{"name": p.Name, "sex": p.Sex, "birth": dateJSON(p.Birth), "relation": p.Relation,
		"disability_kind": p.DisabilityKind, "health": p.Health, "health_notes": p.HealthNotes, "education": p.Education,
		"labour": p.Labour, "work": p.Work}
	if p.DisabilityGrade > 0 {
		form["disability_grade"] = strconv.Itoa(p.DisabilityGrade)
	}
	if p.InSchool {
		form["in_school"] = "1"
	}
	return s.personForm(w, r, rc, personFormPage{Household: v.Household, Person: p, Form: form}, nil)
}

func (s *Server) webUpdatePerson(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "personID")
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
		p, err := formValues{r}.personPatch("")
		if err != nil {
			return err
		}
		return s.store.UpdatePerson(r.Context(), rc.actor, id, p, version)
	}()
	if err != nil {
		if e := safetynet.AsError(err); e == nil || e.Code == safetynet.ENotFound || e.Code == safetynet.EForbidden {
			return err
		}
		v, lerr := s.store.PersonView(r.Context(), rc.actor, id)
		if lerr != nil {
			return lerr
		}
		return s.personForm(w, r, rc, personFormPage{Household: v.Household, Person: v.Person, Form: formMap(r)}, err)
	}
	s.flashRedirect(w, r, fmt.Sprintf("/persons/%d", id), "flash.saved")
	return nil
}

// webPersonStatus records a death or a departure.
func (s *Server) webPersonStatus(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "personID")
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	err = func() error {
		date, err := dateParam(r.PostForm.Get("date"), "date")
		if err != nil {
			return err
		}
		version, err := formVersion(r)
		if err != nil {
			return err
		}
		newHead, _ := strconv.ParseInt(r.PostForm.Get("new_head"), 10, 64)
		return s.store.SetPersonStatus(r.Context(), rc.actor, id, sqlstore.StatusChange{Status: r.PostForm.Get("status"),
			Date: date, Note: strings.TrimSpace(r.PostForm.Get("note")), NewHead: newHead, Version: version})
	}()
	if err != nil {
		return s.formFailed(w, r, rc, err, func() error { return s.showPerson(w, r, rc, personPage{}, err) })
	}
	s.flashRedirect(w, r, fmt.Sprintf("/persons/%d", id), "flash.saved")
	return nil
}

// formFailed shows the page again with the error when it is about the
// form; other errors (not found, forbidden, internal) go to the error page.
func (s *Server) formFailed(w http.ResponseWriter, r *http.Request, rc *reqCtx, err error, again func() error) error {
	if e := safetynet.AsError(err); e == nil || e.Code == safetynet.ENotFound || e.Code == safetynet.EForbidden {
		return err
	}
	return again()
}
