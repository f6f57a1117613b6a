package sqlstore_test

import (
	"testing"
	"time"

	"safetynet"
	"safetynet/access"
	"safetynet/certification"
	"safetynet/sqlstore"
	"safetynet/sqlstore/storetest"
	"safetynet/visits"
)

// TestCoverageByKindAndLevel: the figures count the visits of a period by
// kind (home visit, phone call, seen in passing) and by level (grid
// worker, village and town cadres, neighbour; a social worker is another),
// with the previous period
// beside, and the survival certifications recorded, missed and overdue.
func TestCoverageByKindAndLevel(t *testing.T) {
	sh := visits.Zone("")
	clock := storetest.NewClock(time.Date(2027, 2, 25, 10, 0, 0, 0, sh))
	storetest.EachWith(t, clock, func(t *testing.T, s *sqlstore.Store) {
		clock.Set(time.Date(2027, 2, 25, 10, 0, 0, 0, sh))
		f := newRelay(t, s)
		sys := access.System()
		vol := actorOf(mustUser(t, s, sys, "linju", safetynet.RoleVolunteer, "530325002009"))
		social := actorOf(mustUser(t, s, sys, "shegong", safetynet.RoleSocialWorker, "530325002"))
		for _, p := range []sqlstore.NewVisitPair{{HouseholdID: f.household, Level: visits.LevelNeighbour, UserID: vol.UserID},
			{HouseholdID: f.household, Level: visits.LevelTown, UserID: f.town.UserID},
			{HouseholdID: f.household, Level: visits.LevelVillage, UserID: f.village.UserID}} {
			if _, err := s.PairVisitor(ctx, f.village, p); err != nil {
				t.Fatal(err)
			}
		}
		// 低保 since 5 March 2026: due on 5 March 2027.
		if _, err := s.AssignCategory(ctx, f.village, safetynet.SubjectHousehold, f.household, safetynet.NewAssignment{Category: "dibao",
			Start: time.Date(2026, 3, 5, 0, 0, 0, 0, time.UTC), Reason: "低保审批"}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.RefreshCertifications(ctx, true); err != nil {
			t.Fatal(err)
		}
		visit := func(a access.Actor, id, kind string) {
			t.Helper()
			if _, _, err := s.RecordVisit(ctx, a, visits.NewVisit{ClientID: id, HouseholdID: f.household, Kind: kind, Result: visits.ResultFine}); err != nil {
				t.Fatalf("%s: %v", id, err)
			}
		}
		visit(f.grid, "cov-prev", visits.KindCall) // the previous period
		clock.Set(time.Date(2027, 3, 8, 15, 0, 0, 0, sh))
		visit(f.grid, "cov-1", visits.KindHome)
		visit(f.village, "cov-2", visits.KindPassing)
		visit(f.town, "cov-3", visits.KindCall)
		visit(vol, "cov-4", visits.KindCall)
		visit(social, "cov-5", visits.KindHome)
		from, to := time.Date(2027, 3, 1, 0, 0, 0, 0, sh), time.Date(2027, 3, 11, 0, 0, 0, 0, sh)
		cov, err := s.VisitCoverage(ctx, f.county, "530325002", from, to, 7)
		if err != nil {
			t.Fatal(err)
		}
		var row sqlstore.CoverageRow
		for _, r := range cov.Rows {
			if r.PlaceCode == "530325002009" {
				row = r
			}
		}
		now, prev := row.Now, row.Previous
		if now.Visits != 5 || now.Home != 2 || now.Call != 2 || now.Passing != 1 || now.ByGrid != 1 || now.ByVillage != 1 ||
			now.ByTown != 1 || now.ByNeighbour != 1 || now.ByOther != 1 || now.CadreVisits != 2 {
			t.Errorf("this period = %+v", now)
		}
		if prev.Visits != 1 || prev.Call != 1 || prev.ByGrid != 1 || prev.Home != 0 {
			t.Errorf("previous period = %+v", prev)
		}
		// Due on 5 March and not done by 8 March: missed, and overdue now.
		if now.CertMissed != 1 || now.Certified != 0 || row.CertOverdue != 1 || cov.Total.CertOverdue != 1 || cov.Total.Now.Home != 2 {
			t.Errorf("certifications = %+v overdue %d; total %+v", now, row.CertOverdue, cov.Total)
		}
		// Certified late on 9 March: done, still missed, no longer overdue.
		clock.Set(time.Date(2027, 3, 9, 9, 0, 0, 0, sh))
		l, err := s.Certifications(ctx, f.grid, sqlstore.CertificationFilter{Overdue: true})
		if err != nil || len(l) != 1 {
			t.Fatalf("overdue = %+v %v", l, err)
		}
		if _, _, err := s.RecordCertification(ctx, f.grid, l[0].ID, sqlstore.CertificationInput{ClientID: "cov-cert-1",
			Record: certification.Record{Method: certification.MethodFace, On: clock.Now()}}); err != nil {
			t.Fatal(err)
		}
		cov, err = s.VisitCoverage(ctx, f.county, "530325002", from, to, 7)
		if err != nil {
			t.Fatal(err)
		}
		if tot := cov.Total; tot.Now.Certified != 1 || tot.Now.CertMissed != 1 || tot.CertOverdue != 0 || tot.Previous.Certified != 0 {
			t.Errorf("after the late certification = %+v", tot)
		}
		// The town's own staff see the same; a grid worker has no figures.
		if _, err := s.VisitCoverage(ctx, f.town, "", from, to, 7); err != nil {
			t.Fatal(err)
		}
		_, err = s.VisitCoverage(ctx, f.grid, "", from, to, 7)
		wantCode(t, err, safetynet.EForbidden, "grid worker's figures")
	})
}
