package httpserver_test

import (
	"strings"
	"testing"
)

// TestWarningRulesAPI writes a warning rule through the API: bad input is
// 400 naming the field (a misspelt rating with its position, an unknown
// event type, an example of an unknown type), a good rule is created with
// its examples, checked, previewed, refused while an example fails, then
// published; the generic rule list shows it as a warning.
func TestWarningRulesAPI(t *testing.T) {
	e := newEnv(t)
	tok := e.token("county")
	if r := e.do("POST", "/api/v1/rules/check", tok, `{"source":"e.rating == \"D级\"","kind":"warning"}`, "Accept-Language", "zh"); r.status != 400 ||
		!strings.Contains(r.body, "第1行第") || !strings.Contains(r.body, "D级危房") {
		t.Fatalf("check: %d %s", r.status, r.body)
	}
	if r := e.do("POST", "/api/v1/rules/check", tok, `{"source":"e.rating == \"D级危房\"","kind":"warning"}`); r.status != 200 {
		t.Fatalf("check a good warning rule: %d %s", r.status, r.body)
	}
	if r := e.do("POST", "/api/v1/rules/check", tok, `{"source":"e.rating == \"D级危房\""}`); r.status != 400 {
		t.Fatalf("an eligibility rule knows no e: %d %s", r.status, r.body)
	}
	for _, tc := range []struct{ body, field string }{
		{`{"name":"x","event_types":["flood"],"place":"530325","source":"e.registered"}`, "event_types"},
		{`{"name":"x","event_types":["dangerous_housing"],"place":"530325","source":"e.rating == \"D级\""}`, "source"},
		{`{"name":"x","event_types":["dangerous_housing"],"place":"530325","source":"e.registered","period":"week"}`, "period"},
		{`{"name":"x","event_types":["dangerous_housing"],"place":"530325","source":"e.registered","examples":[{"name":"a","expect":true,"event":{"type":"flood","date":"2026-01-01","registered":true,"detail":{}}}]}`, "examples[0].event.type"},
		{`{"name":"x","event_types":["dangerous_housing"],"place":"530325","source":"e.registered","examples":[{"name":"a","expect":true,"event":{"type":"危房鉴定","date":"2026-01-01","registered":true,"detail":{"cost":1}}}]}`, "examples[0].event.detail"},
		{`{"name":"x","event_types":["dangerous_housing"],"place":"430112","source":"e.registered"}`, "place"},
	} {
		r := e.do("POST", "/api/v1/warning-rules", tok, tc.body)
		var body struct{ Error struct{ Field string } }
		r.json(t, &body)
		if r.status != 400 || body.Error.Field != tc.field {
			t.Errorf("%s: %d %s", tc.field, r.status, r.body)
		}
	}
	good := `{"name":"D级危房","event_types":["危房鉴定"],"place":"530325","source":"e.rating == \"D级危房\"","urgency":"urgent",
		"examples":[{"name":"D","expect":true,"event":{"type":"dangerous_housing","date":"2026-01-01","registered":true,"detail":{"rating":"D"}}},
		{"name":"C","expect":true,"event":{"type":"dangerous_housing","date":"2026-01-01","registered":true,"detail":{"rating":"C"}},"person":{"age":70},"household":{"categories":["低保户"]}}]}`
	r := e.do("POST", "/api/v1/warning-rules", tok, good)
	var created struct {
		ID       int64
		Version  int
		Examples []struct{ Person struct{ Age int } }
	}
	r.json(t, &created)
	if r.status != 201 || len(created.Examples) != 2 || created.Examples[1].Person.Age != 70 || !strings.Contains(r.body, `"event_types":["dangerous_housing"]`) {
		t.Fatalf("create: %d %s", r.status, r.body)
	}
	id := itoa(created.ID)
	if r := e.do("POST", "/api/v1/warning-rules/"+id+"/preview", tok, `{"days":30}`); r.status != 200 || !strings.Contains(r.body, `"failures":["C`) {
		t.Fatalf("preview: %d %s", r.status, r.body)
	}
	if r := e.do("POST", "/api/v1/rules/"+id+"/publish", tok, `{"version":1}`); r.status != 400 || !strings.Contains(r.body, `"field":"examples"`) {
		t.Fatalf("publish with a failing example: %d %s", r.status, r.body)
	}
	fixed := strings.Replace(good, `"name":"C","expect":true`, `"name":"C","expect":false`, 1)
	fixed = strings.Replace(fixed, `{"name":"D级危房"`, `{"version":1,"name":"D级危房"`, 1)
	if r := e.do("PATCH", "/api/v1/warning-rules/"+id, tok, fixed); r.status != 200 {
		t.Fatalf("update: %d %s", r.status, r.body)
	}
	if r := e.do("POST", "/api/v1/rules/"+id+"/publish", tok, `{"version":2}`); r.status != 200 || !strings.Contains(r.body, `"kind":"warning"`) {
		t.Fatalf("publish: %d %s", r.status, r.body)
	}
	if r := e.do("GET", "/api/v1/rules?kind=warning", tok, ""); r.status != 200 || !strings.Contains(r.body, "D级危房") {
		t.Fatalf("rule list: %d %s", r.status, r.body)
	}
	if r := e.do("GET", "/api/v1/warning-rules/"+id, e.token("town"), ""); r.status != 200 || !strings.Contains(r.body, `"status":"published"`) {
		t.Fatalf("town reads: %d %s", r.status, r.body)
	}
	if r := e.do("PATCH", "/api/v1/warning-rules/"+id, e.token("town"), fixed); r.status != 403 {
		t.Fatalf("town writes: %d %s", r.status, r.body)
	}
}
