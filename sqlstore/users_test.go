package sqlstore_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"safetynet"
	"safetynet/access"
	"safetynet/sqlstore"
	"safetynet/sqlstore/storetest"
)

func mustUser(t *testing.T, s *sqlstore.Store, a access.Actor, name string, role safetynet.Role, place string) safetynet.User {
	t.Helper()
	u, err := s.CreateUser(ctx, a, safetynet.NewUser{Username: name, Role: role, PlaceCode: place, Password: "secret-" + name})
	if err != nil {
		t.Fatalf("create user %s: %v", name, err)
	}
	return u
}

func actorOf(u safetynet.User) access.Actor {
	return access.Actor{UserID: u.ID, Username: u.Username, Role: u.Role, Place: u.PlaceCode, IP: "10.0.0.1"}
}

func TestUsers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		mustImport(t, s, smallTree)
		sys := access.System()
		town := mustUser(t, s, sys, "TownAdmin", safetynet.RoleAdmin, "530325002")
		if town.Username != "townadmin" || town.PlaceName != "胜境街道" {
			t.Fatalf("created %+v", town)
		}
		ta := actorOf(town)
		staff := mustUser(t, s, ta, "staff1", safetynet.RoleVillageStaff, "530325002009")
		// Outside the admin's scope: neither creatable nor visible.
		mustUser(t, s, sys, "other", safetynet.RoleVillageStaff, "530325001001")
		if _, err := s.CreateUser(ctx, ta, safetynet.NewUser{Username: "x1", Role: safetynet.RoleVillageStaff, PlaceCode: "530325001001", Password: "12345678"}); safetynet.CodeOf(err) != safetynet.EInvalid {
			t.Errorf("create outside scope: %v", err)
		}
		list, err := s.Users(ctx, ta, safetynet.UserFilter{})
		if err != nil || len(list) != 2 {
			t.Fatalf("users in town scope = %d, %v", len(list), err)
		}
		other, _ := s.UserByUsername(ctx, sys, "other")
		if _, err := s.User(ctx, ta, other.ID); safetynet.CodeOf(err) != safetynet.ENotFound {
			t.Errorf("user outside scope: %v", err)
		}
		// Role and place must fit: a village staff member belongs to a village.
		for _, tc := range []struct {
			nu    safetynet.NewUser
			field string
		}{
			{safetynet.NewUser{Username: "vvv2", Role: safetynet.RoleVillageStaff, PlaceCode: "530325002", Password: "12345678"}, "place_code"},
			{safetynet.NewUser{Username: "vvv3", Role: "mayor", PlaceCode: "530325002", Password: "12345678"}, "role"},
			{safetynet.NewUser{Username: "vvv4", Role: safetynet.RoleInspector, PlaceCode: "530325002", Password: "short"}, "password"},
			{safetynet.NewUser{Username: "张三", Role: safetynet.RoleInspector, PlaceCode: "530325002", Password: "12345678"}, "username"},
			{safetynet.NewUser{Username: "STAFF1", Role: safetynet.RoleInspector, PlaceCode: "530325002", Password: "12345678"}, "username"},
		} {
			_, err := s.CreateUser(ctx, ta, tc.nu)
			if e := safetynet.AsError(err); e == nil || e.Field != tc.field {
				t.Errorf("create %+v: err = %v, want field %s", tc.nu, err, tc.field)
			}
		}
		// Two admins editing the same user: the second gets a conflict.
		name := "李四"
		if _, err := s.UpdateUser(ctx, ta, staff.ID, safetynet.UserUpdate{DisplayName: &name, Version: staff.Version}); err != nil {
			t.Fatal(err)
		}
		_, err = s.UpdateUser(ctx, sys, staff.ID, safetynet.UserUpdate{DisplayName: &name, Version: staff.Version})
		if safetynet.CodeOf(err) != safetynet.EConflict {
			t.Errorf("second edit err = %v, want conflict", err)
		}
		// Admins cannot disable themselves or change their own role.
		yes := true
		if _, err := s.UpdateUser(ctx, ta, town.ID, safetynet.UserUpdate{Disabled: &yes}); safetynet.CodeOf(err) != safetynet.EInvalid {
			t.Errorf("self-disable: %v", err)
		}
		// Village staff may view but not manage.
		sa := actorOf(staff)
		if _, err := s.UpdateUser(ctx, sa, staff.ID, safetynet.UserUpdate{DisplayName: &name}); safetynet.CodeOf(err) != safetynet.EForbidden {
			t.Errorf("staff manages users: %v", err)
		}
	})
}

