package httpserver_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"sync"
	"testing"

	"safetynet/demo"
	"safetynet/sqlstore/storetest"
)

// eachEnv runs fn against a server on SQLite and, when configured, on
// PostgreSQL.
func eachEnv(t *testing.T, fn func(t *testing.T, e *env)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, newEnvWith(t, storetest.SQLite(t, nil))) })
	t.Run("postgres", func(t *testing.T) { fn(t, newEnvWith(t, storetest.Postgres(t, nil))) })
}

// firstString puts a NUL character into the first string leaf of a JSON
// value (objects walked in key order) and returns the path of that leaf.
func firstString(v any, path string) (any, string, bool) {
	switch x := v.(type) {
	case string:
		return x[:len(x)/2] + "\x00" + x[len(x)/2:], path, true
	case []any:
		for i, el := range x {
			if nv, p, ok := firstString(el, path+"["+itoa(int64(i))+"]"); ok {
				x[i] = nv
				return x, p, true
			}
		}
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			p := k
			if path != "" {
				p = path + "." + k
			}
			if nv, p, ok := firstString(x[k], p); ok {
				x[k] = nv
				return x, p, true
			}
		}
	}
	return v, "", false
}

// TestNULRefused sends a NUL character (U+0000) in a string field to
// every JSON route that takes a body and every web form: each answers 400
// naming the field, on both databases (PostgreSQL cannot store NUL in
// text and answered 500).
func TestNULRefused(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		tok := e.token("admin")
		line, _, task, _, rule, _ := screeningLines(t, e)
		values := map[string]string{"lineID": line, "taskID": task, "ruleID": rule, "code": "530325002", "place": "530325002", "userID": itoa(e.userID("grid2")), "user": itoa(e.userID("grid2")),
			"householdID": itoa(e.in.household), "household": itoa(e.in.household), "personID": itoa(e.in.person),
			"person": itoa(e.in.person), "assignmentID": itoa(e.in.assignment), "importID": itoa(e.in.imp),
			"clueID": itoa(e.in.clue), "caseID": itoa(e.in.caseID), "applicationID": itoa(e.in.application),
			"followupID": itoa(e.in.followup), "measureCode": "temporary", "notification": "0", "ledgerPlace": demo.Yaozhan}
		for k, v := range walkExtras(t, e)[inside] {
			values[k] = v
		}
		pairs := []string{"{insideHousehold}", itoa(e.in.household)}
		for k, v := range values {
			pairs = append(pairs, "{"+k+"}", v)
		}
		sub := strings.NewReplacer(pairs...)
		tested := 0
		for _, rt := range e.srv.Routes() {
			key := rt.Method + " " + rt.Pattern
			if !rt.API || rt.Method == "GET" || sessionRoutes[key] || strings.Contains(rt.Pattern, "import") {
				continue
			}
			var body any
			if err := json.Unmarshal([]byte(sub.Replace(apiBodies[key])), &body); err != nil {
				t.Fatalf("%s: body: %v", key, err)
			}
			body, field, ok := firstString(body, "")
			if !ok {
				continue // no text in this route's body
			}
			b, _ := json.Marshal(body)
			path := paramRe.ReplaceAllStringFunc(rt.Pattern, func(m string) string { return values[paramRe.FindStringSubmatch(m)[1]] })
			r := e.do(rt.Method, path, tok, string(b))
			var got struct {
				Error struct{ Code, Field, Message string }
			}
			_ = json.Unmarshal([]byte(r.body), &got)
			if r.status != http.StatusBadRequest || got.Error.Field != field || !strings.Contains(got.Error.Message, "NUL") {
				t.Errorf("%s with NUL in %s: %d %.300s", key, field, r.status, r.body)
			}
			tested++
		}
		if tested < 25 {
			t.Errorf("only %d JSON routes tested", tested)
		}
		// Nested fields are named by their path.
		r := e.do("POST", "/api/v1/households", tok, `{"place_code":"530325002","address":"x","head":{"name":"a\u0000b"}}`)
		if r.status != 400 || !strings.Contains(r.body, `"field":"head.name"`) {
			t.Errorf("nested NUL: %d %s", r.status, r.body)
		}
		// In a query string too.
		if r := e.do("GET", "/api/v1/search?q=%E8%B5%B5%00", tok, ""); r.status != 400 || !strings.Contains(r.body, `"field":"q"`) {
			t.Errorf("NUL in a query: %d %s", r.status, r.body)
		}

		// Files: a ledger or a division list holding NUL reports the row, on
		// PostgreSQL too, and stores nothing.
		r = e.do("POST", "/api/v1/imports?filename=nul.csv", tok, "姓名,与户主关系,所属村组\n探\x00针,户主,"+demo.Yaozhan+"-01-01\n",
			"Content-Type", "text/csv")
		if r.status != http.StatusCreated || !strings.Contains(r.body, `"errors":[{"row":2,"field":"姓名"`) {
			t.Errorf("ledger with NUL: %d %.400s", r.status, r.body)
		}
		r = e.do("POST", "/api/v1/places/import", tok, "code,name,level,parent_code\n"+demo.Yaozhan+"-77,探\x00针,group,"+demo.Yaozhan+"\n",
			"Content-Type", "text/csv")
		if r.status >= 500 || !strings.Contains(r.body, "invalid characters") || !strings.Contains(r.body, `"created":0`) {
			t.Errorf("division list with NUL: %d %.400s", r.status, r.body)
		}
		r = e.do("POST", "/api/v1/places/import", tok, "code,name,level,parent_code\n"+demo.Yaozhan+"-77,探针,group,"+demo.Yaozhan+"\x00\n",
			"Content-Type", "text/csv")
		if r.status >= 500 || !strings.Contains(r.body, `"field":"parent_code"`) || !strings.Contains(r.body, `"created":0`) {
			t.Errorf("division list with NUL in a parent code: %d %.400s", r.status, r.body)
		}

		// Every web form.
		br := e.browser()
		br.login("admin")
		forms := 0
		for _, rt := range e.srv.Routes() {
			key := rt.Method + " " + rt.Pattern
			if rt.API || rt.Method != "POST" || sessionRoutes[key] || rt.Public {
				continue
			}
			path := paramRe.ReplaceAllStringFunc(rt.Pattern, func(m string) string { return values[paramRe.FindStringSubmatch(m)[1]] })
			form := url.Values{}
			for k, v := range webForm {
				form.Set(k, sub.Replace(v[0]))
			}
			form.Set("note", "探\x00针")
			r := br.post(path, form)
			if r.status != http.StatusBadRequest || !strings.Contains(r.body, "字段“note”含有不允许的空字符") {
				t.Errorf("web %s with NUL in note: %d %s", key, r.status, errorText(r.body))
			}
			forms++
		}
		if forms < 15 {
			t.Errorf("only %d web forms tested", forms)
		}
	})
}

