package httpserver_test

import (
	"net/http"
	"net/url"
	"testing"
	"time"

	"safetynet/access"
	"safetynet/inspections"
	"safetynet/services"
)

// The inspections' routes in the scope walk: a started inspection of
// 胜境街道 (inside, its villages all drawn, so every 富源县 walker who may
// view inspections sees it and the village its 腰站社区 part) and one of
// 望城区 by its county officer (outside), each with a household checked
// with a photo, give {inspectionID}, {sampleID} and {photoID}. An
// inspection outside, or one not yet started, answers like a missing one.
func init() {
	walkSetups = append(walkSetups, func(t *testing.T, e *env) map[target]map[string]string {
		t.Helper()
		ids := map[target]map[string]string{}
		planned := time.Now().In(time.FixedZone("CST", 8*3600)).AddDate(0, 0, 1).Format(time.DateOnly)
		for tg, f := range map[target]struct{ who, area, village string }{
			inside:  {"inspector", "530325002", "530325002009"},
			outside: {"wc-county", "430112", "430112001001"},
		} {
			a := e.actor(f.who)
			in, _, err := e.store.CreateInspection(ctx, a, inspections.NewInspection{ClientID: "walk-insp-" + f.who, Title: "走查督查",
				PlaceCode: f.area, PlannedOn: planned, Villages: 50, Households: 2})
			if err != nil {
				t.Fatalf("%s: inspection to walk with: %v", f.who, err)
			}
			if in, err = e.store.DrawInspection(ctx, a, in.ID, in.Version); err != nil {
				t.Fatalf("%s: draw: %v", f.who, err)
			}
			if err := e.store.StartInspection(ctx, a, in.ID, in.Version); err != nil {
				t.Fatalf("%s: start: %v", f.who, err)
			}
			v, err := e.store.InspectionByID(ctx, a, in.ID)
			if err != nil {
				t.Fatal(err)
			}
			var sample int64
			for _, sv := range v.Sample {
				if sv.Code == f.village {
					sample = sv.Households[0].ID
				}
			}
			if sample == 0 {
				t.Fatalf("%s: %s not drawn: %+v", f.who, f.village, v.Sample)
			}
			c, _, err := e.store.RecordCheck(ctx, a, inspections.NewCheck{ClientID: "walk-check-" + f.who, SampleID: sample,
				Note: "走查未找到", Photos: [][]byte{services.PNG(8, 8, 1)}})
			if err != nil {
				t.Fatalf("%s: check: %v", f.who, err)
			}
			ids[tg] = map[string]string{"inspectionID": itoa(in.ID), "sampleID": itoa(sample), "photoID": itoa(c.Photos[0])}
		}
		return ids
	})
	apiBodies["POST /api/v1/inspections"] = `{"client_id":"walk-api-insp","title":"探针","place_code":"{place}","planned_on":"2099-01-01","villages":1,"households":1}`
	apiBodies["POST /api/v1/inspections/{inspectionID}/draw"] = `{"version":1}`
	apiBodies["POST /api/v1/inspections/{inspectionID}/start"] = `{"version":1}`
	apiBodies["POST /api/v1/inspections/{inspectionID}/close"] = `{"version":1}`
	apiBodies["POST /api/v1/inspection-checks"] = `{"client_id":"walk-api-check","sample_id":{sampleID},"found":false,"note":"探针"}`
	// A check names its sampled household in the body: one outside answers
	// like a missing one (404, or 403 for a role that does not inspect).
	unscopedWrites["POST /api/v1/inspection-checks"] = func(t *testing.T, w walk) {
		out, miss := w.send(outside), w.send(missing)
		want := http.StatusNotFound
		if !w.may(access.InspectionManage) {
			want = http.StatusForbidden
		}
		if out.status != want || miss.status != want || out.errCode() != miss.errCode() {
			t.Errorf("check outside: %d %.200s; missing: %d %.200s", out.status, out.body, miss.status, miss.body)
		}
	}
	webForms["POST /inspections/new"] = url.Values{"title": {"探针"}, "planned_on": {"2099-01-01"}, "villages": {"1"}, "households": {"1"}, "scope": {"area"}}
	webForms["POST /inspection-samples/{sampleID}"] = url.Values{"found": {"0"}, "note": {"探针"}}
}
