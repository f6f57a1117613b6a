package sqlstore_test

import (
	"sort"
	"strings"
	"testing"

	"safetynet"
	"safetynet/access"
	"safetynet/idcard"
	"safetynet/sqlstore"
	"safetynet/sqlstore/storetest"
)

// Name search looks up the words keyed by the user's scope: whoever
// searches a common name finds exactly its holders in their scope — at
// every level, after a household moves, and never one outside it.
func TestSearchNeverLeavesScope(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		mustImport(t, s, smallTree+"530325002009-01,棠梨湾居民小组,group,530325002009\n530325002009-01-01,棠梨湾第一网格,grid,530325002009-01\n"+
			"530324,罗平县,county,5303\n530324001,罗雄街道,town,530324\n530324001001,某村,village,530324001\n")
		sys := access.System()
		places := []string{"530325002009-01-01", "530325002009", "530325002010", "530325001001", "530324001001"}
		byPlace := map[string]int64{}
		for i, p := range places {
			id, err := s.CreateHousehold(ctx, sys, safetynet.HouseholdInput{PlaceCode: p, Address: "同名路" + string(rune('1'+i)) + "号"},
				safetynet.PersonInput{Name: "张丽", IDNumber: newID("1980-01-0"+string(rune('1'+i)), idcard.Female)})
			if err != nil {
				t.Fatal(err)
			}
			byPlace[p] = id
		}
		// A longer name that holds the short one, and a name that does not.
		if _, err := s.CreateHousehold(ctx, sys, safetynet.HouseholdInput{PlaceCode: "530325002009", Address: "同名路9号"},
			safetynet.PersonInput{Name: "张丽华", IDNumber: newID("1981-02-02", idcard.Female)}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.CreateHousehold(ctx, sys, safetynet.HouseholdInput{PlaceCode: "530324001001", Address: "同名路8号"},
			safetynet.PersonInput{Name: "张华丽", IDNumber: newID("1982-03-03", idcard.Female)}); err != nil {
			t.Fatal(err)
		}
		users := map[string]access.Actor{
			"grid":    actorOf(mustUser(t, s, sys, "sgrid", safetynet.RoleGridWorker, "530325002009-01-01")),
			"village": actorOf(mustUser(t, s, sys, "svillage", safetynet.RoleVillageStaff, "530325002009")),
			"town":    actorOf(mustUser(t, s, sys, "stown", safetynet.RoleTownOfficer, "530325002")),
			"county":  actorOf(mustUser(t, s, sys, "scounty", safetynet.RoleCountyOfficer, "530325")),
			"other":   actorOf(mustUser(t, s, sys, "sother", safetynet.RoleCountyOfficer, "530324")),
			"admin":   sys,
		}
		check := func(user, q string, want ...string) {
			t.Helper()
			hits, err := s.Search(ctx, users[user], q, 50)
			if err != nil {
				t.Fatalf("%s searches %s: %v", user, q, err)
			}
			var got []string
			for _, h := range hits {
				got = append(got, h.Person.Name+"@"+h.Household.PlaceCode)
			}
			sort.Strings(got)
			sort.Strings(want)
			if strings.Join(got, " ") != strings.Join(want, " ") {
				t.Errorf("%s searches %s: got %v, want %v", user, q, got, want)
			}
		}
		check("grid", "张丽", "张丽@530325002009-01-01")
		check("village", "张丽", "张丽@530325002009-01-01", "张丽@530325002009", "张丽华@530325002009")
		check("town", "张丽", "张丽@530325002009-01-01", "张丽@530325002009", "张丽华@530325002009", "张丽@530325002010")
		check("county", "张丽", "张丽@530325002009-01-01", "张丽@530325002009", "张丽华@530325002009", "张丽@530325002010", "张丽@530325001001")
		check("other", "张丽", "张丽@530324001001")
		check("admin", "张丽", "张丽@530325002009-01-01", "张丽@530325002009", "张丽华@530325002009", "张丽@530325002010",
			"张丽@530325001001", "张丽@530324001001")
		check("village", "同名路2号 张丽", "张丽@530325002009")
		check("other", "华丽", "张华丽@530324001001")
		check("village", "华丽")

		// The household of the other town moves into the village: it is
		// found there now, and no longer in its old town.
		id := byPlace["530325001001"]
		h, err := s.Household(ctx, sys, id)
		if err != nil {
			t.Fatal(err)
		}
		place := "530325002009"
		if err := s.UpdateHousehold(ctx, sys, id, safetynet.HouseholdPatch{PlaceCode: &place}, h.Version); err != nil {
			t.Fatal(err)
		}
		check("village", "张丽", "张丽@530325002009-01-01", "张丽@530325002009", "张丽@530325002009", "张丽华@530325002009")
		users["oldtown"] = actorOf(mustUser(t, s, sys, "soldtown", safetynet.RoleTownOfficer, "530325001"))
		check("oldtown", "张丽")
	})
}