// errorText is the message of a web error page, or the body's start.
func errorText(body string) string {
	if i := strings.Index(body, "空字符"); i >= 0 {
		return "…" + body[max(0, i-80):i+10]
	}
	if i := strings.Index(body, "<main"); i >= 0 {
		body = body[i:]
	}
	if len(body) > 600 {
		body = body[:600]
	}
	return body
}

// TestNonObjectBodyRefused: a body of null (and any other JSON that is not
// an object) is refused, not read as {}; null once acknowledged a clue.
func TestNonObjectBodyRefused(t *testing.T) {
	e := newEnv(t)
	tok := e.token("village")
	r := e.do("POST", "/api/v1/clues", e.token("grid"), `{"client_id":"null-body","household_id":`+itoa(e.in.household)+`,"kinds":["fall"]}`)
	var c struct{ ID int64 }
	r.json(t, &c)
	if r.status != http.StatusCreated || c.ID == 0 {
		t.Fatalf("report: %d %s", r.status, r.body)
	}
	path := "/api/v1/clues/" + itoa(c.ID) + "/acknowledge"
	for _, body := range []string{`null`, ` null `, `[]`, `[{"version":1}]`, `"x"`, `1`, `true`} {
		r := e.do("POST", path, tok, body)
		if r.status != http.StatusBadRequest || r.errCode() != "invalid" || !strings.Contains(r.body, "JSON object") {
			t.Errorf("body %s: %d %s", body, r.status, r.body)
		}
	}
	r = e.do("GET", "/api/v1/clues/"+itoa(c.ID), tok, "")
	if r.status != 200 || strings.Contains(r.body, `"acknowledged_at"`) {
		t.Errorf("the clue was acknowledged by a refused body: %d %s", r.status, r.body)
	}
	for _, path := range []string{"/api/v1/places", "/api/v1/households", "/api/v1/clues"} {
		if r := e.do("POST", path, tok, "null"); r.status != http.StatusBadRequest {
			t.Errorf("POST %s null: %d %s", path, r.status, r.body)
		}
	}
}

