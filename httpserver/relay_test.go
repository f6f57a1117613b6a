package httpserver_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"safetynet/sqlstore/storetest"
)

// TestAPIClueReportAndAcknowledge goes through the relay's first steps
// over the API as a phone and the village's staff do, with the mistakes
// they make: a clue sent twice, a form missing what happened, a household
// of another county, an acknowledgement from a stale page, a second
// acknowledgement.
func TestAPIClueReportAndAcknowledge(t *testing.T) {
	e := newEnv(t)
	grid, village, town := e.token("grid"), e.token("village"), e.token("town")
	body := fmt.Sprintf(`{"client_id":"phone-1","household_id":%d,"kinds":["fall"],"urgency":"urgent","note":"摔倒"}`, e.in.household)
	r := e.do("POST", "/api/v1/clues", grid, body)
	if r.status != http.StatusCreated {
		t.Fatalf("report: %d %s", r.status, r.body)
	}
	var c struct {
		ID      int64
		Status  string
		Version int
		Due     *struct {
			Kind, Level string
		}
	}
	r.json(t, &c)
	if c.Status != "reported" || c.Due == nil || c.Due.Kind != "clue.acknowledge" || c.Due.Level != "village" {
		t.Fatalf("reported clue = %+v", c)
	}
	// The phone lost the answer and sends again: the same clue.
	r = e.do("POST", "/api/v1/clues", grid, body)
	var again struct{ ID int64 }
	r.json(t, &again)
	if r.status != http.StatusOK || again.ID != c.ID {
		t.Fatalf("resend: %d %s", r.status, r.body)
	}
	for _, bad := range []struct{ body, field string }{
		{fmt.Sprintf(`{"client_id":"phone-2","household_id":%d,"kinds":[],"urgency":"urgent"}`, e.in.household), "kinds"},
		{fmt.Sprintf(`{"client_id":"phone-3","household_id":%d,"kinds":["fall"],"urgency":"now"}`, e.in.household), "urgency"},
		{fmt.Sprintf(`{"client_id":"phone-4","household_id":%d,"kinds":["fall"]}`, e.out.household), "household_id"},
		{`{"client_id":"phone-5","kinds":["fall"],"name":"","place_code":"530325002009-01-01"}`, "name"},
		{fmt.Sprintf(`{"client_id":"phone-6","household_id":%d,"kinds":["fall"],"reported_at":"yesterday"}`, e.in.household), "reported_at"},
	} {
		r := e.do("POST", "/api/v1/clues", grid, bad.body)
		var eb struct {
			Error struct{ Code, Field, Message string }
		}
		r.json(t, &eb)
		if r.status != http.StatusBadRequest || eb.Error.Field != bad.field || eb.Error.Message == "" {
			t.Errorf("%s: %d %s, want 400 on %s", bad.body, r.status, r.body, bad.field)
		}
	}
	// Another grid worker reusing the phone's ID gets a conflict, not the clue.
	r = e.do("POST", "/api/v1/clues", e.token("grid2"), body)
	if r.status != http.StatusConflict || strings.Contains(r.body, "摔倒") {
		t.Fatalf("client_id of another user: %d %s", r.status, r.body)
	}

	ack := func(token string, version int) response {
		return e.do("POST", fmt.Sprintf("/api/v1/clues/%d/acknowledge", c.ID), token, fmt.Sprintf(`{"version":%d}`, version))
	}
	if r := ack(village, c.Version+5); r.status != http.StatusConflict {
		t.Fatalf("stale acknowledgement: %d %s", r.status, r.body)
	}
	r = ack(village, c.Version)
	var acked struct {
		Status         string
		AcknowledgedBy string `json:"acknowledged_by"`
		Due            *struct{ Kind string }
	}
	r.json(t, &acked)
	if r.status != http.StatusOK || acked.Status != "acknowledged" || acked.AcknowledgedBy != "village" || acked.Due == nil ||
		acked.Due.Kind != "clue.verify" {
		t.Fatalf("acknowledge: %d %s", r.status, r.body)
	}
	// The town, a moment later, from the same list: told who took it, by name.
	r = ack(town, c.Version)
	if r.status != http.StatusConflict || !strings.Contains(r.body, "王芳") {
		t.Fatalf("second acknowledgement: %d %s", r.status, r.body)
	}
	// The reporter hears that the clue was taken.
	r = e.do("GET", "/api/v1/inbox", grid, "")
	if !strings.Contains(r.body, `"kind":"clue.acknowledged"`) {
		t.Fatalf("reporter's inbox: %s", r.body)
	}
}

// TestEscalationDigest: when a sweep passes many steps to one place, its
// users get one message saying how many, in the inbox and the outbox.
func TestEscalationDigest(t *testing.T) {
	clock := storetest.NewClock(time.Now())
	e := newEnvWith(t, storetest.SQLite(t, clock))
	grid := e.token("grid")
	town := e.token("town")
	before := e.do("GET", "/api/v1/inbox", town, "")
	var inbox struct {
		Notifications []struct {
			Kind   string
			Link   string
			Detail map[string]any
		}
		Unread int
	}
	before.json(t, &inbox)
	unread := inbox.Unread
	for i := range 7 {
		r := e.do("POST", "/api/v1/clues", grid, fmt.Sprintf(`{"client_id":"dg-%d","household_id":%d,"kinds":["illness"],"urgency":"normal"}`,
			i, e.in.household))
		if r.status != http.StatusCreated {
			t.Fatalf("report %d: %d %s", i, r.status, r.body)
		}
	}
	clock.Advance(25 * time.Hour)
	res, err := e.store.Escalate(ctx)
	if err != nil || res.Escalated < 7 {
		t.Fatalf("escalate: %+v %v", res, err)
	}
	town = e.token("town") // the old session has lapsed overnight
	r := e.do("GET", "/api/v1/inbox", town, "")
	r.json(t, &inbox)
	if inbox.Unread != unread+1 || inbox.Notifications[0].Kind != "escalated.many" || inbox.Notifications[0].Link != "/work" ||
		inbox.Notifications[0].Detail["count"].(float64) < 7 {
		t.Fatalf("town inbox after the sweep: %s", r.body)
	}
	b := e.browser()
	b.login("town")
	page := b.get("/inbox")
	if !strings.Contains(page.body, "项事项转由您") {
		t.Fatalf("inbox page lacks the digest: %s", page.body)
	}
}
