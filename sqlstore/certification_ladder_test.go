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

// TestCertificationReminderLadder: a certification due on 31 May (a
// month's end) is the grid worker's until 18 May, then climbs on the
// relay's clocks — to the village, the town, and at the end of 31 May
// local time (not UTC) to the county, once each however often the sweep
// runs; the county suspends the overdue payment for review, and a late
// certification restores it and closes the reminder.
func TestCertificationReminderLadder(t *testing.T) {
	sh := certification.Zone
	start := time.Date(2026, 5, 6, 9, 0, 0, 0, sh)
	clock := storetest.NewClock(start)
	storetest.EachWith(t, clock, func(t *testing.T, s *sqlstore.Store) {
		clock.Set(start)
		f := newRelay(t, s)
		if _, err := s.AssignCategory(ctx, f.village, safetynet.SubjectHousehold, f.household, safetynet.NewAssignment{Category: "dibao",
			Start: time.Date(2025, 5, 31, 0, 0, 0, 0, time.UTC), Reason: "低保审批"}); err != nil {
			t.Fatal(err)
		}
		if res, err := s.RefreshCertifications(ctx, false); err != nil || res.Created != 1 || res.Reminders != 1 {
			t.Fatalf("refresh = %+v %v", res, err)
		}
		l := dueList(t, s, f.grid)
		if len(l) != 1 || l[0].DueDate.Format("2006-01-02") != "2026-05-31" || l[0].DaysLeft != 25 {
			t.Fatalf("due = %+v", l)
		}
		id := l[0].ID
		mine := func(a access.Actor) []sqlstore.WorkItem {
			t.Helper()
			items, _, err := s.WorkList(ctx, a, sqlstore.WorkFilter{Mine: true})
			if err != nil {
				t.Fatal(err)
			}
			var out []sqlstore.WorkItem
			for _, it := range items {
				if it.Kind == certification.KindDue {
					out = append(out, it)
				}
			}
			return out
		}
		at := func(a access.Actor, level safetynet.Level, when string) {
			t.Helper()
			items := mine(a)
			if len(items) != 1 || items[0].Level != level || items[0].HouseholdID != f.household {
				t.Fatalf("%s: %s's reminders = %+v, want one at %s", when, a.Username, items, level)
			}
		}
		sweep := func(when time.Time, want int) {
			t.Helper()
			clock.Set(when)
			for i := range 2 { // a second sweep moves nothing more
				res, err := s.Escalate(ctx)
				if err != nil {
					t.Fatal(err)
				}
				if i == 0 && res.Escalated != want || i == 1 && res.Escalated != 0 {
					t.Fatalf("sweep %d at %s = %+v, want %d", i, when, res, want)
				}
			}
		}
		at(f.grid, safetynet.LevelGrid, "6 May")
		sweep(time.Date(2026, 5, 17, 23, 59, 0, 0, sh), 0)
		sweep(time.Date(2026, 5, 18, 0, 1, 0, 0, sh), 1)
		at(f.village, safetynet.LevelVillage, "18 May")
		if unread(t, s, f.village) == 0 {
			t.Error("the village was not told")
		}
		sweep(time.Date(2026, 5, 25, 0, 1, 0, 0, sh), 1)
		at(f.town, safetynet.LevelTown, "25 May")
		// 31 May 23:59 in Shanghai is 15:59 UTC: still the town's day.
		sweep(time.Date(2026, 5, 31, 15, 59, 0, 0, time.UTC), 0)
		sweep(time.Date(2026, 5, 31, 16, 1, 0, 0, time.UTC), 1)
		at(f.county, safetynet.LevelCounty, "1 June")
		if n := len(mine(f.town)); n != 0 {
			t.Fatalf("the town still has %d", n)
		}
		sweep(time.Date(2026, 6, 9, 0, 1, 0, 0, sh), 0) // at the county it stays, overdue
		// The county's suspension review, and the late certification.
		clock.Set(time.Date(2026, 6, 9, 10, 0, 0, 0, sh))
		over, err := s.Certifications(ctx, f.county, sqlstore.CertificationFilter{Overdue: true, Review: "none"})
		if err != nil || len(over) != 1 || over[0].DaysOver() != 9 {
			t.Fatalf("to review = %+v %v", over, err)
		}
		if err := s.ReviewCertification(ctx, f.county, id, certification.ReviewSuspend, "联系不上本人", over[0].Version); err != nil {
			t.Fatal(err)
		}
		clock.Set(time.Date(2026, 6, 10, 16, 30, 0, 0, time.UTC)) // 11 June, 00:30 in Shanghai
		if _, _, err := s.RecordCertification(ctx, f.grid, id, sqlstore.CertificationInput{ClientID: "ladder-0001",
			Record: certification.Record{Method: certification.MethodHome, On: clock.Now(), Photo: []byte{0xff, 0xd8, 0xff, 0xe0}}}); err != nil {
			t.Fatal(err)
		}
		d, err := s.Certification(ctx, f.county, id)
		if err != nil || d.Review != certification.ReviewRestored || len(d.Records) != 1 || !d.Records[0].Late ||
			d.Records[0].On.Format("2006-01-02") != "2026-06-11" || d.DueDate.Format("2006-01-02") != "2027-06-11" ||
			len(d.Reviews) != 2 || d.Reviews[0].Decision != certification.ReviewRestored {
			t.Fatalf("after the late certification = %+v %v", d, err)
		}
		if n := len(mine(f.county)); n != 0 {
			t.Fatalf("the county's reminder stays open (%d)", n)
		}
		if l, _ := s.Certifications(ctx, f.county, sqlstore.CertificationFilter{Overdue: true, Review: certification.ReviewSuspend}); len(l) != 0 {
			t.Fatalf("still on the suspension list: %+v", l)
		}
	})
}
