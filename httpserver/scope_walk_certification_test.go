package httpserver_test

import (
	"net/http"
	"testing"
	"time"

	"safetynet"
	"safetynet/access"
	"safetynet/certification"
	"safetynet/sqlstore"
)

// walkJPEG is the smallest thing the photo check takes for a JPEG.
var walkJPEG = []byte{0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 'J', 'F', 'I', 'F', 0}

// The certification routes in the scope walk: the fixture's households in
// 腰站社区 and in 望城区 receive 低保, so their members are due; a home visit
// with a photo is recorded for each, giving {dueID} and {recordID}.
func init() {
	walkSetups = append(walkSetups, func(t *testing.T, e *env) map[target]map[string]string {
		t.Helper()
		ids := map[target]map[string]string{}
		for tg, f := range map[target]struct {
			who       string
			household int64
		}{inside: {"village", e.in.household}, outside: {"wc-village", e.out.household}} {
			a := e.actor(f.who)
			if _, err := e.store.AssignCategory(ctx, a, safetynet.SubjectHousehold, f.household, safetynet.NewAssignment{Category: "dibao",
				Start: time.Now().AddDate(-1, 0, 10), Reason: "走查"}); err != nil {
				t.Fatalf("%s: dibao to walk with: %v", f.who, err)
			}
			if _, err := e.store.RefreshCertifications(ctx, true); err != nil {
				t.Fatal(err)
			}
			l, err := e.store.Certifications(ctx, a, sqlstore.CertificationFilter{Within: 60 * 24 * time.Hour})
			var due int64
			for _, c := range l {
				if c.HouseholdID == f.household {
					due = c.ID
				}
			}
			if err != nil || due == 0 {
				t.Fatalf("%s: no certification to walk with (%v)", f.who, err)
			}
			rec, _, err := e.store.RecordCertification(ctx, a, due, sqlstore.CertificationInput{ClientID: "walk-photo-" + f.who,
				Record: certification.Record{Method: certification.MethodHome, On: time.Now(), Photo: walkJPEG}})
			if err != nil {
				t.Fatalf("%s: record to walk with: %v", f.who, err)
			}
			ids[tg] = map[string]string{"dueID": itoa(due), "recordID": itoa(rec), "measure": "dibao"}
		}
		return ids
	})
	unscopedParams["measure"] = true
	apiBodies["POST /api/v1/certifications/{dueID}/records"] = `{"client_id":"walk-record-0001","method":"face","date":"2026-01-01"}`
	apiBodies["POST /api/v1/certifications/{dueID}/review"] = `{"decision":"suspend","note":"探针","version":1}`
	apiBodies["PUT /api/v1/certifications/settings/{measure}"] = `{"months":12,"active":true,"version":1}`
	// The settings name no record at a place: county officers and
	// administrators get an answer (a second change on the same version is
	// a conflict), the others 403.
	settings := func(ok ...int) func(t *testing.T, w walk) {
		return func(t *testing.T, w walk) {
			r := w.send(inside)
			if !w.may(access.CertificationSettings) {
				if r.status != http.StatusForbidden {
					t.Errorf("settings: %d, want 403: %.300s", r.status, r.body)
				}
				return
			}
			for _, s := range ok {
				if r.status == s {
					return
				}
			}
			t.Errorf("settings: %d, want one of %v: %.300s", r.status, ok, r.body)
		}
	}
	unscopedWrites["PUT /api/v1/certifications/settings/{measure}"] = settings(http.StatusOK, http.StatusConflict)
	unscopedWrites["POST /certifications/settings"] = settings(http.StatusBadRequest, http.StatusSeeOther, http.StatusOK)
}
