package httpserver

import (
	"fmt"
	"net/http"

	"safetynet"
	"safetynet/access"
)

type usersPage struct {
	Users    []safetynet.User
	Query    string
	Role     string
	Disabled bool
	Roles    []safetynet.Role
}

func (s *Server) webUsers(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	q := r.URL.Query()
	pg := usersPage{Query: q.Get("q"), Role: q.Get("role"), Disabled: q.Get("disabled") == "1", Roles: safetynet.Roles}
	var err error
	pg.Users, err = s.store.Users(r.Context(), rc.actor, safetynet.UserFilter{Query: pg.Query, Role: safetynet.Role(pg.Role),
		PlaceCode: q.Get("place"), IncludeDisabled: pg.Disabled, Limit: 500})
	if err != nil {
		return err
	}
	return s.render(w, r, rc, http.StatusOK, "users", "users.title", pg, nil)
}

type userPage struct {
	User  safetynet.User
	Roles []safetynet.Role
	Form  userForm
	New   bool
	// Department is a department account's department, set in its own form.
	Department departmentForm
}

type userForm struct {
	Username, DisplayName, Role, PlaceCode string
	Disabled                               bool
}

func (s *Server) webNewUserForm(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	if err := rc.actor.Require(access.UserManage); err != nil {
		return err
	}
	pg := userPage{New: true, Roles: safetynet.Roles, Form: userForm{PlaceCode: r.URL.Query().Get("place"), Role: string(safetynet.RoleGridWorker)}}
	return s.render(w, r, rc, http.StatusOK, "user", "users.new", pg, nil)
}

func (s *Server) webCreateUser(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	if err := rc.actor.Require(access.UserManage); err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	f := userForm{Username: r.PostForm.Get("username"), DisplayName: r.PostForm.Get("display_name"),
		Role: r.PostForm.Get("role"), PlaceCode: r.PostForm.Get("place_code")}
	u, err := s.store.CreateUser(r.Context(), rc.actor, safetynet.NewUser{Username: f.Username, DisplayName: f.DisplayName,
		Role: safetynet.Role(f.Role), PlaceCode: f.PlaceCode, Password: r.PostForm.Get("password"), MustChangePassword: true})
	if err != nil {
		if safetynet.AsError(err) == nil {
			return err
		}
		return s.render(w, r, rc, http.StatusOK, "user", "users.new", userPage{New: true, Roles: safetynet.Roles, Form: f}, err)
	}
	s.flashRedirect(w, r, fmt.Sprintf("/users/%d", u.ID), "flash.user_created")
	return nil
}

func (s *Server) webUser(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := userID(r)
	if err != nil {
		return err
	}
	u, err := s.store.User(r.Context(), rc.actor, id)
	if err != nil {
		return err
	}
	pg := userPage{User: u, Roles: safetynet.Roles, Form: userForm{Username: u.Username, DisplayName: u.DisplayName,
		Role: string(u.Role), PlaceCode: u.PlaceCode, Disabled: u.Disabled}}
	if pg.Department, err = s.departmentForm(r, rc, u); err != nil {
		return err
	}
	return s.render(w, r, rc, http.StatusOK, "user", "users.detail", pg, nil)
}

// webUpdateUser saves the user form: name, role, place, disabled.
func (s *Server) webUpdateUser(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := userID(r)
	if err != nil {
		return err
	}
	if err := rc.actor.Require(access.UserManage); err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	version, err := formVersion(r)
	if err != nil {
		return err
	}
	f := userForm{DisplayName: r.PostForm.Get("display_name"), Role: r.PostForm.Get("role"),
		PlaceCode: r.PostForm.Get("place_code"), Disabled: r.PostForm.Get("disabled") == "1"}
	role := safetynet.Role(f.Role)
	_, err = s.store.UpdateUser(r.Context(), rc.actor, id, safetynet.UserUpdate{DisplayName: &f.DisplayName, Role: &role,
		PlaceCode: &f.PlaceCode, Disabled: &f.Disabled, Version: version})
	if err != nil {
		return s.userFormError(w, r, rc, id, err, &f)
	}
	s.flashRedirect(w, r, fmt.Sprintf("/users/%d", id), "flash.user_saved")
	return nil
}

// webResetPassword sets a temporary password the user must change.
func (s *Server) webResetPassword(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := userID(r)
	if err != nil {
		return err
	}
	if err := rc.actor.Require(access.UserManage); err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	if err := s.store.ResetPassword(r.Context(), rc.actor, id, r.PostForm.Get("password"), true); err != nil {
		return s.userFormError(w, r, rc, id, err, nil)
	}
	s.flashRedirect(w, r, fmt.Sprintf("/users/%d", id), "flash.password_reset")
	return nil
}

func (s *Server) userFormError(w http.ResponseWriter, r *http.Request, rc *reqCtx, id int64, err error, f *userForm) error {
	if e := safetynet.AsError(err); e == nil || e.Code == safetynet.ENotFound || e.Code == safetynet.EForbidden {
		return err
	}
	u, lerr := s.store.User(r.Context(), rc.actor, id)
	if lerr != nil {
		return lerr
	}
	pg := userPage{User: u, Roles: safetynet.Roles, Form: userForm{Username: u.Username, DisplayName: u.DisplayName,
		Role: string(u.Role), PlaceCode: u.PlaceCode, Disabled: u.Disabled}}
	if f != nil {
		f.Username = u.Username
		pg.Form = *f
	}
	return s.render(w, r, rc, http.StatusOK, "user", "users.detail", pg, err)
}
