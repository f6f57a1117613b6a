package demo

import (
	"context"
	"fmt"
	"time"

	"safetynet/campaigns"
	"safetynet/sqlstore"
)

// LoadScreening adds a running concentrated screening (集中排查) of
// 胜境街道, its window open from ten days ago for a month, in which 腰站社区
// has screened some households: most above the monitoring line, one
// below it, one with unsafe housing found; both wait for the village to
// hand them to the inclusion flow.
// The campaign is written directly (sqlstore.SeedScreening) until the
// campaigns capability's own forms create it.
func LoadScreening(ctx context.Context, s *sqlstore.Store) error {
	as, err := demoActors(ctx, s, "screening", "village", "grid")
	if err != nil {
		return err
	}
	village, grid := as[0], as[1]
	today := s.Now().In(time.FixedZone("CST", 8*3600))
	today = time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC)
	id, err := s.SeedScreening(ctx, sqlstore.ScreeningSeed{ClientID: "demo-screening", Title: "胜境街道防止返贫集中排查", DocNo: "胜境办发〔2026〕12号",
		Place: "530325002", StartsOn: today.AddDate(0, 0, -15), EndsOn: today.AddDate(0, 0, 45),
		WindowStart: today.AddDate(0, 0, -10), WindowEnd: today.AddDate(0, 0, 20), CreatedBy: "town"})
	if err != nil {
		return fmt.Errorf("demo: screening: %w", err)
	}
	todo, err := s.ScreeningHouseholds(ctx, village, id, Yaozhan, sqlstore.ScreeningTodo, 1)
	if err != nil {
		return fmt.Errorf("demo: screening: %w", err)
	}
	for i, h := range todo.Rows {
		if i == 6 {
			break
		}
		in := campaigns.Screening{ClientID: fmt.Sprintf("demo-screening-%d", h.HouseholdID), HouseholdID: h.HouseholdID, Partner: grid.UserID,
			ScreenedOn: today.AddDate(0, 0, -i), Members: max(h.Members, 1), Note: "入户核实",
			Income:   map[string]int64{"wages": int64(max(h.Members, 1)) * 9_800_00, "farming": 2_400_00, "transfers": 1_200_00},
			Expenses: map[string]int64{"medical": 800_00}}
		switch i {
		case 1: // below the line: a sick breadwinner at home
			in.Income = map[string]int64{"farming": int64(max(h.Members, 1)) * 3_000_00, "transfers": 1_800_00}
			in.Expenses = map[string]int64{"medical": 6_500_00}
			in.Note = "主要劳动力患病在家"
		case 3: // income fine, housing not
			in.Findings = []string{"housing"}
			in.Note = "土坯房墙体开裂"
		}
		if _, _, err := s.RecordScreening(ctx, village, id, in); err != nil {
			return fmt.Errorf("demo: screening household %d: %w", h.HouseholdID, err)
		}
	}
	return nil
}
