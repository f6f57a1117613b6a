package httpserver_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"safetynet"
	"safetynet/access"
	"safetynet/demo"
)

// The scope walk visits every route of both surfaces, with every role,
// against objects inside the caller's scope, outside it and missing. An
// object outside the scope must answer exactly like a missing one, and
// nothing that names an outside object may appear in any answer. Routes
// come from the server's own table, so a new route is walked as soon as it
// exists; a path parameter the walk cannot fill fails the test.

const (
	outsidePlace = "430112001001" // 望城区西塘街社区: outside every 富源县 user
	missingPlace = "999999999999"
	missingUser  = "987654321"
)

// outsideMarkers are strings that appear only in data outside 富源县.
// Codes are not among them: a page may echo the code the caller typed.
var outsideMarkers = []string{"西塘街", "高塘岭", "望城", "wc-village", "wc-county", "wc-grid", "邓婷", "黄敏", "许亮", "邓某"}

// sessionRoutes change the session itself; they are tested in auth tests
// and skipped here because they would log the walker out.
var sessionRoutes = map[string]bool{
	"POST /api/v1/auth/token": true, "DELETE /api/v1/auth/token": true, "POST /login": true, "POST /logout": true,
}

// apiBodies are request bodies per API route; {place} and {user} are
// replaced by the object under test.
var apiBodies = map[string]string{
	"POST /api/v1/places":                  `{"name":"探针","level":"grid","parent_code":"{place}"}`,
	"PATCH /api/v1/places/{code}":          `{"name":"探针","version":1}`,
	"POST /api/v1/places/import":           "code,name,level,parent_code\n{place}-77,探针,group,{place}\n",
	"POST /api/v1/users":                   `{"username":"probe-user","role":"inspector","place_code":"{place}","password":"12345678"}`,
	"PATCH /api/v1/users/{userID}":         `{"display_name":"探针","version":1}`,
	"POST /api/v1/users/{userID}/password": `{"password":"12345678"}`,
	"POST /api/v1/me/password":             `{"current_password":"wrong","new_password":"12345678x"}`,

	"POST /api/v1/households":                            `{"place_code":"{place}","address":"探针","head":{"name":"探针"}}`,
	"PATCH /api/v1/households/{householdID}":             `{"address":"探针","version":1}`,
	"POST /api/v1/households/{householdID}/members":      `{"name":"探针","relation":"son"}`,
	"POST /api/v1/households/{householdID}/head":         `{"person_id":{person}}`,
	"POST /api/v1/households/{householdID}/move-in":      `{"persons":[{person}]}`,
	"POST /api/v1/households/{householdID}/split":        `{"members":[{person}],"head":{person},"household":{"place_code":"{place}"}}`,
	"POST /api/v1/households/{householdID}/merge":        `{"from":{insideHousehold}}`,
	"POST /api/v1/households/{householdID}/categories":   `{"category":"dibao","start":"2025-01-01"}`,
	"POST /api/v1/households/{householdID}/reveal":       `{"field":"phone"}`,
	"PATCH /api/v1/persons/{personID}":                   `{"name":"探针","version":1}`,
	"POST /api/v1/persons/{personID}/status":             `{"status":"deceased","date":"2025-01-01","version":1}`,
	"POST /api/v1/persons/{personID}/categories":         `{"category":"orphan","start":"2025-01-01"}`,
	"POST /api/v1/persons/{personID}/reveal":             `{"field":"id_number"}`,
	"POST /api/v1/categories/{assignmentID}/end":         `{"reason":"exited"}`,
	"POST /api/v1/duplicates":                            `{"keep":{person},"other":{person},"decision":"different"}`,
	"POST /api/v1/imports":                               "姓名,与户主关系,所属村组\n探针,户主,{ledgerPlace}\n",
	"POST /api/v1/imports/{importID}/preview":            `{"default_place":"{place}"}`,
	"POST /api/v1/imports/{importID}/commit":             `{}`,
	"POST /api/v1/clues":                                 `{"client_id":"w{place}","household_id":{household},"kinds":["fall"]}`,
	"POST /api/v1/clues/{clueID}/acknowledge":            `{"version":1}`,
	"POST /api/v1/clues/{clueID}/verify":                 `{"decision":"no_action","version":2}`,
	"POST /api/v1/cases":                                 `{"household_id":{household},"risks":["illness"]}`,
	"POST /api/v1/cases/{caseID}/emergency":              `{"description":"探针"}`,
	"POST /api/v1/cases/{caseID}/applications":           `{"measure":"temporary","amount":"100"}`,
	"POST /api/v1/cases/{caseID}/followups":              `{"due":"2099-01-01"}`,
	"POST /api/v1/cases/{caseID}/close":                  `{"outcome":"other","version":1}`,
	"POST /api/v1/cases/{caseID}/reopen":                 `{"reason":"探针","version":1}`,
	"POST /api/v1/applications/{applicationID}/decision": `{"approve":false,"reason":"探针","version":1}`,
	"POST /api/v1/followups/{followupID}/done":           `{"note":"探针"}`,
	"POST /api/v1/inbox/read":                            `{"id":{notification}}`,
	"PUT /api/v1/settings/time-limits":                   `{"urgent":{"acknowledge":"2h","verify":"24h","help":"24h"},"normal":{"acknowledge":"24h","verify":"72h","help":"72h"},"followup_days":7}`,
	"POST /api/v1/screening/lines/{lineID}/dismiss":      `{"reason":"declined","version":1}`,
	"POST /api/v1/screening/lines/{lineID}/apply":        `{}`,
	"POST /api/v1/screening/lines/{lineID}/followup":     `{"note":"探针","version":1}`,
	"POST /api/v1/outreach/{taskID}":                     `{"told":true,"wants_apply":false,"version":1}`,
	"POST /api/v1/rules":                                 `{"name":"探针","measure":"temporary","kind":"eligibility","place":"{place}","source":"h.size > 1"}`,
	"PATCH /api/v1/rules/{ruleID}":                       `{"name":"探针","measure":"temporary","kind":"eligibility","place":"{place}","source":"h.size > 1","version":1}`,
	"POST /api/v1/rules/{ruleID}/preview":                `{}`,
	"POST /api/v1/rules/{ruleID}/retire":                 `{"version":1}`,
	"POST /api/v1/rules/{ruleID}/publish":                `{"version":1}`,
	"POST /api/v1/rules/params":                          `{"county":"{place}","year":2026,"name":"dibao_line","value":6000}`,
	"POST /api/v1/rules/check":                           `{"source":"h.income_per_capita < params.dibao_line"}`,
	"PUT /api/v1/measures/{measureCode}":                 `{"zh":"临时救助","en":"temporary assistance","kind":"cash","unit":"once","approval_level":"town","county_above":"5000","decision_days":5,"active":true,"position":3}`,
}

