package sqlstore_test

import (
	"strings"
	"testing"

	"safetynet"
	"safetynet/access"
	"safetynet/sqlstore"
	"safetynet/sqlstore/storetest"
)

// A stale version names the person who last changed the record, by
// display name, not the one who last viewed it (views are audited too).
func TestConflictNamesLastChange(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		f := newRegister(t, s)
		town, err := s.CreateUser(ctx, access.System(), safetynet.NewUser{Username: "shengjing", DisplayName: "胜境街道 钱多",
			Role: safetynet.RoleTownOfficer, PlaceCode: "530325002", Password: "secret-shengjing"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.UpdateUser(ctx, access.System(), f.staff.UserID, safetynet.UserUpdate{DisplayName: ptr("腰站专干 孙梅"), Version: 1}); err != nil {
			t.Fatal(err)
		}
		hh, err := s.CreateHousehold(ctx, f.staff, safetynet.HouseholdInput{PlaceCode: "530325002009-01-01", Address: "棠梨湾3号"},
			safetynet.PersonInput{Name: "周桂兰"})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.UpdateHousehold(ctx, f.staff, hh, safetynet.HouseholdPatch{Address: ptr("棠梨湾4号")}, 1); err != nil {
			t.Fatal(err)
		}
		// The town officer opens the household (audited), then saves the
		// copy read before the change.
		townActor := actorOf(town)
		if _, err := s.HouseholdView(ctx, townActor, hh); err != nil {
			t.Fatal(err)
		}
		err = s.UpdateHousehold(ctx, townActor, hh, safetynet.HouseholdPatch{Address: ptr("棠梨湾5号")}, 1)
		e := safetynet.AsError(err)
		if e == nil || e.Code != safetynet.EConflict {
			t.Fatalf("stale version: %v", err)
		}
		if !strings.Contains(e.ZH, "腰站专干 孙梅") || strings.Contains(e.ZH, "钱多") || strings.Contains(e.EN, "shengjing") {
			t.Errorf("conflict names %q / %q, want the last change by 腰站专干 孙梅", e.ZH, e.EN)
		}
	})
}

func ptr[T any](v T) *T { return &v }
