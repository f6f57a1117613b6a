package httpserver

import (
	"safetynet/campaigns"
	"safetynet/sqlstore"
)

func init() {
	for k, v := range map[string]any{
		"GoalCampaign": sqlstore.GoalCampaign{}, "GoalFigure": campaigns.Figure{}, "GoalPlaceRow": sqlstore.GoalPlaceRow{},
		"GoalProgress": sqlstore.GoalProgress{}, "GoalTrailPlace": sqlstore.GoalPlace{}, "CampaignGoals": sqlstore.CampaignGoals{},
		"GoalListRow": sqlstore.GoalListRow{}, "GoalList": sqlstore.GoalList{}, "CampaignExample": sqlstore.CampaignExample{},
		"CampaignExampleList": campaignExamplesJSON{}, "ExampleCandidate": sqlstore.ExampleCandidate{}, "GroupCount": sqlstore.GroupCount{},
		"ItemActivity": sqlstore.ItemActivity{}, "ReportFigures": sqlstore.ReportFigures{}, "LateVillage": sqlstore.LateVillage{},
		"CampaignReport": sqlstore.CampaignReport{},
	} {
		responseTypes[k] = v
	}
}