func TestLoginSessionsAndDisable(t *testing.T) {
	clock := storetest.NewClock(time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC))
	storetest.EachWith(t, clock, func(t *testing.T, s *sqlstore.Store) {
		mustImport(t, s, smallTree)
		sys := access.System()
		u := mustUser(t, s, sys, "grid01", safetynet.RoleVillageStaff, "530325002009")
		if _, err := s.Authenticate(ctx, "grid01", "wrong-password", "1.2.3.4"); safetynet.CodeOf(err) != safetynet.EUnauthorized {
			t.Fatalf("wrong password: %v", err)
		}
		if _, err := s.Authenticate(ctx, "nobody", "wrong-password", "1.2.3.4"); safetynet.CodeOf(err) != safetynet.EUnauthorized {
			t.Fatalf("unknown user: %v", err)
		}
		got, err := s.Authenticate(ctx, " GRID01 ", "secret-grid01", "1.2.3.4")
		if err != nil || got.ID != u.ID {
			t.Fatalf("login = %+v, %v", got, err)
		}
		token, _, err := s.CreateSession(ctx, u.ID, sqlstore.SessionWeb, "1.2.3.4", "test")
		if err != nil {
			t.Fatal(err)
		}
		if su, _, err := s.SessionUser(ctx, token); err != nil || su.ID != u.ID {
			t.Fatalf("session user = %+v, %v", su, err)
		}
		if _, _, err := s.SessionUser(ctx, token+"x"); safetynet.CodeOf(err) != safetynet.EUnauthorized {
			t.Errorf("forged token: %v", err)
		}
		// Idle sessions expire; used ones are extended.
		clock.Advance(11 * time.Hour)
		if _, _, err := s.SessionUser(ctx, token); err != nil {
			t.Fatalf("session after 11h: %v", err)
		}
		clock.Advance(11 * time.Hour)
		if _, _, err := s.SessionUser(ctx, token); err != nil {
			t.Fatalf("session used 11h ago: %v", err)
		}
		clock.Advance(13 * time.Hour)
		if _, _, err := s.SessionUser(ctx, token); safetynet.CodeOf(err) != safetynet.EUnauthorized {
			t.Fatalf("idle session still valid: %v", err)
		}
		// Disabling a user ends their sessions and refuses their login.
		token, _, _ = s.CreateSession(ctx, u.ID, sqlstore.SessionAPI, "", "")
		yes := true
		if _, err := s.UpdateUser(ctx, sys, u.ID, safetynet.UserUpdate{Disabled: &yes}); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.SessionUser(ctx, token); safetynet.CodeOf(err) != safetynet.EUnauthorized {
			t.Errorf("disabled user's session: %v", err)
		}
		if _, err := s.Authenticate(ctx, "grid01", "secret-grid01", "1.2.3.4"); safetynet.CodeOf(err) != safetynet.EUnauthorized {
			t.Errorf("disabled login: %v", err)
		}
		log, _ := s.AuditLog(ctx, sys, safetynet.AuditFilter{Action: "auth."})
		if len(log) != 4 {
			t.Errorf("auth audit entries = %d, want 4 (2 failed, 1 ok, 1 disabled)", len(log))
		}
	})
}

