package httpserver_test

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"safetynet"
	"safetynet/access"
)

// maskedCode is a long code as answers show it, masked like "430*****1001".
var maskedCode = regexp.MustCompile(`[0-9]{3}\*+[0-9]{4}`)

// walk is what a check of an unscoped write gets from the scope walk.
type walk struct {
	e           *env
	role        safetynet.Role
	send        func(target) response
	outsideNote string // a notification of wc-village
}

// may reports whether the walker's role holds perm.
func (w walk) may(perm access.Permission) bool {
	return access.Actor{Role: w.role}.Require(perm) == nil
}

// unscopedWrites check the mutating API routes that name no record at a
// place in their path: each sends real requests and asserts what the
// walker's role may do, and that nothing outside its scope is touched or
// shown.
var unscopedWrites = map[string]func(t *testing.T, w walk){
	// The walker's own password, with a wrong current password: refused for
	// every role, and the walker stays logged in.
	"POST /api/v1/me/password": func(t *testing.T, w walk) {
		r := w.send(inside)
		if r.status != http.StatusBadRequest && r.status != http.StatusUnauthorized && r.status != http.StatusForbidden ||
			!strings.Contains(r.body, "current_password") {
			t.Errorf("wrong current password: %d %.300s", r.status, r.body)
		}
	},
	// A ledger naming a place: stored and checked by roles that may import,
	// 403 for the others. A place outside the scope reads as a missing one.
	"POST /api/v1/imports": func(t *testing.T, w walk) {
		in, out, miss := w.send(inside), w.send(outside), w.send(missing)
		if !w.may(access.RegisterImport) {
			for _, r := range []response{in, out, miss} {
				if r.status != http.StatusForbidden {
					t.Errorf("role %s imports: %d %.300s", w.role, r.status, r.body)
				}
			}
			return
		}
		if in.status != http.StatusCreated || len(importErrors(t, in)) != 0 {
			t.Errorf("inside ledger: %d %.400s", in.status, in.body)
		}
		assertNoMarkers(t, "outside", out)
		oe, me := importErrors(t, out), importErrors(t, miss)
		norm := func(errs []string) string {
			return maskedCode.ReplaceAllString(strings.NewReplacer(outsidePlace, "X", missingPlace, "X").Replace(strings.Join(errs, "|")), "X")
		}
		if out.status != http.StatusCreated || len(oe) == 0 || norm(oe) != norm(me) {
			t.Errorf("outside ledger answers differently from a missing place:\noutside %d %q\nmissing %d %q", out.status, oe, miss.status, me)
		}
	},
	// Marking read: the walker's own notification, another user's, a
	// missing one: all answer alike, and the other user's stays unread.
	"POST /api/v1/inbox/read": func(t *testing.T, w walk) {
		in, out, miss := w.send(inside), w.send(outside), w.send(missing)
		if in.status != http.StatusNoContent || out.status != miss.status || out.body != miss.body {
			t.Errorf("inside %d, outside %d %.200s, missing %d %.200s", in.status, out.status, out.body, miss.status, miss.body)
		}
		if unreadNotification(t, w.e, "wc-village", w.outsideNote) == false {
			t.Errorf("wc-village's notification %s was marked read by %s", w.outsideNote, w.role)
		}
	},
	// Settings: the roles that may edit them get the new settings back, the
	// others 403.
	"PUT /api/v1/settings/time-limits": func(t *testing.T, w walk) { checkSetting(t, w, `"followup_days":7`) },
	"PUT /api/v1/measures/{measureCode}": func(t *testing.T, w walk) {
		checkSetting(t, w, `"code":"temporary"`)
	},
}

func checkSetting(t *testing.T, w walk, want string) {
	t.Helper()
	r := w.send(inside)
	switch {
	case w.may(access.SettingsEdit) && (r.status != http.StatusOK || !strings.Contains(r.body, want)):
		t.Errorf("role %s may edit settings: %d %.300s", w.role, r.status, r.body)
	case !w.may(access.SettingsEdit) && r.status != http.StatusForbidden:
		t.Errorf("role %s may not edit settings: %d %.300s", w.role, r.status, r.body)
	}
}

// importErrors returns an import answer's row errors as "row field: message".
func importErrors(t *testing.T, r response) []string {
	t.Helper()
	var j struct {
		Report *struct {
			Errors []struct {
				Row            int
				Field, Message string
			}
		}
		Error *struct{ Message string }
	}
	if err := json.Unmarshal([]byte(r.body), &j); err != nil {
		return []string{r.body}
	}
	var out []string
	if j.Error != nil {
		out = append(out, j.Error.Message)
	}
	if j.Report != nil {
		for _, e := range j.Report.Errors {
			out = append(out, itoa(int64(e.Row))+" "+e.Field+": "+e.Message)
		}
	}
	return out
}

// firstNotification returns the ID of a notification of username, or "".
func firstNotification(t *testing.T, e *env, username string) string {
	t.Helper()
	u, err := e.store.UserByUsername(ctx, access.System(), username)
	if err != nil {
		t.Fatal(err)
	}
	ns, _, err := e.store.Inbox(ctx, access.Actor{UserID: u.ID, Username: u.Username, Role: u.Role, Place: u.PlaceCode}, 200)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range ns {
		if !n.Read {
			return itoa(n.ID)
		}
	}
	return ""
}

// unreadNotification reports whether notification id of username is unread.
func unreadNotification(t *testing.T, e *env, username, id string) bool {
	t.Helper()
	u, _ := e.store.UserByUsername(ctx, access.System(), username)
	ns, _, err := e.store.Inbox(ctx, access.Actor{UserID: u.ID, Username: u.Username, Role: u.Role, Place: u.PlaceCode}, 200)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range ns {
		if itoa(n.ID) == id {
			return !n.Read
		}
	}
	return false
}
