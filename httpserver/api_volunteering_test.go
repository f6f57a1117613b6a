package httpserver_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"safetynet/volunteering"
)

func decodeInto(t *testing.T, r response, status int, v any) {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d: %.500s", r.status, status, r.body)
	}
	if v != nil {
		if err := json.Unmarshal([]byte(r.body), v); err != nil {
			t.Fatal(err)
		}
	}
}

// TestVolunteeringAPI: the village lists the demo relay and opens another
// (a resend is the same relay, a bad window names its field); a neighbour
// signs up by the link and takes a slot with the device's token; the
// volunteer then hears 409 "已被认领" for that slot and may not open
// relays; the hours answer per volunteer.
func TestVolunteeringAPI(t *testing.T) {
	e := newEnv(t)
	village, vol := e.token("village"), e.token("volunteer")
	var list struct {
		Items []struct {
			ID          int64 `json:"id"`
			HouseholdID int64 `json:"household_id"`
			Taken       int   `json:"taken"`
		} `json:"items"`
	}
	decodeInto(t, e.do("GET", "/api/v1/volunteering/relays", village, ""), http.StatusOK, &list)
	if len(list.Items) != 1 || list.Items[0].Taken != 3 {
		t.Fatalf("relays = %+v", list)
	}
	day := time.Now().In(volunteering.Zone).AddDate(0, 0, 2).Format(volunteering.DateLayout)
	body := func(windows string) string {
		return fmt.Sprintf(`{"client_id":"api-relay-1","household_id":%d,"title":"探访接龙","short_name":"高奶奶","address":"棠梨湾12号",
			"tasks":[{"kind":"visit","title":"陪伴聊天","from":"%s","to":"%s","windows":"%s","per_slot":1}]}`, list.Items[0].HouseholdID, day, day, windows)
	}
	r := e.do("POST", "/api/v1/volunteering/relays", village, body("15:00-14:00"))
	if r.status != http.StatusBadRequest || !strings.Contains(r.body, `"tasks[0].windows"`) {
		t.Fatalf("reversed window: %d %s", r.status, r.body)
	}
	var created struct {
		ID int64 `json:"id"`
	}
	decodeInto(t, e.do("POST", "/api/v1/volunteering/relays", village, body("15:00-16:00")), http.StatusCreated, &created)
	var again struct {
		ID int64 `json:"id"`
	}
	decodeInto(t, e.do("POST", "/api/v1/volunteering/relays", village, body("15:00-16:00")), http.StatusOK, &again)
	if again.ID != created.ID {
		t.Fatalf("resend made relay %d, first %d", again.ID, created.ID)
	}
	if r := e.do("POST", "/api/v1/volunteering/relays", vol, body("15:00-16:00")); r.status != http.StatusForbidden {
		t.Fatalf("volunteer opens a relay: %d", r.status)
	}
	var rel struct {
		Version int `json:"version"`
		Slots   []struct {
			ID int64 `json:"id"`
		} `json:"slots"`
	}
	decodeInto(t, e.do("GET", fmt.Sprintf("/api/v1/volunteering/relays/%d", created.ID), village, ""), http.StatusOK, &rel)
	if len(rel.Slots) != 1 {
		t.Fatalf("slots = %+v", rel)
	}
	slot := rel.Slots[0].ID
	var link struct {
		Token string `json:"token"`
	}
	decodeInto(t, e.do("POST", fmt.Sprintf("/api/v1/volunteering/relays/%d/link", created.ID), village, `{}`), http.StatusOK, &link)
	base := "/api/v1/volunteering/links/" + link.Token
	if r := e.do("POST", base+"/signup", "", `{"name":"王婶","phone":"1234"}`); r.status != http.StatusBadRequest || !strings.Contains(r.body, `"phone"`) {
		t.Fatalf("bad phone: %d %s", r.status, r.body)
	}
	if r := e.do("POST", fmt.Sprintf("%s/slots/%d/take", base, slot), "", `{}`); r.status != http.StatusUnauthorized {
		t.Fatalf("take before signing up: %d %s", r.status, r.body)
	}
	var dev struct {
		DeviceToken string `json:"device_token"`
	}
	decodeInto(t, e.do("POST", base+"/signup", "", `{"name":"王婶","phone":"13800000099"}`), http.StatusCreated, &dev)
	decodeInto(t, e.do("POST", fmt.Sprintf("%s/slots/%d/take", base, slot), "", `{}`, "X-Volunteer-Device", dev.DeviceToken), http.StatusOK, nil)
	r = e.do("POST", fmt.Sprintf("/api/v1/volunteering/slots/%d/take", slot), vol, `{}`, "Accept-Language", "zh-CN")
	if r.status != http.StatusConflict || !strings.Contains(r.body, "已被认领") {
		t.Fatalf("second taker: %d %s", r.status, r.body)
	}
	var mine struct {
		Items []struct {
			SlotID  int64  `json:"slot_id"`
			Address string `json:"address"`
		} `json:"items"`
	}
	decodeInto(t, e.do("GET", base+"/mine", "", "", "X-Volunteer-Device", dev.DeviceToken), http.StatusOK, &mine)
	if len(mine.Items) != 1 || mine.Items[0].SlotID != slot || mine.Items[0].Address != "" {
		t.Fatalf("neighbour's slots = %+v (the address shows only 12 hours before)", mine)
	}
	if r := e.do("GET", base+"/mine", "", ""); strings.Contains(r.body, "13800000099") {
		t.Fatal("the phone number is shown")
	}
	decodeInto(t, e.do("POST", fmt.Sprintf("%s/slots/%d/release", base, slot), "", `{}`, "X-Volunteer-Device", dev.DeviceToken), http.StatusNoContent, nil)
	decodeInto(t, e.do("POST", fmt.Sprintf("/api/v1/volunteering/slots/%d/take", slot), vol, `{}`), http.StatusOK, nil)
	var h struct {
		Times      int `json:"times"`
		Volunteers []struct {
			Name string `json:"name"`
		} `json:"volunteers"`
	}
	decodeInto(t, e.do("GET", "/api/v1/volunteering/hours", village, ""), http.StatusOK, &h)
	if r := e.do("GET", "/api/v1/volunteering/hours?from=2026-13-01", village, ""); r.status != http.StatusBadRequest {
		t.Fatalf("bad from: %d", r.status)
	}
	if h.Times != 0 || len(h.Volunteers) != 0 { // nothing is done yet this month
		t.Fatalf("hours = %+v", h)
	}
	var vols struct {
		Items []struct {
			ID        int64  `json:"id"`
			Name      string `json:"name"`
			Neighbour bool   `json:"neighbour"`
		} `json:"items"`
	}
	decodeInto(t, e.do("GET", "/api/v1/volunteering/volunteers", village, ""), http.StatusOK, &vols)
	if len(vols.Items) != 3 || strings.Contains(fmt.Sprint(vols), "138") {
		t.Fatalf("volunteers = %+v", vols)
	}
	var team struct {
		ID int64 `json:"id"`
	}
	decodeInto(t, e.do("POST", "/api/v1/volunteering/teams", village, `{"name":"棠梨湾送餐队"}`), http.StatusCreated, &team)
	if r := e.do("POST", "/api/v1/volunteering/teams", village, `{"name":"棠梨湾送餐队"}`); r.status != http.StatusConflict {
		t.Fatalf("same team twice: %d", r.status)
	}
	decodeInto(t, e.do("POST", fmt.Sprintf("/api/v1/volunteering/teams/%d/members", team.ID), village, fmt.Sprintf(`{"volunteer_id":%d}`, vols.Items[0].ID)),
		http.StatusNoContent, nil)
	var teams struct {
		Items []struct {
			Name    string `json:"name"`
			Members []struct {
				ID int64 `json:"id"`
			} `json:"members"`
		} `json:"items"`
	}
	decodeInto(t, e.do("GET", "/api/v1/volunteering/teams", village, ""), http.StatusOK, &teams)
	if len(teams.Items) != 2 {
		t.Fatalf("teams = %+v", teams)
	}
	if r := e.do("GET", "/api/v1/volunteering/teams", vol, ""); r.status != http.StatusForbidden {
		t.Fatalf("the volunteer lists teams: %d", r.status)
	}
	decodeInto(t, e.do("POST", fmt.Sprintf("/api/v1/volunteering/relays/%d/close", created.ID), village, fmt.Sprintf(`{"version":%d}`, rel.Version)), http.StatusNoContent, nil)
	if r := e.do("POST", base+"/signup", "", `{"name":"王婶","phone":"13800000099"}`); r.status != http.StatusNotFound {
		t.Fatalf("link after close: %d", r.status)
	}
}
