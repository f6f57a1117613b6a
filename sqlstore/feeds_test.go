package sqlstore_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"safetynet"
	"safetynet/access"
	"safetynet/feeds"
	"safetynet/idcard"
	"safetynet/sqlstore"
	"safetynet/sqlstore/storetest"
)

// feedFixture is the register fixture with one registered person in
// 棠梨湾 (腰站社区), a 医保 account and a 残联 account of 富源县 and a
// county officer.
type feedFixture struct {
	registerFixture
	medical, disabled, county access.Actor
	personID, householdID     int64
	registeredID              string
}

func newFeedFixture(t *testing.T, s *sqlstore.Store) feedFixture {
	t.Helper()
	f := feedFixture{registerFixture: newRegister(t, s)}
	sys := access.System()
	f.registeredID = newID("1960-02-03", idcard.Male)
	hh, err := s.CreateHousehold(ctx, f.staff, safetynet.HouseholdInput{PlaceCode: "530325002009-01-01", Address: "棠梨湾3号"},
		safetynet.PersonInput{Name: "赵大山", IDNumber: f.registeredID})
	if err != nil {
		t.Fatal(err)
	}
	v, err := s.HouseholdView(ctx, f.staff, hh)
	if err != nil {
		t.Fatal(err)
	}
	f.householdID, f.personID = hh, v.Members[0].ID
	dept := func(name, code string) access.Actor {
		u := mustUser(t, s, sys, name, safetynet.RoleDepartment, "530325")
		if err := s.SetUserDepartment(ctx, sys, u.ID, code); err != nil {
			t.Fatal(err)
		}
		return actorOf(u)
	}
	f.medical, f.disabled = dept("yibao", "medical_insurance"), dept("canlian", "disabled_federation")
	f.county = actorOf(mustUser(t, s, sys, "fycounty", safetynet.RoleCountyOfficer, "530325"))
	return f
}

func hospitalRow(no int, key, id, address string, oop string) feeds.Row {
	return feeds.Row{No: no, Key: key, IDNumber: id, Name: "某人", EventType: "住院", Date: "2025-03-04", Address: address,
		Fields: map[string]string{"oop_cost": oop, "oop_ytd": "21000"}}
}

