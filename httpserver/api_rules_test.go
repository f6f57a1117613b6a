package httpserver_test

import (
	"strings"
	"testing"
)

// TestRuleCheck type-checks rules as the editor does while one types: a
// good rule passes, a misspelt field, a wrong type and a misspelt measure
// are 400 naming the source and the position, in the language asked for.
func TestRuleCheck(t *testing.T) {
	e := newEnv(t)
	tok := e.token("county")
	r := e.do("POST", "/api/v1/rules/check", tok, `{"source":"h.income_per_capita < params.dibao_line && !h.has(\"特困供养\")"}`)
	if r.status != 200 || !strings.Contains(r.body, `"ok":true`) {
		t.Fatalf("good rule: %d %s", r.status, r.body)
	}
	for _, tc := range []struct{ name, src, lang, want string }{
		{"unknown field", `h.incme < 5`, "zh", "第1行第"},
		{"second line", `h.size > 1 &&\n  h.income_per_capita < \"x\"`, "zh", "第2行第"},
		{"misspelt measure", `h.has(\"低保保\")`, "en", "line 1, column"},
		{"syntax", `h.size >`, "en", "line 1, column"},
		{"empty", ``, "zh", "规则为空"},
	} {
		r := e.do("POST", "/api/v1/rules/check", tok, `{"source":"`+tc.src+`"}`, "Accept-Language", tc.lang)
		var body struct {
			Error struct {
				Code, Message, Field string
				Line, Column         int
			}
			Issues []struct{ Message string }
		}
		r.json(t, &body)
		if r.status != 400 || body.Error.Field != "source" || body.Error.Line < 1 || body.Error.Column < 1 ||
			!strings.Contains(body.Error.Message, tc.want) || len(body.Issues) == 0 {
			t.Errorf("%s: %d %s", tc.name, r.status, r.body)
		}
	}
	// Bad JSON is 400 too, never 500; roles without rule editing get 403.
	if r := e.do("POST", "/api/v1/rules/check", tok, `{"source":1}`); r.status != 400 {
		t.Errorf("wrong type: %d %s", r.status, r.body)
	}
	for _, who := range []string{"village", "grid", "volunteer", "dept"} {
		if r := e.do("POST", "/api/v1/rules/check", e.token(who), `{"source":"h.size > 1"}`); r.status != 403 {
			t.Errorf("%s: %d %s", who, r.status, r.body)
		}
	}
}

// TestRulesHelpPage shows the schema and functions in both languages and
// checks a rule without script.
func TestRulesHelpPage(t *testing.T) {
	e := newEnv(t)
	br := e.browser()
	br.login("county")
	r := br.get("/rules/help")
	for _, want := range []string{"income_per_capita", "人均收入", "可能未登记", "params.dibao_line", "低保线", "h.count(m, 条件)", "D级危房"} {
		if r.status != 200 || !strings.Contains(r.body, want) {
			t.Fatalf("help page: %d, %q missing", r.status, want)
		}
	}
	r = br.get("/rules/help?source=h.incme+%3C+5")
	if !strings.Contains(r.body, "第1行第") || !strings.Contains(r.body, `id="rule-issues"`) {
		t.Errorf("no-script check: %.2000s", r.body)
	}
	r = br.get("/rules/help?source=h.size+%3E+1")
	if !strings.Contains(r.body, `id="rule-ok"`) {
		t.Errorf("good rule not accepted")
	}
	br.get("/lang/en")
	if r := br.get("/rules/help"); !strings.Contains(r.body, "per-capita income") || !strings.Contains(r.body, "may be not recorded") {
		t.Errorf("English help: %d", r.status)
	}
	grid := e.browser()
	grid.login("grid")
	if r := grid.get("/rules/help"); r.status != 403 {
		t.Errorf("grid worker: %d", r.status)
	}
}

// TestRulesAPI writes, previews and publishes a rule through the API: a
// misspelt field is 400 with its position, an unknown measure 400
// "measure", a wrong parameter value 400 "value", never 500.
func TestRulesAPI(t *testing.T) {
	e := newEnv(t)
	tok := e.token("county")
	r := e.do("POST", "/api/v1/rules", tok, `{"name":"低保","measure":"dibao","kind":"eligibility","place":"530325","source":"h.incom < 1.0"}`, "Accept-Language", "zh")
	if r.status != 400 || !strings.Contains(r.body, `"field":"source"`) || !strings.Contains(r.body, `"line":1`) || !strings.Contains(r.body, "第1行") {
		t.Fatalf("misspelt field: %d %s", r.status, r.body)
	}
	r = e.do("POST", "/api/v1/rules", tok, `{"name":"低保","measure":"nope","kind":"eligibility","place":"530325","source":"h.size > 0"}`)
	if r.status != 400 || !strings.Contains(r.body, `"field":"measure"`) {
		t.Fatalf("unknown measure: %d %s", r.status, r.body)
	}
	r = e.do("POST", "/api/v1/rules", tok, `{"name":"低保","measure":"dibao","kind":"eligibility","place":"530325","source":"h.size > 0","examples":[{"name":"空户","expect":false,"household":{"members":[{"age":"x"}]}}]}`)
	if r.status != 400 || !strings.Contains(r.body, `"field":"examples"`) {
		t.Fatalf("bad example: %d %s", r.status, r.body)
	}
	r = e.do("POST", "/api/v1/rules", tok, `{"name":"低保","measure":"dibao","kind":"eligibility","place":"530325","source":"h.size > 0","examples":[{"name":"一人户","expect":true,"household":{"members":[{"age":70}]}}]}`)
	var rule struct {
		ID      int64
		Version int
	}
	r.json(t, &rule)
	if r.status != 201 || rule.ID == 0 {
		t.Fatalf("create: %d %s", r.status, r.body)
	}
	id := itoa(rule.ID)
	if r := e.do("POST", "/api/v1/rules/"+id+"/preview", tok, `{}`); r.status != 200 || !strings.Contains(r.body, `"count":`) {
		t.Fatalf("preview: %d %s", r.status, r.body)
	}
	if r := e.do("POST", "/api/v1/rules/"+id+"/publish", tok, `{"version":`+itoa(int64(rule.Version))+`}`); r.status != 200 || !strings.Contains(r.body, `"published":1`) {
		t.Fatalf("publish: %d %s", r.status, r.body)
	}
	if r := e.do("POST", "/api/v1/rules/params", tok, `{"county":"530325","year":2026,"name":"dibao_line","value":"abc"}`); r.status != 400 || !strings.Contains(r.body, `"field":"value"`) {
		t.Errorf("wrong parameter type: %d %s", r.status, r.body)
	}
	if r := e.do("POST", "/api/v1/rules/params", tok, `{"county":"530325","year":2026,"name":"dibao_line","value":5880}`); r.status != 200 || !strings.Contains(r.body, `"value":5880`) {
		t.Errorf("set parameter: %d %s", r.status, r.body)
	}
	r = e.do("GET", "/api/v1/rules/"+id, tok, "")
	r.json(t, &rule)
	if r := e.do("POST", "/api/v1/rules/"+id+"/retire", tok, `{"version":`+itoa(int64(rule.Version))+`}`); r.status != 200 || !strings.Contains(r.body, `"status":"retired"`) {
		t.Errorf("retire: %d %s", r.status, r.body)
	}
	if r := e.do("GET", "/api/v1/rules", e.token("volunteer"), ""); r.status != 403 {
		t.Errorf("volunteer: %d", r.status)
	}
}
