package httpserver_test

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http"
	"os"
	"regexp"
	"strings"
	"testing"

	"safetynet/demo"
)

func TestAPITokenAndMe(t *testing.T) {
	e := newEnv(t)
	tok := e.token("village")
	r := e.do("GET", "/api/v1/me", tok, "")
	var me struct {
		Username    string
		PlaceCode   string `json:"place_code"`
		Permissions []string
	}
	r.json(t, &me)
	if r.status != 200 || me.PlaceCode != demo.Yaozhan || len(me.Permissions) == 0 {
		t.Fatalf("me = %d %s", r.status, r.body)
	}
	for _, tc := range []struct{ name, auth string }{
		{"no token", ""}, {"bad scheme", "Basic abc"}, {"unknown token", "Bearer nope"},
	} {
		req, _ := http.NewRequest("GET", e.ts.URL+"/api/v1/me", nil)
		if tc.auth != "" {
			req.Header.Set("Authorization", tc.auth)
		}
		r := e.send(http.DefaultClient, req)
		if r.status != 401 || r.errCode() != "unauthorized" {
			t.Errorf("%s: %d %s", tc.name, r.status, r.body)
		}
	}
	// Revoking the token ends it.
	if r := e.do("DELETE", "/api/v1/auth/token", tok, ""); r.status != 204 {
		t.Fatalf("revoke: %d", r.status)
	}
	if r := e.do("GET", "/api/v1/me", tok, ""); r.status != 401 {
		t.Fatalf("revoked token still works: %d", r.status)
	}
	// Wrong password: 401 in the language asked for.
	r = e.do("POST", "/api/v1/auth/token", "", `{"username":"village","password":"nope"}`, "Accept-Language", "zh-CN")
	if r.status != 401 || !strings.Contains(r.body, "用户名或密码错误") {
		t.Fatalf("wrong password: %d %s", r.status, r.body)
	}
}

func TestAPILoginThrottle(t *testing.T) {
	e := newEnv(t)
	for i := 0; i < 5; i++ {
		e.do("POST", "/api/v1/auth/token", "", `{"username":"town","password":"guess"}`)
	}
	r := e.do("POST", "/api/v1/auth/token", "", `{"username":"town","password":"`+demo.Password+`"}`)
	if r.status != http.StatusTooManyRequests || r.header.Get("Retry-After") == "" || r.errCode() != "too_many_requests" {
		t.Fatalf("after 5 failures: %d %v %s", r.status, r.header, r.body)
	}
}

func TestAPIBadInput(t *testing.T) {
	e := newEnv(t)
	tok := e.token("fy-admin")
	for _, tc := range []struct {
		name, method, path, body, ctype string
		status                          int
		code, field                     string
	}{
		{"malformed", "POST", "/api/v1/places", `{"name":`, "", 400, "invalid", ""},
		{"syntax", "POST", "/api/v1/places", `{"name" "x"}`, "", 400, "invalid", ""},
		{"unknown field", "POST", "/api/v1/places", `{"name":"x","colour":"red"}`, "", 400, "invalid", "colour"},
		{"wrong type", "POST", "/api/v1/places", `{"name":5}`, "", 400, "invalid", "name"},
		{"not an object", "POST", "/api/v1/places", `[1,2]`, "", 400, "invalid", ""},
		{"trailing data", "POST", "/api/v1/places", `{"name":"x"} {}`, "", 400, "invalid", ""},
		{"empty body", "POST", "/api/v1/users", ``, "application/json", 400, "invalid", ""},
		{"wrong content type", "POST", "/api/v1/users", `{}`, "text/plain", 415, "unsupported_media", ""},
		{"missing version", "PATCH", "/api/v1/places/530325002009", `{"name":"x"}`, "", 400, "invalid", "version"},
		{"bad level", "POST", "/api/v1/places", `{"name":"x","level":"hamlet","parent_code":"530325002009"}`, "", 400, "invalid", "level"},
		{"bad limit", "GET", "/api/v1/places?q=a&limit=-3", ``, "", 400, "invalid", "limit"},
		{"bad date", "GET", "/api/v1/audit?from=yesterday", ``, "", 400, "invalid", "from"},
		{"bad user id", "GET", "/api/v1/users/abc", ``, "", 404, "not_found", ""},
		{"huge id", "GET", "/api/v1/users/99999999999999999999999", ``, "", 404, "not_found", ""},
		{"unknown route", "GET", "/api/v1/nothing", ``, "", 404, "not_found", ""},
		{"bad dry_run", "POST", "/api/v1/places/import?dry_run=maybe", "x", "text/csv", 400, "invalid", "dry_run"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			hdr := []string{}
			if tc.ctype != "" {
				hdr = []string{"Content-Type", tc.ctype}
			}
			r := e.do(tc.method, tc.path, tok, tc.body, hdr...)
			var b struct {
				Error struct{ Code, Message, Field string }
			}
			r.json(t, &b)
			if r.status != tc.status || b.Error.Code != tc.code || b.Error.Field != tc.field || b.Error.Message == "" {
				t.Errorf("%d %s; want %d %s field %q", r.status, r.body, tc.status, tc.code, tc.field)
			}
		})
	}
	// A body over the limit is refused before it is read.
	big := `{"name":"` + strings.Repeat("x", 2<<20) + `"}`
	if r := e.do("POST", "/api/v1/places", tok, big); r.status != http.StatusRequestEntityTooLarge {
		t.Errorf("2 MiB body: %d %.200s", r.status, r.body)
	}
}

