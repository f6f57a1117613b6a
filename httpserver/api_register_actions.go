package httpserver

import (
	"net/http"

	"safetynet"
	"safetynet/sqlstore"
)

type headJSON struct {
	PersonID int64 `json:"person_id"`
}

// apiSetHead answers POST /api/v1/households/{householdID}/head.
func (s *Server) apiSetHead(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "householdID")
	if err != nil {
		return err
	}
	var in headJSON
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if err := s.store.SetHead(r.Context(), rc.actor, id, in.PersonID); err != nil {
		return err
	}
	return s.writeHousehold(w, r, rc, id, http.StatusOK)
}

type moveInJSON struct {
	Persons  []int64 `json:"persons"`
	Relation string  `json:"relation"`
	Date     string  `json:"date"`
	NewHead  int64   `json:"new_head"`
}

// apiMoveIn answers POST /api/v1/households/{householdID}/move-in: persons
// of other households join this one.
func (s *Server) apiMoveIn(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "householdID")
	if err != nil {
		return err
	}
	var in moveInJSON
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	date, err := optionalDate(in.Date, "date")
	if err != nil {
		return err
	}
	if err := s.store.MovePersons(r.Context(), rc.actor, sqlstore.Move{Persons: in.Persons, To: id, Relation: in.Relation,
		Date: date, NewHead: in.NewHead}); err != nil {
		return err
	}
	return s.writeHousehold(w, r, rc, id, http.StatusOK)
}

type splitJSON struct {
	Members    []int64            `json:"members"`
	Head       int64              `json:"head"`
	Household  householdInputJSON `json:"household"`
	OldNewHead int64              `json:"old_household_new_head"`
}

// apiSplit answers POST /api/v1/households/{householdID}/split (分户).
func (s *Server) apiSplit(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "householdID")
	if err != nil {
		return err
	}
	var in splitJSON
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	hh, err := in.Household.input()
	if err != nil {
		return err
	}
	nid, err := s.store.SplitHousehold(r.Context(), rc.actor, id, in.Members, in.Head, hh, in.OldNewHead)
	if err != nil {
		return err
	}
	return s.writeHousehold(w, r, rc, nid, http.StatusCreated)
}

type mergeJSON struct {
	From int64 `json:"from"`
}

// apiMerge answers POST /api/v1/households/{householdID}/merge (合户): the
// members of household "from" join this one.
func (s *Server) apiMerge(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "householdID")
	if err != nil {
		return err
	}
	var in mergeJSON
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if err := s.store.MergeHouseholds(r.Context(), rc.actor, id, in.From); err != nil {
		return err
	}
	return s.writeHousehold(w, r, rc, id, http.StatusOK)
}

type categoryJSON struct {
	Category string `json:"category"`
	RiskType string `json:"risk_type"`
	Start    string `json:"start"`
	Reason   string `json:"reason"`
}

func (s *Server) assign(w http.ResponseWriter, r *http.Request, rc *reqCtx, subject safetynet.Subject, param string) error {
	id, err := pathID(r, param)
	if err != nil {
		return err
	}
	var in categoryJSON
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	start, err := dateParam(in.Start, "start")
	if err != nil {
		return err
	}
	aid, err := s.store.AssignCategory(r.Context(), rc.actor, subject, id, safetynet.NewAssignment{Category: in.Category,
		RiskType: in.RiskType, Start: start, Reason: in.Reason})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, createdJSON{ID: aid})
	return nil
}

// apiAssignHousehold answers POST /api/v1/households/{householdID}/categories.
func (s *Server) apiAssignHousehold(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	return s.assign(w, r, rc, safetynet.SubjectHousehold, "householdID")
}

// apiAssignPerson answers POST /api/v1/persons/{personID}/categories.
func (s *Server) apiAssignPerson(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	return s.assign(w, r, rc, safetynet.SubjectPerson, "personID")
}

type endCategoryJSON struct {
	End    string `json:"end"`
	Reason string `json:"reason"`
	Note   string `json:"note"`
}

// apiEndCategory answers POST /api/v1/categories/{assignmentID}/end, e.g.
// with reason risk_eliminated (风险消除).
func (s *Server) apiEndCategory(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "assignmentID")
	if err != nil {
		return err
	}
	var in endCategoryJSON
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	end, err := optionalDate(in.End, "end")
	if err != nil {
		return err
	}
	if err := s.store.EndCategory(r.Context(), rc.actor, id, safetynet.EndAssignment{End: end, Reason: in.Reason, Note: in.Note}); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// apiDuplicates answers GET /api/v1/duplicates: undecided possible duplicates.
func (s *Server) apiDuplicates(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	pairs, err := s.store.Duplicates(r.Context(), rc.actor, 100)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toDuplicatesJSON(pairs, rc.lang))
	return nil
}

type duplicateDecisionJSON struct {
	Keep     int64  `json:"keep"`
	Other    int64  `json:"other"`
	Decision string `json:"decision"`
	Note     string `json:"note"`
}

// apiDecideDuplicate answers POST /api/v1/duplicates.
func (s *Server) apiDecideDuplicate(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	var in duplicateDecisionJSON
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if err := s.store.DecideDuplicate(r.Context(), rc.actor, in.Keep, in.Other, in.Decision, in.Note); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
