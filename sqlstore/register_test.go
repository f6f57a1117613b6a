package sqlstore_test

import (
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"safetynet"
	"safetynet/access"
	"safetynet/idcard"
	"safetynet/sqlstore"
	"safetynet/sqlstore/storetest"
)

var rng = rand.New(rand.NewPCG(1, 2))

// newID returns a valid synthetic ID number of 富源县.
func newID(birth string, sex idcard.Sex) string {
	b, _ := time.Parse("2006-01-02", birth)
	return idcard.Generate(rng, "530325", b, sex)
}

// registerFixture is the small tree with groups, a village staff member
// of 腰站社区 and one of 洗洋塘社区.
type registerFixture struct {
	s              *sqlstore.Store
	staff, other   access.Actor
	grid, neighbor access.Actor
}

func newRegister(t *testing.T, s *sqlstore.Store) registerFixture {
	t.Helper()
	mustImport(t, s, smallTree+"530325002009-01,棠梨湾居民小组,group,530325002009\n530325002009-01-01,棠梨湾第一网格,grid,530325002009-01\n")
	sys := access.System()
	f := registerFixture{s: s}
	f.staff = actorOf(mustUser(t, s, sys, "yaozhan", safetynet.RoleVillageStaff, "530325002009"))
	f.other = actorOf(mustUser(t, s, sys, "xiyang", safetynet.RoleVillageStaff, "530325002010"))
	f.grid = actorOf(mustUser(t, s, sys, "gridw", safetynet.RoleGridWorker, "530325002009-01-01"))
	f.neighbor = actorOf(mustUser(t, s, sys, "volun", safetynet.RoleVolunteer, "530325002009"))
	return f
}

