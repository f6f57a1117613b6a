package httpserver_test

import (
	"testing"
	"time"

	"safetynet/access"
	"safetynet/campaigns"
	"safetynet/sqlstore"
)

// goalsCampaign is a running campaign of a county with a goal per kind of
// figure, and a typical case marked by a village.
type goalsCampaign struct {
	id, visitGoal, activityGoal, example int64
}

// startGoalsCampaign creates and starts a care campaign of the county of
// owner (every village implements it) whose period holds today, and marks
// household as a typical case as marker.
func startGoalsCampaign(t *testing.T, s *sqlstore.Store, owner, marker access.Actor, clientID string, household int64) goalsCampaign {
	t.Helper()
	today := time.Now()
	c, _, err := s.CreateCampaign(ctx, owner, campaigns.Campaign{ClientID: clientID, Kind: campaigns.KindCare, Title: "关爱留守老人专项行动",
		DocNo: "民发[2026]9号", StartsOn: today.AddDate(0, -1, 0).Format("2006-01-02"), EndsOn: today.AddDate(0, 2, 0).Format("2006-01-02"),
		Stages: []campaigns.Stage{{Kind: campaigns.StageRegister, Title: "调查摸底", StartsOn: today.AddDate(0, -1, 0).Format("2006-01-02"),
			EndsOn: today.AddDate(0, 0, -3).Format("2006-01-02")}, {Kind: campaigns.StageCarryOut, Title: "工作开展",
			StartsOn: today.AddDate(0, 0, -2).Format("2006-01-02"), EndsOn: today.AddDate(0, 2, 0).Format("2006-01-02")}},
		Items: []campaigns.Item{{Title: "走访关爱", Groups: []string{"left_behind_elderly"}}},
		Goals: []campaigns.Goal{
			{Title: "留守老人走访全覆盖", ItemSeq: 1, Metric: campaigns.MetricVisitedShare, Group: "left_behind_elderly", Target: 1000},
			{Title: "每村开展平安夜话", ItemSeq: 1, Metric: campaigns.MetricActivities, Target: 2},
		}})
	if err != nil {
		t.Fatalf("campaign to walk with: %v", err)
	}
	if c, err = s.StartCampaign(ctx, owner, c.ID, c.Version); err != nil {
		t.Fatalf("start campaign: %v", err)
	}
	full, err := s.Campaign(ctx, owner, c.ID)
	if err != nil || len(full.Goals) != 2 {
		t.Fatalf("campaign goals: %+v %v", full.Goals, err)
	}
	e, err := s.MarkExample(ctx, marker, c.ID, sqlstore.NewExample{HouseholdID: household, Title: "结对关爱", Text: "每周上门走访。"})
	if err != nil {
		t.Fatalf("example: %v", err)
	}
	return goalsCampaign{id: c.ID, visitGoal: full.Goals[0].ID, activityGoal: full.Goals[1].ID, example: e.ID}
}
