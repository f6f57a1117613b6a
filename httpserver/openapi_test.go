package httpserver_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"safetynet/demo"
	"safetynet/sqlstore"
	"safetynet/sqlstore/storetest"
)

// TestOpenAPISchemasStrict keeps openapi.yaml exact about responses: every
// JSON response has a schema; every object in it declares its fields
// (additionalProperties: false) and which are always there (required), so
// the validator of the API tests refuses a field a handler adds or drops;
// errors use the one Error schema; no default response hides a status.
func TestOpenAPISchemasStrict(t *testing.T) {
	for _, p := range strictProblems(loadSpec(t).doc) {
		t.Error(p)
	}
	// The check finds what it is meant to find in a spoilt copy.
	doc := freshSpec(t)
	doc.Components.Schemas["User"].Value.AdditionalProperties = openapi3.AdditionalProperties{Has: openapi3.Ptr(true)}
	doc.Components.Schemas["Clue"].Value.Required = nil
	doc.Components.Schemas["CaseView"].Value.Properties["steps"].Value.Items = &openapi3.SchemaRef{Value: openapi3.NewObjectSchema()}
	me := doc.Paths.Value("/api/v1/me").Get.Responses
	me.Value("200").Value.Content.Get("application/json").Schema = nil
	me.Set("default", me.Value("401"))
	doc.Paths.Value("/api/v1/audit").Get.Responses.Delete("401")
	got := strings.Join(strictProblems(doc), "\n")
	for _, want := range []string{"#/components/schemas/User: additionalProperties must be false",
		"#/components/schemas/Clue: no required fields", "steps[]: an object without properties",
		"GET /api/v1/me 200: JSON without a schema", "GET /api/v1/me has a default response",
		"GET /api/v1/audit needs a token but declares no 401"} {
		if !strings.Contains(got, want) {
			t.Errorf("a spoilt document: no problem %q in:\n%s", want, got)
		}
	}
}

// freshSpec loads openapi.yaml anew, for a test to change.
func freshSpec(t *testing.T) *openapi3.T {
	t.Helper()
	doc, err := openapi3.NewLoader().LoadFromFile("openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// strictProblems lists where the responses of doc are not exact.
func strictProblems(doc *openapi3.T) []string {
	var out []string
	add := func(format string, args ...any) { out = append(out, fmt.Sprintf(format, args...)) }
	seen := map[*openapi3.Schema]bool{}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			where := method + " " + path
			if op.Responses == nil || op.Responses.Len() == 0 {
				add("%s declares no responses", where)
				continue
			}
			if op.Responses.Default() != nil {
				add("%s has a default response, which would accept any status", where)
			}
			secured := op.Security == nil || len(*op.Security) > 0
			if secured && op.Responses.Status(http.StatusUnauthorized) == nil {
				add("%s needs a token but declares no 401", where)
			}
			if strings.Contains(path, "{") && op.Responses.Status(http.StatusNotFound) == nil {
				add("%s names a record but declares no 404", where)
			}
			for code, ref := range op.Responses.Map() {
				resp := ref.Value
				if code != "204" && len(resp.Content) == 0 {
					add("%s %s declares no content", where, code)
				}
				mt := resp.Content.Get("application/json")
				if mt == nil {
					continue
				}
				if mt.Schema == nil {
					add("%s %s: JSON without a schema", where, code)
					continue
				}
				if code[0] >= '4' && code != "422" && mt.Schema.Ref != "#/components/schemas/Error" {
					add("%s %s: an error must use the Error schema, not %q", where, code, mt.Schema.Ref)
				}
				strictSchema(add, where+" "+code, mt.Schema, seen)
			}
		}
	}
	sort.Strings(out)
	return out
}