func TestRegisterLifecycle(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		f := newRegister(t, s)
		headID := newID("1946-03-08", idcard.Female)
		hh, err := s.CreateHousehold(ctx, f.staff, safetynet.HouseholdInput{PlaceCode: "530325002009-01-01", Address: "棠梨湾12号",
			Phone: "13812345678", Housing: "C级危房", IncomeFen: 520000},
			safetynet.PersonInput{Name: "李秀英", IDNumber: strings.ToLower(headID), Health: "chronic", HealthNotes: "高血压"})
		if err != nil {
			t.Fatal(err)
		}
		son, err := s.AddPerson(ctx, f.staff, hh, safetynet.PersonInput{Name: "王强", IDNumber: newID("1972-05-01", idcard.Male), Relation: "之子"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.AddPerson(ctx, f.staff, hh, safetynet.PersonInput{Name: "王芳", Relation: "女儿", Birth: time.Date(2010, 1, 1, 0, 0, 0, 0, time.UTC), Sex: "女"}); err != nil {
			t.Fatal(err)
		}
		// The same ID number again is caught and names the household.
		_, err = s.AddPerson(ctx, f.staff, hh, safetynet.PersonInput{Name: "李秀", IDNumber: headID, Relation: "other"})
		if e := safetynet.AsError(err); e == nil || e.Code != safetynet.EConflict || !strings.Contains(e.ZH, "李秀英") {
			t.Fatalf("duplicate ID: %v", err)
		}
		// From the neighbouring village the same number is "registered elsewhere", without details.
		other, err := s.CreateHousehold(ctx, f.other, safetynet.HouseholdInput{PlaceCode: "530325002010"}, safetynet.PersonInput{Name: "某人", IDNumber: headID})
		if e := safetynet.AsError(err); e == nil || strings.Contains(e.ZH, "李秀英") || other != 0 {
			t.Fatalf("duplicate ID from outside: %v", err)
		}
		v, err := s.HouseholdView(ctx, f.staff, hh)
		if err != nil {
			t.Fatal(err)
		}
		if len(v.Members) != 3 || v.Household.Members != 3 || v.Members[0].Name != "李秀英" || v.Household.HeadName != "李秀英" {
			t.Fatalf("members = %+v", v.Members)
		}
		head := v.Members[0]
		if head.IDNumber != idcard.Mask(headID) || strings.Contains(head.IDNumber, headID[6:14]) || head.Sex != "F" || head.Birth.Year() != 1946 {
			t.Fatalf("head = %q %s %v", head.IDNumber, head.Sex, head.Birth)
		}
		if v.Household.Phone != "138****5678" || v.Household.Housing != "c_level" {
			t.Fatalf("household = %+v", v.Household)
		}
		// Outside the scope the household does not exist.
		if _, err := s.HouseholdView(ctx, f.other, hh); safetynet.CodeOf(err) != safetynet.ENotFound {
			t.Errorf("other village sees household: %v", err)
		}
		if _, err := s.HouseholdView(ctx, f.neighbor, hh); safetynet.CodeOf(err) != safetynet.EForbidden {
			t.Errorf("volunteer sees household: %v", err)
		}
		// Revealing is a permission, and audited.
		full, err := s.RevealPerson(ctx, f.staff, head.ID, sqlstore.RevealID)
		if err != nil || full != headID {
			t.Fatalf("reveal = %q, %v", full, err)
		}
		if _, err := s.RevealPerson(ctx, f.grid, head.ID, sqlstore.RevealID); safetynet.CodeOf(err) != safetynet.EForbidden {
			t.Errorf("grid worker reveals: %v", err)
		}
		log, _ := s.AuditLog(ctx, access.System(), safetynet.AuditFilter{Action: "person.reveal"})
		if len(log) != 1 || strings.Contains(log[0].Detail, headID) {
			t.Errorf("reveal audit = %+v", log)
		}
		// Search: 2-character name, ID number, phone, address word; nothing outside the scope.
		for _, q := range []string{"王强", "王", "李秀英", headID, "138 1234 5678", "棠梨湾", "棠梨湾 王芳"} {
			hits, err := s.Search(ctx, f.grid, q, 10)
			if err != nil || len(hits) == 0 {
				t.Errorf("search %q = %d hits, %v", q, len(hits), err)
			}
		}
		if hits, _ := s.Search(ctx, f.grid, "王强", 10); len(hits) != 1 || hits[0].Person.ID != son {
			t.Errorf("search 王强 = %+v", hits)
		}
		if hits, _ := s.Search(ctx, f.other, "王强", 10); len(hits) != 0 {
			t.Errorf("other village finds 王强")
		}
		if hits, _ := s.Search(ctx, f.grid, "强王", 10); len(hits) != 0 {
			t.Errorf("search 强王 finds %d", len(hits))
		}
		// Stale edits conflict.
		addr := "棠梨湾15号"
		if err := s.UpdateHousehold(ctx, f.staff, hh, safetynet.HouseholdPatch{Address: &addr}, 99); safetynet.CodeOf(err) != safetynet.EConflict {
			t.Errorf("stale household edit: %v", err)
		}
		if err := s.UpdateHousehold(ctx, f.staff, hh, safetynet.HouseholdPatch{Address: &addr}, v.Household.Version); err != nil {
			t.Fatal(err)
		}
		if v, _ := s.HouseholdView(ctx, f.staff, hh); v.Household.Phone != "138****5678" || v.Household.Housing != "c_level" {
			t.Errorf("a patch of the address changed other fields: %+v", v.Household)
		}
		// Editing a person keeps the ID number unless a new one is given.
		grade, kind := 2, "physical"
		if err := s.UpdatePerson(ctx, f.staff, son, safetynet.PersonPatch{DisabilityKind: &kind, DisabilityGrade: &grade}, 1); err != nil {
			t.Fatal(err)
		}
		if pv, _ := s.PersonView(ctx, f.staff, son); pv.Person.DisabilityGrade != 2 || pv.Person.Birth.Year() != 1972 || pv.Person.IDNumber == "" {
			t.Errorf("after person patch: %+v", pv.Person)
		}
		dup := headID
		if err := s.UpdatePerson(ctx, f.staff, son, safetynet.PersonPatch{IDNumber: &dup}, 2); safetynet.CodeOf(err) != safetynet.EConflict {
			t.Errorf("changing to a registered ID: %v", err)
		}
		if hits, _ := s.Search(ctx, f.grid, "15号", 10); len(hits) != 3 {
			t.Errorf("search by the new address = %d", len(hits))
		}
	})
}