// TestNoServerErrorOnGarbage sends garbage to every API route and wants
// a 4xx every time: bad input never makes a 500.
func TestNoServerErrorOnGarbage(t *testing.T) {
	e := newEnv(t)
	tok := e.token("fy-admin")
	garbage := []string{"", "{", "null", "[]", `{"version":"x"}`, `{"name":null,"version":-1}`, "\x00\xff", `{"parent_code":"` + strings.Repeat("9", 5000) + `"}`}
	params := []string{"%00", strings.Repeat("a", 300), "..%2f..", "-1", "0", "999999999999999999999"}
	re := regexp.MustCompile(`\{[A-Za-z]+\}`)
	for _, rt := range e.srv.Routes() {
		if !rt.API || rt.Pattern == "/api/v1/auth/token" {
			continue
		}
		for _, p := range params {
			path := re.ReplaceAllString(rt.Pattern, p)
			for _, body := range garbage {
				r := e.do(rt.Method, path+"?limit=x&from=2026-13-45&before=-1&q=%25%5F", tok, body)
				if r.status >= 500 {
					t.Errorf("%s %s with %q: %d %s", rt.Method, path, body, r.status, r.body)
				}
			}
		}
	}
}

func TestAPIPlaces(t *testing.T) {
	e := newEnv(t)
	tok := e.token("fy-admin")
	r := e.do("GET", "/api/v1/places/"+demo.Yaozhan, tok, "")
	var p struct {
		Code, Name string
		Version    int
		Path       []struct{ Code string }
		Children   []struct{ Code, Name string }
	}
	r.json(t, &p)
	if r.status != 200 || len(p.Children) != 3 || p.Path[0].Code != "530325" || p.Path[len(p.Path)-1].Code != demo.Yaozhan {
		t.Fatalf("place = %d %s", r.status, r.body)
	}
	// Add a grid under 南村居民小组, rename it, and hit a stale version.
	r = e.do("POST", "/api/v1/places", tok, `{"name":"南村第二网格","level":"grid","parent_code":"`+demo.Yaozhan+`-03"}`)
	var g struct {
		Code    string
		Version int
	}
	r.json(t, &g)
	if r.status != 201 || g.Code != demo.Yaozhan+"-03-02" || r.header.Get("Location") != "/api/v1/places/"+g.Code {
		t.Fatalf("create grid = %d %s", r.status, r.body)
	}
	if r := e.do("PATCH", "/api/v1/places/"+g.Code, tok, `{"name":"南村二网格","version":1}`); r.status != 200 {
		t.Fatalf("rename = %d %s", r.status, r.body)
	}
	r = e.do("PATCH", "/api/v1/places/"+g.Code, tok, `{"name":"again","version":1}`)
	if r.status != 409 || !strings.Contains(r.body, "富源县管理员") {
		t.Fatalf("stale rename = %d %s", r.status, r.body)
	}
	// Move it to 下大桥居民小组.
	if r := e.do("PATCH", "/api/v1/places/"+g.Code, tok, `{"parent_code":"`+demo.Yaozhan+`-02","version":2}`); r.status != 200 {
		t.Fatalf("move = %d %s", r.status, r.body)
	}
	// A grid worker may read but not write.
	gt := e.token("grid")
	if r := e.do("POST", "/api/v1/places", gt, `{"name":"x","level":"grid","parent_code":"`+demo.Yaozhan+`-01"}`); r.status != 403 {
		t.Fatalf("grid worker create = %d %s", r.status, r.body)
	}
	if r := e.do("GET", "/api/v1/places", gt, ""); r.status != 200 || !strings.Contains(r.body, demo.Yaozhan+"-01-01") {
		t.Fatalf("grid worker root = %d %s", r.status, r.body)
	}
}

