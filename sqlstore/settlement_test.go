package sqlstore_test

import (
	"strings"
	"sync"
	"testing"
	"time"

	"safetynet"
	"safetynet/access"
	"safetynet/idcard"
	"safetynet/settlement"
	"safetynet/sqlstore"
	"safetynet/sqlstore/storetest"
)

// settleFixture is the relay's county, town and village with three
// households and 阳光社工 under a contract of the town, fixture rows written
// directly in the services schema.
type settleFixture struct {
	relayFixture
	h1, h2, h3 int64 // 宋奶奶, 刘大爷, 陈伯 (who dies on 2026-06-01)
	chen       int64 // 陈伯's person ID
	org        sqlstore.ServiceOrgIDs
}

func at(day string, hhmm string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", day+" "+hhmm, settlement.Zone)
	if err != nil {
		panic(err)
	}
	return t
}

func newSettle(t *testing.T, s *sqlstore.Store) settleFixture {
	t.Helper()
	f := settleFixture{relayFixture: newRelay(t, s)}
	f.h1 = f.household
	var err error
	for _, h := range []struct {
		id   *int64
		name string
	}{{&f.h2, "刘大爷"}, {&f.h3, "陈伯"}} {
		*h.id, err = s.CreateHousehold(ctx, f.village, safetynet.HouseholdInput{PlaceCode: "530325002009-01-01", Address: h.name + "家"},
			safetynet.PersonInput{Name: h.name, IDNumber: newID("1950-02-02", idcard.Male)})
		if err != nil {
			t.Fatal(err)
		}
	}
	hv, err := s.HouseholdView(ctx, f.village, f.h3)
	if err != nil {
		t.Fatal(err)
	}
	f.chen = hv.Household.HeadID
	f.org, err = s.SeedServiceOrg(ctx, sqlstore.ServiceOrgSeed{Name: "阳光社工", Place: "530325002", Title: "2026年居家服务", StartsOn: "2026-01-01",
		EndsOn: "2026-12-31", BudgetFen: 1_000_000, Prices: map[string]int64{"cleaning": 3000, "haircut": 1500}, Workers: []string{"郭宗新", "陈静"}})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func (f settleFixture) record(worker, household int64, day, from, to string) sqlstore.ServiceRecordSeed {
	return sqlstore.ServiceRecordSeed{Contract: f.org.Contract, Worker: worker, Household: household, Type: "cleaning", Start: at(day, from), End: at(day, to)}
}

func mustSeed(t *testing.T, s *sqlstore.Store, recs ...sqlstore.ServiceRecordSeed) []int64 {
	t.Helper()
	ids, err := s.SeedServiceRecords(ctx, recs)
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

func flagKinds(t *testing.T, s *sqlstore.Store, a access.Actor, id int64) string {
	t.Helper()
	d, err := s.ServiceRecord(ctx, a, id)
	if err != nil {
		t.Fatal(err)
	}
	var k []string
	for _, f := range d.FlagList {
		if f.Open {
			k = append(k, f.Kind)
		}
	}
	return strings.Join(k, ",")
}

// TestServiceChecks: the sweep flags one worker at two households at once,
// a drive too fast between two households, a photo used twice, a
// recipient who had died and a service more than the weekly plan allows,
// with readable explanations; clean records stay unflagged.
func TestServiceChecks(t *testing.T) {
	clock := storetest.NewClock(at("2026-07-10", "10:00"))
	storetest.EachWith(t, clock, func(t *testing.T, s *sqlstore.Store) {
		clock.Set(at("2026-05-20", "10:00"))
		f := newSettle(t, s)
		if err := s.SetPersonStatus(ctx, f.village, f.chen, sqlstore.StatusChange{Status: safetynet.StatusDeceased, Date: at("2026-05-20", "00:00")}); err != nil {
			t.Fatal(err)
		}
		clock.Set(at("2026-07-10", "10:00"))
		guo, chen := f.org.Workers[0], f.org.Workers[1]
		plan, err := s.SeedServicePlan(ctx, f.org.Contract, f.h1, "cleaning", "weekly", "2026-06-01", "2026-12-31")
		if err != nil {
			t.Fatal(err)
		}
		photo := []byte("\xff\xd8\xff\xe0 same photo")
		a := f.record(guo, f.h1, "2026-06-03", "09:00", "10:00")
		a.Lat, a.Lon = 25_600_000, 103_800_000
		b := f.record(guo, f.h2, "2026-06-03", "09:30", "10:30") // overlaps a
		c := f.record(guo, f.h2, "2026-06-04", "10:05", "10:50")
		c.Lat, c.Lon = 25_645_000, 103_800_000 // 5 km north, 5 minutes after d
		d := f.record(guo, f.h1, "2026-06-04", "09:00", "10:00")
		d.Lat, d.Lon = 25_600_000, 103_800_000
		e := f.record(chen, f.h1, "2026-06-05", "09:00", "10:00")
		e.Photo = photo
		g := f.record(chen, f.h2, "2026-06-06", "09:00", "10:00")
		g.Photo = photo
		dead := f.record(chen, f.h3, "2026-06-07", "09:00", "10:00")
		dead.Person = f.chen
		p1 := f.record(chen, f.h1, "2026-06-15", "09:00", "10:00")
		p1.Plan = plan
		p2 := f.record(chen, f.h1, "2026-06-18", "09:00", "10:00")
		p2.Plan = plan
		clean := f.record(chen, f.h2, "2026-06-22", "15:00", "16:00")
		ids := mustSeed(t, s, a, b, c, d, e, g, dead, p1, p2, clean)
		n, err := s.CheckServiceRecords(ctx, 100)
		if err != nil || n != len(ids) {
			t.Fatalf("sweep = %d, %v", n, err)
		}
		if n, _ := s.CheckServiceRecords(ctx, 100); n != 0 {
			t.Fatalf("second sweep checked %d again", n)
		}
		want := []string{"overlap", "overlap", "travel", "travel", "photo_reused", "photo_reused", "recipient_gone", "", "over_plan", ""}
		for i, id := range ids {
			if got := flagKinds(t, s, f.village, id); got != want[i] {
				t.Errorf("record %d flags = %q, want %q", i, got, want[i])
			}
		}
		det, _ := s.ServiceRecord(ctx, f.village, ids[6])
		if det.Flags != 1 || !strings.Contains(det.FlagList[0].ZH, "陈伯") || !strings.Contains(det.FlagList[0].ZH, "去世") {
			t.Errorf("recipient flag = %+v", det.FlagList)
		}
		det, _ = s.ServiceRecord(ctx, f.village, ids[3])
		if !strings.Contains(det.FlagList[0].ZH, "5 分钟") || !strings.Contains(det.FlagList[0].ZH, "5.0 公里") {
			t.Errorf("travel flag = %+v", det.FlagList)
		}
		det, _ = s.ServiceRecord(ctx, f.village, ids[8])
		if !strings.Contains(det.FlagList[0].ZH, "允许 1 次，已记录 2 次") {
			t.Errorf("plan flag = %+v", det.FlagList)
		}
		l, err := s.ServicesToVerify(ctx, f.village, sqlstore.VerifyFilter{Month: "2026-06", Status: "flagged"})
		if err != nil || len(l) != 8 {
			t.Fatalf("flagged list = %d, %v", len(l), err)
		}
		if !strings.HasPrefix(l[0].FlagZH, "同一时间两处服务：同一服务人员") || !strings.HasPrefix(l[0].FlagEN, "two places at once: ") {
			t.Errorf("the list's flag reads %q / %q", l[0].FlagZH, l[0].FlagEN)
		}
	})
}

// TestVerificationAndSettlement: the village draws a reproducible sample,
// accepts and rejects (a rejection needs a reason, a second reviewer on
// the same version gets a conflict naming the first), the town cannot
// approve while records are pending, approves the right total, and then
// nothing changes in the month; a correction is an adjustment in July.
func TestVerificationAndSettlement(t *testing.T) {
	clock := storetest.NewClock(at("2026-07-02", "09:00"))
	storetest.EachWith(t, clock, func(t *testing.T, s *sqlstore.Store) {
		clock.Set(at("2026-07-02", "09:00"))
		f := newSettle(t, s)
		guo, chen := f.org.Workers[0], f.org.Workers[1]
		var recs []sqlstore.ServiceRecordSeed
		for i := 0; i < 10; i++ {
			day := time.Date(2026, 6, 1+i, 0, 0, 0, 0, time.UTC).Format("2006-01-02")
			w := guo
			if i%2 == 1 {
				w = chen
			}
			r := f.record(w, []int64{f.h1, f.h2}[i%2], day, "09:00", "10:00")
			if i == 9 {
				r.Type = "haircut"
			}
			recs = append(recs, r)
		}
		ids := mustSeed(t, s, recs...)
		seed := int64(20260601)
		s1, err := s.DrawServiceSample(ctx, f.village, sqlstore.SampleInput{Month: "2026-06", Percent: 20, Seed: &seed})
		if err != nil || s1.Drawn != 2 || s1.Pool != 10 || s1.Seed != seed {
			t.Fatalf("sample = %+v, %v", s1, err)
		}
		s2, err := s.DrawServiceSample(ctx, f.village, sqlstore.SampleInput{Month: "2026-06", Percent: 20, Seed: &seed})
		if err != nil {
			t.Fatal(err)
		}
		got := func(id int64) string {
			l, err := s.ServicesToVerify(ctx, f.village, sqlstore.VerifyFilter{Sample: id})
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, r := range l {
				out = append(out, itoa(r.ID))
			}
			return strings.Join(out, ",")
		}
		if a, b := got(s1.ID), got(s2.ID); a != b || a == "" {
			t.Fatalf("the same seed drew %s and %s", a, b)
		}
		audit, err := s.AuditLog(ctx, f.county, safetynet.AuditFilter{Action: "service.sample", Limit: 5})
		if err != nil || len(audit) != 2 || !strings.Contains(audit[0].Detail, `"seed":20260601`) {
			t.Fatalf("audit of the sample = %+v, %v", audit, err)
		}
		_, err = s.DrawServiceSample(ctx, f.grid, sqlstore.SampleInput{Month: "2026-06", Percent: 20})
		wantCode(t, err, safetynet.EForbidden, "grid worker samples")

		// Reviews: a rejection needs a reason; two reviewers on one version.
		rec, err := s.ServiceRecord(ctx, f.village, ids[0])
		if err != nil || rec.HeadName != "宋奶奶" || rec.WorkerName != "郭宗新" || rec.OrgName != "阳光社工" || rec.PriceFen != 3000 {
			t.Fatalf("record = %+v, %v", rec, err)
		}
		err = s.ReviewService(ctx, f.village, ids[0], sqlstore.ServiceReview{Decision: settlement.Reject, Version: rec.Version})
		wantCode(t, err, safetynet.EInvalid, "rejection without reason")
		if err := s.ReviewService(ctx, f.village, ids[0], sqlstore.ServiceReview{Decision: settlement.Accept, Version: rec.Version, Sample: s1.ID}); err != nil {
			t.Fatal(err)
		}
		err = s.ReviewService(ctx, f.town, ids[0], sqlstore.ServiceReview{Decision: settlement.Reject, Reason: "照片模糊", Version: rec.Version})
		if safetynet.CodeOf(err) != safetynet.EConflict || !strings.Contains(err.Error(), "腰站李梅") {
			t.Fatalf("second review on the same version: %v", err)
		}
		// Not before everything is reviewed, and not before the month ends.
		_, err = s.ApproveSettlement(ctx, f.town, f.org.Org, "2026-06", 3000)
		if safetynet.CodeOf(err) != safetynet.EConflict || !strings.Contains(err.Error(), "9 services are pending") {
			t.Fatalf("approve with pending: %v", err)
		}
		for i, id := range ids[1:] {
			r, _ := s.ServiceRecord(ctx, f.village, id)
			in := sqlstore.ServiceReview{Decision: settlement.Accept, Version: r.Version}
			if i == 2 {
				in = sqlstore.ServiceReview{Decision: settlement.Reject, Reason: "户主称当天无人上门", Version: r.Version}
			}
			if err := s.ReviewService(ctx, f.village, id, in); err != nil {
				t.Fatal(err)
			}
		}
		st, err := s.Settlement(ctx, f.town, f.org.Org, "2026-06", 0)
		// 8 cleanings × 30 yuan + 1 haircut × 15 yuan; one rejected.
		if err != nil || st.Accepted != 9 || st.Rejected != 1 || st.TotalFen != 8*3000+1500 || st.Blocked() != 0 || len(st.RejectedList) != 1 ||
			st.RejectedList[0].Reason != "户主称当天无人上门" || len(st.Workers) != 2 || len(st.Budgets) != 1 || st.Budgets[0].RemainingFen != 1_000_000-25500 {
			t.Fatalf("draft = %+v, %v", st, err)
		}
		if _, err := s.Settlement(ctx, f.village, f.org.Org, "2026-06", 0); safetynet.CodeOf(err) != safetynet.EForbidden {
			t.Fatalf("the village reads the payroll: %v", err)
		}
		other := actorOf(mustUser(t, s, access.System(), "xitown", safetynet.RoleTownOfficer, "530325001"))
		if _, err := s.Settlement(ctx, other, f.org.Org, "2026-06", 0); safetynet.CodeOf(err) != safetynet.ENotFound {
			t.Fatalf("another town reads the settlement: %v", err)
		}
		_, err = s.ApproveSettlement(ctx, f.village, f.org.Org, "2026-06", st.TotalFen)
		wantCode(t, err, safetynet.EForbidden, "village approves")
		_, err = s.ApproveSettlement(ctx, f.town, f.org.Org, "2026-06", st.TotalFen+1)
		wantCode(t, err, safetynet.EConflict, "approve a stale total")
		ap, err := s.ApproveSettlement(ctx, f.town, f.org.Org, "2026-06", st.TotalFen)
		if err != nil || !ap.Approved || ap.TotalFen != 25500 {
			t.Fatalf("approve = %+v, %v", ap, err)
		}
		_, err = s.ApproveSettlement(ctx, f.county, f.org.Org, "2026-06", st.TotalFen)
		if safetynet.CodeOf(err) != safetynet.EConflict || !strings.Contains(err.Error(), "approved by") {
			t.Fatalf("second approval: %v", err)
		}
		// Closed: no review; the hook the recording calls says so.
		r, _ := s.ServiceRecord(ctx, f.village, ids[3])
		if !r.Closed {
			t.Error("the record does not show its month closed")
		}
		err = s.ReviewService(ctx, f.village, ids[3], sqlstore.ServiceReview{Decision: settlement.Reject, Reason: "复查", Version: r.Version})
		wantCode(t, err, safetynet.EConflict, "review in a closed month")
		if closed, err := sqlstore.SettlementMonthClosedForTest(ctx, s, f.org.Org, "2026-06"); err != nil || !closed {
			t.Fatalf("hook = %v, %v", closed, err)
		}
		if closed, _ := sqlstore.SettlementMonthClosedForTest(ctx, s, f.org.Org, "2026-07"); closed {
			t.Fatal("July is closed")
		}
		// Later records of June are refused a review too, and the approved sheet does not move.
		late := mustSeed(t, s, f.record(guo, f.h1, "2026-06-30", "09:00", "10:00"))
		lr, _ := s.ServiceRecord(ctx, f.village, late[0])
		wantCode(t, s.ReviewService(ctx, f.village, late[0], sqlstore.ServiceReview{Decision: settlement.Accept, Version: lr.Version}),
			safetynet.EConflict, "review a late record")
		again, _ := s.Settlement(ctx, f.town, f.org.Org, "2026-06", 0)
		if again.TotalFen != 25500 || !again.Approved || again.Approver != "shengjing" {
			t.Fatalf("approved sheet = %+v", again)
		}
		// A correction: 30 yuan taken back in July, with a reason.
		in := sqlstore.AdjustmentInput{ClientID: "adjust-0001", AboutMonth: "2026-06", ContractID: f.org.Contract, WorkerID: guo, RecordID: ids[0],
			AmountFen: -3000, Reason: "复核发现重复记录"}
		_, _, err = s.AddSettlementAdjustment(ctx, f.town, f.org.Org, "2026-06", in)
		wantCode(t, err, safetynet.EInvalid, "adjust inside the closed month")
		if _, dup, err := s.AddSettlementAdjustment(ctx, f.town, f.org.Org, "2026-07", in); err != nil || dup {
			t.Fatalf("adjustment = %v %v", dup, err)
		}
		if _, dup, err := s.AddSettlementAdjustment(ctx, f.town, f.org.Org, "2026-07", in); err != nil || !dup {
			t.Fatalf("resent adjustment = %v %v", dup, err)
		}
		bad := in
		bad.ClientID, bad.Reason = "adjust-0002", " "
		_, _, err = s.AddSettlementAdjustment(ctx, f.town, f.org.Org, "2026-07", bad)
		wantCode(t, err, safetynet.EInvalid, "adjustment without a reason")
		jul, err := s.Settlement(ctx, f.town, f.org.Org, "2026-07", 0)
		if err != nil || jul.TotalFen != -3000 || len(jul.Adjustments) != 1 || jul.Budgets[0].SpentBeforeFen != 25500 {
			t.Fatalf("july = %+v, %v", jul, err)
		}
		// Figures: June beside May, by type and provider; what is settled.
		fig, err := s.ServiceFiguresOf(ctx, f.town, "", "2026-06", "2026-06")
		if err != nil || fig.Place.Current.Services != 11 || fig.Place.Current.Households != 2 || fig.Place.Current.Reviewed != 10 ||
			fig.Place.Current.Rejected != 1 || fig.Place.Current.SettledFen != 25500 || fig.Place.Previous.Services != 0 || fig.PrevFrom != "2026-05" ||
			len(fig.ByType) != 2 || fig.ByType[0].Key != "cleaning" || fig.ByType[0].Current.Services != 10 || len(fig.ByProvider) != 1 ||
			fig.Place.Current.VerifiedRate() != 90.9 || fig.Place.Current.RejectedRate() != 10 {
			t.Fatalf("figures = %+v, %v", fig, err)
		}
		var village sqlstore.ServicePlaceFigures
		for _, c := range fig.ByChild {
			if c.Place.Code == "530325002009" {
				village = c
			}
		}
		if village.Current.Services != 11 {
			t.Fatalf("figures by child = %+v", fig.ByChild)
		}
		list, err := s.Settlements(ctx, f.town, "2026-06")
		if err != nil || len(list) != 1 || !list[0].Approved || list[0].AmountFen != 25500 {
			t.Fatalf("settlements = %+v, %v", list, err)
		}
	})
}

// TestApproveRacesReview: the town approves a month while the village
// rejects its last accepted record; exactly one of them wins, on both
// databases, and the approved sheet matches the records.
func TestApproveRacesReview(t *testing.T) {
	clock := storetest.NewClock(at("2026-07-02", "09:00"))
	storetest.EachWith(t, clock, func(t *testing.T, s *sqlstore.Store) {
		clock.Set(at("2026-07-02", "09:00"))
		f := newSettle(t, s)
		for round := 0; round < 6; round++ {
			month := time.Date(2026, time.Month(1+round), 1, 0, 0, 0, 0, time.UTC).Format("2006-01")
			ids := mustSeed(t, s, f.record(f.org.Workers[0], f.h1, month+"-10", "09:00", "10:00"))
			r, _ := s.ServiceRecord(ctx, f.village, ids[0])
			if err := s.ReviewService(ctx, f.village, ids[0], sqlstore.ServiceReview{Decision: settlement.Accept, Version: r.Version}); err != nil {
				t.Fatal(err)
			}
			r, _ = s.ServiceRecord(ctx, f.village, ids[0])
			var wg sync.WaitGroup
			var reviewErr, approveErr error
			wg.Add(2)
			go func() {
				defer wg.Done()
				reviewErr = s.ReviewService(ctx, f.village, ids[0], sqlstore.ServiceReview{Decision: settlement.Reject, Reason: "抽查未通过", Version: r.Version})
			}()
			go func() {
				defer wg.Done()
				_, approveErr = s.ApproveSettlement(ctx, f.town, f.org.Org, month, 3000)
			}()
			wg.Wait()
			if (reviewErr == nil) == (approveErr == nil) {
				t.Fatalf("%s: review %v, approve %v: want exactly one to win", month, reviewErr, approveErr)
			}
			for _, err := range []error{reviewErr, approveErr} {
				if err != nil && safetynet.CodeOf(err) != safetynet.EConflict {
					t.Fatalf("%s: the loser got %v, want a conflict", month, err)
				}
			}
			st, _ := s.Settlement(ctx, f.town, f.org.Org, month, 0)
			r, _ = s.ServiceRecord(ctx, f.village, ids[0])
			if approveErr == nil && (r.Status != "accepted" || st.TotalFen != 3000) || reviewErr == nil && (r.Status != "rejected" || st.Approved) {
				t.Fatalf("%s: record %s, sheet %+v", month, r.Status, st)
			}
		}
	})
}

// TestApproveRacesRecording: a service recorded into a month while the
// town approves it: the recording waits for the month's lock, so either it
// lands first (and the approval is refused: a pending service) or it is
// refused (the month is closed) — never a record in a closed month.
func TestApproveRacesRecording(t *testing.T) {
	clock := storetest.NewClock(at("2026-07-02", "09:00"))
	storetest.EachWith(t, clock, func(t *testing.T, s *sqlstore.Store) {
		clock.Set(at("2026-07-02", "09:00"))
		f := newSettle(t, s)
		for round := 0; round < 6; round++ {
			month := time.Date(2026, time.Month(1+round), 1, 0, 0, 0, 0, time.UTC).Format("2006-01")
			start := at(month+"-20", "09:00").Unix()
			var recErr, approveErr error
			var wg sync.WaitGroup
			wg.Add(2)
			go func() {
				defer wg.Done()
				recErr = sqlstore.RecordLikeServicesForTest(ctx, s, f.org.Contract, f.org.Org, f.org.Workers[0], f.h1, start, month)
			}()
			go func() {
				defer wg.Done()
				_, approveErr = s.ApproveSettlement(ctx, f.town, f.org.Org, month, 0)
			}()
			wg.Wait()
			if (recErr == nil) == (approveErr == nil) {
				t.Fatalf("%s: record %v, approve %v: want exactly one to win", month, recErr, approveErr)
			}
			st, _ := s.Settlement(ctx, f.town, f.org.Org, month, 0)
			if approveErr == nil && st.Pending+st.Accepted != 0 || recErr == nil && (st.Approved || st.Pending != 1) {
				t.Fatalf("%s: sheet %+v", month, st)
			}
		}
	})
}
