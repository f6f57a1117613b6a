package httpserver_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"safetynet/demo"
	"safetynet/idcard"
)

func TestAPIRegisterFlow(t *testing.T) {
	e := newEnv(t)
	tok := e.token("village")
	id1 := idcard.Generate(fixtureRand, "530325", time.Date(1951, 6, 1, 0, 0, 0, 0, time.UTC), idcard.Male)
	r := e.do("POST", "/api/v1/households", tok, `{"place_code":"`+demo.Yaozhan+`-02-01","address":"下大桥3号","phone":"13900000003",
		"income_per_capita":"4,800.50","housing":"C级危房","head":{"name":"钱守田","id_number":"`+id1+`","health":"慢性病"}}`)
	if r.status != 201 {
		t.Fatalf("create household = %d %s", r.status, r.body)
	}
	var hv struct {
		Household struct {
			ID              int64
			Phone           string
			IncomePerCapita string `json:"income_per_capita"`
			Housing         string
			Version         int
		}
		Members []struct {
			ID       int64
			IDNumber string `json:"id_number"`
			Health   string
			Sex      string
		}
	}
	r.json(t, &hv)
	if hv.Household.Phone != "139****0003" || hv.Household.IncomePerCapita != "4800.50" || hv.Household.Housing != "c_level" ||
		len(hv.Members) != 1 || hv.Members[0].IDNumber != idcard.Mask(id1) || hv.Members[0].Health != "chronic" || hv.Members[0].Sex != "M" {
		t.Fatalf("household = %s", r.body)
	}
	if strings.Contains(r.body, id1) {
		t.Fatal("the full ID number is in the answer")
	}
	hh := fmt.Sprint(hv.Household.ID)
	head := fmt.Sprint(hv.Members[0].ID)
	// An invalid ID number is refused with the reason.
	bad := id1[:17] + string("0123456789X"[(strings.IndexByte("0123456789X", id1[17])+1)%11])
	r = e.do("POST", "/api/v1/households/"+hh+"/members", tok, `{"name":"钱小","relation":"son","id_number":"`+bad+`"}`, "Accept-Language", "zh")
	if r.status != 400 || !strings.Contains(r.body, "校验位") || strings.Contains(r.body, bad) {
		t.Fatalf("bad ID = %d %s", r.status, r.body)
	}
	// Category, then risk eliminated.
	r = e.do("POST", "/api/v1/households/"+hh+"/categories", tok, `{"category":"monitor_sudden","risk_type":"accident","start":"2026-07-30","reason":"跌倒受伤"}`)
	var cat struct{ ID int64 }
	r.json(t, &cat)
	if r.status != 201 {
		t.Fatalf("category = %d %s", r.status, r.body)
	}
	if r := e.do("POST", fmt.Sprintf("/api/v1/categories/%d/end", cat.ID), tok, `{"reason":"risk_eliminated","end":"2026-10-01"}`); r.status != 204 {
		t.Fatalf("end category = %d %s", r.status, r.body)
	}
	// Reveal: allowed for village staff, audited; refused to the grid worker.
	r = e.do("POST", "/api/v1/persons/"+head+"/reveal", tok, `{"field":"id_number"}`)
	if r.status != 200 || !strings.Contains(r.body, id1) {
		t.Fatalf("reveal = %d %s", r.status, r.body)
	}
	if r := e.do("POST", "/api/v1/persons/"+head+"/reveal", e.token("grid2"), `{"field":"id_number"}`); r.status != 403 {
		t.Fatalf("grid worker reveal = %d", r.status)
	}
	// Search by name, by the full ID number and by phone.
	for _, q := range []string{"钱守田", id1, "13900000003"} {
		r := e.do("GET", "/api/v1/search?q="+url.QueryEscape(q), tok, "")
		if r.status != 200 || !strings.Contains(r.body, "钱守田") {
			t.Errorf("search %s = %d %s", idcard.Mask(q), r.status, r.body)
		}
	}
	// The person's file shows the category history and the timeline.
	r = e.do("GET", "/api/v1/households/"+hh, tok, "")
	if !strings.Contains(r.body, `"end_reason":"risk_eliminated"`) || !strings.Contains(r.body, `"kind":"category.end"`) {
		t.Fatalf("history = %s", r.body)
	}
	// Two people edit at once: the second is told who changed it.
	patch := `{"notes":"一","version":` + fmt.Sprint(hv.Household.Version) + `}`
	if r := e.do("PATCH", "/api/v1/households/"+hh, tok, patch); r.status != 200 {
		t.Fatalf("first edit = %d %s", r.status, r.body)
	}
	if r := e.do("PATCH", "/api/v1/households/"+hh, e.token("town"), patch); r.status != 409 || !strings.Contains(r.body, "王芳") {
		t.Fatalf("second edit = %d %s", r.status, r.body)
	}
}

// ledgerCSV is a small ledger as village staff keep them: a title row,
// then one row per person, the head first.
func ledgerCSV(ids []string) string {
	return "腰站社区防返贫监测对象台账\n" +
		"户编号,所属村组,户主姓名,姓名,与户主关系,身份证号,联系电话,家庭人口,监测对象类型,风险类型,人均纯收入\n" +
		"Y001,棠梨湾居民小组,王大富,王大富,户主," + ids[0] + ",13911110001,2,边缘易致贫户,因病、因残,\"5,300\"\n" +
		"Y001,棠梨湾居民小组,王大富,李小凤,妻," + ids[1] + ",,2,,,\n" +
		"Y002,下大桥居民小组,赵有才,赵有才,户主," + ids[2] + ",13911110002,1,脱贫户,,8600\n"
}