func TestAPIImport(t *testing.T) {
	e := newEnv(t)
	tok := e.token("admin")
	csv := "code,name,level,parent_code\n530325002009-09,新建居民小组,group,530325002009\n530325002009-09-01,新网格,grid,530325002009-09\n"
	r := e.do("POST", "/api/v1/places/import?dry_run=true", tok, csv, "Content-Type", "text/csv")
	if r.status != 200 || !strings.Contains(r.body, `"created":2`) || !strings.Contains(r.body, `"dry_run":true`) {
		t.Fatalf("dry run = %d %s", r.status, r.body)
	}
	if r := e.do("GET", "/api/v1/places/530325002009-09", tok, ""); r.status != 404 {
		t.Fatalf("dry run saved: %d", r.status)
	}
	bad := csv + "530325002009-10,,group,530325002009\n530325002009-11,x,group,nowhere\n"
	r = e.do("POST", "/api/v1/places/import", tok, bad, "Content-Type", "text/csv")
	var rep struct {
		Errors []struct {
			Row     int
			Field   string
			Message string
		}
		Error struct{ Code string }
	}
	r.json(t, &rep)
	if r.status != 422 || len(rep.Errors) != 1 || rep.Errors[0].Row != 4 || rep.Error.Code != "invalid" {
		t.Fatalf("bad import = %d %s", r.status, r.body)
	}
	// Multipart upload, as a browser would send it, commits.
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, _ := mw.CreateFormFile("file", "places.csv")
	fw.Write([]byte(csv))
	mw.Close()
	r = e.do("POST", "/api/v1/places/import", tok, buf.String(), "Content-Type", mw.FormDataContentType())
	if r.status != 200 || !strings.Contains(r.body, `"created":2`) {
		t.Fatalf("multipart import = %d %s", r.status, r.body)
	}
	// The same file again changes nothing.
	r = e.do("POST", "/api/v1/places/import", tok, csv, "Content-Type", "text/csv")
	if r.status != 200 || !strings.Contains(r.body, `"unchanged":2`) {
		t.Fatalf("re-import = %d %s", r.status, r.body)
	}
}

func TestAPIUsersAndForcedPasswordChange(t *testing.T) {
	e := newEnv(t)
	tok := e.token("fy-admin")
	r := e.do("POST", "/api/v1/users", tok, `{"username":"newgrid","display_name":"新网格员","role":"grid_worker","place_code":"`+demo.Yaozhan+`-03-01","password":"first-pass-1"}`)
	var u struct {
		ID                 int64
		MustChangePassword bool `json:"must_change_password"`
		Version            int
	}
	r.json(t, &u)
	if r.status != 201 || !u.MustChangePassword {
		t.Fatalf("create = %d %s", r.status, r.body)
	}
	if r := e.do("POST", "/api/v1/users", tok, `{"username":"newgrid","role":"grid_worker","place_code":"`+demo.Yaozhan+`-03-01","password":"first-pass-1"}`); r.status != 409 || r.errCode() != "conflict" {
		t.Fatalf("duplicate = %d %s", r.status, r.body)
	}
	if r := e.do("POST", "/api/v1/users", tok, `{"username":"badplace","role":"grid_worker","place_code":"530325","password":"first-pass-1"}`); r.status != 400 || !strings.Contains(r.body, "place_code") {
		t.Fatalf("grid worker at county level = %d %s", r.status, r.body)
	}
	r = e.do("POST", "/api/v1/auth/token", "", `{"username":"newgrid","password":"first-pass-1"}`)
	var tk struct{ Token string }
	r.json(t, &tk)
	if r := e.do("GET", "/api/v1/places", tk.Token, ""); r.status != 403 || !strings.Contains(r.body, "/api/v1/me/password") {
		t.Fatalf("before password change = %d %s", r.status, r.body)
	}
	if r := e.do("POST", "/api/v1/me/password", tk.Token, `{"current_password":"first-pass-1","new_password":"second-pass-2"}`); r.status != 204 {
		t.Fatalf("change password = %d %s", r.status, r.body)
	}
	if r := e.do("GET", "/api/v1/places", tk.Token, ""); r.status != 200 {
		t.Fatalf("after password change = %d %s", r.status, r.body)
	}
	// Disabling ends the token at once.
	path := fmt.Sprintf("/api/v1/users/%d", u.ID)
	if r := e.do("PATCH", path, tok, `{"disabled":true,"version":`+fmt.Sprint(u.Version+1)+`}`); r.status != 200 {
		t.Fatalf("disable = %d %s", r.status, r.body)
	}
	if r := e.do("GET", "/api/v1/me", tk.Token, ""); r.status != 401 {
		t.Fatalf("disabled user's token = %d", r.status)
	}
	// The audit log shows it all to the county officer, filterable.
	r = e.do("GET", "/api/v1/audit?object_type=user&object_id="+fmt.Sprint(u.ID), e.token("county"), "")
	for _, a := range []string{"user.create", "user.password_change", "user.disable"} {
		if !strings.Contains(r.body, a) {
			t.Errorf("audit lacks %s: %s", a, r.body)
		}
	}
	if r := e.do("GET", "/api/v1/audit", e.token("grid"), ""); r.status != 403 {
		t.Errorf("grid worker reads audit: %d", r.status)
	}
}

