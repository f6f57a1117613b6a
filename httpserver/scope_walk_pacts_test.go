package httpserver_test

import (
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

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
