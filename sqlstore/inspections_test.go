package sqlstore_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"safetynet"
	"safetynet/access"
	"safetynet/idcard"
	"safetynet/inspections"
	"safetynet/services"
	"safetynet/sqlstore"
	"safetynet/sqlstore/storetest"
)

// inspFixture is the small tree with households in two villages, two
// inspectors (a 督查 and a county officer), a county officer who is not
// among them, a town officer and the staff of one village.
type inspFixture struct {
	inspector, second, county, town, village, other access.Actor
	households                                      []int64
}

func newInspFixture(t *testing.T, s *sqlstore.Store) inspFixture {
	t.Helper()
	mustImport(t, s, smallTree)
	sys := access.System()
	var f inspFixture
	f.inspector = actorOf(mustUser(t, s, sys, "ducha", safetynet.RoleInspector, "530325"))
	f.second = actorOf(mustUser(t, s, sys, "ducha2", safetynet.RoleCountyOfficer, "530325"))
	f.county = actorOf(mustUser(t, s, sys, "xianmin", safetynet.RoleCountyOfficer, "530325"))
	f.town = actorOf(mustUser(t, s, sys, "zhenli", safetynet.RoleTownOfficer, "530325002"))
	f.village = actorOf(mustUser(t, s, sys, "cunzhan", safetynet.RoleVillageStaff, "530325002009"))
	f.other = actorOf(mustUser(t, s, sys, "xiyang", safetynet.RoleVillageStaff, "530325002010"))
	for i, v := range []string{"530325002009", "530325002009", "530325002009", "530325002010", "530325002010", "530325002010"} {
		h, err := s.CreateHousehold(ctx, sys, safetynet.HouseholdInput{PlaceCode: v, Address: fmt.Sprintf("%d号", i+1)},
			safetynet.PersonInput{Name: fmt.Sprintf("户主%d", i+1), IDNumber: newID(fmt.Sprintf("19%02d-03-04", 40+i), idcard.Male)})
		if err != nil {
			t.Fatal(err)
		}
		f.households = append(f.households, h)
	}
	if _, err := s.AssignCategory(ctx, sys, safetynet.SubjectHousehold, f.households[0], safetynet.NewAssignment{Category: "dibao",
		Start: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}
	return f
}

// hidden asserts that a sees nothing of inspection id by any path.
func inspHidden(t *testing.T, s *sqlstore.Store, a access.Actor, id int64, sampleID int64, who string) {
	t.Helper()
	if l, err := s.Inspections(ctx, a, sqlstore.InspectionFilter{}); err == nil && len(l) != 0 {
		t.Fatalf("%s lists %d inspections", who, len(l))
	}
	if n, err := s.CountInspections(ctx, a); err != nil || len(n) != 0 {
		t.Fatalf("%s counts %v %v", who, n, err)
	}
	if _, err := s.InspectionByID(ctx, a, id); safetynet.CodeOf(err) != safetynet.ENotFound && safetynet.CodeOf(err) != safetynet.EForbidden {
		t.Fatalf("%s opens the inspection: %v", who, err)
	}
	if sampleID != 0 {
		if _, err := s.SampleByID(ctx, a, sampleID); safetynet.CodeOf(err) != safetynet.ENotFound && safetynet.CodeOf(err) != safetynet.EForbidden {
			t.Fatalf("%s opens a sampled household: %v", who, err)
		}
		if _, err := s.RedrawInspection(ctx, a, id); safetynet.CodeOf(err) != safetynet.ENotFound && safetynet.CodeOf(err) != safetynet.EForbidden {
			t.Fatalf("%s redraws: %v", who, err)
		}
	}
	if a.Can(access.AuditView) {
		es, err := s.AuditLog(ctx, a, safetynet.AuditFilter{Limit: 500})
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range es {
			if strings.HasPrefix(e.Action, "inspection.") || e.ObjectType == "inspection" {
				t.Fatalf("%s sees audit entry %s %s", who, e.Action, e.Detail)
			}
		}
		es, _ = s.AuditLog(ctx, a, safetynet.AuditFilter{ObjectType: "inspection", ObjectID: fmt.Sprint(id)})
		if len(es) != 0 {
			t.Fatalf("%s finds the inspection's audit entries by id", who)
		}
	}
}

func allOK() []inspections.Answer {
	var out []inspections.Answer
	for _, it := range inspections.Items {
		out = append(out, inspections.Answer{Item: it.Code, Answer: inspections.AnswerOK})
	}
	return out
}

func TestInspectionsSecretUntilStart(t *testing.T) {
	clock := storetest.NewClock(time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC))
	storetest.EachWith(t, clock, func(t *testing.T, s *sqlstore.Store) {
		clock.Set(time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC))
		f := newInspFixture(t, s)
		_, _, err := s.CreateInspection(ctx, f.town, inspections.NewInspection{ClientID: "x", Title: "t", PlaceCode: "530325002", PlannedOn: "2026-12-02", Villages: 1, Households: 1})
		wantCode(t, err, safetynet.EForbidden, "a town officer creates")
		_, _, err = s.CreateInspection(ctx, f.inspector, inspections.NewInspection{ClientID: "x", Title: "t", PlaceCode: "530325002009", PlannedOn: "2026-12-02", Villages: 1, Households: 1})
		wantCode(t, err, safetynet.EInvalid, "a village as area")
		_, _, err = s.CreateInspection(ctx, f.inspector, inspections.NewInspection{ClientID: "x", Title: "t", PlaceCode: "530325", PlannedOn: "2026-12-02", Villages: 1, Households: 1,
			InspectorIDs: []int64{f.town.UserID}})
		wantCode(t, err, safetynet.EInvalid, "a town officer as inspector")
		in := inspections.NewInspection{ClientID: "insp-1", Title: "十二月四不两直督查", PlaceCode: "530325", PlannedOn: "2026-12-02",
			Villages: 5, Households: 2, InspectorIDs: []int64{f.second.UserID}}
		got, created, err := s.CreateInspection(ctx, f.inspector, in)
		if err != nil || !created || got.Status != inspections.StatusDraft || len(got.Inspectors) != 2 || !got.IsInspector {
			t.Fatalf("create = %+v %v %v", got, created, err)
		}
		again, created, err := s.CreateInspection(ctx, f.inspector, in)
		if err != nil || created || again.ID != got.ID {
			t.Fatalf("resend = %+v %v %v", again, created, err)
		}
		for _, who := range []struct {
			a    access.Actor
			name string
		}{{f.county, "county officer"}, {f.town, "town officer"}, {f.village, "village staff"}} {
			inspHidden(t, s, who.a, got.ID, 0, who.name+" (draft)")
		}
		_, err = s.DrawInspection(ctx, f.county, got.ID, got.Version)
		wantCode(t, err, safetynet.ENotFound, "a county officer not among the inspectors draws")
		drawn, err := s.DrawInspection(ctx, f.second, got.ID, got.Version)
		if err != nil || drawn.Status != inspections.StatusDrawn || drawn.Seed == 0 {
			t.Fatalf("draw = %+v %v", drawn, err)
		}
		_, err = s.DrawInspection(ctx, f.inspector, got.ID, drawn.Version)
		wantCode(t, err, safetynet.EConflict, "a second draw")
		v, err := s.InspectionByID(ctx, f.inspector, got.ID)
		// Two villages have households (某社区 has none): 2 × 2.
		if err != nil || len(v.Sample) != 2 || v.Counts.Households != 4 || v.Counts.Pending != 4 {
			t.Fatalf("sample = %+v %v", v, err)
		}
		var inDibao bool
		for _, sv := range v.Sample {
			for _, h := range sv.Households {
				inDibao = inDibao || h.HouseholdID == f.households[0]
			}
		}
		if !inDibao {
			t.Fatalf("the key (dibao) household of 腰站社区 was not drawn: %+v", v.Sample)
		}
		var sampleID int64 // a household of 腰站社区, the village staff's
		for _, sv := range v.Sample {
			if sv.Code == "530325002009" {
				sampleID = sv.Households[0].ID
			}
		}
		for _, who := range []struct {
			a    access.Actor
			name string
		}{{f.county, "county officer"}, {f.town, "town officer"}, {f.village, "village staff"}, {f.other, "other village"}} {
			inspHidden(t, s, who.a, got.ID, sampleID, who.name+" (drawn)")
		}
		// The inspectors see the draw's audit entry with its seed, and a redraw gives the same sample.
		es, err := s.AuditLog(ctx, f.inspector, safetynet.AuditFilter{ObjectType: "inspection", ObjectID: fmt.Sprint(got.ID)})
		if err != nil || len(es) != 2 || !strings.Contains(es[0].Detail, fmt.Sprintf(`"seed":%d`, drawn.Seed)) {
			t.Fatalf("inspector's audit = %+v %v", es, err)
		}
		rd, err := s.RedrawInspection(ctx, f.inspector, got.ID)
		if err != nil || !rd.SameSample || !rd.SameRegister || rd.Seed != drawn.Seed || rd.Households != 4 {
			t.Fatalf("redraw = %+v %v", rd, err)
		}
		// Checks wait for the start.
		_, _, err = s.RecordCheck(ctx, f.inspector, inspections.NewCheck{ClientID: "c-0", SampleID: sampleID, Found: true, Answers: allOK()})
		wantCode(t, err, safetynet.EConflict, "a check before the start")
		if err := s.StartInspection(ctx, f.inspector, got.ID, drawn.Version); err != nil {
			t.Fatal(err)
		}
		// Started: the county and town officers see it whole, each village its own part.
		for _, who := range []struct {
			a          access.Actor
			name       string
			households int
		}{{f.county, "county officer", 4}, {f.town, "town officer", 4}, {f.village, "village staff", 2}, {f.other, "other village", 2}} {
			l, err := s.Inspections(ctx, who.a, sqlstore.InspectionFilter{})
			if err != nil || len(l) != 1 || l[0].Counts.Households != who.households {
				t.Fatalf("%s after start: %+v %v", who.name, l, err)
			}
		}
		vv, err := s.InspectionByID(ctx, f.village, got.ID)
		if err != nil || len(vv.Sample) != 1 || vv.Sample[0].Code != "530325002009" {
			t.Fatalf("village's part = %+v %v", vv.Sample, err)
		}
		_, err = s.RedrawInspection(ctx, f.village, got.ID)
		wantCode(t, err, safetynet.EForbidden, "a village redraws the whole sample")
		if es, _ := s.AuditLog(ctx, f.county, safetynet.AuditFilter{ObjectType: "inspection", ObjectID: fmt.Sprint(got.ID)}); len(es) != 3 {
			t.Fatalf("county officer's audit after start = %d entries", len(es))
		}
		_, _, err = s.RecordCheck(ctx, f.county, inspections.NewCheck{ClientID: "c-x", SampleID: sampleID, Found: true, Answers: allOK()})
		wantCode(t, err, safetynet.EForbidden, "a county officer not among the inspectors checks")
		// A check with a problem and a photo; sent twice, recorded once.
		ans := allOK()
		ans[1] = inspections.Answer{Item: inspections.ItemLedger, Answer: inspections.AnswerProblem, Note: "家庭人口与台账不符"}
		nc := inspections.NewCheck{ClientID: "c-1", SampleID: sampleID, Found: true, Answers: ans, HouseholdSays: "低保按时到账",
			Photos: [][]byte{services.PNG(32, 24, 1)}}
		c, created, err := s.RecordCheck(ctx, f.inspector, nc)
		if err != nil || !created || c.Status != inspections.HouseholdChecked || len(c.Photos) != 1 || len(inspections.Problems(c.Answers)) != 1 ||
			c.Answers[1].Note != "家庭人口与台账不符" {
			t.Fatalf("check = %+v %v %v", c, created, err)
		}
		c2, created, err := s.RecordCheck(ctx, f.inspector, nc)
		if err != nil || created || c2.ID != c.ID {
			t.Fatalf("resend = %+v %v %v", c2, created, err)
		}
		nc.ClientID = "c-2"
		_, _, err = s.RecordCheck(ctx, f.second, nc)
		if safetynet.CodeOf(err) != safetynet.EConflict || !strings.Contains(err.Error(), "ducha") {
			t.Fatalf("second check of the household: %v", err)
		}
		if _, ct, err := s.InspectionPhoto(ctx, f.village, c.Photos[0]); err != nil || ct != "image/png" {
			t.Fatalf("village sees its household's photo: %q %v", ct, err)
		}
		if _, _, err := s.InspectionPhoto(ctx, f.other, c.Photos[0]); safetynet.CodeOf(err) != safetynet.ENotFound {
			t.Fatalf("another village sees the photo: %v", err)
		}
		d, err := s.SampleByID(ctx, f.inspector, sampleID)
		if err != nil || d.Check == nil || d.Check.ID != c.ID || d.VillageName == "" || d.Sample.HeadName == "" {
			t.Fatalf("sample detail = %+v %v", d, err)
		}
		// Not closed with households pending; the rest checked (one not found), then closed.
		cur, _ := s.InspectionByID(ctx, f.inspector, got.ID)
		wantCode(t, s.CloseInspection(ctx, f.inspector, got.ID, cur.Version), safetynet.EConflict, "close with households pending")
		for i, sv := range cur.Sample {
			for j, h := range sv.Households {
				if h.Status != inspections.HouseholdPending {
					continue
				}
				in := inspections.NewCheck{ClientID: fmt.Sprintf("c-%d-%d", i, j), SampleID: h.ID, Found: true, Answers: allOK()}
				if i == 1 && j == 1 {
					in = inspections.NewCheck{ClientID: "c-nf", SampleID: h.ID, Note: "门锁，邻居说已外出务工"}
				}
				if _, _, err := s.RecordCheck(ctx, f.second, in); err != nil {
					t.Fatal(err)
				}
			}
		}
		cur, _ = s.InspectionByID(ctx, f.inspector, got.ID)
		if cur.Counts.Checked != 3 || cur.Counts.NotFound != 1 || cur.Counts.Problems != 1 {
			t.Fatalf("counts = %+v", cur.Counts)
		}
		if err := s.CloseInspection(ctx, f.inspector, got.ID, cur.Version); err != nil {
			t.Fatal(err)
		}
		checks, err := s.ChecksOf(ctx, f.county, got.ID)
		if err != nil || len(checks) != 4 {
			t.Fatalf("checks = %d %v", len(checks), err)
		}
		// A new household in a sampled village changes the register: the redraw says so.
		if _, err := s.CreateHousehold(ctx, access.System(), safetynet.HouseholdInput{PlaceCode: "530325002009", Address: "新户"},
			safetynet.PersonInput{Name: "新户主", IDNumber: newID("1980-01-01", idcard.Female)}); err != nil {
			t.Fatal(err)
		}
		if rd, err := s.RedrawInspection(ctx, f.county, got.ID); err != nil || rd.SameRegister {
			t.Fatalf("redraw after a new household = %+v %v", rd, err)
		}
	})
}