// TestLoginLongNonASCIIUserAgent logs in through the API and the web with
// a long Chinese User-Agent on both databases.
func TestLoginLongNonASCIIUserAgent(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		ua := "Mozilla/5.0 " + strings.Repeat("微信浏览器", 80)
		r := e.do("POST", "/api/v1/auth/token", "", `{"username":"village","password":"`+demo.Password+`"}`, "User-Agent", ua)
		if r.status != http.StatusCreated {
			t.Fatalf("API login: %d %s", r.status, r.body)
		}
		br := e.browser()
		req, _ := http.NewRequest("POST", e.ts.URL+"/login", strings.NewReader(url.Values{"username": {"grid"}, "password": {demo.Password}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("User-Agent", ua)
		if r := e.send(br.c, req); r.status != http.StatusSeeOther {
			t.Fatalf("web login: %d %.300s", r.status, r.body)
		}
	})
}

// TestConcurrentClueResend: a phone resending one clue 20 times at once
// gets the one clue every time (201 for the first, 200 for the others),
// on both databases; PostgreSQL answered several 500s on the unique key.
func TestConcurrentClueResend(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		tok := e.token("grid")
		body := `{"client_id":"resend-storm","household_id":` + itoa(e.in.household) + `,"kinds":["fall"],"urgency":"urgent"}`
		const n = 20
		type answer struct {
			status int
			id     int64
			body   string
		}
		answers := make(chan answer, n)
		start := make(chan struct{})
		var wg sync.WaitGroup
		for i := 0; i < n; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				req, _ := http.NewRequest("POST", e.ts.URL+"/api/v1/clues", strings.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Authorization", "Bearer "+tok)
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					answers <- answer{body: err.Error()}
					return
				}
				defer resp.Body.Close()
				b, _ := io.ReadAll(resp.Body)
				var c struct{ ID int64 }
				_ = json.Unmarshal(b, &c)
				answers <- answer{resp.StatusCode, c.ID, string(b)}
			}()
		}
		close(start)
		wg.Wait()
		close(answers)
		ids, created := map[int64]bool{}, 0
		for a := range answers {
			if a.status != http.StatusOK && a.status != http.StatusCreated || a.id == 0 {
				t.Errorf("answer %d %.300s", a.status, a.body)
			}
			if a.status == http.StatusCreated {
				created++
			}
			ids[a.id] = true
		}
		if len(ids) != 1 || created != 1 {
			t.Errorf("%d clues, %d answered 201: want one clue created once", len(ids), created)
		}
		r := e.do("GET", "/api/v1/clues", e.token("village"), "")
		if strings.Count(r.body, `"client_id":"resend-storm"`) != 1 {
			t.Errorf("clue list holds the clue %d times: %.500s", strings.Count(r.body, `"client_id":"resend-storm"`), r.body)
		}
	})
}

