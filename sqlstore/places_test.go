package sqlstore_test

import (
	"context"
	"strings"
	"testing"

	"safetynet"
	"safetynet/access"
	"safetynet/divisions"
	"safetynet/sqlstore"
	"safetynet/sqlstore/storetest"
)

var ctx = context.Background()

// mustImport imports a CSV as the system actor.
func mustImport(t *testing.T, s *sqlstore.Store, csv string) safetynet.ImportReport {
	t.Helper()
	rows, errs, err := divisions.Parse(strings.NewReader(csv))
	if err != nil || len(errs) > 0 {
		t.Fatalf("parse: %v %v", err, errs)
	}
	rep, err := s.ImportPlaces(ctx, access.System(), rows, false)
	if err != nil {
		t.Fatalf("import: %v %+v", err, rep.Errors)
	}
	return rep
}

const smallTree = `code,name,level,parent_code
53,云南省,province,
5303,曲靖市,prefecture,53
530325,富源县,county,5303
530325002,胜境街道,town,530325
530325002009,腰站社区,village,530325002
530325002010,洗洋塘社区,village,530325002
530325001,中安街道,town,530325
530325001001,某社区,village,530325001
`

func countyAdmin() access.Actor {
	return access.Actor{UserID: 99, Username: "cadmin", Role: safetynet.RoleAdmin, Place: "530325002", IP: "127.0.0.1"}
}

func TestPlacesScopeAndTree(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		mustImport(t, s, smallTree)
		admin := countyAdmin() // scoped to 胜境街道
		grp, err := s.CreatePlace(ctx, admin, safetynet.PlaceInput{Name: " 棠梨湾居民小组 ", Level: safetynet.LevelGroup, ParentCode: "530325002009"})
		if err != nil {
			t.Fatal(err)
		}
		if grp.Code != "530325002009-01" || grp.Name != "棠梨湾居民小组" || grp.Version != 1 {
			t.Fatalf("created group %+v", grp)
		}
		grid, err := s.CreatePlace(ctx, admin, safetynet.PlaceInput{Name: "第一网格", Level: safetynet.LevelGrid, ParentCode: grp.Code})
		if err != nil {
			t.Fatal(err)
		}
		// Inside scope: visible with children; the path starts at the scope root.
		kids, err := s.PlaceChildren(ctx, admin, "530325002009")
		if err != nil || len(kids) != 1 || kids[0].Code != grp.Code || kids[0].Children != 1 {
			t.Fatalf("children = %+v, %v", kids, err)
		}
		path, err := s.PlacePath(ctx, admin, grid.Code)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, p := range path {
			names = append(names, p.Name)
		}
		if got := strings.Join(names, "/"); got != "胜境街道/腰站社区/棠梨湾居民小组/第一网格" {
			t.Fatalf("path = %s", got)
		}
		// Outside scope: the county above and the sibling town do not exist for this actor.
		for _, code := range []string{"530325", "530325001", "530325001001", "nope"} {
			if _, err := s.Place(ctx, admin, code); safetynet.CodeOf(err) != safetynet.ENotFound {
				t.Errorf("Place(%s) err = %v, want not found", code, err)
			}
			if _, err := s.PlaceChildren(ctx, admin, code); safetynet.CodeOf(err) != safetynet.ENotFound {
				t.Errorf("PlaceChildren(%s) err = %v, want not found", code, err)
			}
		}
		found, err := s.SearchPlaces(ctx, admin, "社区", 10)
		if err != nil || len(found) != 2 {
			t.Fatalf("search in scope = %+v, %v; want the two communities of 胜境街道", found, err)
		}
		// A grid cannot hold a group; a group cannot sit under a town.
		if _, err := s.CreatePlace(ctx, admin, safetynet.PlaceInput{Name: "x", Level: safetynet.LevelGroup, ParentCode: grid.Code}); safetynet.CodeOf(err) != safetynet.EInvalid {
			t.Errorf("group under grid: %v", err)
		}
		// Creating under a place outside scope reads as a missing parent.
		_, err = s.CreatePlace(ctx, admin, safetynet.PlaceInput{Name: "x", Level: safetynet.LevelGroup, ParentCode: "530325001001"})
		if e := safetynet.AsError(err); e == nil || e.Field != "parent_code" {
			t.Errorf("create outside scope: %v", err)
		}
		// A grid worker may look but not change.
		worker := access.Actor{UserID: 5, Username: "w", Role: safetynet.RoleGridWorker, Place: grid.Code}
		if _, err := s.CreatePlace(ctx, worker, safetynet.PlaceInput{Name: "x", Level: safetynet.LevelGrid, ParentCode: grid.Code}); safetynet.CodeOf(err) != safetynet.EForbidden {
			t.Errorf("grid worker create: %v", err)
		}
		if _, err := s.Place(ctx, worker, grp.Code); safetynet.CodeOf(err) != safetynet.ENotFound {
			t.Errorf("grid worker sees the group above: %v", err)
		}
	})
}

