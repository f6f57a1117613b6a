package httpserver_test

import (
	"bytes"
	"errors"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"safetynet"
	"safetynet/demo"
	"safetynet/sqlstore"
	"safetynet/sqlstore/storetest"
)

func TestWebLoginAndLanguage(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	r := b.get("/places")
	if r.status != 303 || r.header.Get("Location") != "/login?next=%2Fplaces" {
		t.Fatalf("anonymous /places = %d %s", r.status, r.header.Get("Location"))
	}
	r = b.get("/login")
	if !strings.Contains(r.body, "登录") || !strings.Contains(r.body, `lang="zh-CN"`) {
		t.Fatalf("login page is not Chinese: %.300s", r.body)
	}
	r = b.post("/login", url.Values{"username": {"village"}, "password": {"wrong"}})
	if r.status != 401 || !strings.Contains(r.body, "用户名或密码错误") || !strings.Contains(r.body, `value="village"`) {
		t.Fatalf("wrong password = %d %.500s", r.status, r.body)
	}
	// A next URL pointing elsewhere is ignored.
	r = b.post("/login", url.Values{"username": {"village"}, "password": {demo.Password}, "next": {"//evil.example/x"}})
	if r.status != 303 || r.header.Get("Location") != "/" {
		t.Fatalf("login with foreign next = %d %s", r.status, r.header.Get("Location"))
	}
	var cookie *http.Cookie
	for _, c := range b.c.Jar.Cookies(mustURL(e.ts.URL)) {
		if c.Name == "sn_session" {
			cookie = c
		}
	}
	if cookie == nil {
		t.Fatal("no session cookie")
	}
	r = b.get("/lang/en?next=/places/" + demo.Yaozhan)
	if r.status != 303 || r.header.Get("Location") != "/places/"+demo.Yaozhan {
		t.Fatalf("lang switch = %d %s", r.status, r.header.Get("Location"))
	}
	r = b.get("/places/" + demo.Yaozhan)
	if r.status != 200 || !strings.Contains(r.body, "Places below") && !strings.Contains(r.body, "Below") || !strings.Contains(r.body, "棠梨湾居民小组") {
		t.Fatalf("English place page = %d %.800s", r.status, r.body)
	}
	if r.header.Get("Cache-Control") != "no-store" {
		t.Errorf("authenticated page Cache-Control = %q", r.header.Get("Cache-Control"))
	}
	// Outside the scope: the same 404 page as a missing place.
	if r := b.get("/places/530325001"); r.status != 404 {
		t.Fatalf("outside place = %d", r.status)
	}
	r = b.post("/logout", nil)
	if r.status != 303 {
		t.Fatalf("logout = %d", r.status)
	}
	if r := b.get("/"); r.status != 303 {
		t.Fatalf("after logout / = %d", r.status)
	}
}

func TestWebPlaceAdmin(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	b.login("fy-admin")
	group := demo.Yaozhan + "-01"
	r := b.post("/places/"+group+"/children", url.Values{"name": {"棠梨湾第三网格"}, "level": {"grid"}})
	if r.status != 303 || r.header.Get("Location") != "/places/"+group {
		t.Fatalf("add grid = %d %.300s", r.status, r.body)
	}
	r = b.get("/places/" + group)
	if !strings.Contains(r.body, "棠梨湾第三网格") || !strings.Contains(r.body, "已添加下级地区") {
		t.Fatalf("group page after add: %.2000s", r.body)
	}
	// An empty name re-shows the form with the error.
	r = b.post("/places/"+group+"/children", url.Values{"name": {" "}, "level": {"grid"}})
	if r.status != 400 || !strings.Contains(r.body, "名称不能为空") {
		t.Fatalf("empty name = %d", r.status)
	}
	// Rename with a stale version names who changed it.
	grid := group + "-03"
	if r := b.post("/places/"+grid, url.Values{"name": {"三网格"}, "version": {"1"}}); r.status != 303 {
		t.Fatalf("rename = %d %.300s", r.status, r.body)
	}
	r = b.post("/places/"+grid, url.Values{"name": {"又改"}, "version": {"1"}})
	if r.status != 409 || !strings.Contains(r.body, "富源县管理员") {
		t.Fatalf("stale rename = %d", r.status)
	}
	// Move the grid to 南村居民小组.
	if r := b.post("/places/"+grid, url.Values{"parent_code": {demo.Yaozhan + "-03"}, "version": {"2"}}); r.status != 303 {
		t.Fatalf("move = %d %.500s", r.status, r.body)
	}
	r = b.get("/places/" + grid)
	if !strings.Contains(r.body, "南村居民小组") {
		t.Fatalf("breadcrumbs after move: %.1000s", r.body)
	}
	// Village staff see no admin forms and cannot post them.
	v := e.browser()
	v.login("village")
	if r := v.get("/places/" + group); strings.Contains(r.body, `id="add-place"`) {
		t.Error("village staff sees the add form")
	}
	if r := v.post("/places/"+group+"/children", url.Values{"name": {"x"}, "level": {"grid"}}); r.status != 403 {
		t.Errorf("village staff adds a place: %d", r.status)
	}
}

