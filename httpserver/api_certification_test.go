package httpserver_test

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"safetynet/certification"
)

// TestCertificationRecordAPI: what a phone sends when the signal returns:
// a date after today's local date, written wrongly, a home visit without
// its photo or an unknown method are refused with their field; a home
// visit with its photo as a data: URL sent twice with the same client_id
// is one record (201, then 200 with duplicate); a grid worker elsewhere
// gets 404.
func TestCertificationRecordAPI(t *testing.T) {
	e := newEnv(t)
	grid := e.token("grid")
	var list struct {
		Items []struct {
			ID     int64  `json:"id"`
			Person string `json:"person"`
		} `json:"items"`
	}
	r := e.do("GET", "/api/v1/certifications?within=30", grid, "")
	r.json(t, &list)
	if r.status != 200 || len(list.Items) == 0 {
		t.Fatalf("list: %d %s", r.status, r.body)
	}
	first := list.Items[0].ID
	today := certification.Day(e.store.Now())
	body := func(client, method, date, photo string) string {
		return fmt.Sprintf(`{"client_id":%q,"method":%q,"date":%q,"photo":%q}`, client, method, date, photo)
	}
	path := fmt.Sprintf("/api/v1/certifications/%d/records", first)
	png := "data:image/png;base64," + base64.StdEncoding.EncodeToString(tinyPNG)
	for _, c := range []struct{ method, date, photo, field string }{
		{"home", today.AddDate(0, 0, 1).Format("2006-01-02"), png, "on_date"}, // tomorrow, local
		{"home", "2026/01/31", png, "date"},
		{"home", today.Format("2006-01-02"), "", "photo"},
		{"phone", today.Format("2006-01-02"), "", "method"},
	} {
		r = e.do("POST", path, grid, body("phone-0001-abcd", c.method, c.date, c.photo))
		if r.status != http.StatusBadRequest || !strings.Contains(r.body, `"field":"`+c.field+`"`) {
			t.Errorf("%s on %s: %d %s", c.method, c.date, r.status, r.body)
		}
	}
	// The home visit with its photo as a data: URL, sent twice.
	var rec struct {
		ID        int64 `json:"id"`
		Duplicate bool  `json:"duplicate"`
	}
	r = e.do("POST", path, grid, body("phone-0001-abcd", "home", today.Format("2006-01-02"), png))
	r.json(t, &rec)
	if r.status != http.StatusCreated || rec.Duplicate {
		t.Fatalf("first sending: %d %s", r.status, r.body)
	}
	id := rec.ID
	r = e.do("POST", path, grid, body("phone-0001-abcd", "home", today.Format("2006-01-02"), png))
	r.json(t, &rec)
	if r.status != http.StatusOK || !rec.Duplicate || rec.ID != id {
		t.Fatalf("second sending: %d %s", r.status, r.body)
	}
	var d struct {
		Records []struct {
			ID    int64 `json:"id"`
			Photo bool  `json:"photo"`
		} `json:"records"`
	}
	r = e.do("GET", fmt.Sprintf("/api/v1/certifications/%d", first), grid, "")
	r.json(t, &d)
	if len(d.Records) != 1 || !d.Records[0].Photo || d.Records[0].ID != id {
		t.Fatalf("detail: %s", r.body)
	}
	if r := e.do("GET", fmt.Sprintf("/api/v1/certifications/records/%d/photo", id), grid, ""); r.status != 200 ||
		r.header.Get("Content-Type") != "image/png" {
		t.Errorf("photo: %d %s", r.status, r.header.Get("Content-Type"))
	}
	// Another grid's worker: as if it did not exist.
	if r := e.do("POST", path, e.token("grid2"), body("phone-0003-abcd", "face", today.Format("2006-01-02"), "")); r.status != http.StatusNotFound {
		t.Errorf("grid2: %d %s", r.status, r.body)
	}
}
