package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"safetynet"
	"safetynet/idcard"
	"safetynet/pacts"
	"safetynet/sqlstore"
)

// LoadPacts adds two curtain pacts (窗帘之约) in 腰站社区's first grid: 宋桂芳
// kept by the neighbour (志愿者 刘洋), who has given today's sign on her own
// page, and 杨永福 kept by the grid worker, begun two days ago and without
// a sign, so that the sweep has alerted his steward.
func LoadPacts(ctx context.Context, s *sqlstore.Store) error {
	as, err := demoActors(ctx, s, "pacts", "village", "volunteer", "grid")
	if err != nil {
		return err
	}
	village, neighbour, grid := as[0], as[1], as[2]
	rng := rand.New(rand.NewPCG(10, 10))
	person := func(name, birth, address string, sex idcard.Sex) (int64, error) {
		b, _ := time.Parse("2006-01-02", birth)
		h, err := s.CreateHousehold(ctx, village, safetynet.HouseholdInput{PlaceCode: Yaozhan + "-01-01", Address: address},
			safetynet.PersonInput{Name: name, IDNumber: idcard.Generate(rng, Fuyuan, b, sex)})
		if err != nil {
			return 0, fmt.Errorf("demo: pact household %s: %w", name, err)
		}
		v, err := s.HouseholdView(ctx, village, h)
		if err != nil || len(v.Members) == 0 {
			return 0, fmt.Errorf("demo: pact household %s: %v", name, err)
		}
		return v.Members[0].ID, nil
	}
	song, err := person("宋桂芳", "1941-04-18", "棠梨湾26号", idcard.Female)
	if err != nil {
		return err
	}
	yang, err := person("杨永福", "1938-10-02", "棠梨湾31号", idcard.Male)
	if err != nil {
		return err
	}
	a, err := s.CreatePact(ctx, village, sqlstore.PactInput{PersonID: song, StewardID: neighbour.UserID,
		Terms: pacts.Terms{DeadlineMin: pacts.DefaultDeadline}, Since: s.Now().AddDate(0, 0, -2)})
	if err != nil {
		return fmt.Errorf("demo: pact: %w", err)
	}
	if _, err := s.CreatePact(ctx, village, sqlstore.PactInput{PersonID: yang, StewardID: grid.UserID,
		Terms: pacts.Terms{DeadlineMin: pacts.DefaultDeadline}, Since: s.Now().AddDate(0, 0, -2)}); err != nil {
		return fmt.Errorf("demo: pact: %w", err)
	}
	token, err := s.ReplacePactToken(ctx, village, a)
	if err != nil {
		return err
	}
	if err := s.PactSelfSign(ctx, token); err != nil {
		return err
	}
	_, err = s.SweepPacts(ctx)
	return err
}