func TestLoginThrottle(t *testing.T) {
	clock := storetest.NewClock(time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC))
	storetest.EachWith(t, clock, func(t *testing.T, s *sqlstore.Store) {
		mustImport(t, s, smallTree)
		mustUser(t, s, access.System(), "victim", safetynet.RoleInspector, "530325")
		for i := 0; i < 5; i++ {
			if _, err := s.Authenticate(ctx, "victim", "guess", "6.6.6.6"); safetynet.CodeOf(err) != safetynet.EUnauthorized {
				t.Fatalf("attempt %d: %v", i, err)
			}
		}
		// Even the right password is refused while throttled…
		if _, err := s.Authenticate(ctx, "victim", "secret-victim", "6.6.6.6"); safetynet.CodeOf(err) != safetynet.ETooMany {
			t.Fatalf("throttled login: %v", err)
		}
		// …but not from another address.
		if _, err := s.Authenticate(ctx, "victim", "secret-victim", "7.7.7.7"); err != nil {
			t.Fatalf("other address: %v", err)
		}
		clock.Advance(16 * time.Minute)
		if _, err := s.Authenticate(ctx, "victim", "secret-victim", "6.6.6.6"); err != nil {
			t.Fatalf("after the window: %v", err)
		}
	})
}

func TestAuditAppendOnly(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		mustImport(t, s, smallTree)
		if err := s.RecordView(ctx, access.System(), "person.reveal", "person", "1", "530325", nil); err != nil {
			t.Fatal(err)
		}
		for _, q := range []string{"UPDATE audit_log SET username = 'x'", "DELETE FROM audit_log"} {
			if err := s.ExecRaw(ctx, q); err == nil || !strings.Contains(err.Error(), "append-only") {
				t.Errorf("%s: err = %v, want append-only refusal", q, err)
			}
		}
		// A county officer sees the entries of the county, not those of the root.
		county := access.Actor{Role: safetynet.RoleCountyOfficer, Place: "530325002"}
		log, err := s.AuditLog(ctx, county, safetynet.AuditFilter{})
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range log {
			if !strings.HasPrefix(e.PlaceCode, "530325002") {
				t.Errorf("entry of %s visible to 胜境街道: %+v", e.PlaceCode, e)
			}
		}
		if len(log) == 0 {
			t.Error("no entries for 胜境街道")
		}
		if _, err := s.AuditLog(ctx, access.Actor{Role: safetynet.RoleGridWorker, Place: "530325"}, safetynet.AuditFilter{}); safetynet.CodeOf(err) != safetynet.EForbidden {
			t.Errorf("grid worker reads audit: %v", err)
		}
	})
}

// TestConcurrentWrites checks the single-writer path: many goroutines
// writing at once all succeed, none sees "database is locked".
func TestConcurrentWrites(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		mustImport(t, s, smallTree)
		var wg sync.WaitGroup
		errs := make(chan error, 64)
		for i := 0; i < 64; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := s.CreatePlace(ctx, access.System(), safetynet.PlaceInput{
					Code: fmt.Sprintf("G%02d", i), Name: "小组", Level: safetynet.LevelGroup, ParentCode: "530325002009"})
				if err == nil {
					_, err = s.Users(ctx, access.System(), safetynet.UserFilter{})
				}
				errs <- err
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Error(err)
			}
		}
		kids, _ := s.PlaceChildren(ctx, access.System(), "530325002009")
		if len(kids) != 64 {
			t.Errorf("children = %d, want 64", len(kids))
		}
	})
}

func TestMigrations(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		if applied, err := s.Migrate(ctx); err != nil || len(applied) != 0 {
			t.Fatalf("second migrate = %v, %v", applied, err)
		}
		if err := s.CheckSchema(ctx); err != nil {
			t.Fatal(err)
		}
		if err := s.ExecRaw(ctx, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'future', 0)"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Migrate(ctx); err == nil || !strings.Contains(err.Error(), "newer") && !strings.Contains(err.Error(), "knows only") {
			t.Fatalf("migrate on a newer schema: %v", err)
		}
		if err := s.CheckSchema(ctx); err == nil {
			t.Fatal("CheckSchema accepted a newer schema")
		}
	})
}
