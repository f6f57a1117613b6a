package httpserver

import (
	"net/http"
	"strings"
	"time"

	"safetynet"
	"safetynet/access"
	"safetynet/i18n"
)

// handlerFunc is the shape of every route handler: it writes a response
// or returns an error for the surface's error function.
type handlerFunc func(w http.ResponseWriter, r *http.Request, rc *reqCtx) error

// route is one line of a route table.
type route struct {
	method, pattern string
	h               handlerFunc
	api             bool  // JSON surface: bearer token or cookie, JSON errors
	public          bool  // reachable without logging in
	maxBody         int64 // request body limit; 0 means defaultMaxBody
	// duringPasswordChange keeps the route reachable for a user who must
	// change their password first.
	duringPasswordChange bool
}

const (
	defaultMaxBody = 1 << 20  // JSON and forms
	uploadMaxBody  = 64 << 20 // file imports
)

// reqCtx is what a handler knows of the request's caller.
type reqCtx struct {
	user     safetynet.User
	actor    access.Actor
	token    string
	loggedIn bool
	lang     string
}

// wrap applies a route's rules around its handler: body limit,
// authentication, the password-change gate, error mapping and metrics.
func (s *Server) wrap(rt route) http.Handler {
	limit := rt.maxBody
	if limit == 0 {
		limit = defaultMaxBody
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		defer func() { s.metrics.observe(rt.method+" "+rt.pattern, rec.status, time.Since(start)) }()
		if r.ContentLength > limit {
			s.fail(rec, r, &reqCtx{lang: s.lang(r, rt.api)}, rt.api, errTooLarge)
			return
		}
		r.Body = http.MaxBytesReader(rec, r.Body, limit)
		if err := checkRequestText(r); err != nil {
			s.fail(rec, r, &reqCtx{lang: s.lang(r, rt.api)}, rt.api, err)
			return
		}
		rc, err := s.identify(r, rt.api)
		if err != nil {
			s.fail(rec, r, rc, rt.api, err)
			return
		}
		if !rt.public && !rc.loggedIn {
			if rt.api {
				s.fail(rec, r, rc, true, errLoginRequired)
			} else {
				http.Redirect(rec, r, "/login?next="+urlQueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
			}
			return
		}
		if rc.loggedIn && rc.user.MustChangePassword && !rt.duringPasswordChange && !rt.public {
			if rt.api {
				s.fail(rec, r, rc, true, errPasswordChange)
			} else {
				http.Redirect(rec, r, "/account/password", http.StatusSeeOther)
			}
			return
		}
		if rc.loggedIn {
			// Authenticated pages hold personal data: never cache them.
			rec.Header().Set("Cache-Control", "no-store")
		}
		if !rt.api && r.Method == http.MethodPost && !isMultipart(r) {
			// Every plain web form is parsed and checked here, also for
			// handlers that read no field of it.
			if err := parseForm(r); err != nil {
				s.fail(rec, r, rc, false, err)
				return
			}
		}
		if err := rt.h(rec, r, rc); err != nil {
			s.fail(rec, r, rc, rt.api, err)
		}
	})
}

var (
	errLoginRequired  = safetynet.Errorf(safetynet.EUnauthorized, "", "请先登录", "authentication required: log in or send a bearer token")
	errPasswordChange = safetynet.Errorf(safetynet.EForbidden, "password", "请先修改密码", "you must change your password first (POST /api/v1/me/password)")
	errTooLarge       = safetynet.Errorf(safetynet.ETooLarge, "", "请求内容过大", "the request body is too large")
)

const sessionCookie = "sn_session"

// identify finds the caller from a bearer token (API routes) or the
// session cookie.
func (s *Server) identify(r *http.Request, api bool) (*reqCtx, error) {
	rc := &reqCtx{lang: s.lang(r, api)}
	token := ""
	if h := r.Header.Get("Authorization"); api && h != "" {
		scheme, t, ok := strings.Cut(h, " ")
		if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(t) == "" {
			return rc, safetynet.Errorf(safetynet.EUnauthorized, "", "Authorization 头格式应为 Bearer <token>", "the Authorization header must be 'Bearer <token>'")
		}
		token = strings.TrimSpace(t)
	} else if c, err := r.Cookie(sessionCookie); err == nil {
		token = c.Value
	}
	if token == "" {
		return rc, nil
	}
	u, _, err := s.store.SessionUser(r.Context(), token)
	if safetynet.CodeOf(err) == safetynet.EUnauthorized {
		if r.Header.Get("Authorization") != "" {
			return rc, safetynet.Errorf(safetynet.EUnauthorized, "", "令牌无效或已过期", "the token is invalid or has expired")
		}
		return rc, nil // a stale cookie: treat as logged out
	}
	if err != nil {
		return rc, err
	}
	rc.user, rc.token, rc.loggedIn = u, token, true
	rc.actor = access.Actor{UserID: u.ID, Username: u.Username, Role: u.Role, Place: u.PlaceCode, IP: s.clientIP(r)}
	return rc, nil
}

// lang is the caller's language: the UI's cookie (Chinese by default), or
// for the API the Accept-Language header (English by default).
func (s *Server) lang(r *http.Request, api bool) string {
	if api {
		return i18n.FromAcceptLanguage(r.Header.Get("Accept-Language"))
	}
	if c, err := r.Cookie("lang"); err == nil {
		return i18n.Normalize(c.Value)
	}
	return i18n.Default
}

// fail sends err on the surface of the route.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, rc *reqCtx, api bool, err error) {
	if api {
		s.apiError(w, r, rc, err)
	} else {
		s.webError(w, r, rc, err)
	}
}

// statusOf maps an error to its HTTP status.
func statusOf(err error) int {
	switch safetynet.CodeOf(err) {
	case safetynet.EInvalid:
		return http.StatusBadRequest
	case safetynet.ENotFound:
		return http.StatusNotFound
	case safetynet.EConflict:
		return http.StatusConflict
	case safetynet.EForbidden:
		return http.StatusForbidden
	case safetynet.EUnauthorized:
		return http.StatusUnauthorized
	case safetynet.ETooMany:
		return http.StatusTooManyRequests
	case safetynet.ETooLarge:
		return http.StatusRequestEntityTooLarge
	case safetynet.EUnsupported:
		return http.StatusUnsupportedMediaType
	}
	return http.StatusInternalServerError
}

// publicError is the error to show: err itself if it is meant for users,
// else a generic message (the detail is logged, not shown).
func (s *Server) publicError(r *http.Request, err error) *safetynet.Error {
	if e := safetynet.AsError(err); e != nil {
		return e
	}
	s.log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	return safetynet.Errorf(safetynet.EInternal, "", "服务器内部错误，请稍后再试", "internal error: please try again later")
}
