package httpserver

import (
	"net/http"
	"strings"

	"safetynet"
	"safetynet/i18n"
	"safetynet/sqlstore"
)

type loginPage struct {
	Username string
	Next     string
}

// safeNext keeps a post-login redirect on this site.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/"
	}
	return next
}

func (s *Server) webLoginForm(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	if rc.loggedIn {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return nil
	}
	return s.render(w, r, rc, http.StatusOK, "login", "login.title", loginPage{Next: safeNext(r.URL.Query().Get("next"))}, nil)
}

func (s *Server) webLogin(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	if err := parseForm(r); err != nil {
		return err
	}
	data := loginPage{Username: r.PostForm.Get("username"), Next: safeNext(r.PostForm.Get("next"))}
	u, err := s.store.Authenticate(r.Context(), data.Username, r.PostForm.Get("password"), s.clientIP(r))
	if err != nil {
		if safetynet.AsError(err) == nil {
			return err
		}
		return s.render(w, r, rc, http.StatusOK, "login", "login.title", data, err)
	}
	token, _, err := s.store.CreateSession(r.Context(), u.ID, sqlstore.SessionWeb, s.clientIP(r), r.UserAgent())
	if err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: token, Path: "/", HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: s.secure, MaxAge: 7 * 24 * 3600}) // relative: a phone with a wrong clock keeps it
	if u.MustChangePassword {
		http.Redirect(w, r, "/account/password", http.StatusSeeOther)
		return nil
	}
	http.Redirect(w, r, data.Next, http.StatusSeeOther)
	return nil
}

func (s *Server) webLogout(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	if err := s.store.DeleteSession(r.Context(), rc.token); err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secure})
	http.Redirect(w, r, "/login", http.StatusSeeOther)
	return nil
}

// webSetLang switches the UI language and returns to the page.
func (s *Server) webSetLang(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	lang := i18n.Normalize(r.PathValue("lang"))
	http.SetCookie(w, &http.Cookie{Name: "lang", Value: lang, Path: "/", MaxAge: 365 * 24 * 3600, SameSite: http.SameSiteLaxMode, Secure: s.secure})
	http.Redirect(w, r, safeNext(r.URL.Query().Get("next")), http.StatusSeeOther)
	return nil
}

type accountPage struct {
	Permissions []string
	Forced      bool
}

func permissionsOf(rc *reqCtx) []string {
	var out []string
	for _, p := range rc.actor.Permissions() {
		out = append(out, string(p))
	}
	return out
}

func (s *Server) webAccount(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	return s.render(w, r, rc, http.StatusOK, "account", "account.title", accountPage{Permissions: permissionsOf(rc)}, nil)
}

func (s *Server) webPasswordForm(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	return s.render(w, r, rc, http.StatusOK, "password", "password.title", accountPage{Forced: rc.user.MustChangePassword}, nil)
}

func (s *Server) webChangePassword(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	if err := parseForm(r); err != nil {
		return err
	}
	next := r.PostForm.Get("new_password")
	var err error
	if next != r.PostForm.Get("confirm_password") {
		err = safetynet.Invalid("confirm_password", "两次输入的新密码不一致", "the two new passwords differ")
	} else {
		err = s.store.ChangeOwnPassword(r.Context(), rc.actor, r.PostForm.Get("current_password"), next, rc.token)
	}
	if err != nil {
		if safetynet.AsError(err) == nil {
			return err
		}
		return s.render(w, r, rc, http.StatusOK, "password", "password.title", accountPage{Forced: rc.user.MustChangePassword}, err)
	}
	s.flashRedirect(w, r, "/", "flash.password_changed")
	return nil
}
