package httpserver

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"safetynet"
	"safetynet/sqlstore"
)

// webAssignHousehold and webAssignPerson add a category from the form on
// the household page or the person's file.
func (s *Server) webAssignHousehold(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	return s.webAssign(w, r, rc, safetynet.SubjectHousehold, "householdID")
}

func (s *Server) webAssignPerson(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	return s.webAssign(w, r, rc, safetynet.SubjectPerson, "personID")
}

func (s *Server) webAssign(w http.ResponseWriter, r *http.Request, rc *reqCtx, subject safetynet.Subject, param string) error {
	id, err := pathID(r, param)
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	back := fmt.Sprintf("/households/%d", id)
	again := func(err error) func() error {
		return func() error { return s.showHousehold(w, r, rc, "", err) }
	}
	if subject == safetynet.SubjectPerson {
		back = fmt.Sprintf("/persons/%d", id)
		again = func(err error) func() error {
			return func() error { return s.showPerson(w, r, rc, personPage{}, err) }
		}
	}
	err = func() error {
		start, err := dateParam(r.PostForm.Get("start"), "start")
		if err != nil {
			return err
		}
		_, err = s.store.AssignCategory(r.Context(), rc.actor, subject, id, safetynet.NewAssignment{Category: r.PostForm.Get("category"),
			RiskType: r.PostForm.Get("risk_type"), Start: start, Reason: strings.TrimSpace(r.PostForm.Get("reason"))})
		return err
	}()
	if err != nil {
		return s.formFailed(w, r, rc, err, again(err))
	}
	s.flashRedirect(w, r, back+"#categories", "flash.category_added")
	return nil
}

// webEndCategory ends a category (e.g. 风险消除) and returns to the page
// the form was on.
func (s *Server) webEndCategory(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "assignmentID")
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	back := r.PostForm.Get("back")
	if !strings.HasPrefix(back, "/households/") && !strings.HasPrefix(back, "/persons/") {
		back = "/register"
	}
	end, err := optionalDate(r.PostForm.Get("end"), "end")
	if err == nil {
		err = s.store.EndCategory(r.Context(), rc.actor, id, safetynet.EndAssignment{End: end, Reason: r.PostForm.Get("reason"),
			Note: strings.TrimSpace(r.PostForm.Get("note"))})
	}
	if err != nil {
		if e := safetynet.AsError(err); e == nil || e.Code == safetynet.ENotFound || e.Code == safetynet.EForbidden {
			return err
		}
		return err // the error page says what is wrong; the form is one select and a date
	}
	s.flashRedirect(w, r, safeNext(back)+"#categories", "flash.category_ended")
	return nil
}

// webSetHead makes a member the head of the household.
func (s *Server) webSetHead(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "householdID")
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	pid, err := formID(r, "person_id")
	if err == nil {
		err = s.store.SetHead(r.Context(), rc.actor, id, pid)
	}
	if err != nil {
		return s.formFailed(w, r, rc, err, func() error { return s.showHousehold(w, r, rc, "", err) })
	}
	s.flashRedirect(w, r, fmt.Sprintf("/households/%d", id), "flash.saved")
	return nil
}

// webMovePerson moves a person into another household given by number.
func (s *Server) webMovePerson(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "personID")
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	to, err := formID(r, "to")
	if err == nil {
		newHead, _ := strconv.ParseInt(r.PostForm.Get("new_head"), 10, 64)
		err = s.store.MovePersons(r.Context(), rc.actor, sqlstore.Move{Persons: []int64{id}, To: to,
			Relation: r.PostForm.Get("relation"), NewHead: newHead})
	}
	if err != nil {
		return s.formFailed(w, r, rc, err, func() error { return s.showPerson(w, r, rc, personPage{}, err) })
	}
	s.flashRedirect(w, r, fmt.Sprintf("/persons/%d", id), "flash.moved")
	return nil
}

// webMerge merges the household given by number into this one.
func (s *Server) webMerge(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "householdID")
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	from, err := formID(r, "from")
	if err == nil {
		err = s.store.MergeHouseholds(r.Context(), rc.actor, id, from)
	}
	if err != nil {
		return s.formFailed(w, r, rc, err, func() error { return s.showHousehold(w, r, rc, "", err) })
	}
	s.flashRedirect(w, r, fmt.Sprintf("/households/%d", id), "flash.merged")
	return nil
}

type splitPage struct {
	sqlstore.HouseholdView
	Places []sqlstore.RegisterPlace
	Form   map[string]string
}

func (s *Server) webSplitForm(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	return s.splitForm(w, r, rc, nil, nil)
}

func (s *Server) splitForm(w http.ResponseWriter, r *http.Request, rc *reqCtx, form map[string]string, formErr error) error {
	id, err := pathID(r, "householdID")
	if err != nil {
		return err
	}
	v, err := s.store.HouseholdView(r.Context(), rc.actor, id)
	if err != nil {
		return err
	}
	places, err := s.store.RegisterPlaces(r.Context(), rc.actor)
	if err != nil {
		return err
	}
	if form == nil {
		form = map[string]string{"place_code": v.Household.PlaceCode}
	}
	return s.render(w, r, rc, http.StatusOK, "split", "household.split", splitPage{HouseholdView: v, Places: places, Form: form}, formErr)
}

// webSplit makes a new household (分户) of the ticked members.
func (s *Server) webSplit(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "householdID")
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	var nid int64
	err = func() error {
		var members []int64
		for _, v := range r.PostForm["members"] {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				return safetynet.Invalid("members", "成员编号无效", "invalid member")
			}
			members = append(members, n)
		}
		head, err := formID(r, "head")
		if err != nil {
			return safetynet.Invalid("head", "请选择新家庭的户主", "choose the head of the new household")
		}
		hp, err := formValues{r}.householdPatch()
		if err != nil {
			return err
		}
		oldHead, _ := strconv.ParseInt(r.PostForm.Get("old_new_head"), 10, 64)
		nid, err = s.store.SplitHousehold(r.Context(), rc.actor, id, members, head, hp.Apply(safetynet.Household{}), oldHead)
		return err
	}()
	if err != nil {
		return s.formFailed(w, r, rc, err, func() error { return s.splitForm(w, r, rc, formMap(r), err) })
	}
	s.flashRedirect(w, r, fmt.Sprintf("/households/%d", nid), "flash.split")
	return nil
}

type duplicatesPage struct {
	Pairs []sqlstore.DuplicatePair
}

func (s *Server) webDuplicates(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	return s.showDuplicates(w, r, rc, nil)
}

func (s *Server) showDuplicates(w http.ResponseWriter, r *http.Request, rc *reqCtx, formErr error) error {
	pairs, err := s.store.Duplicates(r.Context(), rc.actor, 100)
	if err != nil {
		return err
	}
	return s.render(w, r, rc, http.StatusOK, "duplicates", "duplicates.title", duplicatesPage{Pairs: pairs}, formErr)
}

// webDecideDuplicate records a decision on a pair.
func (s *Server) webDecideDuplicate(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	if err := parseForm(r); err != nil {
		return err
	}
	keep, err := formID(r, "keep")
	var other int64
	if err == nil {
		other, err = formID(r, "other")
	}
	if err == nil {
		err = s.store.DecideDuplicate(r.Context(), rc.actor, keep, other, r.PostForm.Get("decision"), strings.TrimSpace(r.PostForm.Get("note")))
	}
	if err != nil {
		return s.formFailed(w, r, rc, err, func() error { return s.showDuplicates(w, r, rc, err) })
	}
	s.flashRedirect(w, r, "/duplicates", "flash.saved")
	return nil
}