// listQueries make list routes return something worth checking.
var listQueries = map[string]string{
	"GET /api/v1/places": "?q=社区", "GET /places": "?q=社区",
	"POST /api/v1/imports": "?filename=walk.csv",
}

// webForm is posted to every web form route.
var webForm = url.Values{"client_id": {"walk"}, "name": {"探针"}, "level": {"grid"}, "version": {"1"}, "parent_code": {"{place}"},
	"place_code": {"{place}"}, "role": {"inspector"}, "username": {"probe-user"}, "password": {"12345678"}, "display_name": {"探针"},
	"reason": {"exited"}, "field": {"id_number"}}

// webForms override fields of webForm for the routes it would stop
// before their scope check (a dismissal reason must be one of the list).
var webForms = map[string]url.Values{
	"POST /screening/{lineID}/dismiss": {"reason": {"declined"}},
}

type target int

const (
	inside target = iota
	outside
	missing
)

var paramRe = regexp.MustCompile(`\{([A-Za-z]+)(\.\.\.)?\}`)

func TestScopeWalk(t *testing.T) {
	e := newEnv(t)
	outsideUser := fmt.Sprint(e.userID("wc-village"))
	inLine, outLine, inTask, outTask, inRule, outRule := screeningLines(t, e)
	extra := walkExtras(t, e)
	walkers := []string{"fy-admin", "county", "town", "village", "grid", "dept", "social", "volunteer", "inspector"}
	roles := map[safetynet.Role]bool{}
	for _, name := range walkers {
		u, err := e.store.UserByUsername(ctx, access.System(), name)
		if err != nil {
			t.Fatal(err)
		}
		roles[u.Role] = true
	}
	if len(roles) != len(safetynet.Roles) {
		t.Fatalf("the walk covers %d roles, there are %d", len(roles), len(safetynet.Roles))
	}
	routes := e.srv.Routes()
	if len(routes) < 20 {
		t.Fatalf("only %d routes discovered", len(routes))
	}
	outsideNote := firstNotification(t, e, "wc-village")
	if outsideNote == "" {
		t.Fatal("wc-village has no notification to walk /inbox/read with")
	}
	var baseFill func(target) map[string]string
	for _, name := range walkers {
		me, _ := e.store.UserByUsername(ctx, access.System(), name)
		token := e.token(name)
		br := e.browser()
		br.login(name)
		myNote := firstNotification(t, e, name)
		if myNote == "" {
			myNote = missingUser
		}
		// fill gives the value of each path parameter and body placeholder.
		fill := func(tg target) map[string]string {
			m := baseFill(tg)
			for k, v := range extra[tg] {
				m[k] = v
			}
			return m
		}
		baseFill = func(tg target) map[string]string {
			switch tg {
			case inside:
				return map[string]string{"code": me.PlaceCode, "place": me.PlaceCode, "userID": fmt.Sprint(me.ID), "user": fmt.Sprint(me.ID),
					"householdID": itoa(e.in.household), "household": itoa(e.in.household), "personID": itoa(e.in.person),
					"person": itoa(e.in.person), "assignmentID": itoa(e.in.assignment), "importID": itoa(e.in.imp),
					"clueID": itoa(e.in.clue), "caseID": itoa(e.in.caseID), "applicationID": itoa(e.in.application),
					"followupID": itoa(e.in.followup), "measureCode": "temporary", "notification": myNote,
					"ledgerPlace": demo.Yaozhan + "-01-01", "lineID": inLine, "taskID": inTask, "ruleID": inRule}
			case outside:
				return map[string]string{"code": outsidePlace, "place": outsidePlace, "userID": outsideUser, "user": outsideUser,
					"householdID": itoa(e.out.household), "household": itoa(e.out.household), "personID": itoa(e.out.person),
					"person": itoa(e.out.person), "assignmentID": itoa(e.out.assignment), "importID": itoa(e.out.imp),
					"clueID": itoa(e.out.clue), "caseID": itoa(e.out.caseID), "applicationID": itoa(e.out.application),
					"followupID": itoa(e.out.followup), "measureCode": "temporary", "notification": outsideNote,
					"ledgerPlace": outsidePlace, "lineID": outLine, "taskID": outTask, "ruleID": outRule}
			}
			return map[string]string{"code": missingPlace, "place": missingPlace, "userID": missingUser, "user": missingUser,
				"householdID": missingUser, "household": missingUser, "personID": missingUser, "person": missingUser,
				"assignmentID": missingUser, "importID": missingUser, "clueID": missingUser, "caseID": missingUser,
				"applicationID": missingUser, "followupID": missingUser, "measureCode": "temporary", "notification": missingUser,
				"ledgerPlace": missingPlace, "lineID": missingUser, "taskID": missingUser, "ruleID": missingUser}
		}
		for _, rt := range routes {
			key := rt.Method + " " + rt.Pattern
			if sessionRoutes[key] || rt.Public {
				continue
			}
			sent := 0 // requests sent by the current subtest
			send := func(tg target) response {
				sent++
				values := fill(tg)
				path := paramRe.ReplaceAllStringFunc(rt.Pattern, func(m string) string {
					v, ok := values[paramRe.FindStringSubmatch(m)[1]]
					if !ok {
						t.Fatalf("route %s: the scope walk does not know how to fill %s: add it", key, m)
					}
					return v
				}) + listQueries[key]
				pairs := []string{"{insideHousehold}", itoa(e.in.household)}
				for k, v := range values {
					pairs = append(pairs, "{"+k+"}", v)
				}
				sub := strings.NewReplacer(pairs...)
				if rt.API {
					body := sub.Replace(apiBodies[key])
					if rt.Method != "GET" && body == "" {
						t.Fatalf("route %s has no body in apiBodies: add one", key)
					}
					hdr := []string{}
					if strings.HasSuffix(rt.Pattern, "/import") || strings.HasSuffix(rt.Pattern, "/imports") {
						hdr = []string{"Content-Type", "text/csv"}
					}
					return e.do(rt.Method, path, token, body, hdr...)
				}
				if rt.Method == "GET" {
					return br.get(path)
				}
				form := url.Values{}
				for k, v := range webForm {
					form.Set(k, sub.Replace(v[0]))
				}
				for k, v := range webForms[key] {
					form.Set(k, v[0])
				}
				return br.post(path, form)
			}
			t.Run(name+" "+key, func(t *testing.T) {
				sent = 0
				defer func() {
					if sent == 0 && !t.Failed() {
						t.Error("the subtest sent no request: make it exercise its route")
					}
				}()
				hasParam := scopedParam(rt.Pattern)
				mutating := rt.Method != "GET"
				if !mutating {
					in := send(inside)
					if in.status >= 500 || (hasParam && in.status == http.StatusNotFound) {
						t.Errorf("inside object: status %d: %.300s", in.status, in.body)
					}
					assertNoMarkers(t, "inside", in)
				}
				bodyNamesPlace := mutating && (!rt.API || scopedPlaceholder(apiBodies[key]))
				if check, ok := unscopedWrites[key]; ok {
					check(t, walk{e: e, role: me.Role, send: send, outsideNote: outsideNote})
					return
				}
				if !hasParam && !bodyNamesPlace {
					if mutating {
						t.Fatalf("route %s changes something but names no record at a place: add it to unscopedWrites", key)
					}
					return
				}
				out, miss := send(outside), send(missing)
				assertNoMarkers(t, "outside", out)
				norm := newWalkNorm(append([]string{outsidePlace, "X", missingPlace, "X", outsideUser, "Y", missingUser, "Y",
					itoa(e.out.household), "Y", itoa(e.out.person), "Y", itoa(e.out.assignment), "Y", itoa(e.out.imp), "Y",
					itoa(e.out.clue), "Y", itoa(e.out.caseID), "Y", itoa(e.out.application), "Y", itoa(e.out.followup), "Y",
					outLine, "Y", outTask, "Y", outRule, "Y"}, extraNorm(extra)...))
				if out.status != miss.status || norm.Replace(out.body) != norm.Replace(miss.body) {
					t.Errorf("outside object answers differently from a missing one:\noutside %d %.400s\nmissing %d %.400s",
						out.status, out.body, miss.status, miss.body)
				}
				// The generic web form may be ignored by a route that takes no
				// place; a route naming an object must refuse the outside one.
				if (hasParam || rt.API) && (out.status < 400 || out.status >= 500) {
					t.Errorf("outside object: status %d, want a 4xx", out.status)
				}
				// A route naming a record in its path, API or web form, must
				// get as far as the scope check: not found (404), or forbidden
				// for the role (403).
				if hasParam && out.status != http.StatusNotFound && out.status != http.StatusForbidden {
					t.Errorf("outside object: status %d, want 404 or 403 (the request stops before the scope check): %.300s", out.status, out.body)
				}
			})
		}
	}
	// Nothing outside was changed by all of that.
	p, err := e.store.Place(ctx, access.System(), outsidePlace)
	if err != nil || p.Version != 1 || p.Children != 1 {
		t.Errorf("outside place changed: %+v %v", p, err)
	}
	u, _ := e.store.UserByUsername(ctx, access.System(), "wc-village")
	if u.Version != 1 || u.DisplayName != "西塘街社区民政专干 邓婷" {
		t.Errorf("outside user changed: %+v", u)
	}
	if _, err := e.store.UserByUsername(ctx, access.System(), "probe-user"); err == nil {
		t.Error("a user was created outside the creator's scope")
	}
	// And the demo password still works for the outside user.
	e.token("wc-village")
	_ = demo.Password
}