func TestWebImport(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	b.login("admin")
	upload := func(csv, action string) response {
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		fw, _ := mw.CreateFormFile("file", "divisions.csv")
		fw.Write([]byte(csv))
		mw.WriteField("action", action)
		mw.Close()
		req, _ := http.NewRequest("POST", e.ts.URL+"/places/import", &buf)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		return e.send(b.c, req)
	}
	good := "code,name,level,parent_code\n530325002010-01,洗洋塘一组,group,530325002010\n"
	r := upload(good, "check")
	if r.status != 200 || !strings.Contains(r.body, "检查结果") {
		t.Fatalf("check = %d %.500s", r.status, r.body)
	}
	bad := good + "530325002010-02,二组,group,530325\n"
	r = upload(bad, "import")
	if r.status != 400 || !strings.Contains(r.body, `id="import-errors"`) || !strings.Contains(r.body, `">3</td>`) {
		t.Fatalf("bad import = %d %.3000s", r.status, r.body)
	}
	// The Chinese page names columns and levels in Chinese.
	if m := regexp.MustCompile(`\b(code|name|level|parent_code|province|prefecture|county|town|village|group|grid)\b`).FindString(visibleText(r.body)); m != "" {
		t.Errorf("Chinese import page shows %q", m)
	}
	if r := upload("代码,名称,级别,上级代码\n530325002010-03,洗洋塘三组,组,530325002010\n", "check"); r.status != 200 || !strings.Contains(r.body, "检查结果") {
		t.Errorf("a file with Chinese headings: %d", r.status)
	}
	r = upload(good, "import")
	if r.status != 200 || !strings.Contains(r.body, "导入完成") {
		t.Fatalf("import = %d", r.status)
	}
	if r := b.get("/places/530325002010-01"); r.status != 200 {
		t.Fatalf("imported group = %d", r.status)
	}
}

func TestWebUsersAndForcedChange(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	b.login("fy-admin")
	r := b.post("/users/new", url.Values{"username": {"gw9"}, "display_name": {"网格员九"}, "role": {"grid_worker"},
		"place_code": {demo.Yaozhan + "-03-01"}, "password": {"initial-99"}})
	if r.status != 303 || !strings.HasPrefix(r.header.Get("Location"), "/users/") {
		t.Fatalf("create user = %d %.500s", r.status, r.body)
	}
	r = b.post("/users/new", url.Values{"username": {"gw10"}, "role": {"village_staff"}, "place_code": {"530325"}, "password": {"initial-99"}})
	if r.status != 400 || !strings.Contains(r.body, "村(社区)") {
		t.Fatalf("wrong level = %d", r.status)
	}
	n := e.browser()
	r = n.post("/login", url.Values{"username": {"gw9"}, "password": {"initial-99"}})
	if r.status != 303 || r.header.Get("Location") != "/account/password" {
		t.Fatalf("first login = %d %s", r.status, r.header.Get("Location"))
	}
	if r := n.get("/places"); r.status != 303 || r.header.Get("Location") != "/account/password" {
		t.Fatalf("before change = %d %s", r.status, r.header.Get("Location"))
	}
	r = n.post("/account/password", url.Values{"current_password": {"initial-99"}, "new_password": {"mine-12345"}, "confirm_password": {"mine-1234"}})
	if r.status != 400 || !strings.Contains(r.body, "不一致") {
		t.Fatalf("mismatch = %d", r.status)
	}
	r = n.post("/account/password", url.Values{"current_password": {"initial-99"}, "new_password": {"mine-12345"}, "confirm_password": {"mine-12345"}})
	if r.status != 303 {
		t.Fatalf("change = %d %.300s", r.status, r.body)
	}
	if r := n.get("/places/" + demo.Yaozhan + "-03-01"); r.status != 200 {
		t.Fatalf("after change = %d", r.status)
	}
	// The admin sees the whole story in the audit log.
	r = b.get("/audit?action=user.")
	for _, a := range []string{"user.create", "user.password_change"} {
		if !strings.Contains(r.body, a) {
			t.Errorf("audit page lacks %s", a)
		}
	}
}

func mustURL(s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		panic(err)
	}
	return u
}

// TestGridWorkerRecordsFollowup: the follow-up visit waits for the grid
// worker of the household's grid, so that worker records it, through the
// API and on the case page; a grid worker of another grid cannot see it.
func TestGridWorkerRecordsFollowup(t *testing.T) {
	storetest.Each(t, func(t *testing.T, store *sqlstore.Store) { testGridWorkerRecordsFollowup(t, newEnvWith(t, store)) })
}