func TestCategoriesHistory(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		f := newRegister(t, s)
		hh, err := s.CreateHousehold(ctx, f.staff, safetynet.HouseholdInput{PlaceCode: "530325002009"}, safetynet.PersonInput{Name: "赵大", IDNumber: newID("1960-01-02", idcard.Male)})
		if err != nil {
			t.Fatal(err)
		}
		day := func(d string) time.Time { x, _ := time.Parse("2006-01-02", d); return x }
		if _, err := s.AssignCategory(ctx, f.staff, safetynet.SubjectHousehold, hh, safetynet.NewAssignment{Category: "monitor_marginal", RiskType: "illness", Start: day("2024-03-01"), Reason: "大病住院"}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.AssignCategory(ctx, f.staff, safetynet.SubjectHousehold, hh, safetynet.NewAssignment{Category: "risk", Start: day("2024-03-01")}); safetynet.CodeOf(err) != safetynet.EInvalid {
			t.Errorf("risk label without a type: %v", err)
		}
		if _, err := s.AssignCategory(ctx, f.staff, safetynet.SubjectHousehold, hh, safetynet.NewAssignment{Category: "monitor_marginal", RiskType: "illness", Start: day("2024-04-01")}); safetynet.CodeOf(err) != safetynet.EConflict {
			t.Errorf("same category twice: %v", err)
		}
		// Changing the monitored kind ends the previous one.
		if _, err := s.AssignCategory(ctx, f.staff, safetynet.SubjectHousehold, hh, safetynet.NewAssignment{Category: "monitor_sudden", RiskType: "accident", Start: day("2024-06-01")}); err != nil {
			t.Fatal(err)
		}
		v, _ := s.HouseholdView(ctx, f.staff, hh)
		if len(v.Household.Categories) != 1 || v.Household.Categories[0].Category != "monitor_sudden" || len(v.History) != 2 {
			t.Fatalf("categories = %+v history %+v", v.Household.Categories, v.History)
		}
		ended := v.History[1]
		if ended.Category != "monitor_marginal" || ended.EndReason != "changed" || dateOf(ended.End) != "2024-06-01" {
			t.Fatalf("ended = %+v", ended)
		}
		// Risk eliminated: ended, kept in the history.
		if err := s.EndCategory(ctx, f.staff, v.Household.Categories[0].ID, safetynet.EndAssignment{End: day("2024-09-30"), Reason: "risk_eliminated"}); err != nil {
			t.Fatal(err)
		}
		if err := s.EndCategory(ctx, f.staff, v.Household.Categories[0].ID, safetynet.EndAssignment{Reason: "risk_eliminated"}); safetynet.CodeOf(err) != safetynet.EConflict {
			t.Errorf("ending twice: %v", err)
		}
		if err := s.EndCategory(ctx, f.other, v.Household.Categories[0].ID, safetynet.EndAssignment{Reason: "exited"}); safetynet.CodeOf(err) != safetynet.ENotFound {
			t.Errorf("ending from outside: %v", err)
		}
		v, _ = s.HouseholdView(ctx, f.staff, hh)
		if len(v.Household.Categories) != 0 || len(v.History) != 2 || v.History[0].EndReason != "risk_eliminated" {
			t.Fatalf("after elimination: %+v", v.History)
		}
		kinds := map[string]int{}
		for _, e := range v.Events {
			kinds[e.Kind]++
		}
		if kinds["category.add"] != 2 || kinds["category.end"] != 2 {
			t.Errorf("events = %v", kinds)
		}
		list, err := s.Households(ctx, f.staff, sqlstore.HouseholdFilter{Category: "monitor_sudden"})
		if err != nil || len(list) != 0 {
			t.Errorf("households still monitored: %d %v", len(list), err)
		}
	})
}

func dateOf(t time.Time) string { return t.Format("2006-01-02") }