// strictSchema walks a response schema. Objects named "detail" (the facts
// of an event or notification, which vary with its kind) may be free-form.
func strictSchema(add func(string, ...any), at string, ref *openapi3.SchemaRef, seen map[*openapi3.Schema]bool) {
	s := ref.Value
	if s == nil || seen[s] {
		return
	}
	seen[s] = true
	if ref.Ref != "" {
		at = ref.Ref
	}
	if len(s.AllOf)+len(s.AnyOf)+len(s.OneOf) > 0 {
		add("%s: allOf/anyOf/oneOf defeat additionalProperties: false; list the fields", at)
	}
	switch {
	case s.Type.Is("object") && len(s.Properties) > 0:
		if ap := s.AdditionalProperties.Has; ap == nil || *ap {
			add("%s: additionalProperties must be false", at)
		}
		if len(s.Required) == 0 {
			add("%s: no required fields", at)
		}
		for _, r := range s.Required {
			if s.Properties[r] == nil {
				add("%s: requires %q, which it does not declare", at, r)
			}
		}
		for name, p := range s.Properties {
			strictSchema(add, at+"."+name, p, seen)
		}
	case s.Type.Is("object") && s.AdditionalProperties.Schema != nil:
		strictSchema(add, at+"{}", s.AdditionalProperties.Schema, seen)
	case s.Type.Is("object"):
		if !strings.HasSuffix(at, ".detail") {
			add("%s: an object without properties; declare its fields", at)
		}
	case s.Type.Is("array"):
		if s.Items == nil {
			add("%s: an array without items", at)
			return
		}
		strictSchema(add, at+"[]", s.Items, seen)
	case s.Type == nil || s.Type.IsEmpty():
		add("%s: no type", at)
	}
}

// opBodies are request bodies for the routes whose scope-walk body would
// not reach the handler's answer here.
var opBodies = map[string]string{
	"POST /api/v1/auth/token":    `{"username":"fy-admin","password":"` + demo.Password + `"}`,
	"POST /api/v1/imports":       "姓名,与户主关系\n赵某,户主\n",
	"POST /api/v1/places/import": "code,name,level,parent_code\n530325-88,探针组,group,530325\n",
	"DELETE /api/v1/auth/token":  "",
	"POST /api/v1/inbox/read":    `{"id":0}`,
}

// TestOpenAPIEveryOperation walks every operation of openapi.yaml: it calls
// each one as an administrator of the fixture's county, and each one that
// needs a token also without one, and requires that every answer was
// validated against the schema of its route, method and status (the
// server wrapper of the tests fails on a status the document lacks or a
// body that does not match). It runs on SQLite and PostgreSQL.
func TestOpenAPIEveryOperation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, store *sqlstore.Store) {
		walkOperations(t, newEnvWith(t, store))
	})
}

func walkOperations(t *testing.T, e *env) {
	spec := loadSpec(t)
	// Users are changed (and a password reset) through town, so that
	// fy-admin can still log in.
	town := e.userID("town")
	line, _, task, _, rule, _ := screeningLines(t, e)
	values := map[string]string{"code": "530325", "place": "530325", "userID": itoa(town), "user": itoa(town),
		"householdID": itoa(e.in.household), "household": itoa(e.in.household), "personID": itoa(e.in.person),
		"person": itoa(e.in.person), "assignmentID": itoa(e.in.assignment), "importID": itoa(e.in.imp),
		"clueID": itoa(e.in.clue), "caseID": itoa(e.in.caseID), "applicationID": itoa(e.in.application),
		"followupID": itoa(e.in.followup), "measureCode": "temporary", "lineID": line, "taskID": task, "ruleID": rule}
	var pairs []string
	for k, v := range values {
		pairs = append(pairs, "{"+k+"}", v)
	}
	fill := strings.NewReplacer(pairs...)

	var ops []string
	for path, item := range spec.doc.Paths.Map() {
		for method := range item.Operations() {
			ops = append(ops, method+" "+path)
		}
	}
	sort.Strings(ops)
	if len(ops) < 60 {
		t.Fatalf("only %d operations in openapi.yaml", len(ops))
	}
	for _, key := range ops {
		method, pattern, _ := strings.Cut(key, " ")
		op := spec.doc.Paths.Value(pattern).GetOperation(method)
		token := e.token("fy-admin")
		body, ok := opBodies[key]
		if !ok {
			body = apiBodies[key]
		}
		body = fill.Replace(body)
		path := fill.Replace(pattern)
		var hdr []string
		if strings.HasSuffix(pattern, "/import") || strings.HasSuffix(pattern, "/imports") {
			hdr = []string{"Content-Type", "text/csv"}
			if strings.HasSuffix(pattern, "/imports") {
				path += "?filename=ledger.csv"
			}
		}
		r := e.do(method, path, token, body, hdr...)
		if !spec.validated(method, pattern, r.status) {
			t.Errorf("%s: answer %d was not validated against openapi.yaml: %.300s", key, r.status, r.body)
		}
		if r.status >= 500 {
			t.Errorf("%s: %d %.300s", key, r.status, r.body)
		}
		if op.Security == nil || len(*op.Security) > 0 {
			anon := e.do(method, path, "", body, hdr...)
			if anon.status != http.StatusUnauthorized || !spec.validated(method, pattern, anon.status) {
				t.Errorf("%s without a token: %d (validated: %v)", key, anon.status, spec.validated(method, pattern, anon.status))
			}
		}
	}
}

