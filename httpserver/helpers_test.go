package httpserver_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"safetynet"
	"safetynet/access"
	"safetynet/demo"
	"safetynet/httpserver"
	"safetynet/idcard"
	"safetynet/sqlstore"
	"safetynet/sqlstore/storetest"
)

var ctx = context.Background()

// env is a running server with the demo data.
type env struct {
	t     *testing.T
	srv   *httpserver.Server
	ts    *httptest.Server
	store *sqlstore.Store
	in    fixture // register records in 腰站社区棠梨湾第一网格
	out   fixture // register records in 望城区西塘街社区, outside every 富源县 user
}

// fixture is a household with its head, a category and an import, and a
// clue with its case, an application and a follow-up.
type fixture struct {
	household, person, assignment, imp  int64
	clue, caseID, application, followup int64
	idNumber                            string
}

// newEnv boots the real server on a fresh SQLite store with demo data and
// one extra administrator scoped to 富源县 (fy-admin).
func newEnv(t *testing.T) *env {
	t.Helper()
	return newEnvWith(t, storetest.SQLite(t, nil))
}

func newEnvWith(t *testing.T, store *sqlstore.Store) *env {
	t.Helper()
	if _, err := demo.Load(ctx, store, demo.Options{}); err != nil {
		t.Fatal(err)
	}
	if _, err := store.CreateUser(ctx, access.System(), safetynet.NewUser{Username: "fy-admin", DisplayName: "富源县管理员",
		Role: safetynet.RoleAdmin, PlaceCode: "530325", Password: demo.Password}); err != nil {
		t.Fatal(err)
	}
	srv, err := httpserver.New(httpserver.Config{Store: store, Logger: testLogger(), Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(checkAPI(t, srv))
	t.Cleanup(ts.Close)
	e := &env{t: t, srv: srv, ts: ts, store: store}
	e.in = e.makeFixture("village", demo.Yaozhan+"-01-01", "棠梨湾", "赵金花", "530325")
	e.out = e.makeFixture("wc-village", "430112001001-01-01", "西塘街", "西塘街邓某", "430112")
	return e
}

var fixtureRand = rand.New(rand.NewPCG(7, 7))

func (e *env) makeFixture(username, place, address, name, region string) fixture {
	e.t.Helper()
	u, err := e.store.UserByUsername(ctx, access.System(), username)
	if err != nil {
		e.t.Fatal(err)
	}
	a := access.Actor{UserID: u.ID, Username: u.Username, Role: u.Role, Place: u.PlaceCode}
	f := fixture{idNumber: idcard.Generate(fixtureRand, region, time.Date(1944, 4, 4, 0, 0, 0, 0, time.UTC), idcard.Female)}
	if f.household, err = e.store.CreateHousehold(ctx, a, safetynet.HouseholdInput{PlaceCode: place, Address: address + "8号", Phone: "13800138000"},
		safetynet.PersonInput{Name: name, IDNumber: f.idNumber}); err != nil {
		e.t.Fatal(err)
	}
	if f.assignment, err = e.store.AssignCategory(ctx, a, safetynet.SubjectHousehold, f.household, safetynet.NewAssignment{
		Category: "monitor_sudden", RiskType: "accident", Start: time.Now().AddDate(0, -1, 0)}); err != nil {
		e.t.Fatal(err)
	}
	hits, err := e.store.Search(ctx, a, name, 1)
	if err != nil || len(hits) != 1 {
		e.t.Fatalf("fixture person: %v %v", hits, err)
	}
	f.person = hits[0].Person.ID
	im, err := e.store.CreateImport(ctx, a, "ledger", address+".csv", []byte("姓名,与户主关系\n"+name+",户主\n"))
	if err != nil {
		e.t.Fatal(err)
	}
	f.imp = im.ID
	c, _, err := e.store.ReportClue(ctx, a, safetynet.NewClue{ClientID: "fixture-" + username, HouseholdID: f.household,
		Kinds: []string{"fall"}, Urgency: "urgent", Photo: tinyPNG})
	if err != nil {
		e.t.Fatal(err)
	}
	f.clue = c.ID
	if f.caseID, err = e.store.VerifyClue(ctx, a, c.ID, sqlstore.Verification{Decision: "open_case", Risks: []string{"accident"}}, 0); err != nil {
		e.t.Fatal(err)
	}
	if f.application, err = e.store.ApplyMeasure(ctx, a, f.caseID, sqlstore.Application{Measure: "temporary", AmountFen: 100000}); err != nil {
		e.t.Fatal(err)
	}
	if f.followup, err = e.store.ScheduleFollowup(ctx, a, f.caseID, time.Now().AddDate(0, 0, 3)); err != nil {
		e.t.Fatal(err)
	}
	return f
}

// tinyPNG is a 1×1 PNG.
var tinyPNG = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")

// response is what a test request got back.
type response struct {
	status int
	header http.Header
	body   string
}

// json decodes the body into v.
func (r response) json(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(r.body), v); err != nil {
		t.Fatalf("decode %q: %v", r.body, err)
	}
}

// errCode returns the API error code of the body, if any.
func (r response) errCode() string {
	var b struct {
		Error struct{ Code, Message, Field string }
	}
	_ = json.Unmarshal([]byte(r.body), &b)
	return b.Error.Code
}

// do sends a request with an optional bearer token and JSON body.
func (e *env) do(method, path, token, body string, headers ...string) response {
	e.t.Helper()
	req, err := http.NewRequest(method, e.ts.URL+path, strings.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return e.send(http.DefaultClient, req)
}

func (e *env) send(c *http.Client, req *http.Request) response {
	e.t.Helper()
	resp, err := c.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return response{status: resp.StatusCode, header: resp.Header, body: string(b)}
}

// token logs in through the API and returns a bearer token.
func (e *env) token(username string) string {
	e.t.Helper()
	r := e.do("POST", "/api/v1/auth/token", "", `{"username":"`+username+`","password":"`+demo.Password+`"}`)
	if r.status != http.StatusCreated {
		e.t.Fatalf("login %s: %d %s", username, r.status, r.body)
	}
	var tok struct{ Token string }
	r.json(e.t, &tok)
	return tok.Token
}

// browser is a cookie-keeping client that does not follow redirects.
type browser struct {
	e *env
	c *http.Client
}

func (e *env) browser() *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{e: e, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (b *browser) get(path string) response {
	b.e.t.Helper()
	req, _ := http.NewRequest("GET", b.e.ts.URL+path, nil)
	return b.e.send(b.c, req)
}

func (b *browser) post(path string, form url.Values) response {
	b.e.t.Helper()
	req, _ := http.NewRequest("POST", b.e.ts.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.e.send(b.c, req)
}

// login logs the browser in and fails the test if it does not work.
func (b *browser) login(username string) {
	b.e.t.Helper()
	r := b.post("/login", url.Values{"username": {username}, "password": {demo.Password}, "next": {"/"}})
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/" {
		b.e.t.Fatalf("web login %s: %d %s", username, r.status, r.header.Get("Location"))
	}
}

// userID returns the ID of a demo user.
func (e *env) userID(username string) int64 {
	e.t.Helper()
	u, err := e.store.UserByUsername(ctx, access.System(), username)
	if err != nil {
		e.t.Fatal(err)
	}
	return u.ID
}

func fmtInt(n int64) string { return strconv.FormatInt(n, 10) }

// testLogger discards the server's log unless SAFETYNET_TEST_LOG is set.
func testLogger() *slog.Logger {
	if os.Getenv("SAFETYNET_TEST_LOG") != "" {
		return slog.New(slog.NewTextHandler(os.Stderr, nil))
	}
	return slog.New(slog.NewTextHandler(io.Discard, nil))
}
