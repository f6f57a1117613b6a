package httpserver_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"safetynet"
	"safetynet/demo"
	"safetynet/idcard"
	"safetynet/pacts"
	"safetynet/sqlstore"
)

// The curtain pacts in the scope walk: a pact of the fixture's person
// inside 腰站社区 kept by the demo neighbour (volunteer), so that the
// neighbour sees it as its steward, and one in 望城区 kept by its grid
// worker; each has a day with a sign (giving {pactDayID}).
func init() {
	walkSetups = append(walkSetups, func(t *testing.T, e *env) map[target]map[string]string {
		t.Helper()
		make := func(creator, steward string, person int64) (string, string) {
			id, err := e.store.CreatePact(ctx, e.actor(creator), sqlstore.PactInput{PersonID: person, StewardID: e.actor(steward).UserID})
			if err != nil {
				t.Fatalf("%s: pact to walk with: %v", creator, err)
			}
			if err := e.store.SignPact(ctx, e.actor(steward), id); err != nil {
				t.Fatal(err)
			}
			p, err := e.store.PactView(ctx, e.actor(creator), id)
			if err != nil || len(p.Days) == 0 {
				t.Fatalf("pact day to walk with: %v", err)
			}
			return itoa(id), itoa(p.Days[0].ID)
		}
		inPact, inDay := make("village", "volunteer", e.in.person)
		outPact, outDay := make("wc-village", "wc-grid", e.out.person)
		return map[target]map[string]string{
			inside:  {"pactID": inPact, "pactDayID": inDay},
			outside: {"pactID": outPact, "pactDayID": outDay},
		}
	})
	apiBodies["POST /api/v1/pacts"] = `{"person_id":{person},"steward_id":{user}}`
	apiBodies["PUT /api/v1/pacts/{pactID}"] = `{"person_id":{person},"steward_id":{user},"version":1}`
	for _, p := range []string{"end", "link", "sign"} {
		apiBodies["POST /api/v1/pacts/{pactID}/"+p] = `{}`
	}
	apiBodies["DELETE /api/v1/pacts/{pactID}/link"] = `{}`
	apiBodies["POST /api/v1/pacts/{pactID}/away"] = `{"from":"2026-01-01","to":"2026-01-02","reason":"other"}`
	apiBodies["POST /api/v1/pacts/{pactID}/devices"] = `{"device":"walk-meter","kind":"water"}`
	apiBodies["POST /api/v1/pacts/days/{pactDayID}/acknowledge"] = `{}`
	apiBodies["POST /api/v1/pacts/devices/{device}/signals"] = `{"litres":3}`
	apiBodies["POST /api/v1/pacts/days/{pactDayID}/finding"] = `{"finding":"fine"}`
}