func assertNoMarkers(t *testing.T, what string, r response) {
	t.Helper()
	for _, m := range outsideMarkers {
		if strings.Contains(r.body, m) {
			t.Errorf("%s answer (%d) reveals %q: %.500s", what, r.status, m, r.body)
		}
	}
}

func itoa(n int64) string { return fmt.Sprint(n) }

// unscopedParams name path parameters of records that have no place.
var unscopedParams = map[string]bool{"measureCode": true}

// scopedParam reports whether a route has a parameter naming a record
// that lives at a place.
func scopedParam(pattern string) bool {
	for _, m := range paramRe.FindAllStringSubmatch(pattern, -1) {
		if !unscopedParams[m[1]] {
			return true
		}
	}
	return false
}

// scopedPlaceholder reports whether a body names a record that lives at a place.
func scopedPlaceholder(body string) bool {
	for _, p := range []string{"{place}", "{household}", "{person}", "{user}"} {
		if strings.Contains(body, p) {
			return true
		}
	}
	return false
}

// walkSetups make the records of capabilities whose routes name them by a
// path parameter of their own; each returns the parameter's value per
// target (inside, outside; missing defaults to missingUser).
var walkSetups []func(t *testing.T, e *env) map[target]map[string]string

func walkExtras(t *testing.T, e *env) map[target]map[string]string {
	out := map[target]map[string]string{inside: {}, outside: {}, missing: {}}
	for _, setup := range walkSetups {
		for tg, m := range setup(t, e) {
			for k, v := range m {
				out[tg][k] = v
				if _, ok := out[missing][k]; !ok {
					out[missing][k] = missingUser
				}
			}
		}
	}
	return out
}