// TestVersionRequired: every route changing a versioned record, on the API
// and in web forms, refuses a change without the version it was made on.
func TestVersionRequired(t *testing.T) {
	e := newEnv(t)
	village, admin := e.token("village"), e.token("fy-admin")
	r := e.do("POST", "/api/v1/clues", e.token("grid"), `{"client_id":"no-version","household_id":`+itoa(e.in.household)+`,"kinds":["fall"]}`)
	var c struct{ ID int64 }
	r.json(t, &c)
	clue, kase := itoa(c.ID), itoa(e.in.caseID)
	api := []struct{ token, method, path, body string }{
		{admin, "PATCH", "/api/v1/places/" + demo.Yaozhan + "-01", `{"name":"棠梨湾组"}`},
		{admin, "PATCH", "/api/v1/users/" + itoa(e.userID("grid2")), `{"display_name":"网格员 孙丽丽"}`},
		{village, "PATCH", "/api/v1/households/" + itoa(e.in.household), `{"address":"棠梨湾9号"}`},
		{village, "PATCH", "/api/v1/persons/" + itoa(e.in.person), `{"name":"赵金华"}`},
		{village, "POST", "/api/v1/persons/" + itoa(e.in.person) + "/status", `{"status":"moved_away","date":"2026-01-01"}`},
		{village, "POST", "/api/v1/clues/" + clue + "/acknowledge", `{}`},
		{village, "POST", "/api/v1/clues/" + clue + "/verify", `{"decision":"no_action"}`},
		{village, "POST", "/api/v1/applications/" + itoa(e.in.application) + "/decision", `{"approve":true}`},
		{village, "POST", "/api/v1/cases/" + kase + "/close", `{"outcome":"stable"}`},
		{village, "POST", "/api/v1/cases/" + kase + "/reopen", `{"reason":"again"}`},
	}
	for _, tc := range api {
		for _, body := range []string{tc.body, strings.Replace(tc.body, "{", `{"version":0,`, 1)} {
			body = strings.Replace(body, ",}", "}", 1)
			r := e.do(tc.method, tc.path, tc.token, body)
			var got struct{ Error struct{ Code, Field string } }
			_ = json.Unmarshal([]byte(r.body), &got)
			if r.status != http.StatusBadRequest || got.Error.Field != "version" {
				t.Errorf("%s %s %s: %d %.300s", tc.method, tc.path, body, r.status, r.body)
			}
		}
	}
	adminWeb, villageWeb := e.browser(), e.browser()
	adminWeb.login("fy-admin")
	villageWeb.login("village")
	web := []struct {
		b    *browser
		path string
		form url.Values
	}{
		{adminWeb, "/places/" + demo.Yaozhan + "-01", url.Values{"name": {"棠梨湾组"}}},
		{adminWeb, "/users/" + itoa(e.userID("grid2")), url.Values{"display_name": {"网格员 孙丽丽"}, "role": {"grid_worker"}, "place_code": {demo.Yaozhan + "-02-01"}}},
		{villageWeb, "/households/" + itoa(e.in.household) + "/edit", url.Values{"address": {"棠梨湾9号"}}},
		{villageWeb, "/persons/" + itoa(e.in.person) + "/edit", url.Values{"name": {"赵金华"}}},
		{villageWeb, "/persons/" + itoa(e.in.person) + "/status", url.Values{"status": {"moved_away"}, "date": {"2026-01-01"}}},
		{villageWeb, "/clues/" + clue + "/acknowledge", url.Values{}},
		{villageWeb, "/clues/" + clue + "/verify", url.Values{"decision": {"no_action"}}},
		{villageWeb, "/cases/" + kase + "/decision", url.Values{"application_id": {itoa(e.in.application)}, "decision": {"approve"}}},
		{villageWeb, "/cases/" + kase + "/close", url.Values{"outcome": {"stable"}}},
		{villageWeb, "/cases/" + kase + "/reopen", url.Values{"reason": {"again"}}},
	}
	for _, tc := range web {
		r := tc.b.post(tc.path, tc.form)
		if r.status != http.StatusBadRequest || !strings.Contains(r.body, "version") {
			t.Errorf("web %s without version: %d %s", tc.path, r.status, errorText(r.body))
		}
	}
	// Nothing was changed by the refused requests.
	r = e.do("GET", "/api/v1/clues/"+clue, village, "")
	if !strings.Contains(r.body, `"status":"reported"`) {
		t.Errorf("the clue changed: %.300s", r.body)
	}
}

// TestInvalidUTF8Refused: a path, query or form value that is not UTF-8
// text (%FF) is refused with 400 naming it, on both databases; PostgreSQL
// answered 500 when it reached a query.
func TestInvalidUTF8Refused(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		tok := e.token("fy-admin")
		for _, tc := range []struct{ path, field string }{
			{"/api/v1/places/%FF", "path"}, {"/api/v1/places?q=%FF", "q"}, {"/api/v1/search?q=%E8%B5%FF", "q"},
		} {
			r := e.do("GET", tc.path, tok, "")
			if r.status != http.StatusBadRequest || !strings.Contains(r.body, `"field":"`+tc.field+`"`) {
				t.Errorf("%s: %d %.300s", tc.path, r.status, r.body)
			}
		}
		b := e.browser()
		b.login("fy-admin")
		r := b.post("/places/"+demo.Yaozhan+"/children", url.Values{"name": {"探\xff针"}, "level": {"group"}})
		if r.status != http.StatusBadRequest || !strings.Contains(r.body, "字段“name”含有无效字符") {
			t.Errorf("web form: %d %s", r.status, errorText(r.body))
		}
	})
}
