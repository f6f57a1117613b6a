package demo_test

import (
	"context"
	"testing"

	"safetynet/access"
	"safetynet/demo"
	"safetynet/sqlstore"
	"safetynet/sqlstore/storetest"
)

// TestDemoVolunteering: 腰站社区's meal relay has three places taken (two by
// the volunteer, one by a neighbour), and the volunteer's 我的接龙 lists
// two slots.
func TestDemoVolunteering(t *testing.T) {
	ctx := context.Background()
	s := storetest.SQLite(t, nil)
	if _, err := demo.Load(ctx, s, demo.Options{}); err != nil {
		t.Fatal(err)
	}
	sys := access.System()
	l, err := s.VolunteerRelays(ctx, sys, sqlstore.VolunteerRelayFilter{})
	if err != nil || len(l) != 1 || l[0].Taken != 3 || l[0].Places != 42 || l[0].ShortName != "高奶奶" {
		t.Fatalf("relays = %+v %v", l, err)
	}
	u, _ := s.UserByUsername(ctx, sys, "volunteer")
	mine, err := s.MySlots(ctx, sqlstore.UserTaker(access.Actor{UserID: u.ID, Username: u.Username, Role: u.Role, Place: u.PlaceCode}))
	if err != nil || len(mine) != 2 {
		t.Fatalf("mine = %+v %v", mine, err)
	}
	teams, err := s.VolunteerTeams(ctx, sys)
	if err != nil || len(teams) != 1 || len(teams[0].Members) != 2 {
		t.Fatalf("teams = %+v %v", teams, err)
	}
}
