package httpserver_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"safetynet/volunteering"
)

// TestVolunteeringPages: the village finds a household without a case by
// name and opens a relay for it (a window written wrong is shown at its
// field, nothing saved); the volunteer's 接龙 menu leads to 我的接龙; a dead
// sign-up link says so; a neighbour signs up once and the device keeps a
// cookie, never the phone number on the page.
func TestVolunteeringPages(t *testing.T) {
	e := newEnv(t)
	br := e.browser()
	br.login("village")
	r := br.get("/volunteering?q=" + url.QueryEscape("高秀珍"))
	m := regexp.MustCompile(`/volunteering/new\?household=(\d+)`).FindStringSubmatch(r.body)
	if r.status != http.StatusOK || m == nil {
		t.Fatalf("find: %d %.600s", r.status, r.body)
	}
	r = br.get(m[0])
	if r.status != http.StatusOK || !strings.Contains(r.body, `value="高奶奶"`) || !strings.Contains(r.body, `value="棠梨湾12号"`) {
		t.Fatalf("form: %d %.600s", r.status, r.body)
	}
	day := time.Now().In(volunteering.Zone).AddDate(0, 0, 1).Format(volunteering.DateLayout)
	form := url.Values{"client_id": {"web-relay-1"}, "household": {m[1]}, "title": {"陪伴接龙"}, "short_name": {"高奶奶"}, "address": {"棠梨湾12号"},
		"task0_kind": {"visit"}, "task0_title": {"陪伴"}, "task0_from": {day}, "task0_to": {day}, "task0_windows": {"15点到16点"}, "task0_per_slot": {"1"}}
	r = br.post("/volunteering/new", form)
	if r.status != http.StatusBadRequest || !strings.Contains(r.body, "时间段无效") {
		t.Fatalf("bad window: %d %.600s", r.status, r.body)
	}
	form.Set("task0_windows", "15:00-16:00")
	r = br.post("/volunteering/new", form)
	if r.status != http.StatusSeeOther || !strings.HasPrefix(r.header.Get("Location"), "/volunteering/relays/") {
		t.Fatalf("create: %d %s", r.status, r.header.Get("Location"))
	}
	relay := r.header.Get("Location")
	r = br.post(relay+"/link", url.Values{})
	link := regexp.MustCompile(`/j/[0-9a-f]+`).FindString(r.body)
	if r.status != http.StatusOK || link == "" || !strings.Contains(r.body, "<svg") {
		t.Fatalf("link: %d %.300s", r.status, r.body)
	}

	if r := br.get("/volunteering/hours"); r.status != http.StatusOK || !strings.Contains(r.body, `<select name="place">`) ||
		!strings.Contains(r.body, "棠梨湾居民小组") || !strings.Contains(r.body, "腰站社区暖邻志愿队") {
		t.Fatalf("hours: %d %.600s", r.status, r.body)
	}
	if r := br.get("/volunteering/hours?place=430112001001"); r.status != http.StatusNotFound {
		t.Fatalf("hours of another county's village: %d", r.status)
	}

	vol := e.browser()
	vol.login("volunteer")
	if r := vol.get("/volunteering"); r.status != http.StatusSeeOther || r.header.Get("Location") != "/volunteering/mine" {
		t.Fatalf("volunteer's relays: %d %s", r.status, r.header.Get("Location"))
	}
	if r := vol.get("/volunteering/mine"); r.status != http.StatusOK || !strings.Contains(r.body, "陪伴接龙") {
		t.Fatalf("mine: %d", r.status)
	}
	if r := vol.get("/volunteering/hours"); r.status != http.StatusOK || strings.Contains(r.body, "vol-teams") {
		t.Fatalf("the volunteer's hours: %d (no team forms for a volunteer)", r.status)
	}
	if r := vol.get(relay); r.status != http.StatusForbidden {
		t.Fatalf("the volunteer opens the village's relay page: %d", r.status)
	}

	nb := e.browser()
	if r := nb.get("/j/0000"); r.status != http.StatusNotFound || !strings.Contains(r.body, "链接已失效") {
		t.Fatalf("dead link: %d", r.status)
	}
	if r := nb.post(link, url.Values{"name": {"王婶"}, "phone": {"12"}}); r.status != http.StatusBadRequest || !strings.Contains(r.body, "11 位手机号码") {
		t.Fatalf("bad phone: %d %.300s", r.status, r.body)
	}
	r = nb.post(link, url.Values{"name": {"王婶"}, "phone": {"13800000077"}})
	if r.status != http.StatusSeeOther || !strings.Contains(r.header.Get("Set-Cookie"), "HttpOnly") {
		t.Fatalf("sign-up: %d %v", r.status, r.header)
	}
	r = nb.get(link)
	if r.status != http.StatusOK || !strings.Contains(r.body, "王婶") || strings.Contains(r.body, "13800000077") || !strings.Contains(r.body, "take-button") {
		t.Fatalf("signed-up page: %d %.600s", r.status, r.body)
	}
}
