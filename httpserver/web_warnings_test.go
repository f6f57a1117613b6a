package httpserver_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"safetynet/sqlstore"
)

// TestWarningsWeb walks the department warnings on the web: the town's
// list and the clue's block, the department's feedback page, and a
// warning rule written, checked, previewed and published in the editor.
func TestWarningsWeb(t *testing.T) {
	e := newEnv(t)
	town := e.browser()
	town.login("town")
	r := town.get("/warnings")
	if r.status != 200 || !strings.Contains(r.body, "孙未登") || !strings.Contains(r.body, "年度累计个人自付 31,500 ≥ 普通农户阈值 20,000") ||
		!strings.Contains(r.body, "医保局") || !strings.Contains(r.body, "待响应") {
		t.Fatalf("town's warnings: %d %.2000s", r.status, r.body)
	}
	ws, err := e.store.Warnings(ctx, e.actor("town"), sqlstore.WarningFilter{})
	if err != nil || len(ws) == 0 {
		t.Fatal(ws, err)
	}
	c := town.get("/clues/" + itoa(ws[0].ClueID))
	if c.status != 200 || !strings.Contains(c.body, `id="clue-warning"`) || !strings.Contains(c.body, "医疗支出预警：普通农户年度自付超阈值") ||
		!strings.Contains(c.body, "26000.00 元") || !strings.Contains(c.body, "胜境街道腰站村附近") {
		t.Fatalf("clue page: %d %.3000s", c.status, c.body)
	}
	if r := town.get("/warnings?status=nonsense"); r.status != http.StatusBadRequest {
		t.Errorf("bad status filter: %d", r.status)
	}
	village := e.browser()
	village.login("village")
	if r := village.get("/warnings"); r.status != 200 || strings.Contains(r.body, "孙未登") {
		t.Errorf("the village sees the town's warning: %d", r.status)
	}
	dept := e.browser()
	dept.login("dept")
	if r := dept.get("/feedback"); r.status != 200 || !strings.Contains(r.body, "孙未登") || !strings.Contains(r.body, "待响应") ||
		!strings.Contains(r.body, `id="nav-feedback"`) {
		t.Fatalf("feedback: %d %.2000s", r.status, r.body)
	}
	if r := dept.get("/warnings"); r.status != http.StatusForbidden {
		t.Errorf("department reads the staff's list: %d", r.status)
	}
	if r := town.get("/feedback"); r.status != http.StatusForbidden {
		t.Errorf("town reads the feedback page: %d", r.status)
	}

	county := e.browser()
	county.login("county")
	if r := county.get("/rules"); r.status != 200 || !strings.Contains(r.body, "住房安全预警：鉴定为D级危房") || !strings.Contains(r.body, "危房鉴定") {
		t.Fatalf("rules page: %.2000s", r.body)
	}
	if r := county.get("/rules/help"); !strings.Contains(r.body, "e.oop_ytd") || !strings.Contains(r.body, "年度累计个人自付") {
		t.Errorf("help lacks the event schema")
	}
	form := url.Values{"name": {"大额门诊预警"}, "event_type": {"outpatient_large"}, "place": {"530325"}, "urgency": {"normal"},
		"period": {"year"}, "source": {`e.oop_cost >= "x"`}}
	if r := county.post("/warning-rules/new", form); r.status != http.StatusBadRequest || !strings.Contains(r.body, "类型不匹配") {
		t.Fatalf("bad source: %d %.1000s", r.status, r.body)
	}
	form.Set("source", `e.oop_cost >= 20000.0`)
	form.Set("examples", `[{"name": "两万一", "expect": true, "event": {"type": "大额门诊", "date": "2026-05-01", "registered": false, "detail": {"oop_cost": 21000}}}]`)
	r = county.post("/warning-rules/new", form)
	if r.status != http.StatusSeeOther {
		t.Fatalf("create: %d %.1000s", r.status, r.body)
	}
	loc := r.header.Get("Location")
	if r := county.get(loc + "/preview?days=30"); r.status != 200 || !strings.Contains(r.body, `id="preview-count"`) {
		t.Fatalf("preview: %d %.1000s", r.status, r.body)
	}
	id := strings.TrimPrefix(loc, "/warning-rules/")
	w, err := e.store.WarningRule(ctx, e.actor("county"), mustAtoi(t, id))
	if err != nil || len(w.Examples) != 1 || w.Examples[0].Event.Fields["oop_cost"] != 21000.0 {
		t.Fatalf("rule = %+v %v", w, err)
	}
	if r := county.post(loc+"/publish", url.Values{"version": {itoa(int64(w.Version))}}); r.status != http.StatusSeeOther {
		t.Fatalf("publish: %d %.1000s", r.status, r.body)
	}
	if r := county.get("/rules/" + id); r.status != http.StatusSeeOther || r.header.Get("Location") != loc {
		t.Errorf("the generic editor sends a warning rule to its own: %d %s", r.status, r.header.Get("Location"))
	}
}

func mustAtoi(t *testing.T, s string) int64 {
	t.Helper()
	var n int64
	for _, c := range s {
		if c < '0' || c > '9' {
			t.Fatalf("not a number: %q", s)
		}
		n = n*10 + int64(c-'0')
	}
	return n
}
