package httpserver_test

import (
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// TestRuleEditor writes a rule as a county officer would: a misspelt
// field is refused with the position in Chinese, the saved draft is
// previewed with its matches and their explanations, a failing example
// refuses publishing and lists the example, and the fixed rule publishes.
func TestRuleEditor(t *testing.T) {
	e := newEnv(t)
	br := e.browser()
	br.login("county")
	if r := br.get("/rules/new"); r.status != 200 || !strings.Contains(r.body, `id="rule-source"`) {
		t.Fatalf("new rule form: %d", r.status)
	}
	form := url.Values{"name": {"低保资格"}, "measure": {"dibao"}, "kind": {"eligibility"}, "place": {"530325"},
		"valid_from": {"2026-01-01"}, "source": {"h.incme < params.dibao_line"}}
	r := br.post("/rules/new", form)
	if r.status != 400 || !strings.Contains(r.body, "第1行第") || !strings.Contains(r.body, "incme") {
		t.Fatalf("misspelt field: %d %.3000s", r.status, r.body)
	}
	form.Set("source", "h.size >= 1")
	form.Set("examples", `[{"name": "空户", "expect": true, "household": {}}]`)
	r = br.post("/rules/new", form)
	if r.status != 303 {
		t.Fatalf("create: %d %.2000s", r.status, r.body)
	}
	page := r.header.Get("Location")
	r = br.get(page + "/preview")
	if r.status != 200 || !strings.Contains(r.body, `id="preview-count"`) || !strings.Contains(r.body, `id="rule-failures"`) {
		t.Fatalf("preview: %d %.3000s", r.status, r.body)
	}
	version := regexpFind(r.body, `name="version" value="([0-9]+)"`)
	r = br.post(page+"/publish", url.Values{"version": {version}})
	if r.status != 400 || !strings.Contains(r.body, `id="rule-failures"`) {
		t.Fatalf("publish with a failing example: %d %.3000s", r.status, r.body)
	}
	form.Set("examples", `[{"name": "空户", "expect": false, "household": {}}]`)
	form.Set("version", version)
	if r := br.post(page, form); r.status != 303 {
		t.Fatalf("update: %d %.2000s", r.status, r.body)
	}
	r = br.get(page)
	version = regexpFind(r.body, `name="version" value="([0-9]+)"`)
	if r := br.post(page+"/publish", url.Values{"version": {version}}); r.status != 303 {
		t.Fatalf("publish: %d %.2000s", r.status, r.body)
	}
	if r := br.get("/rules"); !strings.Contains(r.body, "低保资格") || !strings.Contains(r.body, "已发布") {
		t.Errorf("rules list: %.2000s", r.body)
	}
}

// regexpFind returns the first group of re in s, "" if none.
func regexpFind(s, re string) string {
	m := regexp.MustCompile(re).FindStringSubmatch(s)
	if m == nil {
		return ""
	}
	return m[1]
}

// TestParamsPage sets the dibao line of 富源县 for a year; a value that is
// not a number is refused naming the field.
func TestParamsPage(t *testing.T) {
	e := newEnv(t)
	br := e.browser()
	br.login("county")
	if r := br.get("/rules/params?year=2026"); r.status != 200 || !strings.Contains(r.body, `id="param-dibao_line"`) {
		t.Fatalf("params page: %d", r.status)
	}
	if r := br.post("/rules/params", url.Values{"county": {"530325"}, "year": {"2026"}, "name": {"dibao_line"}, "value": {"很多"}}); r.status != 400 {
		t.Errorf("not a number: %d", r.status)
	}
	if r := br.post("/rules/params", url.Values{"county": {"530325"}, "year": {"2026"}, "name": {"dibao_line"}, "value": {"5880"}}); r.status != 303 {
		t.Fatalf("save: %d %.1000s", r.status, r.body)
	}
	if r := br.get("/rules/params?year=2026"); !strings.Contains(r.body, `value="5880"`) {
		t.Errorf("value not shown")
	}
}
