package sqlstore_test

import (
	"testing"
	"time"

	"safetynet"
	"safetynet/access"
	"safetynet/certification"
	"safetynet/sqlstore"
	"safetynet/sqlstore/storetest"
)

func dueList(t *testing.T, s *sqlstore.Store, a access.Actor) []sqlstore.CertificationDue {
	t.Helper()
	l, err := s.CertificationsDue(ctx, a, certification.Window)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// TestCertificationCycle: a 低保 household's member is due within 30 days,
// the grid worker records a face recognition once (a resend is the same
// record), a year later the certification is missed, the county puts the
// payment under suspension review, a late certification restores it, and
// the end of the measure sets the recipient aside.
func TestCertificationCycle(t *testing.T) {
	start := time.Date(2026, 2, 27, 10, 0, 0, 0, certification.Zone)
	clock := storetest.NewClock(start)
	storetest.EachWith(t, clock, func(t *testing.T, s *sqlstore.Store) {
		clock.Set(start)
		f := newRelay(t, s)
		sys := access.System()
		other := actorOf(mustUser(t, s, sys, "xiyang", safetynet.RoleVillageStaff, "530325002010"))
		volunteer := actorOf(mustUser(t, s, sys, "vol", safetynet.RoleVolunteer, "530325002009"))
		asg, err := s.AssignCategory(ctx, f.village, safetynet.SubjectHousehold, f.household, safetynet.NewAssignment{Category: "dibao",
			Start: time.Date(2025, 3, 10, 0, 0, 0, 0, time.UTC), Reason: "低保审批"})
		if err != nil {
			t.Fatal(err)
		}
		res, err := s.RefreshCertifications(ctx, false)
		if err != nil || res.Created != 1 || res.Reminders != 1 {
			t.Fatalf("refresh = %+v, %v", res, err)
		}
		if res, _ := s.RefreshCertifications(ctx, false); !res.Skipped {
			t.Fatalf("second refresh the same day without change = %+v, want skipped", res)
		}
		// Views change nothing: still skipped; a change of the register is not.
		if _, err := s.HouseholdView(ctx, f.village, f.household); err != nil {
			t.Fatal(err)
		}
		if res, _ := s.RefreshCertifications(ctx, false); !res.Skipped {
			t.Fatalf("refresh after a view = %+v, want skipped", res)
		}
		if _, err := s.AssignCategory(ctx, f.village, safetynet.SubjectHousehold, f.household, safetynet.NewAssignment{Category: "tuopin",
			Start: time.Date(2025, 3, 10, 0, 0, 0, 0, time.UTC), Reason: "脱贫"}); err != nil {
			t.Fatal(err)
		}
		if res, err := s.RefreshCertifications(ctx, false); err != nil || res.Skipped || res.Created != 0 {
			t.Fatalf("refresh after a change = %+v, %v; want run, nothing new", res, err)
		}
		l := dueList(t, s, f.grid)
		if len(l) != 1 || l[0].PersonName != "宋奶奶" || l[0].Measure != "dibao" || l[0].MeasureZH != "最低生活保障" ||
			l[0].DueDate.Format("2006-01-02") != "2026-03-10" || l[0].Status != certification.StatusDue || l[0].DaysLeft != 11 {
			t.Fatalf("due list = %+v", l)
		}
		if l := dueList(t, s, other); len(l) != 0 {
			t.Fatalf("the neighbouring village sees %+v", l)
		}
		_, err = s.CertificationsDue(ctx, volunteer, certification.Window)
		wantCode(t, err, safetynet.EForbidden, "volunteer")
		// The reminder: 11 days before the due date it is the village's.
		items, _, err := s.WorkList(ctx, f.village, sqlstore.WorkFilter{})
		if err != nil || len(items) != 1 || items[0].Kind != certification.KindDue || items[0].Level != safetynet.LevelVillage ||
			items[0].HouseholdID != f.household {
			t.Fatalf("work list = %+v, %v", items, err)
		}
		// Unanswered, the reminder climbs on the relay's clocks: the town a
		// week before the due date, and its officers are told.
		clock.Set(time.Date(2026, 3, 5, 9, 0, 0, 0, certification.Zone))
		if res, err := s.Escalate(ctx); err != nil || res.Escalated != 1 {
			t.Fatalf("sweep = %+v, %v", res, err)
		}
		items, _, err = s.WorkList(ctx, f.town, sqlstore.WorkFilter{Mine: true})
		if err != nil || len(items) != 1 || items[0].Level != safetynet.LevelTown {
			t.Fatalf("town work = %+v, %v", items, err)
		}
		if unread(t, s, f.town) == 0 {
			t.Error("the town was not told")
		}
		clock.Set(start)
		id := l[0].ID
		_, _, err = s.RecordCertification(ctx, f.grid, id, sqlstore.CertificationInput{ClientID: "cert-0001",
			Record: certification.Record{Method: certification.MethodHome, On: clock.Now()}})
		wantCode(t, err, safetynet.EInvalid, "home visit without a photo")
		_, _, err = s.RecordCertification(ctx, volunteer, id, sqlstore.CertificationInput{ClientID: "cert-0001",
			Record: certification.Record{Method: certification.MethodFace, On: clock.Now()}})
		wantCode(t, err, safetynet.EForbidden, "volunteer records")
		in := sqlstore.CertificationInput{ClientID: "cert-0001", Record: certification.Record{Method: certification.MethodFace, On: clock.Now()}}
		rid, dup, err := s.RecordCertification(ctx, f.grid, id, in)
		if err != nil || dup {
			t.Fatal(dup, err)
		}
		again, dup, err := s.RecordCertification(ctx, f.grid, id, in)
		if err != nil || !dup || again != rid {
			t.Fatalf("resend = %d %v %v", again, dup, err)
		}
		d, err := s.Certification(ctx, f.village, id)
		if err != nil || len(d.Records) != 1 || d.DueDate.Format("2006-01-02") != "2027-02-27" || !d.LastDone.Equal(certification.Day(start)) {
			t.Fatalf("after the record = %+v, %v", d, err)
		}
		if items, _, _ := s.WorkList(ctx, f.village, sqlstore.WorkFilter{}); len(items) != 0 {
			t.Fatalf("the reminder stays open: %+v", items)
		}
		if l := dueList(t, s, f.grid); len(l) != 0 {
			t.Fatalf("still due: %+v", l)
		}
		// A year and a month later nobody has certified: overdue, at the county.
		clock.Set(time.Date(2027, 3, 30, 9, 0, 0, 0, certification.Zone))
		if res, err := s.RefreshCertifications(ctx, false); err != nil || res.Reminders != 1 {
			t.Fatalf("refresh = %+v, %v", res, err)
		}
		over, err := s.Certifications(ctx, f.county, sqlstore.CertificationFilter{Overdue: true})
		if err != nil || len(over) != 1 || over[0].Status != certification.StatusOverdue || over[0].DaysLeft != -31 {
			t.Fatalf("overdue = %+v, %v", over, err)
		}
		items, _, err = s.WorkList(ctx, f.county, sqlstore.WorkFilter{Mine: true})
		if err != nil || len(items) != 1 || items[0].Level != safetynet.LevelCounty {
			t.Fatalf("county work = %+v, %v", items, err)
		}
		err = s.ReviewCertification(ctx, f.grid, id, certification.ReviewSuspend, "", over[0].Version)
		wantCode(t, err, safetynet.EForbidden, "grid worker reviews")
		err = s.ReviewCertification(ctx, f.county, id, certification.ReviewRestored, "", over[0].Version)
		wantCode(t, err, safetynet.EInvalid, "restore what was not suspended")
		err = s.ReviewCertification(ctx, f.county, id, certification.ReviewSuspend, "联系不上本人", over[0].Version-1)
		wantCode(t, err, safetynet.EConflict, "stale version")
		if err := s.ReviewCertification(ctx, f.county, id, certification.ReviewSuspend, "联系不上本人", over[0].Version); err != nil {
			t.Fatal(err)
		}
		sus, _ := s.Certifications(ctx, f.county, sqlstore.CertificationFilter{Overdue: true, Review: certification.ReviewSuspend})
		if len(sus) != 1 {
			t.Fatalf("suspension review list = %+v", sus)
		}
		// The late certification restores it; the next cycle starts from its day.
		_, _, err = s.RecordCertification(ctx, f.grid, id, sqlstore.CertificationInput{ClientID: "cert-0002",
			Record: certification.Record{Method: certification.MethodData, On: clock.Now()}})
		wantCode(t, err, safetynet.EInvalid, "data comparison without its record")
		if _, _, err := s.RecordCertification(ctx, f.grid, id, sqlstore.CertificationInput{ClientID: "cert-0002",
			Record: certification.Record{Method: certification.MethodData, On: clock.Now(), Evidence: "县人民医院住院记录"}}); err != nil {
			t.Fatal(err)
		}
		d, _ = s.Certification(ctx, f.county, id)
		if d.Review != certification.ReviewRestored || d.Status != certification.StatusOK || len(d.Reviews) != 2 || !d.Records[0].Late ||
			d.DueDate.Format("2006-01-02") != "2028-03-30" {
			t.Fatalf("after the late certification = %+v", d)
		}
		fig, err := s.CertificationFigures(ctx, f.county, "530325002", time.Date(2027, 3, 1, 0, 0, 0, 0, certification.Zone),
			time.Date(2027, 4, 1, 0, 0, 0, 0, certification.Zone))
		if err != nil || fig.Place.Current.Data != 1 || fig.Place.Current.Late != 1 || fig.Place.Current.Done != 1 ||
			fig.Place.Previous.Done != 0 || fig.Place.Current.Missed != 0 || len(fig.ByChild) == 0 {
			t.Fatalf("figures = %+v, %v", fig, err)
		}
		fig, _ = s.CertificationFigures(ctx, f.county, "530325002", time.Date(2027, 2, 1, 0, 0, 0, 0, certification.Zone),
			time.Date(2027, 3, 1, 0, 0, 0, 0, certification.Zone))
		if fig.Place.Current.Missed != 1 || fig.Place.Previous.Face != 0 {
			t.Fatalf("February figures = %+v", fig.Place)
		}
		// The measure ends: the recipient is set aside.
		if err := s.EndCategory(ctx, f.village, asg, safetynet.EndAssignment{End: clock.Now(), Reason: "exited"}); err != nil {
			t.Fatal(err)
		}
		if res, err := s.RefreshCertifications(ctx, false); err != nil || res.Ended != 1 {
			t.Fatalf("refresh after the end = %+v, %v", res, err)
		}
		over, _ = s.Certifications(ctx, f.county, sqlstore.CertificationFilter{Within: 400 * 24 * time.Hour})
		if len(over) != 0 {
			t.Fatalf("still listed: %+v", over)
		}
	})
}

// TestCertificationSettings: a county officer makes 特困供养 yearly; a
// village cannot; a bad interval is refused with its field.
func TestCertificationSettings(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		f := newRelay(t, s)
		set, err := s.CertificationSettings(ctx, f.county)
		if err != nil {
			t.Fatal(err)
		}
		var tekun sqlstore.CertificationSetting
		for _, x := range set {
			if x.Measure == "tekun" {
				tekun = x
			}
		}
		if tekun.Months != 6 || !tekun.Active || tekun.ZH != "特困人员供养" {
			t.Fatalf("tekun = %+v", tekun)
		}
		err = s.SetCertificationSetting(ctx, f.village, certification.Setting{Measure: "tekun", Months: 12, Active: true}, tekun.Version)
		wantCode(t, err, safetynet.EForbidden, "village sets")
		err = s.SetCertificationSetting(ctx, f.county, certification.Setting{Measure: "tekun", Months: 7, Active: true}, tekun.Version)
		if e, ok := err.(*safetynet.Error); !ok || e.Field != "months" {
			t.Fatalf("7 months: %v", err)
		}
		if err := s.SetCertificationSetting(ctx, f.county, certification.Setting{Measure: "tekun", Months: 12, Active: true}, tekun.Version); err != nil {
			t.Fatal(err)
		}
		err = s.SetCertificationSetting(ctx, f.county, certification.Setting{Measure: "tekun", Months: 6, Active: true}, tekun.Version)
		wantCode(t, err, safetynet.EConflict, "stale setting")
	})
}