// TestPactsScope: a neighbour lists only the pacts they keep; the elderly
// person's page shows the steward's name and the button, nothing else, and
// refuses a revoked link; a device's unsigned or replayed signal is refused.
func TestPactsScope(t *testing.T) {
	e := newEnv(t)
	village, neighbour := e.actor("village"), e.actor("volunteer")
	id, err := e.store.CreatePact(ctx, village, sqlstore.PactInput{PersonID: e.in.person, StewardID: e.actor("grid").UserID})
	if err != nil {
		t.Fatal(err)
	}
	list, err := e.store.Pacts(ctx, neighbour, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range list {
		if p.StewardID != neighbour.UserID {
			t.Errorf("the neighbour sees a pact kept by %s", p.StewardName)
		}
	}
	r := e.do("GET", "/api/v1/pacts/"+itoa(id), e.token("volunteer"), "")
	if r.status != 404 {
		t.Errorf("neighbour reads another's pact: %d", r.status)
	}
	r = e.do("GET", "/api/v1/pacts/"+itoa(id), e.token("grid"), "")
	if r.status != 200 || !strings.Contains(r.body, `"has_link":false`) {
		t.Errorf("steward reads the pact: %d %.200s", r.status, r.body)
	}

	// The person's own page.
	token, err := e.store.ReplacePactToken(ctx, village, id)
	if err != nil {
		t.Fatal(err)
	}
	page := e.do("GET", "/p/"+token, "", "")
	if page.status != 200 || !strings.Contains(page.body, "我很好") || !strings.Contains(page.body, "网格员 赵刚") {
		t.Fatalf("own page: %d %.500s", page.status, page.body)
	}
	p, _ := e.store.PactView(ctx, village, id)
	for _, leak := range []string{p.PersonName, p.PlaceName, "/pacts", "nav", "logout", "href=", strconv.FormatInt(e.in.household, 10) + "\""} {
		if strings.Contains(page.body, leak) {
			t.Errorf("own page shows %q: %.800s", leak, page.body)
		}
	}
	br := e.browser()
	if r := br.post("/p/"+token, url.Values{}); r.status != 303 {
		t.Errorf("tap: %d %.300s", r.status, r.body)
	}
	if r := e.do("GET", "/p/"+token, "", ""); !strings.Contains(r.body, "今天已报平安") {
		t.Errorf("after the tap: %d %.300s", r.status, r.body)
	}
	if err := e.store.RevokePactToken(ctx, village, id); err != nil {
		t.Fatal(err)
	}
	if r := e.do("GET", "/p/"+token, "", ""); r.status != 404 || strings.Contains(r.body, "网格员 赵刚") {
		t.Errorf("revoked link: %d %.300s", r.status, r.body)
	}
	if r := br.post("/p/"+token, url.Values{}); r.status != 404 {
		t.Errorf("revoked link tap: %d", r.status)
	}

	// A device's signal.
	secret, err := e.store.BindPactDevice(ctx, village, id, "door-77", "door")
	if err != nil {
		t.Fatal(err)
	}
	body := `{"open":true}`
	ts := strconv.FormatInt(e.store.Now().Unix(), 10)
	n, _ := strconv.ParseInt(ts, 10, 64)
	sig := pacts.SignSignal([]byte(secret), n, []byte(body))
	path := "/api/v1/pacts/devices/door-77/signals"
	if r := e.do("POST", path, "", body); r.status != 401 {
		t.Errorf("unsigned signal: %d %.200s", r.status, r.body)
	}
	if r := e.do("POST", path, "", body, "X-Pact-Timestamp", ts, "X-Pact-Signature", sig[:60]+"0000"); r.status != 401 {
		t.Errorf("wrongly signed signal: %d", r.status)
	}
	old := strconv.FormatInt(e.store.Now().Add(-time.Hour).Unix(), 10)
	if r := e.do("POST", path, "", body, "X-Pact-Timestamp", old, "X-Pact-Signature", sig); r.status != 401 {
		t.Errorf("stale signal: %d", r.status)
	}
	if r := e.do("POST", path, "", body, "X-Pact-Timestamp", ts, "X-Pact-Signature", sig); r.status != 204 {
		t.Errorf("signed signal: %d %.200s", r.status, r.body)
	}
	if r := e.do("POST", path, "", body, "X-Pact-Timestamp", ts, "X-Pact-Signature", sig); r.status != 409 {
		t.Errorf("replayed signal: %d %.200s", r.status, r.body)
	}
}

// TestPactsNeighbourSeesOwnOnly walks every pacts route, page and API,
// as the demo neighbour (a volunteer of 腰站社区) against a pact of the
// same village kept by the grid worker: each answers like a missing pact,
// the lists and the round name only the neighbour's own pacts, and the
// grid worker's pact is unchanged afterwards.
func TestPactsNeighbourSeesOwnOnly(t *testing.T) {
	e := newEnv(t)
	village, grid, neighbour := e.actor("village"), e.actor("grid"), e.actor("volunteer")
	h, err := e.store.CreateHousehold(ctx, village, safetynet.HouseholdInput{PlaceCode: demo.Yaozhan + "-01-01", Address: "棠梨湾40号"},
		safetynet.PersonInput{Name: "孙桂英", IDNumber: idcard.Generate(nil, "530325", time.Date(1937, 5, 5, 0, 0, 0, 0, time.UTC), idcard.Female)})
	if err != nil {
		t.Fatal(err)
	}
	v, err := e.store.HouseholdView(ctx, village, h)
	if err != nil {
		t.Fatal(err)
	}
	other, err := e.store.CreatePact(ctx, village, sqlstore.PactInput{PersonID: v.Members[0].ID, StewardID: grid.UserID})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.store.SignPact(ctx, grid, other); err != nil {
		t.Fatal(err)
	}
	if _, err := e.store.ReplacePactToken(ctx, village, other); err != nil {
		t.Fatal(err)
	}
	p, err := e.store.PactView(ctx, village, other)
	if err != nil || len(p.Days) != 1 {
		t.Fatalf("the grid worker's pact: %+v %v", p, err)
	}
	otherDay := itoa(p.Days[0].ID)
	own, err := e.store.CreatePact(ctx, village, sqlstore.PactInput{PersonID: e.in.person, StewardID: neighbour.UserID})
	if err != nil {
		t.Fatal(err)
	}
	hidden := []string{"孙桂英", "杨永福", "棠梨湾40号"} // the demo's 杨永福 is kept by the grid worker too

	token := e.token("volunteer")
	br := e.browser()
	br.login("volunteer")
	walked := 0
	for _, rt := range e.srv.Routes() {
		if rt.Public || !(strings.HasPrefix(rt.Pattern, "/pacts") || strings.HasPrefix(rt.Pattern, "/api/v1/pacts")) {
			continue
		}
		key := rt.Method + " " + rt.Pattern
		send := func(pact, day string) response {
			path := strings.NewReplacer("{pactID}", pact, "{pactDayID}", day).Replace(rt.Pattern)
			if rt.API {
				body := strings.NewReplacer("{person}", itoa(e.in.person), "{user}", itoa(neighbour.UserID)).Replace(apiBodies[key])
				return e.do(rt.Method, path, token, body)
			}
			if rt.Method == "GET" {
				return br.get(path)
			}
			return br.post(path, url.Values{"version": {"1"}, "from": {"2026-01-01"}, "to": {"2026-01-02"}, "reason": {"other"},
				"device": {"walk-door"}, "kind": {"door"}, "finding": {"fine"}, "person_id": {itoa(e.in.person)},
				"steward_id": {itoa(neighbour.UserID)}})
		}
		t.Run(key, func(t *testing.T) {
			walked++
			if !strings.Contains(rt.Pattern, "{pactID}") && !strings.Contains(rt.Pattern, "{pactDayID}") {
				r := send("", "")
				if r.status >= 500 {
					t.Fatalf("status %d: %.300s", r.status, r.body)
				}
				for _, name := range hidden {
					if strings.Contains(r.body, name) {
						t.Errorf("the neighbour's %s names %s: %.500s", key, name, r.body)
					}
				}
				return
			}
			got, miss := send(itoa(other), otherDay), send(missingUser, missingUser)
			if got.status != miss.status || (got.status != http.StatusNotFound && got.status != http.StatusForbidden) {
				t.Errorf("another's pact: %d, a missing one: %d; want the same 404 or 403: %.300s", got.status, miss.status, got.body)
			}
			for _, name := range hidden {
				if strings.Contains(got.body, name) {
					t.Errorf("answer names %s: %.500s", name, got.body)
				}
			}
		})
	}
	if walked < 20 {
		t.Fatalf("only %d pacts routes walked", walked)
	}
	// The neighbour's own pact is there, on the list and on the round.
	for _, path := range []string{"/pacts", "/pacts/round"} {
		if r := br.get(path); r.status != 200 || !strings.Contains(r.body, "赵金花") {
			t.Errorf("%s: %d, the neighbour's own pact missing: %.300s", path, r.status, r.body)
		}
	}
	if r := e.do("GET", "/api/v1/pacts/"+itoa(own), token, ""); r.status != 200 {
		t.Errorf("own pact: %d %.200s", r.status, r.body)
	}
	after, err := e.store.PactView(ctx, village, other)
	if err != nil || after.Version != p.Version || len(after.Aways) != 0 || len(after.Devices) != 0 || !after.HasToken ||
		after.Status != "active" || len(after.Days) != 1 || after.Days[0].Status != "kept" {
		t.Errorf("the grid worker's pact changed: %+v %v", after, err)
	}
}

// TestPactLinkRevokeReplace: through the pages and the API, the village
// makes the person's link, replaces it and revokes it; each old link is
// refused (the "no longer works" page, 404, no steward's name, no sign
// recorded) and the new one works.
func TestPactLinkRevokeReplace(t *testing.T) {
	e := newEnv(t)
	village := e.actor("village")
	id, err := e.store.CreatePact(ctx, village, sqlstore.PactInput{PersonID: e.in.person, StewardID: e.actor("grid").UserID})
	if err != nil {
		t.Fatal(err)
	}
	br := e.browser()
	br.login("village")
	linkRe := regexp.MustCompile(`/p/([0-9a-f]{36})`)
	pageLink := func() string {
		t.Helper()
		r := br.post("/pacts/"+itoa(id)+"/link", url.Values{})
		m := linkRe.FindStringSubmatch(r.body)
		if r.status != 200 || m == nil || !strings.Contains(r.body, `id="pact-qr"`) {
			t.Fatalf("make the link: %d %.400s", r.status, r.body)
		}
		return m[1]
	}
	works := func(tok string) {
		t.Helper()
		if r := e.do("GET", "/p/"+tok, "", ""); r.status != 200 || !strings.Contains(r.body, "我很好") || !strings.Contains(r.body, "网格员 赵刚") {
			t.Fatalf("link %s…: %d %.300s", tok[:6], r.status, r.body)
		}
		if r := e.browser().post("/p/"+tok, url.Values{}); r.status != http.StatusSeeOther {
			t.Fatalf("tap on link %s…: %d %.300s", tok[:6], r.status, r.body)
		}
	}
	refused := func(tok string) {
		t.Helper()
		days := len(mustPact(t, e, id).Days)
		for _, r := range []response{e.do("GET", "/p/"+tok, "", ""), e.browser().post("/p/"+tok, url.Values{})} {
			if r.status != http.StatusNotFound || !strings.Contains(r.body, "这个链接已经不能用了") || strings.Contains(r.body, "赵刚") ||
				strings.Contains(r.body, `id="self-ok"`) {
				t.Fatalf("old link %s…: %d %.300s", tok[:6], r.status, r.body)
			}
		}
		if n := len(mustPact(t, e, id).Days); n != days {
			t.Fatalf("the old link recorded a sign: %d days, was %d", n, days)
		}
	}

	first := pageLink()
	works(first)
	second := pageLink() // replaced on the page
	refused(first)
	works(second)
	r := e.do("POST", "/api/v1/pacts/"+itoa(id)+"/link", e.token("village"), `{}`)
	third := linkRe.FindStringSubmatch(r.body)
	if r.status != http.StatusCreated || third == nil {
		t.Fatalf("replace through the API: %d %.300s", r.status, r.body)
	}
	refused(second)
	works(third[1])
	if r := br.post("/pacts/"+itoa(id)+"/revoke", url.Values{}); r.status != http.StatusSeeOther {
		t.Fatalf("revoke on the page: %d %.300s", r.status, r.body)
	}
	refused(third[1])
	if r := e.do("GET", "/api/v1/pacts/"+itoa(id), e.token("village"), ""); !strings.Contains(r.body, `"has_link":false`) {
		t.Fatalf("after the revocation: %.300s", r.body)
	}
	fourth := pageLink()
	works(fourth)
	if r := e.do("DELETE", "/api/v1/pacts/"+itoa(id)+"/link", e.token("village"), `{}`); r.status != http.StatusNoContent {
		t.Fatalf("revoke through the API: %d %.300s", r.status, r.body)
	}
	refused(fourth)
	// A grid worker (no register.edit) may neither make nor revoke links.
	if r := e.do("POST", "/api/v1/pacts/"+itoa(id)+"/link", e.token("grid"), `{}`); r.status != http.StatusForbidden {
		t.Fatalf("grid worker makes a link: %d", r.status)
	}
}

func mustPact(t *testing.T, e *env, id int64) sqlstore.Pact {
	t.Helper()
	p, err := e.store.PactView(ctx, e.actor("village"), id)
	if err != nil {
		t.Fatal(err)
	}
	return p
}