func (e *env) upload(tok, name string, data []byte) response {
	e.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(data)
	mw.Close()
	return e.do("POST", "/api/v1/imports", tok, buf.String(), "Content-Type", mw.FormDataContentType())
}

func TestAPIImportExportRoundTrip(t *testing.T) {
	e := newEnv(t)
	tok := e.token("village")
	ids := make([]string, 3)
	for i := range ids {
		ids[i] = idcard.Generate(fixtureRand, "530325", time.Date(1960+i, 3, 3, 0, 0, 0, 0, time.UTC), idcard.Sex("MFM"[i]))
	}
	r := e.upload(tok, "台账.csv", []byte(ledgerCSV(ids)))
	var im struct {
		ID     int64
		Status string
		Report struct {
			Households struct{ Created, Updated, Unchanged int }
			Persons    struct{ Created, Updated, Unchanged int }
			Errors     []struct {
				Row     int
				Message string
			}
		}
		Error *struct{ Message string }
	}
	r.json(t, &im)
	if r.status != 201 || im.Report.Households.Created != 2 || im.Report.Persons.Created != 3 || len(im.Report.Errors) != 0 {
		t.Fatalf("upload = %d %s", r.status, r.body)
	}
	if hits := e.do("GET", "/api/v1/search?q=王大富", tok, ""); strings.Contains(hits.body, "王大富") {
		t.Fatal("the check saved rows")
	}
	path := fmt.Sprintf("/api/v1/imports/%d", im.ID)
	if r := e.do("POST", path+"/commit", tok, ""); r.status != 200 || !strings.Contains(r.body, `"status":"committed"`) {
		t.Fatalf("commit = %d %s", r.status, r.body)
	}
	if r := e.do("POST", path+"/commit", tok, ""); r.status != 409 {
		t.Fatalf("second commit = %d %s", r.status, r.body)
	}
	r = e.do("GET", "/api/v1/search?q=李小凤", tok, "")
	if !strings.Contains(r.body, `"relation":"spouse"`) || !strings.Contains(r.body, "棠梨湾") {
		t.Fatalf("imported person = %s", r.body)
	}
	// Export the register and import the export: nothing changes.
	r = e.do("GET", "/api/v1/export.xlsx", tok, "")
	if r.status != 200 || !strings.HasPrefix(r.header.Get("Content-Type"), "application/vnd.openxml") {
		t.Fatalf("export = %d %.300s", r.status, r.body)
	}
	if strings.Contains(r.body, ids[0]) {
		t.Fatal("a masked export holds a full ID number")
	}
	full := e.do("GET", "/api/v1/export.xlsx?reveal=true", tok, "")
	f, err := excelize.OpenReader(strings.NewReader(full.body))
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := f.GetRows(f.GetSheetName(0))
	if !strings.Contains(fmt.Sprint(rows), ids[0]) {
		t.Fatalf("revealed export lacks the ID number: %v", rows[:2])
	}
	r = e.upload(tok, "export.xlsx", []byte(full.body))
	r.json(t, &im)
	if r.status != 201 || len(im.Report.Errors) != 0 || im.Report.Persons.Created != 0 || im.Report.Households.Created != 0 {
		t.Fatalf("re-import of the export = %d %s", r.status, r.body)
	}
	// So does the masked export: masked numbers keep what the register holds.
	masked := e.do("GET", "/api/v1/export.xlsx", tok, "")
	r = e.upload(tok, "masked.xlsx", []byte(masked.body))
	r.json(t, &im)
	if r.status != 201 || len(im.Report.Errors) != 0 || im.Report.Persons.Created != 0 || im.Report.Households.Created != 0 || im.Report.Persons.Updated != 0 {
		t.Fatalf("re-import of the masked export = %d %s", r.status, r.body)
	}
	// A ledger with bad rows: every error with its row, nothing saved, and an error report.
	bad := strings.Replace(ledgerCSV(ids), "Y002,下大桥居民小组", "Y002,不存在组", 1) + "Y003,棠梨湾居民小组,孙无名,孙无名,户主,123,,1,,,\n"
	r = e.upload(tok, "bad.csv", []byte(bad))
	r.json(t, &im)
	if len(im.Report.Errors) != 2 || im.Report.Errors[0].Row != 5 || im.Report.Errors[1].Row != 6 {
		t.Fatalf("bad ledger = %s", r.body)
	}
	if r := e.do("POST", fmt.Sprintf("/api/v1/imports/%d/commit", im.ID), tok, ""); r.status != 422 {
		t.Fatalf("commit with errors = %d %s", r.status, r.body)
	}
	rep := e.do("GET", fmt.Sprintf("/api/v1/imports/%d/errors.xlsx", im.ID), tok, "")
	if rep.status != 200 {
		t.Fatalf("error report = %d %s", rep.status, rep.body)
	}
	if f, err := excelize.OpenReader(strings.NewReader(rep.body)); err != nil {
		t.Fatal(err)
	} else if rows, _ := f.GetRows(f.GetSheetName(0)); !strings.Contains(fmt.Sprint(rows), "不存在组") {
		t.Fatalf("error report rows = %v", rows)
	}
	// The audit log has the import, the export and the reveal-export.
	r = e.do("GET", "/api/v1/audit?action=register.", e.token("county"), "")
	var audit struct {
		Entries []struct{ Action, Detail json.RawMessage }
	}
	r.json(t, &audit)
	if len(audit.Entries) < 3 {
		t.Fatalf("audit = %s", r.body)
	}
	_ = http.StatusOK
}
