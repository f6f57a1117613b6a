package access

import "safetynet"

// Permissions of campaigns (专项行动) with their survey-and-register stage
// (登记造册) and concentrated screening (集中排查), of unannounced
// inspections (四不两直). The dashboards per level need FiguresView.
const (
	CampaignView   Permission = "campaign.view"   // campaigns of one's places, their stages, progress and report
	CampaignManage Permission = "campaign.manage" // create and edit campaigns, goals, work items, units, stages
	CampaignWork   Permission = "campaign.work"   // a village's part: register target groups, submit a stage, record activities, mark examples
	ScreeningDo    Permission = "screening.do"    // visit and record a household of a concentrated screening

	InspectionView    Permission = "inspection.view"    // inspections once started, findings, rectifications, scores
	InspectionManage  Permission = "inspection.manage"  // create an inspection, draw its sample, inspect, raise rectifications
	InspectionRectify Permission = "inspection.rectify" // report a rectification done (the inspected village or town)
)

func init() {
	add := func(r safetynet.Role, ps ...Permission) { grants[r] = append(grants[r], ps...) }
	add(safetynet.RoleAdmin, CampaignView, CampaignManage, CampaignWork, ScreeningDo,
		InspectionView, InspectionManage, InspectionRectify)
	add(safetynet.RoleCountyOfficer, CampaignView, CampaignManage, CampaignWork, ScreeningDo,
		InspectionView, InspectionManage, InspectionRectify)
	add(safetynet.RoleTownOfficer, CampaignView, CampaignManage, CampaignWork, ScreeningDo,
		InspectionView, InspectionRectify)
	add(safetynet.RoleVillageStaff, CampaignView, CampaignWork, ScreeningDo,
		InspectionView, InspectionRectify)
	add(safetynet.RoleGridWorker, CampaignView, ScreeningDo)
	add(safetynet.RoleSocialWorker, CampaignView)
	// The inspector (督查) reads everything of their places and is the one
	// who draws samples and inspects; they change no register data.
	add(safetynet.RoleInspector, CampaignView, InspectionView, InspectionManage)
}
