package campaigns

import "safetynet"

// Kinds of campaign.
const (
	KindCare      = "care"      // a care or service action (关爱服务行动), seed 004
	KindScreening = "screening" // concentrated screening (集中排查) of every household of an area
	KindRoutine   = "routine"   // any other special action (专项行动)
)

// Kinds is the vocabulary of campaign kinds.
var Kinds = safetynet.Vocab{
	{Code: KindCare, ZH: "关爱服务行动", EN: "care action"},
	{Code: KindScreening, ZH: "集中排查", EN: "concentrated screening"},
	{Code: KindRoutine, ZH: "专项行动", EN: "special action"},
}

// Campaign statuses. A draft is seen only by its owners; a running
// campaign is seen by its implementing villages; an ended one is read-only
// and may be copied as a template for the next.
const (
	StatusDraft   = "draft"
	StatusRunning = "running"
	StatusEnded   = "ended"
)

// Statuses is the vocabulary of campaign statuses.
var Statuses = safetynet.Vocab{
	{Code: StatusDraft, ZH: "草稿", EN: "draft"},
	{Code: StatusRunning, ZH: "进行中", EN: "running"},
	{Code: StatusEnded, ZH: "已结束", EN: "ended"},
}

// Stage kinds (方法步骤). Register is the survey-and-register stage
// (登记造册) in which every implementing village lists its target-group
// members and submits by the stage's end; Screen is the window of a
// concentrated screening.
const (
	StageMobilise    = "mobilise"
	StageRegister    = "register"
	StageCarryOut    = "carry_out"
	StageSumUp       = "sum_up"
	StageConsolidate = "consolidate"
	StageScreen      = "screen"
)

// StageKinds is the vocabulary of stage kinds.
var StageKinds = safetynet.Vocab{
	{Code: StageMobilise, ZH: "动员部署", EN: "mobilise"},
	{Code: StageRegister, ZH: "调查摸底（登记造册）", EN: "survey and register"},
	{Code: StageCarryOut, ZH: "工作开展", EN: "carry out"},
	{Code: StageSumUp, ZH: "归纳总结", EN: "sum up"},
	{Code: StageConsolidate, ZH: "巩固拓展", EN: "consolidate"},
	{Code: StageScreen, ZH: "集中排查", EN: "screening"},
}

// Village stage statuses, as the campaign shows them per village.
// Late is not stored: a stage not submitted when its end has passed is
// late, and one submitted after its end was submitted late.
const (
	VillageNotStarted = "not_started"
	VillageInProgress = "in_progress"
	VillageSubmitted  = "submitted"
	VillageLate       = "late"
)

// VillageStatuses is the vocabulary of a village's stage status.
var VillageStatuses = safetynet.Vocab{
	{Code: VillageNotStarted, ZH: "未开始", EN: "not started"},
	{Code: VillageInProgress, ZH: "进行中", EN: "in progress"},
	{Code: VillageSubmitted, ZH: "已提交", EN: "submitted"},
	{Code: VillageLate, ZH: "已逾期", EN: "late"},
}

// Unit roles on a work item (seed 004: 牵头站所, 配合站所, 实施单位).
const (
	RoleLead      = "lead"
	RoleCooperate = "cooperate"
)

// UnitRoles is the vocabulary of a unit's role on a work item.
var UnitRoles = safetynet.Vocab{
	{Code: RoleLead, ZH: "牵头单位", EN: "lead unit"},
	{Code: RoleCooperate, ZH: "配合单位", EN: "cooperating unit"},
}

// Goal metrics: what a goal's progress is computed from, per village, from
// records within the campaign's period. Share metrics have a target in
// per mille of the target group (1000 = 100%); count metrics a number.
const (
	MetricRegistered    = "registered"     // members of the group registered (登记造册), count
	MetricVisitedShare  = "visited_share"  // share of the group's households visited in the period
	MetricServedShare   = "served_share"   // share of the group's households that received a service in the period
	MetricMeasureShare  = "measure_share"  // share of the group's persons with a measure in force (e.g. pension paid: 待遇发放率)
	MetricActivities    = "activities"     // activities recorded against the goal's work item, count
	MetricParticipants  = "participants"   // participants of those activities, person-times
	MetricScreenedShare = "screened_share" // share of the area's households screened (集中排查)
	MetricCasesHelped   = "cases_helped"   // relay cases of the group's households with a first help in the period, count
)

// Metrics is the vocabulary of goal metrics.
var Metrics = safetynet.Vocab{
	{Code: MetricRegistered, ZH: "登记造册人数", EN: "members registered"},
	{Code: MetricVisitedShare, ZH: "走访覆盖率", EN: "share of households visited"},
	{Code: MetricServedShare, ZH: "服务覆盖率", EN: "share of households served"},
	{Code: MetricMeasureShare, ZH: "待遇落实率", EN: "share with the measure in force"},
	{Code: MetricActivities, ZH: "开展活动次数", EN: "activities held"},
	{Code: MetricParticipants, ZH: "参与人次", EN: "participant person-times"},
	{Code: MetricScreenedShare, ZH: "排查完成率", EN: "share of households screened"},
	{Code: MetricCasesHelped, ZH: "解决问题件数", EN: "problems resolved"},
}

// ShareMetric reports whether metric m is a share (target in per mille).
func ShareMetric(m string) bool {
	switch m {
	case MetricVisitedShare, MetricServedShare, MetricMeasureShare, MetricScreenedShare:
		return true
	}
	return false
}

// Deadline kinds the campaign's reminders open on the relay's clocks
// (table deadlines, item_id the campaign_village_stages row): a village's
// stage not submitted by its end, escalating village → town → county.
const (
	DeadlineStage = "campaign.stage"
	DeadlineGoal  = "campaign.goal"
)
