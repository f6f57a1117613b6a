package sqlstore

import (
	"context"
	"crypto/rand"
	"path/filepath"
	"strings"
	"testing"

	"safetynet"
	"safetynet/access"
	"safetynet/divisions"
	"safetynet/fieldcrypt"
)

// Persons stored before search words were keyed by place are rewritten
// when the schema is migrated, and found by scoped search afterwards.
func TestReindexSearchOnMigrate(t *testing.T) {
	ctx := context.Background()
	master := make([]byte, 32)
	_, _ = rand.Read(master)
	keys, err := fieldcrypt.New(master)
	if err != nil {
		t.Fatal(err)
	}
	s, err := Open(ctx, filepath.Join(t.TempDir(), "r.db"), Options{Keys: keys})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	rows, _, err := divisions.Parse(strings.NewReader("code,name,level,parent_code\n53,云南省,province,\n5303,曲靖市,prefecture,53\n" +
		"530325,富源县,county,5303\n530325002,胜境街道,town,530325\n530325002009,腰站社区,village,530325002\n"))
	if err != nil {
		t.Fatal(err)
	}
	sys := access.System()
	if _, err := s.ImportPlaces(ctx, sys, rows, false); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateHousehold(ctx, sys, safetynet.HouseholdInput{PlaceCode: "530325002009", Address: "腰站1号"},
		safetynet.PersonInput{Name: "旧格式"}); err != nil {
		t.Fatal(err)
	}
	// As an older version stored it: the words alone.
	if _, err := s.w.ExecContext(ctx, `UPDATE persons SET search_text = ?`, wordsText("旧格式", "腰站1号")); err != nil {
		t.Fatal(err)
	}
	town := access.Actor{UserID: 5, Username: "t", Role: safetynet.RoleTownOfficer, Place: "530325002"}
	if hits, err := s.Search(ctx, town, "旧格式", 5); err != nil || len(hits) != 0 {
		t.Fatalf("before the migration: %d hits, %v (the old format has no keyed words)", len(hits), err)
	}
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if hits, err := s.Search(ctx, town, "旧格式", 5); err != nil || len(hits) != 1 {
		t.Fatalf("after the migration: %d hits, %v", len(hits), err)
	}
}