func TestDeathMoveSplitMerge(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		f := newRegister(t, s)
		a, _ := s.CreateHousehold(ctx, f.staff, safetynet.HouseholdInput{PlaceCode: "530325002009", Address: "一号"}, safetynet.PersonInput{Name: "甲父", IDNumber: newID("1940-01-01", idcard.Male)})
		wife, _ := s.AddPerson(ctx, f.staff, a, safetynet.PersonInput{Name: "甲母", IDNumber: newID("1942-01-01", idcard.Female), Relation: "spouse"})
		son, _ := s.AddPerson(ctx, f.staff, a, safetynet.PersonInput{Name: "甲子", IDNumber: newID("1970-01-01", idcard.Male), Relation: "son"})
		sonWife, _ := s.AddPerson(ctx, f.staff, a, safetynet.PersonInput{Name: "甲媳", IDNumber: newID("1972-01-01", idcard.Female), Relation: "daughter_in_law"})
		v, _ := s.HouseholdView(ctx, f.staff, a)
		head := v.Members[0].ID
		if _, err := s.AssignCategory(ctx, f.staff, safetynet.SubjectPerson, head, safetynet.NewAssignment{Category: "left_behind_elderly", Start: time.Now().AddDate(-1, 0, 0)}); err != nil {
			t.Fatal(err)
		}
		// The head dies: a new head is required.
		death := safetynet.StatusDeceased
		if err := s.SetPersonStatus(ctx, f.staff, head, sqlstore.StatusChange{Status: death, Date: time.Now().AddDate(0, 0, -2)}); safetynet.CodeOf(err) != safetynet.EInvalid {
			t.Fatalf("head death without new head: %v", err)
		}
		if err := s.SetPersonStatus(ctx, f.staff, head, sqlstore.StatusChange{Status: death, Date: time.Now().AddDate(0, 0, -2), NewHead: wife}); err != nil {
			t.Fatal(err)
		}
		v, _ = s.HouseholdView(ctx, f.staff, a)
		if v.Household.HeadName != "甲母" || v.Household.Members != 3 || len(v.Former) != 1 || v.Former[0].Status != "deceased" {
			t.Fatalf("after death: head %s members %d former %+v", v.Household.HeadName, v.Household.Members, v.Former)
		}
		pv, _ := s.PersonView(ctx, f.staff, head)
		if len(pv.Person.Categories) != 0 || len(pv.History) != 1 || pv.History[0].EndReason != "deceased" {
			t.Errorf("dead person's categories: %+v", pv.History)
		}
		// Split: the son and his wife form their own household.
		b, err := s.SplitHousehold(ctx, f.staff, a, []int64{son, sonWife}, son, safetynet.HouseholdInput{PlaceCode: "530325002009-01", Address: "二号"}, 0)
		if err != nil {
			t.Fatal(err)
		}
		vb, _ := s.HouseholdView(ctx, f.staff, b)
		va, _ := s.HouseholdView(ctx, f.staff, a)
		if vb.Household.HeadName != "甲子" || vb.Household.Members != 2 || va.Household.Members != 1 {
			t.Fatalf("after split: %+v / %+v", vb.Household, va.Household)
		}
		if hits, _ := s.Search(ctx, f.staff, "二号", 10); len(hits) != 2 {
			t.Errorf("search new address after split = %d", len(hits))
		}
		// Merge them back: the old household is kept, marked merged.
		if err := s.MergeHouseholds(ctx, f.staff, b, a); err != nil {
			t.Fatal(err)
		}
		va, _ = s.HouseholdView(ctx, f.staff, a)
		vb, _ = s.HouseholdView(ctx, f.staff, b)
		if va.Household.Status != "merged" || va.Household.MergedInto != b || vb.Household.Members != 3 {
			t.Fatalf("after merge: %+v / %+v", va.Household, vb.Household)
		}
		pv, _ = s.PersonView(ctx, f.staff, wife)
		if len(pv.Memberships) != 2 || pv.Memberships[0].End.IsZero() || !pv.Memberships[1].End.IsZero() {
			t.Errorf("memberships of 甲母 = %+v", pv.Memberships)
		}
		// A moved-away person leaves with the history intact.
		if err := s.SetPersonStatus(ctx, f.staff, sonWife, sqlstore.StatusChange{Status: safetynet.StatusMovedAway, Date: time.Now(), Note: "外嫁"}); err != nil {
			t.Fatal(err)
		}
		if hits, _ := s.Search(ctx, f.staff, "甲媳", 10); len(hits) != 1 || hits[0].Person.Status != "moved_away" {
			t.Errorf("moved-away person in search: %+v", hits)
		}
	})
}

func TestEncryptedAtRest(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		f := newRegister(t, s)
		id := newID("1980-10-08", idcard.Male)
		if _, err := s.CreateHousehold(ctx, f.staff, safetynet.HouseholdInput{PlaceCode: "530325002009", Phone: "13900001111"},
			safetynet.PersonInput{Name: "钱多", IDNumber: id, Phone: "13900002222"}); err != nil {
			t.Fatal(err)
		}
		dump, err := s.DumpForTest(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, secret := range []string{id, id[6:14] + id[14:], "13900001111", "13900002222"} {
			if strings.Contains(dump, secret) {
				t.Errorf("%s is stored in clear", idcard.Mask(secret))
			}
		}
		if !strings.Contains(dump, "钱多") {
			t.Error("dump does not hold the stored rows")
		}
	})
}
