package sqlstore_test

import (
	"testing"
	"time"

	"safetynet"
	"safetynet/idcard"
	"safetynet/sqlstore"
	"safetynet/sqlstore/storetest"
	"safetynet/synth"
)

// A preview (dry run) of a large ledger reads a snapshot and does not
// hold the writer: a write made while the preview is half-way completes
// (on SQLite it would wait for ever behind a preview that held the single
// writer), the preview sees none of it, and the preview's report is the
// import's.
func TestPreviewDoesNotHoldWriter(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		f := newRegister(t, s)
		g := synth.New(7, []synth.Place{{Code: "530325002009-01", Name: "棠梨湾居民小组", County: "530325"}}, time.Now())
		hhs := g.Batch(600)
		before, err := s.CountPersons(ctx)
		if err != nil {
			t.Fatal(err)
		}
		wrote := false
		preview, err := s.ImportLedger(ctx, f.staff, hhs, sqlstore.LedgerOptions{DryRun: true, Progress: func(done, total int) {
			if wrote {
				return
			}
			wrote = true
			errc := make(chan error, 1)
			go func() {
				_, err := s.CreateHousehold(ctx, f.staff, safetynet.HouseholdInput{PlaceCode: "530325002009", Address: "腰站9号"},
					safetynet.PersonInput{Name: "钱写入", IDNumber: newID("1970-03-03", idcard.Male)})
				errc <- err
			}()
			select { // a guard against a deadlock, not a measure of speed
			case err := <-errc:
				if err != nil {
					t.Errorf("write during the preview: %v", err)
				}
			case <-time.After(2 * time.Minute):
				t.Fatal("a write waited for the preview: the preview holds the writer")
			}
		}})
		if err != nil || !wrote {
			t.Fatalf("preview = %+v, %v (wrote during it: %v)", preview.Households, err, wrote)
		}
		after, err := s.CountPersons(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if after.Persons != before.Persons+1 || after.Households != before.Households+1 {
			t.Fatalf("after the preview: %+v, before %+v: want only the one household written meanwhile", after, before)
		}
		rep, err := s.ImportLedger(ctx, f.staff, hhs, sqlstore.LedgerOptions{})
		if err != nil {
			t.Fatalf("import: %v %v", err, rep.Errors)
		}
		if rep.Households != preview.Households || rep.Persons != preview.Persons || rep.Categories != preview.Categories || rep.Rows != preview.Rows {
			t.Fatalf("import %+v %+v %d, preview said %+v %+v %d", rep.Households, rep.Persons, rep.Categories,
				preview.Households, preview.Persons, preview.Categories)
		}
		final, _ := s.CountPersons(ctx)
		if final.Persons != after.Persons+rep.Persons.Created || final.Households != after.Households+rep.Households.Created {
			t.Fatalf("after the import: %+v, want %d more persons and %d more households than %+v", final, rep.Persons.Created, rep.Households.Created, after)
		}
		// The same file again: every household matched, nothing created,
		// the preview says so too.
		again, err := s.ImportLedger(ctx, f.staff, hhs, sqlstore.LedgerOptions{DryRun: true})
		if err != nil || again.Households.Created != 0 || again.Persons.Created != 0 || again.Households.Unchanged != len(hhs) {
			t.Fatalf("preview of a re-import = %+v %+v, %v", again.Households, again.Persons, err)
		}
		// Changes preview as changes (through the same read-only snapshot)
		// and then import as previewed.
		changed := hhs[:3]
		changed[0].Household.Address = "新地址1号"
		changed[0].Categories = append(changed[0].Categories, safetynet.NewAssignment{Category: "single_parent", Start: time.Now()})
		changed[1].Members = append(changed[1].Members, safetynet.LedgerPerson{Row: 99999,
			Person:     safetynet.PersonInput{Name: "钱新人", IDNumber: newID("2010-06-06", idcard.Male), Relation: "grandson"},
			Categories: []safetynet.NewAssignment{{Category: "left_behind_child", Start: time.Now()}}})
		changed[2].Members[0].Person.Phone = "13900001111"
		preview, err = s.ImportLedger(ctx, f.staff, changed, sqlstore.LedgerOptions{DryRun: true})
		if err != nil || preview.Households.Updated != 2 || preview.Persons.Created != 1 || preview.Persons.Updated != 1 || preview.Categories != 2 {
			t.Fatalf("preview of changes = %+v %+v, %v %v", preview.Households, preview.Persons, err, preview.Errors)
		}
		rep, err = s.ImportLedger(ctx, f.staff, changed, sqlstore.LedgerOptions{})
		if err != nil || rep.Households != preview.Households || rep.Persons != preview.Persons || rep.Categories != preview.Categories ||
			len(rep.Changes) != len(preview.Changes) {
			t.Fatalf("import of changes = %+v %+v %d, %v; preview said %+v %+v %d", rep.Households, rep.Persons, rep.Categories, err,
				preview.Households, preview.Persons, preview.Categories)
		}
	})
}

// Two households of a ledger that match one registered household are an
// error for a human to sort out, not two updates of it.
func TestImportSameHouseholdTwice(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		f := newRegister(t, s)
		ids := []string{newID("1950-02-03", idcard.Male), newID("1985-07-07", idcard.Female), newID("1938-12-12", idcard.Female)}
		if rep, err := s.ImportLedger(ctx, f.staff, ledgerOf(ids), sqlstore.LedgerOptions{}); err != nil {
			t.Fatalf("import: %v %v", err, rep.Errors)
		}
		l := ledgerOf(ids)
		split := l[0]
		split.Row, split.Key, split.Household.Number = 9, "number:B9", "B9"
		split.Members = []safetynet.LedgerPerson{{Row: 9, Person: safetynet.PersonInput{Name: "孙小花", IDNumber: ids[1], Relation: "head"}}}
		l[0].Members = l[0].Members[:1]
		for _, dry := range []bool{true, false} {
			rep, err := s.ImportLedger(ctx, f.staff, append(l, split), sqlstore.LedgerOptions{DryRun: dry})
			if err == nil || len(rep.Errors) != 1 || rep.Errors[0].Row != 9 {
				t.Fatalf("dry run %v: %v, errors %+v: want one error on row 9", dry, err, rep.Errors)
			}
		}
	})
}
