package httpserver

import (
	"safetynet/campaigns"
	"safetynet/sqlstore"
)

// The campaigns' response types, held to their schemas by
// TestResponseTypesMatchSchemas.
func init() {
	for k, v := range map[string]any{
		"Campaign": campaigns.Campaign{}, "CampaignOut": campaignOutJSON{}, "CampaignListRow": sqlstore.CampaignListRow{},
		"CampaignList": campaignListJSON{}, "CampaignItem": campaigns.Item{}, "CampaignItemUnit": campaigns.ItemUnit{},
		"CampaignGoal": campaigns.Goal{}, "CampaignStage": campaigns.Stage{}, "CampaignVillage": sqlstore.CampaignVillage{},
		"CampaignVillageList": campaignVillageListJSON{}, "CampaignVillageStage": sqlstore.VillageStage{},
		"CampaignVillageTasks": campaignVillageJSON{}, "CampaignTask": sqlstore.CampaignTask{}, "CampaignTaskList": campaignTaskListJSON{},
		"CampaignActivity": campaigns.Activity{}, "CampaignActivityOut": campaignActivityOutJSON{}, "CampaignActivityList": campaignActivityListJSON{},
		"OrgUnit": campaigns.Unit{}, "OrgUnitMember": campaigns.UnitMember{}, "OrgUnitList": orgUnitListJSON{},
		"CampaignRef": sqlstore.CampaignRef{}, "CampaignRefList": campaignRefListJSON{},
	} {
		responseTypes[k] = v
	}
}
