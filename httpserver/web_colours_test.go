package httpserver_test

import (
	"net/url"
	"strings"
	"testing"
)

// TestColoursPages: the county previews and publishes its colour rules on
// 设置 › 风险颜色; the household page, the register list (filtered by
// colour), the work list and the home page show the colour with its word
// and reason; town officers read the rules without a form.
func TestColoursPages(t *testing.T) {
	e := newEnv(t)
	drainAll(t, e)
	br := e.browser()
	br.login("county")
	r := br.get("/settings/colours")
	if r.status != 200 || !strings.Contains(r.body, `id="colours-form"`) || !strings.Contains(r.body, "size(h.open_risks) &gt; 0") {
		t.Fatalf("colours page: %d %.2000s", r.status, r.body)
	}
	if r := br.get("/rules/help"); !strings.Contains(r.body, "h.open_risks") || !strings.Contains(r.body, "监测月数") || !strings.Contains(r.body, "h.overdue_steps") {
		t.Error("the rules help does not list the monitoring fields")
	}
	if r := br.get("/settings"); !strings.Contains(r.body, `href="/settings/colours"`) {
		t.Error("settings does not link the colours page")
	}
	// The fixture (突发严重困难户, an open case with a temporary application not decided) is red.
	r = br.get("/households/" + itoa(e.in.household))
	if !strings.Contains(r.body, `id="household-colour"`) || !strings.Contains(r.body, "colour-red") || !strings.Contains(r.body, "▲ 红") ||
		!strings.Contains(r.body, "未解决风险") || !strings.Contains(r.body, `id="colour-history"`) {
		t.Errorf("household badge: %.3000s", r.body)
	}
	if r := br.get("/register?colour=red"); !strings.Contains(r.body, "colour-red") || !strings.Contains(r.body, `/households/`+itoa(e.in.household)) {
		t.Errorf("register filtered red: %.3000s", r.body)
	}
	if r := br.get("/register?colour=green"); strings.Contains(r.body, `/households/`+itoa(e.in.household)+`"`) {
		t.Error("the red household is listed as green")
	}
	counts, err := e.store.ColourCounts(ctx, e.actor("county"), "")
	if err != nil || counts["red"] == 0 {
		t.Fatalf("counts %v %v", counts, err)
	}
	total := counts["red"] + counts["yellow"] + counts["green"]
	if r := br.get("/"); !strings.Contains(r.body, `id="home-colours"`) || !strings.Contains(r.body, `id="home-red">`+itoa(int64(counts["red"]))+`<`) {
		t.Errorf("home counts: %.3000s", r.body)
	}
	if r := br.get("/work"); !strings.Contains(r.body, "colour-red") {
		t.Error("work list without the colour badge")
	}
	// Preview: counts under the typed rules, nothing saved.
	form := url.Values{"county": {"530325"}, "version": {"1"}, "red": {"false"}, "yellow": {"h.monitored_months >= 0"}}
	r = br.post("/settings/colours/preview", form)
	// Every monitored household has its start recorded: all yellow, none red.
	if r.status != 200 || !strings.Contains(r.body, `id="preview-yellow">`+itoa(int64(total))+`<`) || !strings.Contains(r.body, `id="preview-red">0<`) {
		t.Fatalf("preview: %d %.3000s", r.status, r.body)
	}
	// A misspelt field is refused naming the rule and the position.
	bad := url.Values{"county": {"530325"}, "version": {"1"}, "red": {"h.open_clue > 0"}, "yellow": {"false"}}
	if r := br.post("/settings/colours/publish", bad); r.status != 400 || !strings.Contains(r.body, "第1行") {
		t.Errorf("bad rule: %d %.1000s", r.status, r.body)
	}
	if r := br.post("/settings/colours/publish", form); r.status != 303 {
		t.Fatalf("publish: %d %.1000s", r.status, r.body)
	}
	if r := br.post("/settings/colours/publish", form); r.status != 409 {
		t.Errorf("stale publish: %d", r.status)
	}
	drainAll(t, e)
	if r := br.get("/audit"); !strings.Contains(r.body, "发布风险颜色规则") || !strings.Contains(r.body, `href="/settings/colours?county=530325"`) {
		t.Errorf("audit of the publishing: %.3000s", r.body)
	}
	r = br.get("/households/" + itoa(e.in.household))
	if !strings.Contains(r.body, "colour-yellow") || !strings.Contains(r.body, "监测月数") {
		t.Errorf("after publishing: %.3000s", r.body)
	}
	if r := br.get("/settings/colours"); !strings.Contains(r.body, `id="colour-versions"`) || !strings.Contains(r.body, "v1") {
		t.Errorf("versions: %.2000s", r.body)
	}
	// The town reads the rules in force, without a form.
	tb := e.browser()
	tb.login("town")
	if r := tb.get("/settings/colours"); r.status != 200 || strings.Contains(r.body, `id="colours-form"`) || !strings.Contains(r.body, "h.monitored_months &gt;= 0") {
		t.Errorf("town: %d %.2000s", r.status, r.body)
	}
	if r := tb.post("/settings/colours/publish", form); r.status != 403 {
		t.Errorf("town publishes: %d", r.status)
	}
	// English: the word and the reason in English.
	en := e.browser()
	en.login("county")
	en.get("/lang/en?next=/")
	if r := en.get("/households/" + itoa(e.in.household)); !strings.Contains(r.body, "◆ Yellow") || !strings.Contains(r.body, "months monitored") {
		t.Errorf("english badge: %.3000s", r.body)
	}
}
