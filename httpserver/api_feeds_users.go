package httpserver

import (
	"net/http"

	"safetynet"
)

type userDepartmentJSON struct {
	Department     string `json:"department"`
	DepartmentName string `json:"department_name"`
}

// apiSetUserDepartment answers PUT /api/v1/users/{userID}/department.
func (s *Server) apiSetUserDepartment(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "userID")
	if err != nil {
		return err
	}
	var in struct {
		Department string `json:"department"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if err := s.store.SetUserDepartment(r.Context(), rc.actor, id, in.Department); err != nil {
		return err
	}
	name := ""
	if in.Department != "" {
		name = safetynet.Departments.Label(in.Department, rc.lang)
	}
	writeJSON(w, http.StatusOK, userDepartmentJSON{Department: in.Department, DepartmentName: name})
	return nil
}
