package demo_test

import (
	"context"
	"testing"

	"safetynet"
	"safetynet/access"
	"safetynet/demo"
	"safetynet/inspections"
	"safetynet/sqlstore"
	"safetynet/sqlstore/storetest"
)

// TestRectifyDemo: the demo's inspection of 布隆吉乡 has an overdue
// rectification escalated to 布隆吉乡, one reported and one accepted, and
// 布隆吉村's score counts them.
func TestRectifyDemo(t *testing.T) {
	ctx := context.Background()
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		if _, err := demo.Load(ctx, s, demo.Options{}); err != nil {
			t.Fatal(err)
		}
		actor := func(name string) access.Actor {
			u, err := s.UserByUsername(ctx, access.System(), name)
			if err != nil {
				t.Fatal(err)
			}
			return access.Actor{UserID: u.ID, Username: u.Username, Role: u.Role, Place: u.PlaceCode}
		}
		l, n, err := s.Rectifications(ctx, actor("blj-town"), sqlstore.RectifyFilter{})
		if err != nil || n != 3 {
			t.Fatalf("rectifications = %d, %v", n, err)
		}
		got := map[string]sqlstore.Rectification{}
		for _, r := range l {
			got[r.Status] = r
		}
		o := got[inspections.RectifyOpen]
		if !o.Overdue || o.Level != safetynet.LevelTown || o.Escalations != 1 || got[inspections.RectifyReported].ID == 0 || got[inspections.RectifyAccepted].ID == 0 {
			t.Fatalf("demo rectifications = %+v", l)
		}
		work, _, err := s.WorkList(ctx, actor("blj-town"), sqlstore.WorkFilter{Mine: true})
		found := false
		for _, w := range work {
			found = found || (w.Kind == inspections.KindRectify && w.ItemID == o.ID)
		}
		if err != nil || !found {
			t.Fatalf("the town's work list lacks the escalated rectification: %+v, %v", work, err)
		}
		d, err := s.VillageScoreDetail(ctx, actor("gz-inspector"), o.InspectionID, demo.Bulongjicun)
		// 100 − 8 (ledger) − 10 (a household not found) − 5 (overdue).
		if err != nil || d.Score.Score != 77 || d.Overdue != 1 || d.NotFound != 1 {
			t.Fatalf("布隆吉村's score = %+v, %v", d.Score, err)
		}
	})
}