func TestSecurityHeadersHealthMetrics(t *testing.T) {
	e := newEnv(t)
	r := e.do("GET", "/login", "", "")
	for h, want := range map[string]string{
		"Content-Security-Policy": "frame-ancestors 'none'", "X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY",
	} {
		if !strings.Contains(r.header.Get(h), want) {
			t.Errorf("%s = %q, want %q", h, r.header.Get(h), want)
		}
	}
	if r := e.do("GET", "/healthz", "", ""); r.status != 200 {
		t.Errorf("healthz = %d", r.status)
	}
	e.do("GET", "/api/v1/me", e.token("grid"), "")
	r = e.do("GET", "/metrics", "", "")
	if r.status != 200 || !strings.Contains(r.body, `safetynet_http_requests_total{code="200",route="GET /api/v1/me"} 1`) || !strings.Contains(r.body, "safetynet_db_connections_open") {
		t.Errorf("metrics = %d %.2000s", r.status, r.body)
	}
	// A cross-site form post is refused.
	r = e.do("POST", "/login", "", "username=x&password=y", "Content-Type", "application/x-www-form-urlencoded",
		"Origin", "https://evil.example", "Sec-Fetch-Site", "cross-site")
	if r.status != 403 {
		t.Errorf("cross-site post = %d", r.status)
	}
}

// TestOpenAPICoversRoutes keeps the OpenAPI document and the route table
// in step: every API route is documented and every documented path exists.
func TestOpenAPICoversRoutes(t *testing.T) {
	e := newEnv(t)
	r := e.do("GET", "/api/v1/openapi.yaml", "", "")
	if r.status != 200 || !strings.HasPrefix(r.body, "openapi: 3") {
		t.Fatalf("openapi.yaml = %d", r.status)
	}
	file, _ := os.ReadFile("openapi.yaml")
	if string(file) != r.body {
		t.Fatal("served document differs from openapi.yaml")
	}
	doc := map[string]map[string]bool{}
	var cur string
	for _, line := range strings.Split(r.body, "\n") {
		if strings.HasPrefix(line, "  /api/") && strings.HasSuffix(line, ":") {
			cur = strings.TrimSuffix(strings.TrimSpace(line), ":")
			doc[cur] = map[string]bool{}
		} else if cur != "" && len(line) > 4 && line[:4] == "    " && line[4] != ' ' {
			m := strings.TrimSuffix(strings.TrimSpace(line), ":")
			doc[cur][strings.ToUpper(m)] = true
		} else if !strings.HasPrefix(line, " ") || strings.HasPrefix(line, "  ") && !strings.HasPrefix(line, "   ") && !strings.HasPrefix(line, "  /") {
			cur = ""
		}
	}
	seen := map[string]bool{}
	for _, rt := range e.srv.Routes() {
		if !rt.API {
			continue
		}
		seen[rt.Method+" "+rt.Pattern] = true
		if !doc[rt.Pattern][rt.Method] {
			t.Errorf("route %s %s is not in openapi.yaml", rt.Method, rt.Pattern)
		}
	}
	for p, ms := range doc {
		for m := range ms {
			if m == "PARAMETERS" {
				continue
			}
			if !seen[m+" "+p] {
				t.Errorf("openapi.yaml documents %s %s, which the server does not serve", m, p)
			}
		}
	}
}
