package httpserver

import (
	"net/http"
	"time"

	"safetynet"
	"safetynet/sqlstore"
)

type tokenRequestJSON struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

type tokenJSON struct {
	Token     string    `json:"token"`
	TokenType string    `json:"token_type"`
	ExpiresAt time.Time `json:"expires_at"`
	User      userJSON  `json:"user"`
}

// apiToken answers POST /api/v1/auth/token: a bearer token for the API.
func (s *Server) apiToken(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	var in tokenRequestJSON
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if in.Username == "" {
		return safetynet.Invalid("username", "请输入用户名", "username is required")
	}
	u, err := s.store.Authenticate(r.Context(), in.Username, in.Password, s.clientIP(r))
	if err != nil {
		return err
	}
	token, sess, err := s.store.CreateSession(r.Context(), u.ID, sqlstore.SessionAPI, s.clientIP(r), r.UserAgent())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, tokenJSON{Token: token, TokenType: "Bearer", ExpiresAt: sess.ExpiresAt, User: toUserJSON(u)})
	return nil
}

// apiRevokeToken answers DELETE /api/v1/auth/token: ends the caller's
// session.
func (s *Server) apiRevokeToken(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	if err := s.store.DeleteSession(r.Context(), rc.token); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

type meJSON struct {
	userJSON
	Permissions []string `json:"permissions"`
}

// apiMe answers GET /api/v1/me.
func (s *Server) apiMe(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	writeJSON(w, http.StatusOK, meJSON{userJSON: toUserJSON(rc.user), Permissions: orEmpty(permissionsOf(rc))})
	return nil
}

type passwordChangeJSON struct {
	CurrentPassword string `json:"current_password"`
	NewPassword     string `json:"new_password"`
}

// apiChangePassword answers POST /api/v1/me/password. Other sessions of
// the user end; this one stays.
func (s *Server) apiChangePassword(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	var in passwordChangeJSON
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if err := s.store.ChangeOwnPassword(r.Context(), rc.actor, in.CurrentPassword, in.NewPassword, rc.token); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