func TestPlaceMoveAndRename(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		mustImport(t, s, smallTree)
		sys := access.System()
		grp, _ := s.CreatePlace(ctx, sys, safetynet.PlaceInput{Name: "南村居民小组", Level: safetynet.LevelGroup, ParentCode: "530325002009"})
		grid, _ := s.CreatePlace(ctx, sys, safetynet.PlaceInput{Name: "网格一", Level: safetynet.LevelGrid, ParentCode: grp.Code})
		// Move the group with its grid to the other community.
		to := "530325002010"
		moved, err := s.UpdatePlace(ctx, sys, grp.Code, safetynet.PlaceUpdate{ParentCode: &to, Version: grp.Version})
		if err != nil {
			t.Fatal(err)
		}
		if moved.ParentCode != to || moved.Version != 2 {
			t.Fatalf("moved = %+v", moved)
		}
		// The grid followed: a user of the new community sees it, one of the old does not.
		newVillage := access.Actor{Role: safetynet.RoleVillageStaff, Place: to}
		oldVillage := access.Actor{Role: safetynet.RoleVillageStaff, Place: "530325002009"}
		if _, err := s.Place(ctx, newVillage, grid.Code); err != nil {
			t.Errorf("new village cannot see moved grid: %v", err)
		}
		if _, err := s.Place(ctx, oldVillage, grid.Code); safetynet.CodeOf(err) != safetynet.ENotFound {
			t.Errorf("old village still sees moved grid: %v", err)
		}
		path, _ := s.PlacePath(ctx, sys, grid.Code)
		if len(path) != 8 || path[6].Code != grp.Code || path[5].Code != to {
			t.Errorf("path after move: %+v", path)
		}
		// A stale version is refused and names who changed it.
		name := "新名字"
		_, err = s.UpdatePlace(ctx, sys, grp.Code, safetynet.PlaceUpdate{Name: &name, Version: 1})
		if e := safetynet.AsError(err); e == nil || e.Code != safetynet.EConflict || !strings.Contains(e.EN, "system") {
			t.Fatalf("stale update err = %v", err)
		}
		// Moving a place under its own grid is a cycle.
		if _, err := s.UpdatePlace(ctx, sys, grp.Code, safetynet.PlaceUpdate{ParentCode: &grid.Code}); safetynet.CodeOf(err) != safetynet.EInvalid {
			t.Errorf("move under own child: %v", err)
		}
		// A village cannot move under a village.
		v := "530325002009"
		if _, err := s.UpdatePlace(ctx, sys, "530325002010", safetynet.PlaceUpdate{ParentCode: &v}); safetynet.CodeOf(err) != safetynet.EInvalid {
			t.Errorf("village under village: %v", err)
		}
		renamed, err := s.UpdatePlace(ctx, sys, grp.Code, safetynet.PlaceUpdate{Name: &name, Version: 2})
		if err != nil || renamed.Name != name || renamed.Version != 3 {
			t.Fatalf("rename = %+v, %v", renamed, err)
		}
		log, err := s.AuditLog(ctx, sys, safetynet.AuditFilter{ObjectType: "place", ObjectID: grp.Code})
		if err != nil || len(log) != 3 || log[0].Action != "place.rename" || log[1].Action != "place.move" || log[2].Action != "place.create" {
			t.Fatalf("audit of group = %+v, %v", log, err)
		}
	})
}

func TestImportAllOrNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		rep := mustImport(t, s, smallTree)
		if rep.Created != 8 || rep.Updated != 0 {
			t.Fatalf("first import %+v", rep)
		}
		// The same file again changes nothing.
		rep = mustImport(t, s, smallTree)
		if rep.Created != 0 || rep.Updated != 0 || rep.Unchanged != 8 {
			t.Fatalf("re-import %+v", rep)
		}
		// A file with one good change and several bad rows changes nothing.
		bad := `code,name,level,parent_code
530325002009,腰站社区居民委员会,village,530325002
530325002011,新社区,village,999999
530325002012,错级别,group,530325002
530325002013,坏级别,hamlet,530325002
530325,富源县,county,530325002009
`
		rows, perr, err := divisions.Parse(strings.NewReader(bad))
		if err != nil {
			t.Fatal(err)
		}
		rep, err = s.ImportPlaces(ctx, access.System(), rows, false)
		if safetynet.CodeOf(err) != safetynet.EInvalid {
			t.Fatalf("bad import err = %v", err)
		}
		all := append(perr, rep.Errors...)
		lines := map[int]string{}
		for _, e := range all {
			lines[e.Row] = e.Field
		}
		want := map[int]string{3: "parent_code", 4: "level", 5: "level", 6: "level"}
		for l, f := range want {
			if lines[l] != f {
				t.Errorf("line %d: error field %q, want %q (all: %+v)", l, lines[l], f, all)
			}
		}
		p, _ := s.Place(ctx, access.System(), "530325002009")
		if p.Name != "腰站社区" {
			t.Errorf("a failed import renamed a place to %q", p.Name)
		}
		// A dry run reports what would change and changes nothing.
		rows, _, _ = divisions.Parse(strings.NewReader("code,name,level,parent_code\n530325002009,腰站社区居民委员会,village,530325002\n530325002099,新村,village,530325002\n"))
		rep, err = s.ImportPlaces(ctx, access.System(), rows, true)
		if err != nil || rep.Created != 1 || rep.Updated != 1 || !rep.DryRun {
			t.Fatalf("dry run = %+v, %v", rep, err)
		}
		if _, err := s.Place(ctx, access.System(), "530325002099"); safetynet.CodeOf(err) != safetynet.ENotFound {
			t.Errorf("dry run created a place: %v", err)
		}
		// The real run applies it; children in the file may precede parents.
		rep = mustImport(t, s, "code,name,level,parent_code\n530325002099-01,一组,group,530325002099\n530325002099,新村,village,530325002\n")
		if rep.Created != 2 {
			t.Fatalf("child-first import %+v", rep)
		}
		// A cycle within the file is refused.
		rows, _, _ = divisions.Parse(strings.NewReader("code,name,level,parent_code\nA1,甲,grid,A2\nA2,乙,grid,A1\n"))
		if rep, err = s.ImportPlaces(ctx, access.System(), rows, false); err == nil || len(rep.Errors) != 2 {
			t.Errorf("cycle import = %+v, %v", rep, err)
		}
		// Changing a level that would strand stored children is refused.
		rows, _, _ = divisions.Parse(strings.NewReader("code,name,level,parent_code\n530325002,胜境街道,village,530325\n"))
		if rep, err = s.ImportPlaces(ctx, access.System(), rows, false); err == nil || len(rep.Errors) != 1 {
			t.Errorf("level change import = %+v, %v", rep, err)
		}
	})
}

func TestImportSeedDivisions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		rows, errs, err := divisions.Parse(divisions.Seed())
		if err != nil || len(errs) > 0 {
			t.Fatalf("parse seed: %v %v", err, errs)
		}
		rep, err := s.ImportPlaces(ctx, access.System(), rows, false)
		if err != nil || rep.Created != 1647 {
			t.Fatalf("seed import = %+v, %v", rep, err)
		}
		county := access.Actor{Role: safetynet.RoleCountyOfficer, Place: "530325"}
		found, err := s.SearchPlaces(ctx, county, "腰站", 10)
		if err != nil || len(found) != 1 || found[0].Code != "530325002009" {
			t.Fatalf("search 腰站 in 富源县 = %+v, %v", found, err)
		}
	})
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct{ name, in, field string }{
		{"empty", "", "file"},
		{"no header column", "code,name,level\n1,a,province\n", "file"},
		{"bad quoting", "code,name,level,parent_code\n\"53,云南,province,\n", "file"},
	} {
		_, _, err := divisions.Parse(strings.NewReader(tc.in))
		if e := safetynet.AsError(err); e == nil || e.Field != tc.field {
			t.Errorf("%s: err = %v", tc.name, err)
		}
	}
	_, errs, err := divisions.Parse(strings.NewReader("code,name,level,parent_code\n53,云南省,province,\n53,云南,province,\n54,,province,\n55,x,village,\n"))
	if err != nil || len(errs) != 3 || errs[0].Row != 3 || errs[1].Row != 4 || errs[2].Row != 5 {
		t.Fatalf("row errors = %+v, %v", errs, err)
	}
}

func importCSV(s *sqlstore.Store, csv string) (safetynet.ImportReport, error) {
	rows, _, err := divisions.Parse(strings.NewReader(csv))
	if err != nil {
		return safetynet.ImportReport{}, err
	}
	return s.ImportPlaces(ctx, access.System(), rows, false)
}