func countRows(t *testing.T, s *sqlstore.Store, a access.Actor, id int64) map[string]int {
	t.Helper()
	_, rows, err := s.FeedBatch(ctx, a, id, sqlstore.FeedRowFilter{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	n := map[string]int{}
	for _, r := range rows {
		n[r.Status]++
	}
	return n
}

func TestFeedPushMatchesAndQueues(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		f := newFeedFixture(t, s)
		outsider := newID("1975-06-07", idcard.Female)
		rows := []feeds.Row{
			hospitalRow(1, "a1", f.registeredID, "", "20500"),
			hospitalRow(2, "a2", outsider, "富源县胜境街道洗洋塘社区5号", "3000"),
			hospitalRow(3, "a3", "530325196002031234", "", "100"), // bad check digit (most likely)
			hospitalRow(4, "a1", outsider, "", "100"),             // duplicated key
			{No: 5, Key: "a5", IDNumber: outsider, EventType: "中彩票", Date: "2025-01-01"},
			{No: 6, Key: "a6", IDNumber: outsider, EventType: "death", Date: "2025-13-01"},
			{No: 7, Key: "a7", IDNumber: outsider, EventType: "住院", Date: "2025-01-01"}, // required oop_cost missing
			{No: 8, Key: "a8", IDNumber: outsider, Name: strings.Repeat("长", 10<<20/3), EventType: "death", Date: "2025-01-01"},
			{No: 9, Key: "a9", IDNumber: outsider, Name: "王\x00五", EventType: "death", Date: "2025-01-01"},
			{No: 10, Key: "a10", IDNumber: outsider, Name: "\xcd\xf5", EventType: "death", Date: "2025-01-01"},
		}
		if _, err := idcard.Parse(rows[2].IDNumber); err == nil {
			rows[2].IDNumber = rows[2].IDNumber[:17] + "0"
		}
		b, rej, err := s.PushFeedBatch(ctx, f.medical, sqlstore.FeedPush{Department: "medical_insurance", BatchKey: "2025-03-A", Rows: rows})
		if err != nil {
			t.Fatal(err)
		}
		if b.Replayed || b.Rows != 10 || b.Matched != 1 || b.Unregistered != 1 || b.Rejected != 8 || b.CountyCode != "530325" {
			t.Fatalf("batch %+v", b)
		}
		fields := map[int]string{}
		for _, r := range rej {
			fields[r.Row] = r.Field
			if r.ReasonZH == "" || r.ReasonEN == "" || strings.Contains(r.ReasonEN, outsider) {
				t.Errorf("row %d: reason %q", r.Row, r.ReasonEN)
			}
		}
		want := map[int]string{3: "id_number", 4: "row_key", 5: "event_type", 6: "date", 7: "oop_cost", 8: "name", 9: "name", 10: "name"}
		for row, field := range want {
			if fields[row] != field {
				t.Errorf("row %d rejected on %q, want %q", row, fields[row], field)
			}
		}
		_, all, err := s.FeedBatch(ctx, f.county, b.ID, sqlstore.FeedRowFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if len(all) != 10 || all[0].Status != sqlstore.FeedMatched || all[0].PlaceCode != "530325002009" || all[0].IDMasked != idcard.Mask(f.registeredID) {
			t.Fatalf("row 1: %+v", all[0])
		}
		if all[1].Status != sqlstore.FeedUnregistered || all[1].PlaceCode != "530325002010" || all[1].PlaceName != "洗洋塘社区" {
			t.Fatalf("row 2: %+v", all[1])
		}
		// The department sees its rows but not where they landed.
		_, own, err := s.FeedBatch(ctx, f.medical, b.ID, sqlstore.FeedRowFilter{Status: sqlstore.FeedMatched})
		if err != nil || len(own) != 1 || own[0].PlaceCode != "" || own[0].Name != "某人" {
			t.Fatalf("department's view: %+v %v", own, err)
		}
		evs, err := s.FeedEvents(ctx, b.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(evs) != 2 || evs[0].PersonID != f.personID || evs[0].HouseholdID != f.householdID || !evs[0].PlaceExact ||
			evs[0].Fields["oop_cost"] != int64(2050000) || evs[1].PersonID != 0 || evs[1].PlaceExact || evs[1].IDNumber != outsider {
			t.Fatalf("events: %+v", evs)
		}
		if n := queued(t, s); n != 2 {
			t.Fatalf("queued %d events, want 2", n)
		}

		// The same batch again: the stored result, nothing written.
		again, rej2, err := s.PushFeedBatch(ctx, f.medical, sqlstore.FeedPush{Department: "medical_insurance", BatchKey: "2025-03-A",
			Rows: rows[:1]})
		if err != nil || !again.Replayed || again.ID != b.ID || again.Rejected != 8 || len(rej2) != 8 {
			t.Fatalf("replay: %+v %d %v", again, len(rej2), err)
		}
		if n := queued(t, s); n != 2 {
			t.Fatalf("queued %d after replay", n)
		}
		// A batch of rejected rows only is kept with its results.
		only, _, err := s.PushFeedBatch(ctx, f.medical, sqlstore.FeedPush{Department: "medical_insurance", BatchKey: "bad", Rows: rows[4:6]})
		if err != nil || only.Rejected != 2 || only.Rows != 2 {
			t.Fatalf("rejected-only batch: %+v %v", only, err)
		}
		if n := countRows(t, s, f.county, only.ID); n[sqlstore.FeedRejected] != 2 {
			t.Fatalf("rejected-only rows: %v", n)
		}
	})
}

func queued(t *testing.T, s *sqlstore.Store) int {
	t.Helper()
	n, err := s.WarningQueueLen(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestFeedScope(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		f := newFeedFixture(t, s)
		push := func(a access.Actor, dept, key string) (sqlstore.FeedBatch, error) {
			b, _, err := s.PushFeedBatch(ctx, a, sqlstore.FeedPush{Department: dept, BatchKey: key,
				Rows: []feeds.Row{hospitalRow(1, "k", f.registeredID, "", "1")}})
			return b, err
		}
		mb, err := push(f.medical, "medical_insurance", "m1")
		if err != nil {
			t.Fatal(err)
		}
		// 残联 cannot push as 医保, nor see 医保's batch.
		if _, err := push(f.disabled, "medical_insurance", "x"); code(err) != safetynet.EForbidden {
			t.Fatalf("push for another department: %v", err)
		}
		if _, _, err := s.FeedBatch(ctx, f.disabled, mb.ID, sqlstore.FeedRowFilter{}); code(err) != safetynet.ENotFound {
			t.Fatalf("another department's batch: %v", err)
		}
		if bs, err := s.FeedBatches(ctx, f.disabled, sqlstore.FeedBatchFilter{}); err != nil || len(bs) != 0 {
			t.Fatalf("残联's list: %+v %v", bs, err)
		}
		// The county officer sees all, uploads for a department; village staff nothing.
		if _, err := push(f.county, "disabled_federation", "c1"); err != nil {
			t.Fatal(err)
		}
		if bs, err := s.FeedBatches(ctx, f.county, sqlstore.FeedBatchFilter{}); err != nil || len(bs) != 2 {
			t.Fatalf("county's list: %d %v", len(bs), err)
		}
		if bs, err := s.FeedBatches(ctx, f.disabled, sqlstore.FeedBatchFilter{}); err != nil || len(bs) != 1 || bs[0].CreatedByName == "" {
			t.Fatalf("残联's list after the county's upload: %+v %v", bs, err)
		}
		if _, err := s.FeedBatches(ctx, f.staff, sqlstore.FeedBatchFilter{}); code(err) != safetynet.EForbidden {
			t.Fatalf("village staff: %v", err)
		}
		// A department account sees nothing of the register.
		if _, err := s.HouseholdView(ctx, f.medical, f.householdID); err == nil {
			t.Fatal("a department account read a household")
		}
		// Bad batch keys and departments are refused whole.
		if _, err := push(f.medical, "medical_insurance", strings.Repeat("k", 200)); code(err) != safetynet.EInvalid {
			t.Fatalf("long key: %v", err)
		}
		if _, err := push(f.county, "lottery", "x"); code(err) != safetynet.EInvalid {
			t.Fatalf("unknown department: %v", err)
		}
		if err := s.SetUserDepartment(ctx, access.System(), f.county.UserID, "health"); code(err) != safetynet.EInvalid {
			t.Fatalf("department of a county officer: %v", err)
		}
	})
}

// TestFeedSameBatchAtOnce pushes one batch from several goroutines (on
// PostgreSQL also from two stores, as two processes would): it is stored
// once and everyone gets the stored result.
func TestFeedSameBatchAtOnce(t *testing.T) {
	run := func(t *testing.T, stores []*sqlstore.Store) {
		f := newFeedFixture(t, stores[0])
		var rows []feeds.Row
		for i := range 300 {
			rows = append(rows, hospitalRow(i+1, fmt.Sprint("r", i), newID("1980-01-01", idcard.Male), "", "10"))
		}
		var wg sync.WaitGroup
		ids := make([]int64, 6)
		errs := make([]error, 6)
		for i := range ids {
			wg.Add(1)
			go func() {
				defer wg.Done()
				b, _, err := stores[i%len(stores)].PushFeedBatch(ctx, f.medical, sqlstore.FeedPush{Department: "medical_insurance", BatchKey: "same", Rows: rows})
				ids[i], errs[i] = b.ID, err
			}()
		}
		wg.Wait()
		for i := range ids {
			if errs[i] != nil || ids[i] != ids[0] {
				t.Fatalf("push %d: batch %d (first %d): %v", i, ids[i], ids[0], errs[i])
			}
		}
		if n := queued(t, stores[0]); n != 300 {
			t.Fatalf("queued %d, want 300", n)
		}
	}
	t.Run("sqlite", func(t *testing.T) { run(t, []*sqlstore.Store{storetest.SQLite(t, nil)}) })
	t.Run("postgres", func(t *testing.T) {
		dsn := storetest.PostgresDSN(t)
		one := storetest.Open(t, dsn, nil)
		two := storetest.Open(t, dsn, nil)
		run(t, []*sqlstore.Store{one, two})
	})
}
