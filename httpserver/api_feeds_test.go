package httpserver_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"safetynet/idcard"
)

type feedPushOut struct {
	Batch struct {
		ID                                    int64
		Rows, Matched, Unregistered, Rejected int
		Replayed                              bool
		DepartmentName                        string `json:"department_name"`
	}
	RejectedRows []struct {
		Row           int
		Field, Reason string
	} `json:"rejected_rows"`
}

func feedRow(key, id, typ, date string, fields string) string {
	return fmt.Sprintf(`{"row_key":%q,"id_number":%q,"name":"某人","event_type":%q,"date":%q,"fields":%s}`, key, id, typ, date, fields)
}

func TestAPIFeedPush(t *testing.T) {
	e := newEnv(t)
	tok := e.token("dept") // 县医保局数据接口
	outsider := idcard.Generate(fixtureRand, "530325", time.Date(1970, 5, 6, 0, 0, 0, 0, time.UTC), idcard.Female)
	bad := e.in.idNumber[:17] + map[bool]string{true: "0", false: "1"}[e.in.idNumber[17] != '0']
	rows := []string{
		feedRow("r1", e.in.idNumber, "住院", "2026-03-04", `{"oop_cost":"20,500","oop_ytd":23800.5}`),
		feedRow("r2", outsider, "hospitalisation", "2026/3/5", `{"oop_cost":3000}`),
		feedRow("r3", bad, "住院", "2026-03-04", `{"oop_cost":1}`),
		feedRow("r4", outsider, "中彩票", "2026-03-04", `{}`),
		feedRow("r5", outsider, "death", "2026-02-30", `{}`),
		feedRow("r1", outsider, "death", "2026-03-04", `{}`),
		feedRow("r7", outsider, "住院", "2026-03-04", `{}`),
		feedRow("r8", outsider, "death", "2026-03-04", `{"oop_cost":true}`),
		`{"row_key":"r9","id_number":"` + outsider + `","name":"` + strings.Repeat("长", 10<<20/3) + `","event_type":"death","date":"2026-03-04"}`,
		`{"row_key":"r10","id_number":"` + outsider + `","name":"` + "\xcd\xf5" + `","event_type":"death","date":"2026-03-04"}`,
	}
	body := `{"batch_id":"B-001","rows":[` + strings.Join(rows, ",") + `]}`
	r := e.do("POST", "/api/v1/feeds/medical_insurance/batches", tok, body, "Accept-Language", "en")
	if r.status != http.StatusCreated {
		t.Fatalf("push: %d %.500s", r.status, r.body)
	}
	var out feedPushOut
	r.json(t, &out)
	if out.Batch.Rows != 10 || out.Batch.Matched != 1 || out.Batch.Unregistered != 1 || out.Batch.Rejected != 8 || out.Batch.Replayed {
		t.Fatalf("counts: %+v", out.Batch)
	}
	want := map[int]string{3: "id_number", 4: "event_type", 5: "date", 6: "row_key", 7: "oop_cost", 8: "oop_cost", 9: "name", 10: "name"}
	for _, x := range out.RejectedRows {
		if want[x.Row] != x.Field || x.Reason == "" {
			t.Errorf("row %d rejected on %q (%s), want %q", x.Row, x.Field, x.Reason, want[x.Row])
		}
		delete(want, x.Row)
	}
	if len(want) > 0 {
		t.Errorf("rows not rejected: %v", want)
	}
	// Again: 200, the stored result, nothing new.
	r = e.do("POST", "/api/v1/feeds/medical_insurance/batches", tok, body)
	var again feedPushOut
	r.json(t, &again)
	if r.status != http.StatusOK || !again.Batch.Replayed || again.Batch.ID != out.Batch.ID || len(again.RejectedRows) != 8 {
		t.Fatalf("replay: %d %+v", r.status, again.Batch)
	}
	// The batch's rows, paged and filtered; ID numbers masked.
	r = e.do("GET", fmt.Sprintf("/api/v1/feeds/medical_insurance/batches/%d?status=matched", out.Batch.ID), tok, "")
	if r.status != 200 || strings.Contains(r.body, e.in.idNumber) || !strings.Contains(r.body, idcard.Mask(e.in.idNumber)) || strings.Contains(r.body, "place_name") {
		t.Fatalf("matched rows: %d %.500s", r.status, r.body)
	}
	r = e.do("GET", fmt.Sprintf("/api/v1/feeds/medical_insurance/batches/%d?limit=3&offset=3", out.Batch.ID), e.token("county"), "")
	var detail struct{ Items []struct{ Row int } }
	r.json(t, &detail)
	if r.status != 200 || len(detail.Items) != 3 || detail.Items[0].Row != 4 {
		t.Fatalf("page: %d %.300s", r.status, r.body)
	}
	if r := e.do("GET", "/api/v1/feeds/medical_insurance/batches", tok, ""); r.status != 200 || !strings.Contains(r.body, "B-001") {
		t.Fatalf("list: %d %.300s", r.status, r.body)
	}
}

