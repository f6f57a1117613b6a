package httpserver

import (
	"net/http"
	"strconv"
	"time"

	"safetynet"
)

type userJSON struct {
	ID                 int64      `json:"id"`
	Username           string     `json:"username"`
	DisplayName        string     `json:"display_name"`
	Role               string     `json:"role"`
	PlaceCode          string     `json:"place_code"`
	PlaceName          string     `json:"place_name"`
	Disabled           bool       `json:"disabled"`
	MustChangePassword bool       `json:"must_change_password"`
	Version            int        `json:"version"`
	CreatedAt          *time.Time `json:"created_at,omitempty"`
	UpdatedAt          *time.Time `json:"updated_at,omitempty"`
	LastLoginAt        *time.Time `json:"last_login_at,omitempty"`
}

func toUserJSON(u safetynet.User) userJSON {
	return userJSON{ID: u.ID, Username: u.Username, DisplayName: u.DisplayName, Role: string(u.Role),
		PlaceCode: u.PlaceCode, PlaceName: u.PlaceName, Disabled: u.Disabled, MustChangePassword: u.MustChangePassword,
		Version: u.Version, CreatedAt: timePtr(u.CreatedAt), UpdatedAt: timePtr(u.UpdatedAt), LastLoginAt: timePtr(u.LastLoginAt)}
}

// userID reads the {userID} path value.
func userID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("userID"), 10, 64)
	if err != nil || id <= 0 {
		return 0, safetynet.NotFound("用户", "user")
	}
	return id, nil
}

// apiUsers answers GET /api/v1/users?q=&role=&place=&disabled=true.
func (s *Server) apiUsers(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	q := r.URL.Query()
	limit, err := intParam(r, "limit", 200)
	if err != nil {
		return err
	}
	offset, err := intParam(r, "offset", 0)
	if err != nil {
		return err
	}
	disabled, err := boolParam(r, "disabled")
	if err != nil {
		return err
	}
	role := safetynet.Role(q.Get("role"))
	if role != "" && !role.Valid() {
		return safetynet.Invalid("role", "角色无效：%q", "unknown role %q", string(role))
	}
	users, err := s.store.Users(r.Context(), rc.actor, safetynet.UserFilter{Query: q.Get("q"), Role: role,
		PlaceCode: q.Get("place"), IncludeDisabled: disabled, Limit: limit, Offset: offset})
	if err != nil {
		return err
	}
	out := make([]userJSON, 0, len(users))
	for _, u := range users {
		out = append(out, toUserJSON(u))
	}
	writeJSON(w, http.StatusOK, userListJSON{Users: out})
	return nil
}

// apiUser answers GET /api/v1/users/{userID}.
func (s *Server) apiUser(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := userID(r)
	if err != nil {
		return err
	}
	u, err := s.store.User(r.Context(), rc.actor, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toUserJSON(u))
	return nil
}

type userCreateJSON struct {
	Username           string `json:"username"`
	DisplayName        string `json:"display_name"`
	Role               string `json:"role"`
	PlaceCode          string `json:"place_code"`
	Password           string `json:"password"`
	MustChangePassword *bool  `json:"must_change_password"`
}

// apiCreateUser answers POST /api/v1/users. New users must change their
// password at first login unless must_change_password is false.
func (s *Server) apiCreateUser(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	var in userCreateJSON
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	must := in.MustChangePassword == nil || *in.MustChangePassword
	u, err := s.store.CreateUser(r.Context(), rc.actor, safetynet.NewUser{Username: in.Username, DisplayName: in.DisplayName,
		Role: safetynet.Role(in.Role), PlaceCode: in.PlaceCode, Password: in.Password, MustChangePassword: must})
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/users/"+strconv.FormatInt(u.ID, 10))
	writeJSON(w, http.StatusCreated, toUserJSON(u))
	return nil
}

type userUpdateJSON struct {
	DisplayName *string `json:"display_name"`
	Role        *string `json:"role"`
	PlaceCode   *string `json:"place_code"`
	Disabled    *bool   `json:"disabled"`
	Version     int     `json:"version"`
}

// apiUpdateUser answers PATCH /api/v1/users/{userID}.
func (s *Server) apiUpdateUser(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := userID(r)
	if err != nil {
		return err
	}
	var in userUpdateJSON
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if err := requireVersion(in.Version); err != nil {
		return err
	}
	up := safetynet.UserUpdate{DisplayName: in.DisplayName, PlaceCode: in.PlaceCode, Disabled: in.Disabled, Version: in.Version}
	if in.Role != nil {
		role := safetynet.Role(*in.Role)
		up.Role = &role
	}
	u, err := s.store.UpdateUser(r.Context(), rc.actor, id, up)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toUserJSON(u))
	return nil
}

type passwordResetJSON struct {
	Password           string `json:"password"`
	MustChangePassword *bool  `json:"must_change_password"`
}

// apiResetPassword answers POST /api/v1/users/{userID}/password.
func (s *Server) apiResetPassword(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := userID(r)
	if err != nil {
		return err
	}
	var in passwordResetJSON
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	must := in.MustChangePassword == nil || *in.MustChangePassword
	if err := s.store.ResetPassword(r.Context(), rc.actor, id, in.Password, must); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
