package httpserver

import (
	"fmt"
	"net/http"
	"strings"

	"safetynet"
	"safetynet/sqlstore"
)

// The takers' pages: a volunteer's "我的接龙" (their places, with what the
// task needs while a place is active, and the relays nearby to choose
// from), and a neighbour's sign-up page reached by a relay's link, where
// the device keeps a token in a cookie after the name and phone were
// entered once.

type volMinePage struct {
	Mine   []sqlstore.MySlot
	Relays []sqlstore.TakerRelay
	// Link is the sign-up token of the page (neighbours); "" for users.
	Link   string
	Signed bool
	Name   string
	Title  string
	Gone   bool
	Form   map[string]string
	Action string // where slot forms post: /volunteering/slots or /j/{token}/slots
}

func (s *Server) webVolunteerMine(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	return s.showVolunteerMine(w, r, rc, nil)
}

func (s *Server) showVolunteerMine(w http.ResponseWriter, r *http.Request, rc *reqCtx, formErr error) error {
	tk := sqlstore.UserTaker(rc.actor)
	mine, err := s.store.MySlots(r.Context(), tk)
	if err != nil {
		return err
	}
	relays, err := s.store.TakerRelays(r.Context(), tk)
	if err != nil {
		return err
	}
	return s.render(w, r, rc, http.StatusOK, "volunteering_mine", "volunteering.mine", volMinePage{Mine: mine, Relays: relays, Signed: true,
		Action: "/volunteering/slots"}, formErr)
}

// slotAction runs a taker's action on a slot: take, release or done.
func (s *Server) slotAction(r *http.Request, tk sqlstore.Taker, action string) (string, error) {
	id, err := pathID(r, "slotID")
	if err != nil {
		return "", err
	}
	if err := parseForm(r); err != nil {
		return "", err
	}
	switch action {
	case "take":
		res, err := s.store.TakeSlot(r.Context(), tk, id)
		if err == nil && res.Already {
			return "volunteering.already", nil
		}
		return "volunteering.taken", err
	case "release":
		return "volunteering.released", s.store.ReleaseSlot(r.Context(), tk, id)
	case "done":
		return "volunteering.done", s.store.DoneSlot(r.Context(), tk, id, strings.TrimSpace(r.PostForm.Get("note")))
	}
	return "", safetynet.NotFound("找不到该操作", "no such action")
}

func (s *Server) webVolunteerSlot(action string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
		msg, err := s.slotAction(r, sqlstore.UserTaker(rc.actor), action)
		if err != nil {
			return s.formFailed(w, r, rc, err, func() error { return s.showVolunteerMine(w, r, rc, err) })
		}
		s.flashRedirect(w, r, "/volunteering/mine", msg)
		return nil
	}
}

// deviceCookie keeps a neighbour's device token.
const deviceCookie = "vol_device"

func deviceToken(r *http.Request) string {
	if c, err := r.Cookie(deviceCookie); err == nil {
		return c.Value
	}
	return ""
}

func (s *Server) webVolunteerLinkPage(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	return s.showVolunteerLinkPage(w, r, rc, nil, nil)
}

func (s *Server) showVolunteerLinkPage(w http.ResponseWriter, r *http.Request, rc *reqCtx, form map[string]string, formErr error) error {
	token := r.PathValue("token")
	dev := deviceToken(r)
	v, err := s.store.VolunteerLinkView(r.Context(), token, dev)
	if safetynet.CodeOf(err) == safetynet.ENotFound {
		return s.render(w, r, rc, http.StatusNotFound, "volunteering_mine", "volunteering.signup", volMinePage{Gone: true}, nil)
	}
	if err != nil {
		return err
	}
	pg := volMinePage{Link: token, Signed: v.Name != "", Name: v.Name, Title: v.Title, Form: form, Action: "/j/" + token + "/slots"}
	if pg.Form == nil {
		pg.Form = map[string]string{}
	}
	tk := sqlstore.DeviceTaker(token, dev)
	if pg.Signed {
		if pg.Mine, err = s.store.MySlots(r.Context(), tk); err != nil {
			return err
		}
	}
	if pg.Relays, err = s.store.TakerRelays(r.Context(), tk); err != nil {
		return err
	}
	w.Header().Set("Referrer-Policy", "no-referrer")
	w.Header().Set("Cache-Control", "no-store")
	return s.render(w, r, rc, http.StatusOK, "volunteering_mine", "volunteering.signup", pg, formErr)
}

func (s *Server) webVolunteerSignup(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	if err := parseForm(r); err != nil {
		return err
	}
	token := r.PathValue("token")
	dev, err := s.store.SignupNeighbour(r.Context(), token, r.PostForm.Get("name"), r.PostForm.Get("phone"))
	if err != nil {
		form := map[string]string{"name": r.PostForm.Get("name"), "phone": r.PostForm.Get("phone")}
		return s.formFailed(w, r, rc, err, func() error { return s.showVolunteerLinkPage(w, r, rc, form, err) })
	}
	http.SetCookie(w, &http.Cookie{Name: deviceCookie, Value: dev, Path: "/j/", MaxAge: 400 * 24 * 3600, HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: r.TLS != nil})
	s.flashRedirect(w, r, "/j/"+token, "volunteering.signed_up")
	return nil
}

func (s *Server) webVolunteerLinkSlot(action string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
		token := r.PathValue("token")
		msg, err := s.slotAction(r, sqlstore.DeviceTaker(token, deviceToken(r)), action)
		if err != nil {
			return s.formFailed(w, r, rc, err, func() error { return s.showVolunteerLinkPage(w, r, rc, nil, err) })
		}
		s.flashRedirect(w, r, fmt.Sprintf("/j/%s", token), msg)
		return nil
	}
}
