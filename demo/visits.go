package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"safetynet"
	"safetynet/idcard"
	"safetynet/sqlstore"
	"safetynet/visits"
)

// LoadVisits gives the grid worker 赵刚 (grid 腰站社区第一网格) a day: a
// key family (六帮六助) with its daily call and weekly home revisit,
// paired with the volunteer 刘洋 as neighbour and with a neighbour
// without a login; an elderly man just back from hospital, whose
// department warning queued a must-visit; and one visit made yesterday.
func LoadVisits(ctx context.Context, s *sqlstore.Store) error {
	as, err := demoActors(ctx, s, "visits", "village", "grid", "volunteer")
	if err != nil {
		return err
	}
	village, grid, vol := as[0], as[1], as[2]
	rng := rand.New(rand.NewPCG(10, 10))
	add := func(head, birth, address string, sex idcard.Sex) (int64, error) {
		b, _ := time.Parse("2006-01-02", birth)
		id, err := s.CreateHousehold(ctx, village, safetynet.HouseholdInput{PlaceCode: Yaozhan + "-01-01", Address: address},
			safetynet.PersonInput{Name: head, IDNumber: idcard.Generate(rng, Fuyuan, b, sex)})
		if err != nil {
			return 0, fmt.Errorf("demo: visit household %s: %w", head, err)
		}
		return id, nil
	}
	key, err := add("周桂芝", "1950-04-18", "棠梨湾8号", idcard.Female)
	if err != nil {
		return err
	}
	if err := s.MarkKeyFamily(ctx, village, key, true, "六帮六助：帮助就医"); err != nil {
		return fmt.Errorf("demo: key family: %w", err)
	}
	for _, p := range []sqlstore.NewVisitPair{
		{HouseholdID: key, Level: visits.LevelNeighbour, UserID: vol.UserID},
		{HouseholdID: key, Level: visits.LevelNeighbour, Name: "邻居 何大姐", Phone: "13900001234"},
	} {
		if _, err := s.PairVisitor(ctx, village, p); err != nil {
			return fmt.Errorf("demo: visit pair: %w", err)
		}
	}
	old, err := add("吴长顺", "1946-11-02", "棠梨湾15号", idcard.Male)
	if err != nil {
		return err
	}
	if _, _, err := s.RecordVisit(ctx, grid, visits.NewVisit{ClientID: "demo-visit-1", HouseholdID: old, Kind: visits.KindHome,
		Result: visits.ResultFine, Note: "身体还好，叮嘱按时吃药", MadeAt: s.Now().Add(-20 * time.Hour)}); err != nil {
		return fmt.Errorf("demo: visit: %w", err)
	}
	if err := s.QueueMustVisit(ctx, village, old, visits.TriggerHospital); err != nil {
		return fmt.Errorf("demo: must-visit: %w", err)
	}
	if _, err := s.GenerateVisits(ctx); err != nil {
		return fmt.Errorf("demo: visits: %w", err)
	}
	return nil
}