// TestInspectionOfACampaign: an inspection of a campaign draws from its
// implementing villages only, and its area is the campaign's owner.
func TestInspectionOfACampaign(t *testing.T) {
	clock := storetest.NewClock(time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC))
	storetest.EachWith(t, clock, func(t *testing.T, s *sqlstore.Store) {
		f := newInspFixture(t, s)
		if err := s.ExecRaw(ctx, `INSERT INTO campaigns (client_id, kind, title, place_code, starts_on, ends_on, status, created_by, created_at, updated_at)
			VALUES ('c1', 'care', '关爱服务行动', '530325002', '2026-09-01', '2027-12-31', 'running', 'system', 0, 0)`); err != nil {
			t.Fatal(err)
		}
		if err := s.ExecRaw(ctx, `INSERT INTO campaign_villages (campaign_id, village_code, town_code)
			SELECT id, '530325002010', '530325002' FROM campaigns WHERE client_id = 'c1'`); err != nil {
			t.Fatal(err)
		}
		_, camps, err := s.InspectionAreas(ctx, f.inspector)
		if err != nil || len(camps) != 1 || camps[0].Title != "关爱服务行动" {
			t.Fatalf("campaigns = %+v %v", camps, err)
		}
		in, _, err := s.CreateInspection(ctx, f.inspector, inspections.NewInspection{ClientID: "ci", Title: "行动督查", CampaignID: camps[0].ID,
			PlannedOn: "2026-12-01", Villages: 5, Households: 5})
		if err != nil || in.PlaceCode != "530325002" || in.CampaignTitle != "关爱服务行动" {
			t.Fatalf("create = %+v %v", in, err)
		}
		if _, err := s.DrawInspection(ctx, f.inspector, in.ID, in.Version); err != nil {
			t.Fatal(err)
		}
		v, err := s.InspectionByID(ctx, f.inspector, in.ID)
		if err != nil || len(v.Sample) != 1 || v.Sample[0].Code != "530325002010" || len(v.Sample[0].Households) != 3 {
			t.Fatalf("sample = %+v %v", v.Sample, err)
		}
	})
}
