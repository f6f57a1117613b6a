package httpserver_test

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"safetynet"
	"safetynet/access"
	"safetynet/demo"
	"safetynet/sqlstore"
)

// publishRule writes and publishes a rule as a county officer and
// screens the queue, as the jobs loop would.
func publishRule(t *testing.T, e *env, who string, in sqlstore.RuleInput) int64 {
	t.Helper()
	county := e.actor(who)
	if err := e.store.SetParam(ctx, county, in.Place, time.Now().Year(), "dibao_line", 5880.0); err != nil {
		t.Fatal(err)
	}
	id, err := e.store.CreateRule(ctx, county, in)
	if err != nil {
		t.Fatal(err)
	}
	r, err := e.store.Rule(ctx, county, id)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.store.PublishRule(ctx, county, id, r.Version); err != nil {
		t.Fatal(err)
	}
	for {
		n, err := e.store.ScreenQueued(ctx, 1000)
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			break
		}
	}
	return id
}

// TestScreeningPage lists a published rule's lines for the village with
// their explanation, and lets village staff start an application from
// one line and dismiss another; grid workers and volunteers see nothing.
func TestScreeningPage(t *testing.T) {
	e := newEnv(t)
	if _, err := e.store.CreateHousehold(ctx, e.actor("village"), safetynet.HouseholdInput{PlaceCode: demo.Yaozhan, Address: "腰站路2号"},
		safetynet.PersonInput{Name: "马良"}); err != nil {
		t.Fatal(err)
	}
	publishRule(t, e, "county", sqlstore.RuleInput{Name: "临时救助测试", Measure: "temporary", Kind: "eligibility", Place: "530325",
		Source: `h.size >= 1`})
	br := e.browser()
	br.login("village")
	r := br.get("/screening")
	if r.status != 200 || !strings.Contains(r.body, `id="screening-list"`) || !strings.Contains(r.body, "临时救助测试") {
		t.Fatalf("screening page: %d %.3000s", r.status, r.body)
	}
	lines, err := e.store.ScreeningList(ctx, e.actor("village"), sqlstore.ListFilter{List: "eligible"})
	if err != nil || len(lines) < 2 {
		t.Fatalf("lines: %v %d", err, len(lines))
	}
	a, b := lines[0], lines[1]
	// The household page says which rule version matched when.
	if r := br.get("/households/" + itoa(a.HouseholdID)); !strings.Contains(r.body, `id="rule-history"`) || !strings.Contains(r.body, "临时救助测试</span> v1") {
		t.Errorf("household rule history missing: %d", r.status)
	}
	r = br.post("/screening/"+itoa(a.ID)+"/apply", url.Values{"list": {"eligible"}})
	if r.status != 303 || !strings.HasPrefix(r.header.Get("Location"), "/cases/") {
		t.Fatalf("apply: %d %s %.500s", r.status, r.header.Get("Location"), r.body)
	}
	// A dismissal without a reason is refused, naming the field; with one it is kept.
	r = br.post("/screening/"+itoa(b.ID)+"/dismiss", url.Values{"list": {"eligible"}, "version": {itoa(int64(b.Version))}, "reason": {"nope"}})
	if r.status != 400 {
		t.Errorf("bad reason: %d", r.status)
	}
	r = br.post("/screening/"+itoa(b.ID)+"/dismiss", url.Values{"list": {"eligible"}, "version": {itoa(int64(b.Version))}, "reason": {"declined"}})
	if r.status != 303 {
		t.Fatalf("dismiss: %d %.500s", r.status, r.body)
	}
	after, _ := e.store.ScreeningList(ctx, e.actor("village"), sqlstore.ListFilter{List: "eligible", Status: "all"})
	for _, l := range after {
		if l.ID == a.ID && l.Status != "applied" || l.ID == b.ID && (l.Status != "dismissed" || l.Reason != "declined") {
			t.Errorf("line %d: %s %s", l.ID, l.Status, l.Reason)
		}
	}
	for _, who := range []string{"grid", "volunteer"} {
		o := e.browser()
		o.login(who)
		if r := o.get("/screening"); r.status != 403 {
			t.Errorf("%s: %d", who, r.status)
		}
	}
}

// actor is the access actor of a demo user.
func (e *env) actor(username string) access.Actor {
	e.t.Helper()
	u, err := e.store.UserByUsername(ctx, access.System(), username)
	if err != nil {
		e.t.Fatal(err)
	}
	return access.Actor{UserID: u.ID, Username: u.Username, Role: u.Role, Place: u.PlaceCode}
}

// TestOutreachPage gives the grid worker the outreach task of a household
// of the grid, records it in one tap, and shows village staff the counts.
func TestOutreachPage(t *testing.T) {
	e := newEnv(t)
	grid := e.actor("grid")
	if _, err := e.store.CreateHousehold(ctx, e.actor("village"), safetynet.HouseholdInput{PlaceCode: grid.Place, Address: "棠梨湾3号"},
		safetynet.PersonInput{Name: "欧阳秀兰"}); err != nil {
		t.Fatal(err)
	}
	publishRule(t, e, "county", sqlstore.RuleInput{Name: "临时救助测试", Measure: "temporary", Kind: "eligibility", Place: "530325",
		Source: `h.size >= 1`})
	tasks, err := e.store.OutreachTasks(ctx, grid, "pending")
	if err != nil || len(tasks) == 0 {
		t.Fatalf("grid tasks: %v %d", err, len(tasks))
	}
	for _, x := range tasks {
		if x.Name == "欧阳秀兰" {
			tasks[0] = x
		}
	}
	br := e.browser()
	br.login("grid")
	r := br.get("/outreach")
	if r.status != 200 || !strings.Contains(r.body, "欧阳秀兰") || !strings.Contains(r.body, `id="told-apply-`+itoa(tasks[0].ID)+`"`) {
		t.Fatalf("grid outreach page: %d %.2000s", r.status, r.body)
	}
	r = br.post("/outreach/"+itoa(tasks[0].ID), url.Values{"version": {itoa(int64(tasks[0].Version))}, "wants_apply": {"1"}})
	if r.status != 303 {
		t.Fatalf("record: %d %.500s", r.status, r.body)
	}
	if r := br.post("/outreach/"+itoa(tasks[0].ID), url.Values{"version": {itoa(int64(tasks[0].Version))}, "wants_apply": {"1"}}); r.status != 409 {
		t.Errorf("second record: %d", r.status)
	}
	done, _ := e.store.OutreachTasks(ctx, grid, "done")
	if len(done) != 1 || done[0].ID != tasks[0].ID || !done[0].Told || !done[0].WantsApply {
		t.Fatalf("done: %+v", done)
	}
	v := e.browser()
	v.login("village")
	if r := v.get("/outreach"); !strings.Contains(r.body, `id="outreach-counts"`) {
		t.Errorf("village sees no counts: %.2000s", r.body)
	}
	o := e.browser()
	o.login("volunteer")
	if r := o.get("/outreach"); r.status != 403 {
		t.Errorf("volunteer: %d", r.status)
	}
}