func TestAPIFeedBadBatches(t *testing.T) {
	e := newEnv(t)
	tok := e.token("dept")
	post := func(path, body string, hdr ...string) response {
		return e.do("POST", path, tok, body, hdr...)
	}
	cases := []struct {
		name, path, body string
		status           int
		field            string
	}{
		{"malformed JSON", "/api/v1/feeds/medical_insurance/batches", `{"batch_id":"x","rows":[{`, 400, ""},
		{"not an object", "/api/v1/feeds/medical_insurance/batches", `[]`, 400, ""},
		{"row of the wrong type", "/api/v1/feeds/medical_insurance/batches", `{"batch_id":"x","rows":[{"row_key":1}]}`, 400, "rows.row_key"},
		{"unknown field", "/api/v1/feeds/medical_insurance/batches", `{"batch_id":"x","rows":[],"extra":1}`, 400, "extra"},
		{"NUL in a row", "/api/v1/feeds/medical_insurance/batches", `{"batch_id":"x","rows":[{"row_key":"a\u0000"}]}`, 400, ""},
		{"no batch id", "/api/v1/feeds/medical_insurance/batches", `{"batch_id":"","rows":[]}`, 400, "batch_id"},
		{"no rows", "/api/v1/feeds/medical_insurance/batches", `{"batch_id":"empty","rows":[]}`, 400, "rows"},
		{"unknown department", "/api/v1/feeds/lottery/batches", `{"batch_id":"x","rows":[]}`, 404, ""},
		{"another department", "/api/v1/feeds/housing/batches", `{"batch_id":"x","rows":[]}`, 403, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := post(c.path, c.body)
			if r.status != c.status {
				t.Fatalf("%d, want %d: %.300s", r.status, c.status, r.body)
			}
			var b struct {
				Error struct{ Field, Message string }
			}
			_ = json.Unmarshal([]byte(r.body), &b)
			if b.Error.Message == "" || c.field != "" && b.Error.Field != c.field {
				t.Errorf("error %+v, want field %q", b.Error, c.field)
			}
		})
	}
	// More than 64 MB: 413, not a crash.
	huge := `{"batch_id":"x","rows":[{"row_key":"` + strings.Repeat("a", 65<<20) + `"}]}`
	if r := post("/api/v1/feeds/medical_insurance/batches", huge); r.status != http.StatusRequestEntityTooLarge {
		t.Fatalf("65 MB: %d %.200s", r.status, r.body)
	}
	// Nothing stored by any of that.
	if r := e.do("GET", "/api/v1/feeds/medical_insurance/batches", tok, ""); r.status != 200 ||
		strings.Contains(r.body, `"batch_id":"x"`) || strings.Contains(r.body, `"batch_id":"empty"`) {
		t.Fatalf("a refused batch was stored: %d %.400s", r.status, r.body)
	}
	// A department account sees nothing of the register.
	for _, path := range []string{"/api/v1/households?limit=1", "/api/v1/search?q=" + e.in.idNumber, fmt.Sprintf("/api/v1/households/%d", e.in.household)} {
		if r := e.do("GET", path, tok, ""); r.status != http.StatusForbidden && r.status != http.StatusNotFound {
			t.Errorf("%s: %d", path, r.status)
		}
	}
	// Nor another department's batches.
	if r := e.do("GET", "/api/v1/feeds/disabled_federation/batches", tok, ""); r.status != http.StatusForbidden {
		t.Errorf("残联's list as 医保: %d", r.status)
	}
}

func TestAPISetUserDepartment(t *testing.T) {
	e := newEnv(t)
	admin := e.token("admin")
	id := e.userID("dept-edu")
	if r := e.do("PUT", fmt.Sprintf("/api/v1/users/%d/department", id), admin, `{"department":"health"}`); r.status != 200 || !strings.Contains(r.body, "health") {
		t.Fatalf("set: %d %s", r.status, r.body)
	}
	if r := e.do("PUT", fmt.Sprintf("/api/v1/users/%d/department", e.userID("village")), admin, `{"department":"health"}`); r.status != 400 {
		t.Fatalf("village staff with a department: %d %s", r.status, r.body)
	}
	if r := e.do("PUT", fmt.Sprintf("/api/v1/users/%d/department", id), e.token("county"), `{"department":"health"}`); r.status != 403 {
		t.Fatalf("county officer: %d %s", r.status, r.body)
	}
}
