package sqlstore_test

import (
	"strings"
	"testing"
	"time"

	"safetynet"
	"safetynet/access"
	"safetynet/idcard"
	"safetynet/sqlstore"
	"safetynet/sqlstore/storetest"
)

// ledgerOf builds two households of a small ledger.
func ledgerOf(ids []string) []safetynet.LedgerHousehold {
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	return []safetynet.LedgerHousehold{
		{Row: 2, Key: "number:A1", Household: safetynet.HouseholdInput{Number: "A1", PlaceCode: "530325002009-01", Address: "棠梨湾1号", Phone: "13700000001"},
			Categories: []safetynet.NewAssignment{{Category: "monitor_marginal", RiskType: "illness", Start: start}, {Category: "risk", RiskType: "illness", Start: start}},
			Members: []safetynet.LedgerPerson{
				{Row: 2, Person: safetynet.PersonInput{Name: "孙大山", IDNumber: ids[0], Relation: "head"}},
				{Row: 3, Person: safetynet.PersonInput{Name: "孙小花", IDNumber: ids[1], Relation: "daughter"}},
				{Row: 4, Person: safetynet.PersonInput{Name: "孙宝宝", Relation: "grandson", Birth: time.Date(2022, 5, 1, 0, 0, 0, 0, time.UTC), Sex: "M"}},
			}},
		{Row: 5, Key: "number:A2", Household: safetynet.HouseholdInput{Number: "A2", PlaceCode: "530325002009", Address: "腰站2号"},
			Members: []safetynet.LedgerPerson{
				{Row: 5, Person: safetynet.PersonInput{Name: "周婆婆", IDNumber: ids[2], Relation: "head"},
					Categories: []safetynet.NewAssignment{{Category: "elderly_alone", Start: start}}},
			}},
	}
}

func TestImportLedger(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		f := newRegister(t, s)
		ids := []string{newID("1950-02-03", idcard.Male), newID("1985-07-07", idcard.Female), newID("1938-12-12", idcard.Female)}
		// A dry run reports and saves nothing.
		rep, err := s.ImportLedger(ctx, f.staff, ledgerOf(ids), sqlstore.LedgerOptions{DryRun: true})
		if err != nil || rep.Households.Created != 2 || rep.Persons.Created != 4 || rep.Categories != 3 {
			t.Fatalf("dry run = %+v, %v", rep, err)
		}
		if hits, _ := s.Search(ctx, f.staff, "孙大山", 5); len(hits) != 0 {
			t.Fatal("dry run saved a person")
		}
		rep, err = s.ImportLedger(ctx, f.staff, ledgerOf(ids), sqlstore.LedgerOptions{})
		if err != nil || rep.Households.Created != 2 || rep.Persons.Created != 4 {
			t.Fatalf("import = %+v, %v", rep, err)
		}
		// The same ledger again changes nothing.
		rep, err = s.ImportLedger(ctx, f.staff, ledgerOf(ids), sqlstore.LedgerOptions{})
		if err != nil || rep.Households.Unchanged != 2 || rep.Persons.Unchanged != 4 || rep.Persons.Created != 0 || rep.Categories != 0 {
			t.Fatalf("re-import = %+v, %v", rep, err)
		}
		// An updated ledger updates and says what changed.
		upd := ledgerOf(ids)
		upd[0].Household.Phone = "13700000009"
		upd[0].Members[1].Person.DisabilityKind, upd[0].Members[1].Person.DisabilityGrade = "physical", 2
		upd[0].Members = append(upd[0].Members, safetynet.LedgerPerson{Row: 5, Person: safetynet.PersonInput{Name: "孙新", IDNumber: newID("2001-01-01", idcard.Male), Relation: "grandson"}})
		upd[1].Row, upd[1].Members[0].Row = 6, 6
		rep, err = s.ImportLedger(ctx, f.staff, upd, sqlstore.LedgerOptions{})
		if err != nil || rep.Households.Updated != 1 || rep.Households.Unchanged != 1 || rep.Persons.Updated != 1 || rep.Persons.Created != 1 {
			t.Fatalf("update import = %+v, %v", rep, err)
		}
		var fields []string
		for _, c := range rep.Changes {
			fields = append(fields, c.Fields...)
		}
		got := strings.Join(fields, ",")
		for _, want := range []string{"phone", "disability", "member+:孙新"} {
			if !strings.Contains(got, want) {
				t.Errorf("changes %q lack %s", got, want)
			}
		}
		hits, _ := s.Search(ctx, f.staff, "孙大山", 5)
		v, _ := s.HouseholdView(ctx, f.staff, hits[0].Household.ID)
		if v.Household.Members != 4 || v.Household.Phone != "137****0009" || len(v.Household.Categories) != 2 {
			t.Fatalf("household after update: %+v", v.Household)
		}
	})
}

func TestImportLedgerAllOrNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		f := newRegister(t, s)
		ids := []string{newID("1950-02-03", idcard.Male), newID("1985-07-07", idcard.Female), newID("1938-12-12", idcard.Female)}
		// 周婆婆 is already registered in another household of the village.
		if _, err := s.CreateHousehold(ctx, f.staff, safetynet.HouseholdInput{PlaceCode: "530325002009"}, safetynet.PersonInput{Name: "周婆婆", IDNumber: ids[2]}); err != nil {
			t.Fatal(err)
		}
		// And someone of the neighbouring village holds another number of the file.
		if _, err := s.CreateHousehold(ctx, f.other, safetynet.HouseholdInput{PlaceCode: "530325002010"}, safetynet.PersonInput{Name: "外村人", IDNumber: ids[1]}); err != nil {
			t.Fatal(err)
		}
		led := ledgerOf(ids)
		led[1].Household.Number = "" // not matched by number: a new household with a known member
		led = append(led, safetynet.LedgerHousehold{Row: 7, Household: safetynet.HouseholdInput{PlaceCode: "530325002010"},
			Members: []safetynet.LedgerPerson{{Row: 7, Person: safetynet.PersonInput{Name: "越界", Relation: "head"}}}})
		rep, err := s.ImportLedger(ctx, f.staff, led, sqlstore.LedgerOptions{})
		if safetynet.CodeOf(err) != safetynet.EInvalid {
			t.Fatalf("import with errors: %v", err)
		}
		rows := map[int]bool{}
		for _, e := range rep.Errors {
			rows[e.Row] = true
			if strings.Contains(e.ZH, ids[1]) || strings.Contains(e.EN, ids[2]) {
				t.Errorf("error message holds an ID number: %+v", e)
			}
		}
		if !rows[3] || !rows[7] || len(rep.Errors) != 2 {
			t.Fatalf("errors = %+v", rep.Errors)
		}
		if hits, _ := s.Search(ctx, f.staff, "孙大山", 5); len(hits) != 0 {
			t.Fatal("a failed import saved rows")
		}
		// 周婆婆's household is matched through her ID: an update, not a duplicate.
		led = ledgerOf(ids)[1:]
		led[0].Household.Number = ""
		rep, err = s.ImportLedger(ctx, f.staff, led, sqlstore.LedgerOptions{})
		if err != nil || rep.Households.Updated != 1 || rep.Persons.Created != 0 {
			t.Fatalf("match by ID = %+v, %v", rep, err)
		}
		_ = access.System
	})
}

func TestDuplicatesAndExport(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		f := newRegister(t, s)
		birth := time.Date(1950, 1, 2, 0, 0, 0, 0, time.UTC)
		a, _ := s.CreateHousehold(ctx, f.staff, safetynet.HouseholdInput{PlaceCode: "530325002009"}, safetynet.PersonInput{Name: "吴老汉", Birth: birth, Sex: "M"})
		b, _ := s.CreateHousehold(ctx, f.staff, safetynet.HouseholdInput{PlaceCode: "530325002009-01"}, safetynet.PersonInput{Name: "郑大", IDNumber: newID("1960-01-01", idcard.Male)})
		dup, err := s.AddPerson(ctx, f.staff, b, safetynet.PersonInput{Name: "吴老汉", Birth: birth, Sex: "M", Relation: "father"})
		if err != nil {
			t.Fatal(err)
		}
		pairs, err := s.Duplicates(ctx, f.staff, 10)
		if err != nil || len(pairs) != 1 || pairs[0].B.ID != dup {
			t.Fatalf("duplicates = %+v, %v", pairs, err)
		}
		if pairs, _ := s.Duplicates(ctx, f.other, 10); len(pairs) != 0 {
			t.Errorf("other village sees duplicates")
		}
		va, _ := s.HouseholdView(ctx, f.staff, a)
		if err := s.DecideDuplicate(ctx, f.staff, va.Members[0].ID, dup, "same", "同一人，登记两次"); err != nil {
			t.Fatal(err)
		}
		if err := s.DecideDuplicate(ctx, f.staff, va.Members[0].ID, dup, "different", ""); safetynet.CodeOf(err) != safetynet.EConflict {
			t.Errorf("second decision: %v", err)
		}
		if pairs, _ := s.Duplicates(ctx, f.staff, 10); len(pairs) != 0 {
			t.Errorf("decided pair still listed")
		}
		vb, _ := s.HouseholdView(ctx, f.staff, b)
		if vb.Household.Members != 1 || len(vb.Former) != 1 || vb.Former[0].Status != sqlstore.StatusDuplicate {
			t.Errorf("household after duplicate: %+v %+v", vb.Household, vb.Former)
		}
		// Export: masked unless revealed, and revealing needs the permission.
		var rows []string
		n, err := s.ExportLedger(ctx, f.staff, sqlstore.ExportFilter{}, func(h *safetynet.Household, p *safetynet.Person) error {
			rows = append(rows, h.Address+"|"+p.Name+"|"+p.IDNumber)
			return nil
		})
		if err != nil || n != 2 || !strings.Contains(strings.Join(rows, ";"), "*") {
			t.Fatalf("export = %d %v %v", n, rows, err)
		}
		if _, err := s.ExportLedger(ctx, f.grid, sqlstore.ExportFilter{}, func(*safetynet.Household, *safetynet.Person) error { return nil }); safetynet.CodeOf(err) != safetynet.EForbidden {
			t.Errorf("grid worker exports: %v", err)
		}
		insp := actorOf(mustUser(t, s, access.System(), "insp", safetynet.RoleInspector, "530325"))
		if _, err := s.ExportLedger(ctx, insp, sqlstore.ExportFilter{Reveal: true}, func(*safetynet.Household, *safetynet.Person) error { return nil }); safetynet.CodeOf(err) != safetynet.EForbidden {
			t.Errorf("inspector reveals in export: %v", err)
		}
		rows = nil
		if _, err := s.ExportLedger(ctx, f.staff, sqlstore.ExportFilter{Reveal: true}, func(h *safetynet.Household, p *safetynet.Person) error {
			rows = append(rows, p.IDNumber)
			return nil
		}); err != nil || strings.Contains(strings.Join(rows, ""), "*") {
			t.Errorf("revealed export = %v %v", rows, err)
		}
		log, _ := s.AuditLog(ctx, access.System(), safetynet.AuditFilter{Action: "register.export"})
		if len(log) != 2 || !strings.Contains(log[0].Detail, `"reveal":true`) {
			t.Errorf("export audit = %+v", log)
		}
	})
}
