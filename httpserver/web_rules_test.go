package httpserver_test

import (
	"html"
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
	// The example is typed in the form: a name and the expected answer.
	form.Set("ex_count", "1")
	form.Set("ex0_name", "空户")
	form.Set("ex0_expect", "1")
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
	form.Set("ex0_expect", "0")
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

// TestRuleExampleForm builds an example household in the form: it is
// saved, shown again in the form as typed, refuses publishing while it
// fails, and a wrong value names the example and the field.
func TestRuleExampleForm(t *testing.T) {
	e := newEnv(t)
	br := e.browser()
	br.login("county")
	form := url.Values{"name": {"残疾补贴"}, "measure": {"disability"}, "kind": {"eligibility"}, "place": {"530325"},
		"source":   {"h.members.exists(m, m.disability_grade in [1, 2] && m.age >= 16)"},
		"ex_count": {"1"}, "ex0_name": {"三级残疾老人"}, "ex0_expect": {"1"}, "ex0_income": {"4200"},
		"ex0_cat": {"dibao"}, "ex0_mcount": {"2"}, "ex0_m0_age": {"70"}, "ex0_m0_grade": {"3"}, "ex0_m0_rel": {"户主"},
		"ex0_m1_age": {"abc"}}
	r := br.post("/rules/new", form)
	if r.status != 400 || !strings.Contains(r.body, "三级残疾老人") || !strings.Contains(r.body, "第2位成员的年龄") {
		t.Fatalf("wrong age: %d %.3000s", r.status, r.body)
	}
	if !strings.Contains(r.body, `name="ex0_m1_age" id="ex0_m1_age" value="abc"`) {
		t.Errorf("typed values not shown again")
	}
	form.Set("ex0_m1_age", "")
	r = br.post("/rules/new", form)
	if r.status != 303 {
		t.Fatalf("create: %d %.3000s", r.status, r.body)
	}
	page := r.header.Get("Location")
	r = br.get(page)
	for _, want := range []string{`name="ex0_name" id="ex0_name" value="三级残疾老人"`, `value="4200"`, `value="dibao" checked`,
		`name="ex0_m0_age" id="ex0_m0_age" value="70"`, `<option value="3" selected>3</option>`, `value="户主"`, `name="ex1_name"`} {
		if !strings.Contains(r.body, want) {
			t.Errorf("saved example not shown: %s", want)
		}
	}
	if strings.Contains(r.body, `id="ex0_m1_age" value="`+"70") {
		t.Errorf("empty member row kept")
	}
	version := regexpFind(r.body, `name="version" value="([0-9]+)"`)
	r = br.post(page+"/publish", url.Values{"version": {version}})
	if r.status != 400 || !strings.Contains(r.body, `id="rule-failures"`) || !strings.Contains(r.body, "三级残疾老人") {
		t.Fatalf("publish with a failing example: %d %.3000s", r.status, r.body)
	}
	// Fixed in the form: grade 1; the example passes and the rule publishes.
	form.Set("ex0_m0_grade", "1")
	form.Set("version", version)
	if r := br.post(page, form); r.status != 303 {
		t.Fatalf("update: %d %.2000s", r.status, r.body)
	}
	r = br.get(page)
	version = regexpFind(r.body, `name="version" value="([0-9]+)"`)
	if r := br.post(page+"/publish", url.Values{"version": {version}}); r.status != 303 {
		t.Fatalf("publish: %d %.2000s", r.status, r.body)
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

// TestRuleExampleFormKeepsOtherValues saves through the form an example
// written in JSON with a value the form does not show (a member's sex):
// the value is kept, so the example still passes and the rule publishes.
func TestRuleExampleFormKeepsOtherValues(t *testing.T) {
	e := newEnv(t)
	br := e.browser()
	br.login("county")
	form := url.Values{"name": {"女性成员"}, "measure": {"disability"}, "kind": {"eligibility"}, "place": {"530325"},
		"source":   {`h.members.exists(m, m.sex == "女")`},
		"examples": {`[{"name": "女户主", "expect": true, "household": {"members": [{"age": 40, "sex": "女"}]}}]`}}
	r := br.post("/rules/new", form)
	if r.status != 303 {
		t.Fatalf("create: %d %.2000s", r.status, r.body)
	}
	page := r.header.Get("Location")
	r = br.get(page)
	version := regexpFind(r.body, `name="version" value="([0-9]+)"`)
	extra := html.UnescapeString(regexpFind(r.body, `name="ex0_m0_extra" value="([^"]*)"`))
	hextra := html.UnescapeString(regexpFind(r.body, `name="ex0_extra" value="([^"]*)"`))
	if !strings.Contains(extra, "女") {
		t.Fatalf("member values not carried: %q", extra)
	}
	form.Del("examples")
	for k, v := range map[string]string{"version": version, "ex_count": "1", "ex0_name": "女户主", "ex0_expect": "1", "ex0_extra": hextra,
		"ex0_mcount": "1", "ex0_m0_age": "41", "ex0_m0_extra": extra} {
		form.Set(k, v)
	}
	if r := br.post(page, form); r.status != 303 {
		t.Fatalf("update: %d %.2000s", r.status, r.body)
	}
	r = br.get(page)
	if !strings.Contains(r.body, `id="ex0_m0_age" value="41"`) {
		t.Errorf("age not updated")
	}
	version = regexpFind(r.body, `name="version" value="([0-9]+)"`)
	if r := br.post(page+"/publish", url.Values{"version": {version}}); r.status != 303 {
		t.Fatalf("publish: %d %.2000s", r.status, r.body)
	}
}