// walkNorm maps the outside and missing values of a walk to placeholders
// so that the answers for an outside and a missing object compare. Values
// made only of digits are replaced only as whole numbers: a short outside
// ID must not change a longer number (a missing ID, a count, a time) that
// contains it.
type walkNorm struct {
	numbers map[string]string
	others  *strings.Replacer
}

var digitRun = regexp.MustCompile(`[0-9]+`)

func newWalkNorm(pairs []string) walkNorm {
	n := walkNorm{numbers: map[string]string{}}
	var others []string
	for i := 0; i+1 < len(pairs); i += 2 {
		old, repl := pairs[i], pairs[i+1]
		if old == "" {
			continue
		}
		if digitRun.FindString(old) == old {
			n.numbers[old] = repl
		} else {
			others = append(others, old, repl)
		}
	}
	n.others = strings.NewReplacer(others...)
	return n
}

func (n walkNorm) Replace(s string) string {
	s = n.others.Replace(s)
	return digitRun.ReplaceAllStringFunc(s, func(d string) string {
		if r, ok := n.numbers[d]; ok {
			return r
		}
		return d
	})
}

// extraNorm maps the outside values of walkSetups to "Y" like the others.
func extraNorm(extra map[target]map[string]string) []string {
	var out []string
	for _, v := range extra[outside] {
		out = append(out, v, "Y")
	}
	return out
}
