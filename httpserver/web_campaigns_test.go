package httpserver_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestCampaignWebFlow: 胜境街道's officer sets up a unit, enters a
// campaign on the form (adding a work item row without script), a second
// editor gets a conflict, the officer starts it; 腰站社区 sees it among its
// tasks and records an activity; 高塘岭街道 gets 404 everywhere.
func TestCampaignWebFlow(t *testing.T) {
	e := newEnv(t)
	town := e.browser()
	town.login("town")
	r := town.post("/org-units", url.Values{"place_code": {"530325002"}, "name": {"街道妇联"}, "note": {"妇女工作"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("unit: %d %.400s", r.status, r.body)
	}
	r = town.get("/org-units")
	m := regexp.MustCompile(`href="/org-units\?edit=(\d+)"`).FindStringSubmatch(r.body)
	if r.status != 200 || m == nil || !strings.Contains(r.body, "街道妇联") {
		t.Fatalf("units page: %d %.600s", r.status, r.body)
	}
	unit := m[1]

	r = town.get("/campaigns/new")
	if r.status != 200 || strings.Count(r.body, `class="campaign-stage"`) != 5 {
		t.Fatalf("new form: %d %.600s", r.status, r.body)
	}
	clientID := regexp.MustCompile(`name="client_id" value="([0-9a-f]+)"`).FindStringSubmatch(r.body)[1]
	form := url.Values{"client_id": {clientID}, "kind": {"care"}, "title": {"胜境街道关爱服务行动"}, "doc_no": {"胜办发[2026]1号"},
		"place_code": {"530325002"}, "starts_on": {"2026-09-01"}, "ends_on": {"2027-06-30"}, "aims": {"老有善养"},
		"n_items": {"1"}, "item_title_0": {"关爱留守老人"}, "item_groups_0": {"left_behind_elderly"}, "item_lead_0": {unit},
		"n_goals": {"1"}, "goal_title_0": {"留守老人走访率"}, "goal_metric_0": {"visited_share"}, "goal_group_0": {"left_behind_elderly"},
		"goal_target_0": {"100"}, "goal_item_0": {"1"},
		"n_stages": {"2"}, "stage_kind_0": {"register"}, "stage_starts_0": {"2026-09-01"}, "stage_ends_0": {"2026-10-31"},
		"stage_kind_1": {"carry_out"}, "stage_starts_1": {"2026-11-01"}, "stage_ends_1": {"2027-03-31"},
		"op": {"add_item"}}
	r = town.post("/campaigns/new", form)
	if r.status != 200 || strings.Count(r.body, `class="campaign-item"`) != 2 || !strings.Contains(r.body, `value="关爱留守老人"`) {
		t.Fatalf("add a row: %d %.600s", r.status, r.body)
	}
	form.Set("op", "save")
	form.Set("stage_ends_1", "2027-07-31")
	r = town.post("/campaigns/new", form)
	if r.status != 400 || !strings.Contains(r.body, "第 2 个阶段不在行动期限内") {
		t.Fatalf("a stage past the period: %d %.600s", r.status, r.body)
	}
	form.Set("stage_ends_1", "2027-03-31")
	r = town.post("/campaigns/new", form)
	if r.status != http.StatusSeeOther {
		t.Fatalf("save: %d %.600s", r.status, r.body)
	}
	page := r.header.Get("Location")
	r2 := town.post("/campaigns/new", form)
	if r2.status != http.StatusSeeOther || r2.header.Get("Location") != page {
		t.Fatalf("resend went to %s, want %s", r2.header.Get("Location"), page)
	}
	r = town.get(page)
	for _, want := range []string{"胜境街道关爱服务行动", "胜办发[2026]1号", "街道妇联", "留守老人走访率", "100%", page + "/progress", page + "/goals", page + "/report", `id="campaign-start"`} {
		if !strings.Contains(r.body, want) {
			t.Errorf("campaign page lacks %q", want)
		}
	}
	if strings.Contains(r.body, page+"/screening") {
		t.Error("a care campaign links to screening")
	}
	version := regexp.MustCompile(`name="version" value="(\d+)"`).FindStringSubmatch(r.body)[1]

	// The county's officer switches the owning place to a town: that
	// town's villages are offered, all ticked.
	cb := e.browser()
	cb.login("county")
	r = cb.post("/campaigns/new", url.Values{"client_id": {"x"}, "place_code": {"530325001"}, "op": {"place"}, "n_stages": {"0"}})
	if r.status != 200 || !strings.Contains(r.body, `name="villages" value="530325001001" checked`) || strings.Contains(r.body, `value="530325002009"`) {
		t.Fatalf("place switched: %d %.300s", r.status, r.body)
	}

	// A second editor saves first; the first one's save is a conflict.
	county := e.browser()
	county.login("county")
	r = county.get(page + "/edit")
	if r.status != 200 {
		t.Fatalf("county edit form: %d", r.status)
	}
	edit := url.Values{}
	for k, v := range form {
		edit[k] = v
	}
	edit.Set("version", version)
	edit.Set("title", "胜境街道关爱服务行动（修订）")
	if r = county.post(page+"/edit", edit); r.status != http.StatusSeeOther {
		t.Fatalf("county edit: %d %.500s", r.status, r.body)
	}
	edit.Set("title", "胜境街道关爱服务行动（另改）")
	if r = town.post(page+"/edit", edit); r.status != http.StatusConflict || !strings.Contains(r.body, "周明") {
		t.Fatalf("stale edit: %d %.800s", r.status, r.body)
	}
	r = town.get(page)
	version = regexp.MustCompile(`name="version" value="(\d+)"`).FindStringSubmatch(r.body)[1]

	// The village sees nothing of a draft.
	village := e.browser()
	village.login("village")
	if r = village.get(page); r.status != http.StatusNotFound {
		t.Fatalf("village sees the draft: %d", r.status)
	}
	if r = town.post(page+"/start", url.Values{"version": {version}}); r.status != http.StatusSeeOther {
		t.Fatalf("start: %d %.400s", r.status, r.body)
	}
	r = village.get("/campaigns")
	if r.status != 200 || !strings.Contains(r.body, `id="campaign-tasks"`) || !strings.Contains(r.body, "/villages/530325002009") {
		t.Fatalf("the village's campaigns page lacks its tasks: %d", r.status)
	}
	r = village.get("/campaigns/mine")
	if r.status != 200 || !strings.Contains(r.body, "胜境街道关爱服务行动（修订）") || !strings.Contains(r.body, "/villages/530325002009") {
		t.Fatalf("village tasks: %d %.800s", r.status, r.body)
	}
	vpage := page + "/villages/530325002009"
	r = village.get(vpage)
	if r.status != 200 || !strings.Contains(r.body, vpage+"/register") || !strings.Contains(r.body, `id="activity-form"`) {
		t.Fatalf("village page: %d %.800s", r.status, r.body)
	}
	m = regexp.MustCompile(`name="item_id" id="activity-item" required>\s*<option value="(\d+)"`).FindStringSubmatch(r.body)
	if m == nil {
		t.Fatalf("no work item to choose: %.800s", r.body)
	}
	act := url.Values{"client_id": {"act-web-1"}, "item_id": {m[1]}, "title": {"平安夜话"}, "held_on": {"2026-11-01"}, "venue": {"村委会"},
		"participants": {"15"}, "persons": {"赵金花"}}
	if r = village.post(vpage+"/activities", act); r.status != http.StatusSeeOther {
		t.Fatalf("activity: %d %.800s", r.status, r.body)
	}
	act.Set("client_id", "act-web-2")
	act.Set("persons", "无名氏")
	if r = village.post(vpage+"/activities", act); r.status != 400 || !strings.Contains(r.body, "无名氏") {
		t.Fatalf("an unknown person: %d %.500s", r.status, r.body)
	}
	if r = town.get(page); !strings.Contains(r.body, `id="campaign-activities"`) || !strings.Contains(r.body, "平安夜话") {
		t.Errorf("the campaign page lacks the village's activity")
	}
	r = town.get(vpage)
	if r.status != 200 || !strings.Contains(r.body, "平安夜话") || strings.Contains(r.body, `id="activity-form"`) {
		t.Fatalf("the town reads the village's activities: %d", r.status)
	}
	outside := e.browser()
	outside.login("wc-town")
	for _, p := range []string{page, vpage, page + "/edit"} {
		if r = outside.get(p); r.status != http.StatusNotFound {
			t.Errorf("outside %s: %d", p, r.status)
		}
	}
}

// TestCampaignCopy: 布隆吉乡's officer opens last round's ended campaign
// and copies it with a new start date: the form comes filled with its
// work items, units and goals, every date moved by the same days; saved,
// it is a new draft that remembers its template.
func TestCampaignCopy(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	b.login("blj-town")
	r := b.get("/campaigns?status=ended")
	m := regexp.MustCompile(`href="/campaigns/(\d+)"`).FindStringSubmatch(r.body)
	if r.status != 200 || m == nil {
		t.Fatalf("ended campaigns: %d %.500s", r.status, r.body)
	}
	old, err := e.store.Campaign(ctx, e.actor("blj-town"), mustInt(t, m[1]))
	if err != nil {
		t.Fatal(err)
	}
	r = b.get("/campaigns/" + m[1])
	if !strings.Contains(r.body, `id="campaign-copy"`) {
		t.Fatalf("no copy form on the ended campaign: %.500s", r.body)
	}
	r = b.get("/campaigns/new?from=" + m[1] + "&start=2027-09-01")
	if r.status != 200 || strings.Count(r.body, `class="campaign-item"`) != 4 || strings.Count(r.body, `class="campaign-stage"`) != 5 ||
		!strings.Contains(r.body, `value="2027-09-01"`) || !strings.Contains(r.body, `name="copied_from" value="`+m[1]+`"`) {
		t.Fatalf("copy form: %d %.800s", r.status, r.body)
	}
	form := url.Values{}
	for _, f := range regexp.MustCompile(`<input (?:type="(?:hidden|date|number)" )?name="([a-z_0-9]+)"[^>]* value="([^"]*)"`).FindAllStringSubmatch(r.body, -1) {
		form.Set(f[1], f[2])
	}
	for _, f := range regexp.MustCompile(`(?s)<select name="([a-z_0-9]+)"[^>]*>.*?</select>`).FindAllStringSubmatch(r.body, -1) {
		for _, o := range regexp.MustCompile(`<option value="([^"]*)" selected`).FindAllStringSubmatch(f[0], -1) {
			form.Add(f[1], o[1])
		}
	}
	for _, f := range regexp.MustCompile(`<input type="checkbox" name="([a-z_0-9]+)" value="([^"]*)" checked`).FindAllStringSubmatch(r.body, -1) {
		form.Add(f[1], f[2])
	}
	form.Set("title", "布隆吉乡关爱服务行动（2027）")
	form.Set("op", "save")
	if r = b.post("/campaigns/new", form); r.status != http.StatusSeeOther {
		t.Fatalf("save the copy: %d %v", r.status, regexp.MustCompile(`id="form-error">[^<]*`).FindString(r.body))
	}
	id := strings.TrimPrefix(r.header.Get("Location"), "/campaigns/")
	c, err := e.store.Campaign(ctx, e.actor("blj-town"), mustInt(t, id))
	if err != nil {
		t.Fatal(err)
	}
	if c.CopiedFrom != old.ID || c.Status != "draft" || c.StartsOn != "2027-09-01" || len(c.Items) != 4 || len(c.Goals) != len(old.Goals) ||
		len(c.Items[2].Units) != len(old.Items[2].Units) || len(c.Villages) != 5 {
		t.Fatalf("copy = %+v", c)
	}
}

func mustInt(t *testing.T, s string) int64 {
	t.Helper()
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return n
}