func testGridWorkerRecordsFollowup(t *testing.T, e *env) {
	path := fmt.Sprintf("/api/v1/followups/%d/done", e.in.followup)
	if r := e.do("POST", path, e.token("grid2"), `{"note":"上门看过"}`); r.status != http.StatusNotFound {
		t.Errorf("grid worker of another grid: %d %s", r.status, r.body)
	}
	if r := e.do("POST", path, e.token("grid"), `{"note":"上门看过，老人恢复良好"}`); r.status >= 300 {
		t.Fatalf("grid worker of the household's grid: %d %s", r.status, r.body)
	}
	b := e.browser()
	b.login("grid")
	page := b.get(fmt.Sprintf("/cases/%d", e.in.caseID))
	if page.status != http.StatusOK || !strings.Contains(page.body, "上门看过，老人恢复良好") || !strings.Contains(page.body, "网格员 赵刚") {
		t.Fatalf("case page after the visit: %d, visit or visitor's name missing", page.status)
	}
}

// TestEnglishErrorsHaveNoChinese: a too-long or broken text field is
// named in English in the English message ("address", not "地址").
func TestEnglishErrorsHaveNoChinese(t *testing.T) {
	long := strings.Repeat("长", 600)
	for _, in := range []safetynet.HouseholdInput{
		{PlaceCode: "530325002009-01-01", Address: long},
		{PlaceCode: "530325002009-01-01", Notes: strings.Repeat(long, 10)},
		{PlaceCode: "530325002009-01-01", Number: long},
		{PlaceCode: "530325002009-01-01", Address: "坏\x00字符"},
	} {
		_, err := safetynet.CheckHouseholdInput(in, time.Now())
		var e *safetynet.Error
		if !errors.As(err, &e) {
			t.Fatalf("%+v: no error (%v)", in, err)
		}
		if msg := e.Message("en"); regexp.MustCompile(`\p{Han}`).MatchString(msg) {
			t.Errorf("English message %q holds Chinese", msg)
		}
		if msg := e.Message("zh"); !regexp.MustCompile(`\p{Han}`).MatchString(msg) {
			t.Errorf("Chinese message %q", msg)
		}
	}
}

// visibleText is what a page shows: tags, scripts and styles removed.
func visibleText(html string) string {
	html = regexp.MustCompile(`(?s)<(script|style)[^>]*>.*?</(script|style)>`).ReplaceAllString(html, " ")
	return regexp.MustCompile(`(?s)<[^>]*>`).ReplaceAllString(html, " ")
}

// TestWebShowsNamesNotCodes: pages name people by their display names and
// measures by their names; the audit log reads as words, amounts in yuan,
// not as codes and JSON.
func TestWebShowsNamesNotCodes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, store *sqlstore.Store) { testWebShowsNamesNotCodes(t, newEnvWith(t, store)) })
}

func testWebShowsNamesNotCodes(t *testing.T, e *env) {
	codes := regexp.MustCompile(`\b(village|grid|grid2|county|system|temporary|dibao|person\.view|auth\.login|household\.view)\b|\{&#34;|"[a-z_]+":`)
	b := e.browser()
	b.login("county")
	for _, path := range []string{fmt.Sprintf("/cases/%d", e.in.caseID), fmt.Sprintf("/clues/%d", e.in.clue), fmt.Sprintf("/households/%d", e.in.household),
		fmt.Sprintf("/persons/%d", e.in.person), "/audit", "/inbox", "/work"} {
		r := b.get(path)
		if r.status != http.StatusOK {
			t.Fatalf("%s: %d", path, r.status)
		}
		if m := codes.FindAllString(visibleText(r.body), 5); m != nil {
			i := codes.FindStringIndex(visibleText(r.body))
			t.Errorf("%s shows codes or login names: %q in %q", path, m, visibleText(r.body)[max(0, i[0]-200):i[1]])
		}
	}
	if text := visibleText(b.get(fmt.Sprintf("/cases/%d", e.in.caseID)).body); !strings.Contains(text, "腰站社区民政专干 王芳") {
		t.Errorf("case page does not name the village staff member")
	}
	audit := visibleText(b.get("/audit").body)
	for _, want := range []string{"登录", "查看个人档案"} {
		if !strings.Contains(audit, want) {
			t.Errorf("audit log lacks %q", want)
		}
	}
}

// TestLedgerMissingColumnsInEnglish: a ledger without the required columns
// is refused naming them in the client's language.
func TestLedgerMissingColumnsInEnglish(t *testing.T) {
	e := newEnv(t)
	r := e.upload(e.token("village"), "台账.csv", []byte("备注,电话\n独居,13900000000\n"))
	msg := regexp.MustCompile(`required columns are missing: [^"]*`).FindString(r.body)
	if msg == "" {
		t.Fatalf("upload without name columns = %d %s", r.status, r.body)
	}
	if regexp.MustCompile(`\p{Han}`).MatchString(msg) {
		t.Errorf("English message holds Chinese: %q", msg)
	}
}