// TestOpenAPIValidatorRejects shows that the check the API tests rely on
// fails: a field too many, a required field missing, a wrong type, a null
// where none is allowed, a status the document does not declare and a
// malformed error body are each refused, while the real answer passes.
func TestOpenAPIValidatorRejects(t *testing.T) {
	e := newEnv(t)
	spec := loadSpec(t)
	token := e.token("village")
	me := e.do("GET", "/api/v1/me", token, "")
	if me.status != 200 {
		t.Fatalf("me = %d", me.status)
	}
	hh := e.do("GET", "/api/v1/households/"+itoa(e.in.household), token, "")
	if hh.status != 200 {
		t.Fatalf("household = %d", hh.status)
	}
	jsonHeader := http.Header{"Content-Type": {"application/json; charset=utf-8"}}
	get := func(path string) *http.Request { return httptest.NewRequest("GET", path, nil) }
	hhPath := "/api/v1/households/" + itoa(e.in.household)
	cases := []struct {
		name   string
		req    *http.Request
		status int
		body   string
		ok     bool
	}{
		{"the real answer", get("/api/v1/me"), 200, me.body, true},
		{"the real household", get(hhPath), 200, hh.body, true},
		{"an undeclared field", get("/api/v1/me"), 200, strings.Replace(me.body, `{`, `{"password_hash":"x",`, 1), false},
		{"a required field missing", get("/api/v1/me"), 200, strings.Replace(me.body, `"permissions"`, `"permission_list"`, 1), false},
		{"a wrong type", get("/api/v1/me"), 200, strings.Replace(me.body, `"version":`, `"version":"1",`+`"x":`, 1), false},
		{"an undeclared field deep inside", get(hhPath), 200, strings.Replace(hh.body, `"category":`, `"secret":1,"category":`, 1), false},
		{"null for a list", get(hhPath), 200, strings.Replace(hh.body, `"members":[`, `"members":null,"x":[`, 1), false},
		{"an undeclared status", get("/api/v1/me"), http.StatusTeapot, me.body, false},
		{"a success body as an error", get("/api/v1/me"), 401, me.body, false},
		{"an error without a message", get("/api/v1/me"), 401, `{"error":{"code":"unauthorized"}}`, false},
		{"an unknown error code", get("/api/v1/me"), 401, `{"error":{"code":"oops","message":"x"}}`, false},
		{"a map-shaped error", get("/api/v1/me"), 401, `{"code":"unauthorized","message":"x"}`, false},
		{"an unknown API path", get("/api/v1/nowhere"), 200, `{}`, false},
	}
	for _, c := range cases {
		err := spec.check(c.req, c.status, jsonHeader, []byte(c.body))
		if c.ok && err != nil {
			t.Errorf("%s: refused: %v", c.name, err)
		}
		if !c.ok && err == nil {
			t.Errorf("%s: accepted", c.name)
		}
	}

	// And the server wrapper fails the test that got such an answer.
	bad := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Write([]byte(strings.Replace(me.body, `{`, `{"extra":true,`, 1)))
	})
	rec := &recordingTB{TB: t}
	resp := httptest.NewRecorder()
	checkAPI(rec, bad).ServeHTTP(resp, get("/api/v1/me"))
	if len(rec.errors) != 1 || !strings.Contains(rec.errors[0], "extra") {
		t.Errorf("the wrapper reported %q, want one error naming the extra field", rec.errors)
	}
	if resp.Code != 200 || !strings.Contains(resp.Body.String(), `"extra":true`) {
		t.Errorf("the wrapper changed the answer: %d %s", resp.Code, resp.Body)
	}
}

// recordingTB records the errors a check reports instead of failing.
type recordingTB struct {
	testing.TB
	errors []string
}

func (r *recordingTB) Errorf(format string, args ...any) {
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}

func (r *recordingTB) Helper() {}
