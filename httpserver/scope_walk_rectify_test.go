package httpserver_test

import (
	"bytes"
	"image"
	"image/png"
	"testing"
	"time"

	"safetynet/demo"
	"safetynet/inspections"
	"safetynet/sqlstore"
)

// rectInspection is an inspection started in a town, with a check of a
// household of village answered "ledger: problem" and a rectification
// raised from it.
type rectInspection struct {
	inspection, check, rect int64
	village                 string
}

// startRectInspection creates, draws and starts an inspection of town by
// who (every village of the town is drawn, one household each), checks
// village's household and raises a rectification of its ledger.
func startRectInspection(t *testing.T, e *env, who, town, village string) rectInspection {
	t.Helper()
	a := e.actor(who)
	today := time.Now().In(inspections.RectifyZone).Format(time.DateOnly)
	in, _, err := e.store.CreateInspection(ctx, a, inspections.NewInspection{ClientID: "rect-" + who + "-" + village, Title: "整改走查督查",
		PlaceCode: town, PlannedOn: today, Villages: inspections.MaxVillages, Households: 1})
	if err != nil {
		t.Fatalf("%s: create an inspection: %v", who, err)
	}
	if in, err = e.store.DrawInspection(ctx, a, in.ID, in.Version); err != nil {
		t.Fatalf("%s: draw: %v", who, err)
	}
	if err := e.store.StartInspection(ctx, a, in.ID, in.Version); err != nil {
		t.Fatalf("%s: start: %v", who, err)
	}
	v, err := e.store.InspectionByID(ctx, a, in.ID)
	if err != nil {
		t.Fatal(err)
	}
	var sample int64
	for _, sv := range v.Sample {
		if sv.Code == village && len(sv.Households) > 0 {
			sample = sv.Households[0].ID
		}
	}
	if sample == 0 {
		t.Fatalf("%s: %s not in the sample %+v", who, village, v.Sample)
	}
	var answers []inspections.Answer
	for _, it := range inspections.Items {
		ans := inspections.Answer{Item: it.Code, Answer: inspections.AnswerOK}
		if it.Code == inspections.ItemLedger {
			ans.Answer, ans.Note = inspections.AnswerProblem, "家庭人口与台账不符"
		}
		answers = append(answers, ans)
	}
	c, _, err := e.store.RecordCheck(ctx, a, inspections.NewCheck{ClientID: "rect-check-" + who + "-" + village, SampleID: sample, Found: true,
		Answers: answers})
	if err != nil {
		t.Fatalf("%s: check: %v", who, err)
	}
	id, _, err := e.store.RaiseRectification(ctx, a, in.ID, sqlstore.RectifyRaise{CheckID: c.ID, Item: inspections.ItemLedger, Finding: "家庭人口与台账不符"})
	if err != nil {
		t.Fatalf("%s: raise: %v", who, err)
	}
	return rectInspection{inspection: in.ID, check: c.ID, rect: id, village: village}
}

// The rectification routes in the scope walk: an inspection of 胜境街道 by
// the county's inspector with a rectification in 腰站社区, and one of
// 望城区's 高塘岭街道 by its county officer in 西塘街社区.
func init() {
	walkSetups = append(walkSetups, func(t *testing.T, e *env) map[target]map[string]string {
		t.Helper()
		ids := map[target]map[string]string{}
		for tg, f := range map[target]struct{ who, town, village, staff string }{inside: {"inspector", "530325002", demo.Yaozhan, "village"},
			outside: {"wc-county", "430112001", "430112001001", "wc-village"}} {
			r := startRectInspection(t, e, f.who, f.town, f.village)
			// Reported with a photo, so that the photo's routes have one to serve.
			if err := e.store.ReportRectification(ctx, e.actor(f.staff), r.rect, "已整改", rectPNG(t), 1); err != nil {
				t.Fatalf("%s: report: %v", f.staff, err)
			}
			ids[tg] = map[string]string{"rectID": itoa(r.rect), "inspectionID": itoa(r.inspection), "checkID": itoa(r.check)}
		}
		return ids
	})
	listQueries["GET /inspections/{inspectionID}/village-score"] = "?village=" + demo.Yaozhan
	listQueries["GET /api/v1/inspections/{inspectionID}/village-score"] = "?village=" + demo.Yaozhan
	apiBodies["POST /api/v1/inspections/{inspectionID}/rectifications"] = `{"check_id":{checkID},"item":"ledger","finding":"探针"}`
	apiBodies["POST /api/v1/rectifications/{rectID}/report"] = `{"report":"探针","version":1}`
	apiBodies["POST /api/v1/rectifications/{rectID}/accept"] = `{"version":2}`
	apiBodies["POST /api/v1/rectifications/{rectID}/reopen"] = `{"reason":"探针","version":2}`
	webForms["POST /inspections/{inspectionID}/rectifications"] = map[string][]string{"check_id": {"{checkID}"}, "item": {"ledger"}, "finding": {"探针"}}
	webForms["POST /rectifications/{rectID}/report"] = map[string][]string{"report": {"探针"}, "version": {"1"}}
}

// rectPNG is a small picture, as a phone sends with a report.
func rectPNG(t *testing.T) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, image.NewRGBA(image.Rect(0, 0, 16, 16))); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
