package httpserver_test

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"safetynet/demo"
)

// TestRectifyAPI: through the JSON API an inspector's resend finds the
// item already raised, a village finding is new; the village reports
// (a stale version is refused), only the inspector accepts; the scores,
// the year's sum and its .xlsx follow; 望城区 sees none of it.
func TestRectifyAPI(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		r := startRectInspection(t, e, "inspector", "530325002", demo.Yaozhan)
		insp, village, county, other := e.token("inspector"), e.token("village"), e.token("county"), e.token("wc-village")
		var raised struct {
			ID      int64
			Created bool
		}
		res := e.do("POST", fmt.Sprintf("/api/v1/inspections/%d/rectifications", r.inspection), insp,
			fmt.Sprintf(`{"check_id":%d,"item":"ledger","finding":"再点一次"}`, r.check))
		if res.json(t, &raised); res.status != http.StatusOK || raised.Created || raised.ID != r.rect {
			t.Fatalf("resend = %d %s", res.status, res.body)
		}
		res = e.do("POST", fmt.Sprintf("/api/v1/inspections/%d/rectifications", r.inspection), insp,
			`{"village_code":"`+demo.Yaozhan+`","finding":"村务公开栏未公示低保名单","due_on":"2000-01-01"}`)
		if res.status != http.StatusBadRequest || !strings.Contains(res.body, "due_on") {
			t.Fatalf("a due date in the past = %d %s", res.status, res.body)
		}
		res = e.do("POST", fmt.Sprintf("/api/v1/inspections/%d/rectifications", r.inspection), insp,
			`{"village_code":"`+demo.Yaozhan+`","finding":"村务公开栏未公示低保名单"}`)
		if res.json(t, &raised); res.status != http.StatusCreated || !raised.Created {
			t.Fatalf("village finding = %d %s", res.status, res.body)
		}
		var list struct {
			Items []struct {
				ID       int64
				Status   string
				ItemName string `json:"item_name"`
			}
			Total int
		}
		res = e.do("GET", "/api/v1/rectifications?status=open", village, "")
		if res.json(t, &list); list.Total != 2 {
			t.Fatalf("village's open items = %s", res.body)
		}
		path := fmt.Sprintf("/api/v1/rectifications/%d", r.rect)
		if res = e.do("POST", path+"/report", village, `{"report":"已更正","version":2}`); res.status != http.StatusConflict {
			t.Fatalf("stale report = %d %s", res.status, res.body)
		}
		if res = e.do("POST", path+"/report", village, `{"report":"已入户核实并更正台账","photo":"bm90IGEgcGljdHVyZQ==","version":1}`); res.status != http.StatusBadRequest ||
			!strings.Contains(res.body, `"field":"photo"`) {
			t.Fatalf("a report whose photo is no picture = %d %s", res.status, res.body)
		}
		if res = e.do("GET", path+"/photo", village, ""); res.status != http.StatusNotFound {
			t.Fatalf("the photo before any = %d", res.status)
		}
		pic := base64.StdEncoding.EncodeToString(rectPNG(t))
		if res = e.do("POST", path+"/report", village, `{"report":"已入户核实并更正台账","photo":"data:image/png;base64,`+pic+`","version":1}`); res.status != http.StatusNoContent {
			t.Fatalf("report = %d %s", res.status, res.body)
		}
		if res = e.do("GET", path+"/photo", insp, ""); res.status != http.StatusOK || res.body != string(rectPNG(t)) {
			t.Fatalf("the report's photo = %d, %d bytes", res.status, len(res.body))
		}
		if res = e.do("POST", path+"/accept", village, `{"version":2}`); res.status != http.StatusForbidden {
			t.Fatalf("the village accepting = %d %s", res.status, res.body)
		}
		if res = e.do("POST", path+"/accept", insp, `{"version":2}`); res.status != http.StatusNoContent {
			t.Fatalf("accept = %d %s", res.status, res.body)
		}
		var detail struct {
			Status  string
			History []struct{ Action, By string }
		}
		res = e.do("GET", path, county, "")
		if res.json(t, &detail); detail.Status != "accepted" || len(detail.History) != 3 ||
			detail.History[1].By != "腰站社区民政专干 王芳" {
			t.Fatalf("detail = %s", res.body)
		}
		if res = e.do("GET", path, other, ""); res.status != http.StatusNotFound {
			t.Fatalf("望城区 reads the item: %d", res.status)
		}
		var scores struct {
			Villages []struct {
				VillageCode string `json:"village_code"`
				Score       int
				Deductions  []struct{ Kind, Item string }
			}
		}
		res = e.do("GET", fmt.Sprintf("/api/v1/inspections/%d/scores", r.inspection), e.token("town"), "")
		res.json(t, &scores)
		found := false
		for _, v := range scores.Villages {
			if v.VillageCode == demo.Yaozhan {
				found = v.Score == 92 && len(v.Deductions) == 1 && v.Deductions[0].Item == "ledger"
			}
		}
		if !found {
			t.Fatalf("scores = %s", res.body)
		}
		var sum struct {
			Total struct{ Count, Sum int }
			Rows  []struct {
				PlaceCode string `json:"place_code"`
				Count     int
				Sum       int
			}
		}
		res = e.do("GET", "/api/v1/inspection-scores", county, "")
		if res.json(t, &sum); len(sum.Rows) != 1 || sum.Rows[0].PlaceCode != "530325002" || sum.Rows[0].Sum != sum.Total.Sum ||
			sum.Total.Count != len(scores.Villages) {
			t.Fatalf("county's year = %s", res.body)
		}
		res = e.do("GET", "/api/v1/inspection-scores.xlsx?place=530325002", county, "")
		f, err := excelize.OpenReader(bytes.NewReader([]byte(res.body)))
		if err != nil {
			t.Fatalf("xlsx: %d %v", res.status, err)
		}
		sheets := f.GetSheetList()
		if len(sheets) != 2 {
			t.Fatalf("xlsx sheets = %v", sheets)
		}
		rows, err := f.GetRows(sheets[1])
		if err != nil || len(rows) != 1+len(scores.Villages) || (rows[0][3] != "得分" && rows[0][3] != "Score") {
			t.Fatalf("xlsx rows = %v %v", rows, err)
		}
		if res = e.do("GET", "/api/v1/inspection-scores", other, ""); !strings.Contains(res.body, `"count":0`) {
			t.Fatalf("望城区's year = %s", res.body)
		}
	})
}
